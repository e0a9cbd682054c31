"""Exports for other tools: CSV (spreadsheets), JSON-LD (linked data, Wikidata Q-ids),
GraphML (Gephi), Parquet (pandas, DuckDB).

Every format carries the same tables, each row with its origin and source:
entities, memberships, office holdings, documents, statements, meetings and
participants.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from blocwatch.errors import BlocwatchError
from blocwatch.store import schema
from blocwatch.store.db import Store

FORMATS = ("csv", "jsonld", "graphml", "parquet")
WIKIDATA = "http://www.wikidata.org/entity/"
LOCAL = "urn:blocwatch:"

TABLES: dict[str, sa.Select[Any]] = {
    "entities": sa.select(schema.entity.c.id, schema.entity.c.kind, schema.entity.c.name,
                          schema.entity.c.parent, schema.entity.c.wikidata,
                          schema.entity.c.origin, schema.entity.c.source)
    .order_by(schema.entity.c.kind, schema.entity.c.id),
    "memberships": sa.select(schema.membership.c.state, schema.membership.c.organisation,
                             schema.membership.c.status, schema.membership.c.start,
                             schema.membership.c.end, schema.membership.c.announced,
                             schema.membership.c.notified, schema.membership.c.note,
                             schema.membership.c.origin, schema.membership.c.source)
    .order_by(schema.membership.c.organisation, schema.membership.c.state,
              schema.membership.c.start_first),
    "office_holdings": sa.select(schema.office_holding.c.office, schema.office_holding.c.person,
                                 schema.office_holding.c.start, schema.office_holding.c.end,
                                 schema.office_holding.c.acting, schema.office_holding.c.note,
                                 schema.office_holding.c.origin, schema.office_holding.c.source)
    .order_by(schema.office_holding.c.office, schema.office_holding.c.start_first),
    "documents": sa.select(schema.document.c.id, schema.document.c.role, schema.document.c.title,
                           schema.document.c.published, schema.document.c.outlet,
                           schema.document.c.url, schema.document.c.text)
    .order_by(schema.document.c.id),
    "statements": sa.select(schema.statement.c.id, schema.statement.c.document_id,
                            schema.statement.c.kind, schema.statement.c.subject,
                            schema.statement.c.predicate, schema.statement.c.object,
                            schema.statement.c.negated, schema.statement.c.quantifier,
                            schema.statement.c.value, schema.statement.c.plover,
                            schema.statement.c.cameo, schema.statement.c.date,
                            schema.statement.c.section, schema.statement.c.start,
                            schema.statement.c.end, schema.statement.c.sentence)
    .order_by(schema.statement.c.id),
    "meetings": sa.select(schema.meeting.c.id, schema.meeting.c.document_id, schema.meeting.c.body,
                          schema.meeting.c.ordinal, schema.meeting.c.date, schema.meeting.c.place,
                          schema.meeting.c.host, schema.meeting.c.topic, schema.meeting.c.sentence)
    .order_by(schema.meeting.c.id),
    "participants": sa.select(schema.participant.c.meeting_id, schema.participant.c.person,
                              schema.participant.c.name, schema.participant.c.role,
                              schema.participant.c.represents)
    .order_by(schema.participant.c.meeting_id, schema.participant.c.position),
}


def rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    with store.read() as conn:
        for row in conn.execute(TABLES[table]):
            yield {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                   for k, v in row._mapping.items()}


def export(store: Store, fmt: str, out_dir: str | Path) -> list[Path]:
    """Write the store in FMT into OUT_DIR (created if needed); return the files written."""
    if fmt not in FORMATS:
        raise BlocwatchError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BlocwatchError(f"export folder {out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return {"csv": _csv, "jsonld": _jsonld, "graphml": _graphml, "parquet": _parquet}[fmt](store, out)


def _csv(store: Store, out: Path) -> list[Path]:
    written = []
    for table, select in TABLES.items():
        path = out / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c.name for c in select.selected_columns])
            writer.writeheader()
            writer.writerows(rows(store, table))
        written.append(path)
    return written


def _parquet(store: Store, out: Path) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise BlocwatchError("Parquet export needs pyarrow: pip install 'blocwatch[parquet]'") from exc
    written = []
    for table, select in TABLES.items():
        names = [c.name for c in select.selected_columns]
        data = list(rows(store, table))
        columns = {n: [r[n] if not isinstance(r[n], (dict, list)) else json.dumps(r[n])
                       for r in data] for n in names}
        for n, values in columns.items():
            kinds = {type(v) for v in values if v is not None}
            if len(kinds) > 1:  # statement values: numbers and text
                columns[n] = [None if v is None else str(v) for v in values]
        path = out / f"{table}.parquet"
        pq.write_table(pa.table(columns), path)
        written.append(path)
    return written


def _iri(entity_id: str | None, qids: dict[str, str]) -> str | None:
    if entity_id is None:
        return None
    return WIKIDATA + qids[entity_id] if entity_id in qids else LOCAL + entity_id


def _jsonld(store: Store, out: Path) -> list[Path]:
    entities = list(rows(store, "entities"))
    qids = {e["id"]: e["wikidata"] for e in entities if e["wikidata"]}
    types = {"state": "schema:Country", "organisation": "schema:Organization",
             "body": "schema:Organization", "group": "schema:Collection", "person": "schema:Person",
             "office": "schema:Role"}
    graph: list[dict[str, Any]] = []
    for e in entities:
        node = {"@id": _iri(e["id"], qids), "@type": types.get(e["kind"], "schema:Thing"),
                "schema:name": e["name"], "schema:identifier": e["id"],
                "bw:origin": e["origin"], "schema:citation": e["source"]}
        if e["wikidata"]:
            node["schema:sameAs"] = WIKIDATA + e["wikidata"]
        if e["parent"]:
            node["schema:parentOrganization"] = {"@id": _iri(e["parent"], qids)}
        graph.append(node)
    for m in rows(store, "memberships"):
        graph.append({"@type": "schema:OrganizationRole", "schema:member": {"@id": _iri(m["state"], qids)},
                      "schema:memberOf": {"@id": _iri(m["organisation"], qids)},
                      "schema:roleName": m["status"], "schema:startDate": m["start"],
                      "schema:endDate": m["end"], "bw:origin": m["origin"],
                      "schema:citation": m["source"]})
    for h in rows(store, "office_holdings"):
        graph.append({"@type": "schema:Role", "schema:agent": {"@id": _iri(h["person"], qids)},
                      "schema:roleName": {"@id": _iri(h["office"], qids)},
                      "schema:startDate": h["start"], "schema:endDate": h["end"],
                      "bw:acting": bool(h["acting"]), "schema:citation": h["source"]})
    for s in rows(store, "statements"):
        graph.append({"@id": f"{LOCAL}statement/{s['id']}", "@type": "bw:Statement",
                      "bw:kind": s["kind"], "bw:subject": {"@id": _iri(s["subject"], qids)},
                      "bw:predicate": s["predicate"],
                      "bw:object": {"@id": _iri(s["object"], qids)} if s["object"] else None,
                      "bw:negated": bool(s["negated"]), "bw:plover": s["plover"],
                      "schema:text": s["sentence"],
                      "schema:isPartOf": {"@id": f"{LOCAL}document/{s['document_id']}"}})
    doc = {"@context": {"schema": "https://schema.org/", "bw": "urn:blocwatch:vocab:",
                        "wd": WIKIDATA}, "@graph": graph}
    path = out / "blocwatch.jsonld"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]


def _graphml(store: Store, out: Path) -> list[Path]:
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [("kind", "node"), ("name", "node"), ("wikidata", "node"), ("origin", "node"),
            ("relation", "edge"), ("status", "edge"), ("start", "edge"), ("end", "edge"),
            ("source", "edge")]
    for name, domain in keys:
        ET.SubElement(root, f"{{{ns}}}key", id=name, attrib={"for": domain, "attr.name": name,
                                                               "attr.type": "string"})
    graph = ET.SubElement(root, f"{{{ns}}}graph", id="blocwatch", edgedefault="directed")

    def data(parent: ET.Element, key: str, value: Any) -> None:
        if value is not None:
            ET.SubElement(parent, f"{{{ns}}}data", key=key).text = str(value)

    ids = set()
    for e in rows(store, "entities"):
        node = ET.SubElement(graph, f"{{{ns}}}node", id=e["id"])
        ids.add(e["id"])
        for key in ("kind", "name", "wikidata", "origin"):
            data(node, key, e[key])
    count = 0

    def edge(a: str | None, b: str | None, **attrs: Any) -> None:
        nonlocal count
        if a in ids and b in ids:
            el = ET.SubElement(graph, f"{{{ns}}}edge", id=f"e{count}", source=a, target=b)
            count += 1
            for key, value in attrs.items():
                data(el, key, value)

    for m in rows(store, "memberships"):
        edge(m["state"], m["organisation"], relation="member_of", status=m["status"],
             start=m["start"], end=m["end"], source=m["source"])
    for h in rows(store, "office_holdings"):
        edge(h["person"], h["office"], relation="holds", start=h["start"], end=h["end"],
             source=h["source"])
    for m in rows(store, "meetings"):
        node_id = f"meeting:{m['id']}"
        node = ET.SubElement(graph, f"{{{ns}}}node", id=node_id)
        ids.add(node_id)
        data(node, "kind", "meeting")
        data(node, "name", f"{m['body'] or 'meeting'} {m['date'] or ''}".strip())
        edge(node_id, m["body"], relation="meeting_of")
    for p in rows(store, "participants"):
        edge(p["person"], f"meeting:{p['meeting_id']}", relation="attended")
    path = out / "blocwatch.graphml"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return [path]
