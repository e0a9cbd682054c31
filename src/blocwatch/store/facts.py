"""Write what extraction found in a document, with provenance, and read it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.extract.model import Extraction
from blocwatch.names import normalise
from blocwatch.store import schema

LEARNED = "learned"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# Statements built once, executed with parameters (a list of rows where there are several).
_INSERT_EXTRACTION = sa.insert(schema.extraction)
_INSERT_MENTION = sa.insert(schema.mention)
_INSERT_STATEMENT = sa.insert(schema.statement)
_INSERT_MEETING = sa.insert(schema.meeting)
_INSERT_PARTICIPANT = sa.insert(schema.participant)
_INSERT_ENTITY = sa.insert(schema.entity)
_INSERT_ALIAS = sa.insert(schema.alias)
_KNOWN_ENTITIES = sa.select(schema.entity.c.id).where(
    schema.entity.c.id.in_(sa.bindparam("ids", expanding=True)))


def store_extraction(conn: Connection, document_id: int, extraction: Extraction) -> None:
    """Persist EXTRACTION for a newly stored document (same transaction as the document)."""
    conn.execute(_INSERT_EXTRACTION, {
        "document_id": document_id, "date_from": _iso(extraction.date_range[0]),
        "date_to": _iso(extraction.date_range[1]),
        "document_date": extraction.document_date.text if extraction.document_date else None,
        "document_date_basis": extraction.document_date_basis,
        "extracted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    })
    _learn_persons(conn, document_id, extraction)
    if extraction.mentions:
        conn.execute(_INSERT_MENTION, [
            {"document_id": document_id, "entity_id": m.entity_id, "kind": m.kind,
             "section": m.section, "start": m.start, "end": m.end, "text": m.text, "how": m.how,
             "candidates": list(m.candidates), "role": m.role, "office": m.office,
             "represents": m.represents}
            for m in extraction.mentions
        ])
    if extraction.statements:
        conn.execute(_INSERT_STATEMENT, [
            {"document_id": document_id, "kind": s.kind, "subject": s.subject,
             "predicate": s.predicate, "object": s.object, "negated": bool(s.negated),
             "quantifier": s.quantifier, "value": s.value, "plover": s.plover, "cameo": s.cameo,
             "date": s.date, "section": s.section, "start": s.span[0], "end": s.span[1],
             "sentence": s.sentence.strip(), "extra": s.extra}
            for s in extraction.statements
        ])
    for meeting in extraction.meetings:
        meeting_id = conn.execute(_INSERT_MEETING, {
            "document_id": document_id, "body": meeting.body, "ordinal": meeting.ordinal,
            "date": meeting.date, "date_basis": meeting.date_basis, "place": meeting.place,
            "host": meeting.host, "topic": meeting.topic,
            "absent": list(getattr(meeting, "absent", []) or []), "section": meeting.section,
            "start": meeting.span[0], "end": meeting.span[1], "sentence": meeting.sentence.strip(),
        }).inserted_primary_key[0]
        if meeting.participants:
            conn.execute(_INSERT_PARTICIPANT, [
                {"meeting_id": meeting_id, "position": i, "person": p.person, "name": p.name,
                 "role": p.role, "represents": p.represents}
                for i, p in enumerate(meeting.participants)
            ])


def _learn_persons(conn: Connection, document_id: int, extraction: Extraction) -> None:
    """Persons the reference base does not know become entities learned from this document."""
    new = {m.entity_id: m for m in extraction.mentions
           if m.kind == "person" and m.entity_id and m.entity_id.startswith("new:")}
    if not new:
        return
    known = set(conn.execute(_KNOWN_ENTITIES, {"ids": list(new)}).scalars())
    entities: list[dict[str, Any]] = []
    aliases: list[dict[str, Any]] = []
    for entity_id, m in new.items():
        if entity_id in known:
            continue
        name = entity_id.removeprefix("new:")
        details: dict[str, Any] = {"role": m.role, "office": m.office, "represents": m.represents,
                                   "document": document_id}
        entities.append({"id": entity_id, "kind": "person", "name": name, "parent": None,
                         "wikidata": None, "details": details, "origin": LEARNED,
                         "source": f"document:{document_id}"})
        aliases.append({"entity_id": entity_id, "alias": name, "norm": normalise(name),
                        "kind": "name", "origin": LEARNED})
    if entities:
        conn.execute(_INSERT_ENTITY, entities)
        conn.execute(_INSERT_ALIAS, aliases)
