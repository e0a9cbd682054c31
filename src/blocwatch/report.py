"""JSON views of what the store holds, shared by the CLI and the HTTP API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.errors import QueryError
from blocwatch.names import normalise
from blocwatch.query.members import MemberRow, MembersResult, members
from blocwatch.query.resolve import EntityRef, entity_index, resolve, resolve_one
from blocwatch.reference.model import MEMBERSHIP_STATUSES
from blocwatch.store import schema
from blocwatch.store.db import Store


def document_json(conn: Connection, document_id: int, *, role: str | None = None) -> dict[str, Any]:
    """A stored document as `analyze --json` shows it."""
    d = schema.document
    row = conn.execute(sa.select(d).where(d.c.id == document_id)).one()
    sightings = conn.execute(
        sa.select(sa.func.count()).select_from(schema.sighting)
        .where(schema.sighting.c.document_id == document_id)
    ).scalar()
    return {
        "id": row.id,
        "role": role or row.role,
        "title": row.title,
        "published": row.published,
        "outlet": row.outlet,
        "author": row.author,
        "url": row.url,
        "text": row.text,
        "metadata": row.metadata,
        "links": row.links,
        "sightings": sightings,
    }


def page_json(store: Store, page_id: int, path: str, duplicates_removed: int) -> dict[str, Any]:
    """A page with the documents found on it (main first), each with what was read in it."""
    s = schema.sighting
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.c.document_id, s.c.role).where(s.c.page_id == page_id).order_by(s.c.position)
        ).all()
        documents = [document_json(conn, r.document_id, role=r.role) for r in rows]
    for doc in documents:
        doc.update(extraction_json(store, doc["id"], published=doc["published"]))
    return {"path": path, "documents": documents, "duplicates_removed": duplicates_removed}


def statement_claim(row: Any) -> Any:
    from blocwatch.check import Claim

    return Claim(row.kind, row.subject, row.predicate, row.object, bool(row.negated),
                 row.quantifier, row.value, row.date, row.extra or {}, row.document_id, row.id)


def statement_json(store: Store, row: Any, *, published: str | None,
                   date_range: tuple[str | None, str | None],
                   event_date: str | None = None) -> dict[str, Any]:
    """A stored statement with its verdict, judged now against the store."""
    from blocwatch.check import judge

    judgement = judge(store, statement_claim(row), published=published, date_range=date_range,
                      event_date=event_date)
    return {
        "id": row.id, "kind": row.kind, "subject": row.subject, "predicate": row.predicate,
        "object": row.object, "negated": bool(row.negated), "quantifier": row.quantifier,
        "value": row.value, "plover": row.plover, "cameo": row.cameo, "date": row.date,
        "section": row.section, "span": [row.start, row.end], "sentence": row.sentence,
        **(row.extra or {}),
        "verdict": judgement.verdict, "reason": judgement.reason, "judged_at": judgement.at,
        "verdict_basis": judgement.basis, "evidence": list(judgement.evidence),
    }


def extraction_json(store: Store, document_id: int, *, published: str | None) -> dict[str, Any]:
    """Entities, meetings, statements (with verdicts) and the date range of one document."""
    from blocwatch.query.resolve import entity_index

    index = entity_index(store)
    with store.read() as conn:
        ext = conn.execute(sa.select(schema.extraction)
                           .where(schema.extraction.c.document_id == document_id)).first()
        mentions = conn.execute(sa.select(schema.mention)
                                .where(schema.mention.c.document_id == document_id)
                                .order_by(schema.mention.c.section, schema.mention.c.start)).all()
        statements = conn.execute(sa.select(schema.statement)
                                  .where(schema.statement.c.document_id == document_id)
                                  .order_by(schema.statement.c.id)).all()
        meetings = conn.execute(sa.select(schema.meeting)
                                .where(schema.meeting.c.document_id == document_id)
                                .order_by(schema.meeting.c.id)).all()
        participants = {
            m.id: conn.execute(sa.select(schema.participant)
                               .where(schema.participant.c.meeting_id == m.id)
                               .order_by(schema.participant.c.position)).all()
            for m in meetings
        }
    date_range = (ext.date_from, ext.date_to) if ext else (None, None)
    entities: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if not m.entity_id:
            continue
        ref = index.entities.get(m.entity_id)
        entry = entities.setdefault(m.entity_id, {
            "id": m.entity_id, "kind": ref.kind if ref else m.kind,
            "name": ref.name if ref else m.entity_id.removeprefix("new:"),
            **({"iso3": m.entity_id} if (ref and ref.kind == "state") else {}),
            "learned": m.entity_id.startswith("new:"), "mentions": [],
        })
        entry["mentions"].append([m.start, m.end, m.text] if m.section == "body"
                                 else [m.start, m.end, m.text, m.section])
    return {
        "entities": list(entities.values()),
        "meetings": [
            {"id": m.id, "body": m.body, "ordinal": m.ordinal, "date": m.date,
             "date_basis": m.date_basis, "place": m.place, "host": m.host, "topic": m.topic,
             "absent": m.absent, "section": m.section, "span": [m.start, m.end],
             "sentence": m.sentence,
             "participants": [{"person": p.person, "name": p.name, "role": p.role,
                               "represents": p.represents} for p in participants[m.id]]}
            for m in meetings
        ],
        "statements": [statement_json(store, r, published=published, date_range=date_range,
                                      event_date=ext.document_date if ext else None)
                       for r in statements],
        "date_range": list(date_range) if any(date_range) else None,
        "document_date": ext.document_date if ext else None,
        "document_date_basis": ext.document_date_basis if ext else None,
    }


# --- Views shared by the CLI, the HTTP API and the web UI (added for issue 6). ---

class NotFoundError(QueryError):
    """A stored item asked for by its id (a document, an entity) does not exist."""


def members_json(result: MembersResult) -> list[dict[str, Any]]:
    """`members --json`: one object per state."""
    return [row.to_json() for row in result.members]


def resolution_json(store: Store, name: str) -> dict[str, Any]:
    """`entity --json`: what NAME resolves to, with every candidate; QueryError if nothing does."""
    result = resolve(store, name)
    if not result.candidates:
        raise QueryError(f"unknown entity {name!r}: no name, alias or abbreviation matches")
    return {
        "query": name,
        "match": result.match.to_json() if result.match else None,
        "candidates": [
            {**c.entity.to_json(), "alias": c.alias, "how": c.how, "score": c.score}
            for c in result.candidates
        ],
    }


SEARCH_MIN_SUBSTRING = 3


def search(store: Store, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Entities whose name, alias or abbreviation matches TEXT: exact, then contained, then fuzzy.

    Typo-tolerant through the resolver's fuzzy match; a query of three or more
    characters also finds every alias that contains it ("Security Council").
    """
    index = entity_index(store)
    norm = normalise(text)
    if not norm:
        return []
    found: dict[str, dict[str, Any]] = {}

    def add(entity: EntityRef, alias: str, how: str, score: float) -> None:
        if entity.id not in found or found[entity.id]["score"] < score:
            found[entity.id] = {**entity.to_json(), "alias": alias, "how": how, "score": score}

    for c in index.lookup(text).candidates:  # exact matches, or else fuzzy ones
        add(c.entity, c.alias, c.how, c.score)
    if len(norm) >= SEARCH_MIN_SUBSTRING:
        for key, entries in index.by_norm.items():
            if norm in key and key != norm:
                for _, eid, alias in entries:
                    # Shorter aliases that contain the query are closer to it.
                    add(index.entities[eid], alias, "contains", 90.0 * len(norm) / len(key))
    ranked = sorted(found.values(), key=lambda r: (-r["score"], r["name"]))
    return ranked[:limit]


def entity_by_id(store: Store, entity_id: str) -> EntityRef:
    """The entity with this exact id; NotFoundError if there is none."""
    entity = entity_index(store).entities.get(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity has the id {entity_id!r}")
    return entity


def children(store: Store, parent: str, *, kind: str) -> list[EntityRef]:
    """Entities of KIND whose parent is PARENT (the bodies of an organisation), by name."""
    index = entity_index(store)
    return sorted((e for e in index.entities.values() if e.kind == kind and e.parent == parent),
                  key=lambda e: e.name)


def rules_json(store: Store, organisation: str) -> list[dict[str, Any]]:
    """An organisation's rules (admission, withdrawal, ...), each with its source."""
    r = schema.rule
    with store.read() as conn:
        rows = conn.execute(sa.select(r).where(r.c.organisation == organisation)
                            .order_by(r.c.rule, r.c.origin)).all()
    return [{"rule": row.rule, "procedure": row.procedure, "detail": row.detail,
             "origin": row.origin, "source": row.source} for row in rows]


MATRIX_MAX_COLUMNS = 40


def membership_matrix(store: Store, organisation: str,
                      years: Sequence[int] | None = None) -> dict[str, Any]:
    """States by years: each cell the status a state held in ORGANISATION that year, if any.

    Each year is asked as a year-precision date, every status counting, so a
    state that joined or left during the year is marked not certain. YEARS
    defaults to the organisation's first membership year to this year, every
    year, or every fifth year when that makes more than 40 columns.
    """
    if years is None:
        m = schema.membership
        with store.read() as conn:
            first = conn.execute(sa.select(sa.func.min(m.c.start_first))
                                 .where(m.c.organisation == organisation)).scalar()
        this_year = dt.date.today().year
        if first is None:
            years = []
        else:
            step = 1 if this_year - first.year < MATRIX_MAX_COLUMNS else 5
            years = list(range(this_year, first.year - 1, -step))[::-1]
    columns: list[dict[str, MemberRow]] = []
    names: dict[str, str] = {}
    for year in years:
        result = members(store, organisation, at=str(year), statuses=MEMBERSHIP_STATUSES)
        columns.append({row.iso3: row for row in result.members})
        names.update((row.iso3, row.name) for row in result.members)
    rows = []
    for iso3 in sorted(names, key=lambda s: names[s]):
        cells: list[dict[str, Any] | None] = []
        for column in columns:
            row = column.get(iso3)
            cells.append(None if row is None else {
                "status": row.status.get(organisation) or "", "certain": row.certain,
                "doubts": list(row.doubts)})
        rows.append({"iso3": iso3, "name": names[iso3], "cells": cells})
    return {"organisation": organisation, "years": list(years), "rows": rows}


def entities(store: Store, *, kind: str) -> list[EntityRef]:
    """Every entity of KIND (state, organisation, group, body, office, person), by name."""
    return sorted((e for e in entity_index(store).entities.values() if e.kind == kind),
                  key=lambda e: e.name)


def compare(store: Store, organisations: Sequence[str], *, at: str,
            statuses: str | Sequence[str] | None = None) -> MembersResult:
    """States by organisations on AT: the states in any of ORGANISATIONS, with each status."""
    if not organisations:
        raise QueryError("name at least one organisation to compare")
    refs = [resolve_one(store, name, kinds=("organisation",), what="organisation")
            for name in organisations]
    expr = " | ".join(dict.fromkeys(ref.id for ref in refs))
    wanted = statuses if isinstance(statuses, str) or statuses is None else list(statuses)
    return members(store, expr, at=at, statuses=wanted)


def documents_json(store: Store, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """The latest stored documents (newest first), without their text, and how many there are."""
    d, s = schema.document, schema.sighting
    seen = (sa.select(sa.func.count()).select_from(s).where(s.c.document_id == d.c.id)
            .correlate(d).scalar_subquery())
    with store.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(d)).scalar() or 0
        rows = conn.execute(
            sa.select(d.c.id, d.c.role, d.c.title, d.c.published, d.c.outlet, d.c.author,
                      d.c.url, d.c.created_at, sa.func.length(d.c.text).label("chars"),
                      seen.label("sightings"))
            .order_by(d.c.id.desc()).limit(limit).offset(offset)
        ).all()
    return {
        "total": total, "limit": limit, "offset": offset,
        "documents": [dict(row._mapping) for row in rows],
    }


def document_detail_json(store: Store, document_id: int) -> dict[str, Any]:
    """A stored document as `analyze --json` shows it, with every page it was seen on.

    Each sighting names the page and the other documents found on it (teasers
    of the main article, the main article of a teaser).
    """
    d, s, p = schema.document, schema.sighting, schema.page
    with store.read() as conn:
        if conn.execute(sa.select(d.c.id).where(d.c.id == document_id)).scalar() is None:
            raise NotFoundError(f"no document has the id {document_id}")
        out = document_json(conn, document_id)
        seen = conn.execute(
            sa.select(s.c.page_id, s.c.position, s.c.role, s.c.match, s.c.similarity,
                      p.c.path, p.c.url, p.c.ingested_at)
            .join(p, p.c.id == s.c.page_id)
            .where(s.c.document_id == document_id).order_by(s.c.page_id, s.c.position)
        ).all()
        page_ids = sorted({row.page_id for row in seen})
        neighbours: dict[int, list[dict[str, Any]]] = {pid: [] for pid in page_ids}
        if page_ids:
            for row in conn.execute(
                sa.select(s.c.page_id, s.c.document_id, s.c.role, d.c.title, d.c.published)
                .join(d, d.c.id == s.c.document_id)
                .where(s.c.page_id.in_(page_ids), s.c.document_id != document_id)
                .order_by(s.c.page_id, s.c.position)
            ):
                neighbours[row.page_id].append({
                    "id": row.document_id, "role": row.role, "title": row.title,
                    "published": row.published})
    out.update(extraction_json(store, document_id, published=out["published"]))
    out["sightings"] = [
        {"page": {"id": row.page_id, "path": row.path, "url": row.url,
                  "ingested_at": row.ingested_at},
         "position": row.position, "role": row.role, "match": row.match,
         "similarity": row.similarity, "others": neighbours[row.page_id]}
        for row in seen
    ]
    return out


# --- Meetings, mentions and co-presence pairs for the web UI (read helpers, issue 6). ---

def _names(index: Any, entity_id: str | None) -> dict[str, Any] | None:
    """An entity id as {id, name, kind, known}; None for no id."""
    if not entity_id:
        return None
    ref = index.entities.get(entity_id)
    if ref is None:
        return {"id": entity_id, "name": entity_id.removeprefix("new:"), "kind": None,
                "known": False}
    return {"id": ref.id, "name": ref.name, "kind": ref.kind, "known": True}


def _meeting_title(index: Any, row: Any) -> str:
    body = _names(index, row.body)
    name = body["name"] if body else "Meeting"
    if row.ordinal:
        rest = name[len("meeting of "):] if name.lower().startswith("meeting of ") else name
        name = f"{_ordinal(row.ordinal)} meeting of {rest}" if body else \
            f"{_ordinal(row.ordinal)} meeting"
    return name + (f", {row.date}" if row.date else "")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def meeting_json(store: Store, meeting_id: int) -> dict[str, Any]:
    """One stored meeting: its body, ordinal, date, place, host, topic, participants (with
    whom they represent), stated absences, the sentence and document it came from, and the
    other stored reports of the same meeting (same body and day, or same body and ordinal)."""
    m, p, d = schema.meeting, schema.participant, schema.document
    index = entity_index(store)
    with store.read() as conn:
        row = conn.execute(sa.select(m).where(m.c.id == meeting_id)).first()
        if row is None:
            raise NotFoundError(f"no meeting has the id {meeting_id}")
        doc = conn.execute(sa.select(d.c.id, d.c.title, d.c.role, d.c.published)
                           .where(d.c.id == row.document_id)).one()
        people = conn.execute(sa.select(p).where(p.c.meeting_id == meeting_id)
                              .order_by(p.c.position)).all()
        same: list[Any] = []
        if row.body and ((row.date and len(row.date) == 10) or row.ordinal):
            match = m.c.date == row.date if row.date and len(row.date) == 10 \
                else m.c.ordinal == row.ordinal
            same = conn.execute(
                sa.select(m.c.id, m.c.document_id, m.c.date, m.c.ordinal, m.c.sentence, d.c.title)
                .join(d, d.c.id == m.c.document_id)
                .where(m.c.body == row.body, match, m.c.id != meeting_id).order_by(m.c.id)).all()
    return {
        "id": row.id,
        "title": _meeting_title(index, row),
        "body": _names(index, row.body),
        "ordinal": row.ordinal,
        "date": row.date,
        "date_basis": row.date_basis,
        "place": row.place,
        "host": _names(index, row.host),
        "topic": row.topic,
        "absent": [_names(index, a) for a in row.absent or []],
        "section": row.section,
        "span": [row.start, row.end],
        "sentence": row.sentence,
        "document": {"id": doc.id, "title": doc.title, "role": doc.role,
                     "published": doc.published},
        "participants": [
            {"person": _names(index, r.person), "name": r.name, "role": r.role,
             "represents": _names(index, r.represents)}
            for r in people
        ],
        "also_reported": [
            {"meeting": r.id, "document": r.document_id, "title": r.title, "date": r.date,
             "sentence": r.sentence}
            for r in same
        ],
    }


def meetings_json(store: Store, *, bodies: Sequence[str] | None = None,
                  person: str | None = None, document: int | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    """Stored meetings, newest date first: of BODIES, attended by PERSON, or read in DOCUMENT.

    Each has its title, date, place, document, the number of participants and
    stated absences; with PERSON, also the role and whom the person represented.
    """
    m, p, d = schema.meeting, schema.participant, schema.document
    index = entity_index(store)
    query = sa.select(m, d.c.title.label("document_title")).join(d, d.c.id == m.c.document_id)
    if bodies is not None:
        query = query.where(m.c.body.in_(list(bodies)))
    if document is not None:
        query = query.where(m.c.document_id == document)
    if person is not None:
        query = query.where(m.c.id.in_(sa.select(p.c.meeting_id).where(p.c.person == person)))
    with store.read() as conn:
        rows = conn.execute(query.limit(limit)).all()
        ids = [r.id for r in rows]
        people: dict[int, list[Any]] = {i: [] for i in ids}
        if ids:
            for r in conn.execute(sa.select(p).where(p.c.meeting_id.in_(ids))
                                  .order_by(p.c.meeting_id, p.c.position)):
                people[r.meeting_id].append(r)
    out = []
    for r in rows:
        item: dict[str, Any] = {
            "id": r.id, "title": _meeting_title(index, r), "body": _names(index, r.body),
            "ordinal": r.ordinal, "date": r.date, "date_basis": r.date_basis, "place": r.place,
            "document": {"id": r.document_id, "title": r.document_title},
            "participants": len(people[r.id]),
            "represented": sorted({x.represents for x in people[r.id] if x.represents}),
            "absent": [_names(index, a) for a in r.absent or []],
        }
        if person is not None:
            mine = next(x for x in people[r.id] if x.person == person)
            item["as"] = {"name": mine.name, "role": mine.role,
                          "represents": _names(index, mine.represents)}
        out.append(item)
    out.sort(key=lambda x: (x["date"] or "", x["id"]), reverse=True)
    return out


def mentioning_documents(store: Store, entity_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Documents that mention ENTITY_ID, newest first, with how many times."""
    mt, d = schema.mention, schema.document
    count = sa.func.count().label("mentions")
    with store.read() as conn:
        rows = conn.execute(
            sa.select(d.c.id, d.c.title, d.c.role, d.c.published, count)
            .join(mt, mt.c.document_id == d.c.id)
            .where(mt.c.entity_id == entity_id)
            .group_by(d.c.id, d.c.title, d.c.role, d.c.published)
            .order_by(d.c.id.desc()).limit(limit)).all()
    return [dict(r._mapping) for r in rows]


def copresence_pairs(store: Store, entity_id: str) -> list[tuple[str, str]]:
    """(organisation, body) pairs worth a co-presence count on ENTITY_ID's page.

    The organisation's own bodies with meetings on record, each with every
    organisation whose officials attended or were said to be absent; and the
    bodies of others whose meetings the organisation attended or missed.
    """
    index = entity_index(store)

    def owner(eid: str | None) -> str | None:
        ref = index.entities.get(eid or "")
        if ref is None:
            return None
        if ref.kind == "organisation":
            return ref.id
        if ref.kind == "body" and ref.parent in index.entities:
            return ref.parent
        return None

    m, p = schema.meeting, schema.participant
    with store.read() as conn:
        meetings = conn.execute(sa.select(m.c.id, m.c.body, m.c.absent)
                                .where(m.c.body.is_not(None))).all()
        reps: dict[int, set[str]] = {}
        for r in conn.execute(sa.select(p.c.meeting_id, p.c.represents)
                              .where(p.c.represents.is_not(None))):
            reps.setdefault(r.meeting_id, set()).add(r.represents)
    pairs: dict[tuple[str, str], None] = {}
    for row in meetings:
        body_owner = owner(row.body)
        guests = {o for o in (owner(x) for x in reps.get(row.id, set()) | set(row.absent or []))
                  if o is not None}
        if body_owner == entity_id:
            for guest in sorted(guests):
                pairs[(guest, row.body)] = None
        elif entity_id in guests:
            pairs[(entity_id, row.body)] = None
    # Guests first: on an organisation's page, others at its bodies say more than itself.
    return sorted(pairs, key=lambda pair: (pair[1], pair[0] == entity_id, pair[0]))
