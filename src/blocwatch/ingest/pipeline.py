"""Ingestion: read inputs, find the documents on each page, store them without duplicates.

The per-page work, :func:`documents_of`, is a pure function of the page, so
the same code runs in one process, a pool or a Spark partition. Storing is
one transaction per page: a page lands with all its documents and
sightings, or not at all. Re-ingesting a page (same bytes) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.dates import parse_date
from blocwatch.errors import BlocwatchError, DateError
from blocwatch.ingest import dedup
from blocwatch.ingest.model import Document, Format, RawPage, ReadFailure
from blocwatch.ingest.readers import Limits, read_inputs
from blocwatch.store import schema
from blocwatch.store.db import Store

if TYPE_CHECKING:
    from blocwatch.extract.model import Extraction
    from blocwatch.extract.pipeline import Extractor

# The per-page work done elsewhere (a Spark partition): a page's documents and,
# position by position, what extraction found in each.
Prepare = Callable[[RawPage], tuple[list[Document], "Sequence[Extraction]"]]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOptions:
    format: Format | None = None
    limits: Limits = field(default_factory=Limits)
    near_threshold: float = 0.8  # estimated Jaccard similarity at which two texts are one document
    extract: bool = True  # read each new document for facts; False stores pages and documents only

    def __post_init__(self) -> None:
        if not dedup.CANDIDATE_SIMILARITY <= self.near_threshold <= 1.0:
            raise BlocwatchError(
                f"near-duplicate threshold {self.near_threshold} is outside "
                f"[{dedup.CANDIDATE_SIMILARITY}, 1.0]"
            )


@dataclass(frozen=True)
class Sighting:
    document_id: int
    role: str
    match: str  # new, exact, near
    similarity: float | None


@dataclass
class PageOutcome:
    path: str
    page_id: int
    new: bool
    sightings: list[Sighting]
    duplicates_removed: int


@dataclass
class IngestSummary:
    pages: int = 0
    pages_new: int = 0
    pages_unchanged: int = 0
    documents_stored: int = 0
    duplicates: int = 0
    failures: list[ReadFailure] = field(default_factory=list)
    outcomes: list[PageOutcome] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages, "pages_new": self.pages_new,
            "pages_unchanged": self.pages_unchanged, "documents_stored": self.documents_stored,
            "duplicates": self.duplicates,
            "failures": [{"path": f.path, "reason": f.reason} for f in self.failures],
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def documents_of(raw: RawPage) -> list[Document]:
    """The documents on one page, main first. Pure: no store, no clock."""
    meta = raw.meta
    if raw.html is not None:
        # trafilatura (lxml and friends) takes most of a second to import: only for HTML
        from blocwatch.ingest.html import extract_html

        documents = extract_html(raw.html, url=meta.get("url"), meta=meta)
    elif raw.format == "jsonl":
        # A news-API record is one article already: its fields are its own metadata.
        documents = [Document(role="main", text=(raw.text or "").strip(), title=meta.get("title"),
                              published=meta.get("published"), url=meta.get("url"))]
    else:
        from blocwatch.ingest.segment import segment_text

        documents = segment_text(raw.text or "", url=meta.get("url"))
    for doc in documents:
        _check_date(doc)
    if not documents or not any(d.text.strip() for d in documents):
        raise BlocwatchError("no article text found")
    return documents


def _check_date(doc: Document) -> None:
    """Keep a publication date only if it is a real date; keep the raw text either way."""
    if not doc.published:
        return
    text = str(doc.published)[:10]
    try:
        doc.published = parse_date(text).text
    except DateError:
        doc.metadata["published_unparsed"] = str(doc.published)
        doc.published = None


def extractor_for(store: Store) -> Extractor:
    """The store's extraction pipeline, built once from its reference snapshot."""
    from blocwatch.extract.gazetteer import Gazetteer
    from blocwatch.extract.pipeline import Extractor

    cached = store.cache.get("extractor")
    if not isinstance(cached, Extractor):
        from blocwatch.extract.statistical import load_model

        cached = Extractor(Gazetteer.from_store(store), load_model())
        store.cache["extractor"] = cached
    return cached


# Statements built once, executed with parameters: building and cache-keying a
# statement per row cost more than SQLite's insert itself.
_PAGE_BY_HASH = sa.select(schema.page.c.id).where(
    schema.page.c.content_hash == sa.bindparam("content_hash"))
_INSERT_PAGE = sa.insert(schema.page)
_INSERT_DOCUMENT = sa.insert(schema.document)
_INSERT_SIGHTING = sa.insert(schema.sighting)


def store_page(conn: Connection, raw: RawPage, documents: list[Document],
               options: IngestOptions, extractor: Extractor | None = None, *,
               extractions: Sequence[Extraction] | None = None) -> PageOutcome:
    """Write one page with its documents and sightings; the caller holds the transaction.

    EXTRACTIONS, when given, are what EXTRACTOR would find in each document
    (same positions), computed elsewhere: they are stored instead of extracting again.
    """
    content_hash = hashlib.sha256(raw.raw).hexdigest()
    existing = conn.execute(_PAGE_BY_HASH, {"content_hash": content_hash}).scalar()
    if existing is not None:
        return PageOutcome(raw.path, existing, False, [], 0)
    page_id = conn.execute(_INSERT_PAGE, {
        "content_hash": content_hash, "path": raw.path, "format": raw.format,
        "url": raw.meta.get("url"), "size": len(raw.raw), "raw": zlib.compress(raw.raw, 6),
        "meta": {k: v for k, v in raw.meta.items() if isinstance(v, str | int | float | bool)},
        "ingested_at": _now(),
    }).inserted_primary_key[0]
    sightings: list[Sighting] = []
    rows: list[dict[str, Any]] = []
    removed = 0
    seen_here: set[int] = set()
    for position, doc in enumerate(documents):
        removed += max(0, int(doc.metadata.get("repeats", 1)) - 1)
        mh = dedup.signature(doc.text)
        match = dedup.find_duplicate(conn, doc.text, mh, options.near_threshold)
        if match is None:
            doc_id = conn.execute(_INSERT_DOCUMENT, {
                "text_hash": dedup.text_hash(doc.text), "role": doc.role, "title": doc.title,
                "published": doc.published, "outlet": doc.outlet, "author": doc.author,
                "url": doc.url, "text": doc.text, "metadata": doc.metadata,
                "links": [{"title": link.title, "url": link.url} for link in doc.links],
                "minhash": dedup.to_bytes(mh), "created_at": _now(),
            }).inserted_primary_key[0]
            dedup.index_document(conn, doc_id, mh)
            found = (extractions[position] if extractions is not None
                     else extractor(doc) if extractor is not None else None)
            if found is not None:
                from blocwatch.store.facts import store_extraction

                store_extraction(conn, doc_id, found)
            sighting = Sighting(doc_id, doc.role, "new", None)
        else:
            sighting = Sighting(match.document_id, doc.role, match.how, match.similarity)
            if match.document_id in seen_here:
                removed += 1
                continue
        seen_here.add(sighting.document_id)
        rows.append({"page_id": page_id, "position": position,
                     "document_id": sighting.document_id, "role": doc.role,
                     "match": sighting.match, "similarity": sighting.similarity,
                     "start": doc.start, "end": doc.end})
        sightings.append(sighting)
    if rows:
        conn.execute(_INSERT_SIGHTING, rows)
    return PageOutcome(raw.path, page_id, True, sightings, removed)


def _record_failure(store: Store, failure: ReadFailure) -> None:
    f = schema.failure
    with store.write(keep_cache=True) as conn:
        known = conn.execute(
            sa.select(f.c.id).where(f.c.path == failure.path, f.c.reason == failure.reason)
        ).scalar()
        if known is None:
            conn.execute(sa.insert(f).values(path=failure.path, reason=failure.reason, at=_now()))


def ingest_pages(
    store: Store,
    pages: Iterable[RawPage | ReadFailure],
    *,
    options: IngestOptions,
    progress: Callable[[str], None] | None = None,
    prepare: Prepare | None = None,
) -> IngestSummary:
    """Store PAGES in order, one transaction per page.

    PREPARE, when given, replaces the per-page work (``documents_of`` and
    extraction) with results computed elsewhere; dedup and storing are the same.
    """
    summary = IngestSummary()
    extractor = extractor_for(store) if prepare is None and options.extract else None
    for item in pages:
        if progress is not None:
            progress(item.path)
        if isinstance(item, ReadFailure):
            summary.failures.append(item)
            _record_failure(store, item)
            continue
        summary.pages += 1
        extractions: Sequence[Extraction] | None = None
        try:
            if prepare is None:
                documents = documents_of(item)
            else:
                documents, extractions = prepare(item)
        except BlocwatchError as exc:
            failure = ReadFailure(item.path, str(exc))
        except RecursionError:
            failure = ReadFailure(item.path, "page too deeply nested to read")
        else:
            with store.write(keep_cache=True) as conn:
                outcome = store_page(conn, item, documents, options, extractor,
                                     extractions=extractions)
            summary.outcomes.append(outcome)
            if outcome.new:
                summary.pages_new += 1
                summary.documents_stored += sum(s.match == "new" for s in outcome.sightings)
                summary.duplicates += outcome.duplicates_removed + sum(
                    s.match != "new" for s in outcome.sightings)
            else:
                summary.pages_unchanged += 1
            continue
        summary.failures.append(failure)
        _record_failure(store, failure)
    if summary.pages_new:
        with store.write():  # learned persons are new entities: other readers must know
            pass
    return summary


def ingest(
    store: Store,
    paths: Sequence[str],
    *,
    options: IngestOptions | None = None,
    progress: Callable[[str], None] | None = None,
    stdin: BinaryIO | None = None,
) -> IngestSummary:
    """Read PATHS (files, directories, '-') and store every page found."""
    options = options or IngestOptions()
    pages = read_inputs(paths, format=options.format, limits=options.limits, stdin=stdin)
    return ingest_pages(store, pages, options=options, progress=progress)
