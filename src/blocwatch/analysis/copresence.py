"""How often officials of one organisation attend meetings of another's bodies, year by year.

A meeting reported by several documents counts once (same body and date, or
same body and ordinal). An official is present when a participant
represents the organisation or one of its bodies, or holds one of its
offices at the meeting's date; a meeting the text says the organisation
missed counts as a meeting without it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from blocwatch.dates import parse_date
from blocwatch.query.members import members
from blocwatch.query.resolve import EntityRef, entity_index, resolve_one
from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass
class YearRow:
    year: int | None
    meetings: int = 0
    with_presence: int = 0
    officials: list[str] = field(default_factory=list)
    absent: int = 0  # meetings the text says the organisation missed
    documents: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _org_ids(store: Store, org: EntityRef) -> set[str]:
    index = entity_index(store)
    return {org.id} | {e.id for e in index.entities.values() if e.kind == "body" and e.parent == org.id}


def _org_offices(store: Store, ids: set[str]) -> set[str]:
    index = entity_index(store)
    return {e.id for e in index.entities.values() if e.kind == "office" and e.parent in ids}


def _meetings(store: Store, body: str) -> list[dict[str, Any]]:
    """Meetings of BODY on record, one per real meeting."""
    m, p = schema.meeting, schema.participant
    with store.read() as conn:
        rows = conn.execute(sa.select(m).where(m.c.body == body).order_by(m.c.id)).all()
        people = defaultdict(list)
        for r in conn.execute(sa.select(p).where(p.c.meeting_id.in_([r.id for r in rows]))):
            people[r.meeting_id].append(r)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        key = ("date", r.date) if r.date and len(r.date) == 10 else ("ordinal", r.ordinal) \
            if r.ordinal else ("row", r.id)
        entry = merged.setdefault(key, {"date": r.date, "ordinal": r.ordinal, "participants": [],
                                        "absent": set(), "documents": set()})
        if r.date and (not entry["date"] or len(r.date) > len(entry["date"])):
            entry["date"] = r.date
        entry["participants"].extend(people[r.id])
        entry["absent"].update(r.absent or [])
        entry["documents"].add(r.document_id)
    return list(merged.values())


def copresence(store: Store, organisation: str, *, at_body: str) -> list[YearRow]:
    """Per year: meetings of AT_BODY on record, how many had an official of ORGANISATION, who."""
    org = resolve_one(store, organisation, kinds=("organisation",), what="organisation")
    body = resolve_one(store, at_body, kinds=("body",), what="body")
    ids = _org_ids(store, org)
    offices = _org_offices(store, ids)
    h = schema.office_holding
    years: dict[int | None, YearRow] = {}
    for meeting in _meetings(store, body.id):
        year = int(meeting["date"][:4]) if meeting["date"] else None
        row = years.setdefault(year, YearRow(year))
        row.meetings += 1
        row.documents = sorted(set(row.documents) | meeting["documents"])
        present = []
        for p in meeting["participants"]:
            if p.represents in ids:
                present.append(p.name)
            elif p.person and offices and meeting["date"]:
                day = parse_date(meeting["date"])
                with store.read() as conn:
                    holds = conn.execute(sa.select(h.c.id).where(
                        h.c.person == p.person, h.c.office.in_(offices),
                        h.c.start_first <= day.last,
                        sa.or_(h.c.end_last.is_(None), h.c.end_last > day.first))).first()
                if holds:
                    present.append(p.name)
        if present and not (ids & meeting["absent"]):
            row.with_presence += 1
            row.officials = sorted(set(row.officials) | set(present))
        elif ids & meeting["absent"]:
            row.absent += 1
    return sorted(years.values(), key=lambda r: (r.year is None, r.year or 0))


@dataclass
class OverlapYear:
    year: int
    a: int
    b: int
    both: int
    index: float  # Jaccard: both / either
    joint_meetings: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def overlap(store: Store, a: str, b: str, *, first: int = 1992, last: int | None = None,
            statuses: str | None = None) -> list[OverlapYear]:
    """Per year (on 1 July): members of A, of B, of both, the Jaccard overlap index, and
    how many meetings on record had officials of both."""
    import datetime as dt

    ra = resolve_one(store, a, kinds=("organisation",), what="organisation")
    rb = resolve_one(store, b, kinds=("organisation",), what="organisation")
    last = last or dt.date.today().year
    ids_a, ids_b = _org_ids(store, ra), _org_ids(store, rb)
    joint = _joint_meetings(store, ids_a, ids_b)
    out = []
    for year in range(first, last + 1):
        day = f"{year}-07-01"
        sa_ = {r.iso3 for r in members(store, ra.id, at=day, statuses=statuses).members}
        sb = {r.iso3 for r in members(store, rb.id, at=day, statuses=statuses).members}
        either = sa_ | sb
        out.append(OverlapYear(year, len(sa_), len(sb), len(sa_ & sb),
                               round(len(sa_ & sb) / len(either), 3) if either else 0.0,
                               joint.get(year, 0)))
    return out


def _joint_meetings(store: Store, ids_a: set[str], ids_b: set[str]) -> dict[int, int]:
    m, p = schema.meeting, schema.participant
    with store.read() as conn:
        rows = conn.execute(sa.select(m.c.id, m.c.date, p.c.represents)
                            .select_from(m.join(p, p.c.meeting_id == m.c.id))).all()
    seen: dict[int, tuple[set[str], str | None]] = {}
    for r in rows:
        reps, _ = seen.setdefault(r.id, (set(), r.date))
        if r.represents:
            reps.add(r.represents)
    counts: dict[int, int] = defaultdict(int)
    for reps, date in seen.values():
        if date and reps & ids_a and reps & ids_b:
            counts[int(date[:4])] += 1
    return counts
