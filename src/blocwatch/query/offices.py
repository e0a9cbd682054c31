"""Who held an office on a date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from blocwatch.dates import PartialDate, parse_date
from blocwatch.query.resolve import EntityRef, entity_index, resolve_one
from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass(frozen=True)
class Tenure:
    office: EntityRef
    person: EntityRef
    start: str
    end: str | None
    acting: bool
    certain: bool
    note: str
    origin: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "office": {"id": self.office.id, "name": self.office.name},
            "person": {"id": self.person.id, "name": self.person.name,
                       "wikidata": self.person.wikidata},
            "acting": self.acting, "start": self.start, "end": self.end,
            "certain": self.certain, "note": self.note, "origin": self.origin,
            "source": self.source,
        }


@dataclass(frozen=True)
class HolderResult:
    office: EntityRef
    at: PartialDate
    tenures: tuple[Tenure, ...]  # principal first: certain, then not acting

    def to_json(self) -> dict[str, Any]:
        main = self.tenures[0] if self.tenures else None
        return {
            "office": {"id": self.office.id, "name": self.office.name},
            "at": self.at.text,
            "person": main.to_json()["person"] if main else None,
            "acting": main.acting if main else False,
            "start": main.start if main else None,
            "end": main.end if main else None,
            "certain": main.certain if main else True,
            "source": main.source if main else None,
            "note": main.note if main else None,
            "also": [t.to_json() for t in self.tenures[1:]],
        }


def tenures(store: Store, *, office: str | None = None, person: str | None = None,
            offices: list[str] | None = None) -> list[Tenure]:
    """Tenures of an office, of a person, or of a list of offices, oldest first."""
    h = schema.office_holding
    query = sa.select(h).order_by(h.c.start_first)
    if office is not None:
        query = query.where(h.c.office == office)
    if person is not None:
        query = query.where(h.c.person == person)
    if offices is not None:
        query = query.where(h.c.office.in_(offices))
    index = entity_index(store)
    with store.read() as conn:
        return [
            Tenure(index.entities[r.office], index.entities[r.person], r.start, r.end,
                   bool(r.acting), True, r.note, r.origin, r.source)
            for r in conn.execute(query)
        ]


def holder(store: Store, office: str, *, at: str | PartialDate) -> HolderResult:
    """Who held OFFICE (an id or a name as people write it) on AT."""
    when = at if isinstance(at, PartialDate) else parse_date(at, what="date")
    ref = resolve_one(store, office, kinds=("office",), what="office")
    h = schema.office_holding
    query = (
        sa.select(h)
        .where(h.c.office == ref.id)
        .where(h.c.start_first <= when.last)
        .where(sa.or_(h.c.end_last.is_(None), h.c.end_last > when.first))
    )
    index = entity_index(store)
    found = []
    with store.read() as conn:
        for r in conn.execute(query):
            certain = r.start_last <= when.first and (r.end_first is None or r.end_first > when.last)
            found.append(Tenure(ref, index.entities[r.person], r.start, r.end, bool(r.acting),
                                certain, r.note, r.origin, r.source))
    found.sort(key=lambda t: (not t.certain, t.acting, t.start))
    return HolderResult(ref, when, tuple(found))
