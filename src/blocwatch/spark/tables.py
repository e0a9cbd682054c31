"""The Parquet tables a Spark run writes, and the rows to and from blocwatch's objects.

Plain Python (no pyspark here), so executors turn a page into rows and
``blocwatch load`` turns rows back into the page, its documents and their
extractions without Spark. Every row is keyed by where its page was read:
``file_index`` (the input file's place in the run's ordered input list) and
``record`` (the page's place in that file), so a load can replay the pages
in exactly the order a local ingest reads them. Nested values that only
blocwatch reads back (metadata, statement values) are JSON text; lists
analysts filter on (candidates, absent, participants) are Parquet lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from blocwatch.dates import parse_date
from blocwatch.extract.model import Extraction, Meeting, Mention, Participant, Statement
from blocwatch.ingest import dedup
from blocwatch.ingest.model import Document, Link, RawPage, ReadFailure

FORMAT_VERSION = 1

# name -> [(column, type)]; types: int, long, string, binary, bool, strings, participants
KEY = [("file_index", "long"), ("record", "long")]
DOC_KEY = [*KEY, ("position", "int")]
FACT_KEY = [*DOC_KEY, ("n", "int")]
_STATEMENT = [
    *FACT_KEY, ("kind", "string"), ("subject", "string"), ("predicate", "string"),
    ("object", "string"), ("negated", "bool"), ("quantifier", "string"), ("value", "string"),
    ("plover", "string"), ("cameo", "string"), ("date", "string"), ("section", "string"),
    ("start", "int"), ("end", "int"), ("sentence", "string"), ("extra", "string"),
]
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "pages": [
        *KEY, ("path", "string"), ("format", "string"), ("url", "string"),
        ("content_hash", "string"), ("size", "long"), ("raw", "binary"), ("meta", "string"),
        ("status", "string"), ("reason", "string"), ("documents", "int"),
    ],
    "documents": [
        *DOC_KEY, ("text_hash", "string"), ("role", "string"), ("title", "string"),
        ("published", "string"), ("outlet", "string"), ("author", "string"), ("url", "string"),
        ("text", "string"), ("metadata", "string"), ("links", "string"), ("start", "int"),
        ("end", "int"), ("date_from", "string"), ("date_to", "string"),
        ("document_date", "string"), ("document_date_basis", "string"),
    ],
    "entities": [
        *FACT_KEY, ("entity_id", "string"), ("kind", "string"), ("section", "string"),
        ("start", "int"), ("end", "int"), ("text", "string"), ("how", "string"),
        ("candidates", "strings"), ("role", "string"), ("office", "string"),
        ("represents", "string"),
    ],
    "statements": _STATEMENT,
    "events": _STATEMENT,  # the statements of kind "event", for analysts; load skips it
    "meetings": [
        *FACT_KEY, ("body", "string"), ("ordinal", "int"), ("date", "string"),
        ("date_basis", "string"), ("place", "string"), ("host", "string"), ("topic", "string"),
        ("absent", "strings"), ("section", "string"), ("start", "int"), ("end", "int"),
        ("sentence", "string"), ("participants", "participants"),
    ],
    # stage "read": the reader refused it; stage "page": no documents could be found in it
    "failures": [*KEY, ("path", "string"), ("reason", "string"), ("stage", "string")],
}
TABLES = tuple(COLUMNS)
PARTICIPANT_FIELDS = ("person", "name", "role", "represents")

Row = tuple[Any, ...]
Tagged = tuple[str, Row]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- objects -> rows (in a Spark task) ----------------------------------------------


def failure_rows(key: tuple[int, int], failure: ReadFailure, stage: str) -> list[Tagged]:
    return [("failures", (*key, failure.path, failure.reason, stage))]


def page_rows(key: tuple[int, int], page: RawPage, documents: list[Document] | None,
              extractions: list[Extraction], reason: str | None = None) -> list[Tagged]:
    """The rows for one page: the page, its documents and what extraction found in each."""
    documents = documents or []
    rows: list[Tagged] = [("pages", (
        *key, page.path, page.format, page.meta.get("url"), hashlib.sha256(page.raw).hexdigest(),
        len(page.raw), page.raw, _json(page.meta), "failed" if reason else "ok", reason,
        len(documents),
    ))]
    if reason is not None:
        rows.extend(failure_rows(key, ReadFailure(page.path, reason), "page"))
    for position, (doc, found) in enumerate(zip(documents, extractions, strict=True)):
        at = (*key, position)
        rows.append(("documents", (
            *at, dedup.text_hash(doc.text), doc.role, doc.title, doc.published, doc.outlet,
            doc.author, doc.url, doc.text, _json(doc.metadata),
            _json([{"title": link.title, "url": link.url} for link in doc.links]),
            doc.start, doc.end, _iso(found.date_range[0]), _iso(found.date_range[1]),
            found.document_date.text if found.document_date else None, found.document_date_basis,
        )))
        for n, m in enumerate(found.mentions):
            rows.append(("entities", (
                *at, n, m.entity_id, m.kind, m.section, m.start, m.end, m.text, m.how,
                list(m.candidates), m.role, m.office, m.represents,
            )))
        for n, s in enumerate(found.statements):
            row = (*at, n, s.kind, s.subject, s.predicate, s.object, bool(s.negated),
                   s.quantifier, _json(s.value), s.plover, s.cameo, s.date, s.section,
                   s.span[0], s.span[1], s.sentence, _json(s.extra))
            rows.append(("statements", row))
            if s.kind == "event":
                rows.append(("events", row))
        for n, g in enumerate(found.meetings):
            rows.append(("meetings", (
                *at, n, g.body, g.ordinal, g.date, g.date_basis, g.place, g.host, g.topic,
                list(getattr(g, "absent", []) or []), g.section, g.span[0], g.span[1],
                g.sentence,
                [{"person": p.person, "name": p.name, "role": p.role, "represents": p.represents}
                 for p in g.participants],
            )))
    return rows


# --- rows -> objects (in ``blocwatch load``) -----------------------------------------


def raw_page(row: dict[str, Any]) -> RawPage:
    """The page as store_page needs it (its bytes, path, format and container metadata)."""
    return RawPage(path=row["path"], format=row["format"], raw=row["raw"],
                   meta=json.loads(row["meta"]))


def document(row: dict[str, Any]) -> Document:
    return Document(
        role=row["role"], text=row["text"], title=row["title"], published=row["published"],
        outlet=row["outlet"], author=row["author"], url=row["url"],
        metadata=json.loads(row["metadata"]),
        links=[Link(link["title"], link["url"]) for link in json.loads(row["links"])],
        start=row["start"], end=row["end"],
    )


def extraction(doc: dict[str, Any], mentions: list[dict[str, Any]],
               statements: list[dict[str, Any]], meetings: list[dict[str, Any]]) -> Extraction:
    """The Extraction a document's rows describe: what store_extraction writes, nothing less."""
    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    return Extraction(
        mentions=[Mention(
            section=m["section"], start=m["start"], end=m["end"], text=m["text"],
            entity_id=m["entity_id"], kind=m["kind"], how=m["how"],
            candidates=tuple(m["candidates"] or ()), role=m["role"], office=m["office"],
            represents=m["represents"],
        ) for m in mentions],
        dates=[],  # not stored by a local ingest either
        meetings=[Meeting(
            body=g["body"], ordinal=g["ordinal"], date=g["date"], date_basis=g["date_basis"],
            place=g["place"], host=g["host"], topic=g["topic"],
            participants=[Participant(**{f: p[f] for f in PARTICIPANT_FIELDS})
                          for p in g["participants"] or []],
            section=g["section"], span=(g["start"], g["end"]), sentence=g["sentence"],
            absent=list(g["absent"] or []),
        ) for g in meetings],
        statements=[Statement(
            kind=s["kind"], subject=s["subject"], predicate=s["predicate"], object=s["object"],
            negated=bool(s["negated"]), quantifier=s["quantifier"], value=json.loads(s["value"]),
            plover=s["plover"], cameo=s["cameo"], date=s["date"], section=s["section"],
            span=(s["start"], s["end"]), sentence=s["sentence"], extra=json.loads(s["extra"]),
        ) for s in statements],
        date_range=(day(doc["date_from"]), day(doc["date_to"])),
        document_date=parse_date(doc["document_date"]) if doc["document_date"] else None,
        document_date_basis=doc["document_date_basis"],
    )


def by_position(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """A page's fact rows grouped by document position, each group in extraction order."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["position"], []).append(row)
    for group in out.values():
        group.sort(key=lambda r: r["n"])
    return out
