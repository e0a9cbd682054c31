"""A snapshot of the reference base that extraction reads: names, offices, tenures.

Plain data, built once per process (or per Spark executor) from a store, so
the per-page work needs no database and can be pickled to workers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass(frozen=True)
class GazEntity:
    id: str
    kind: str
    name: str
    parent: str | None
    wikidata: str | None


@dataclass(frozen=True)
class Alias:
    text: str
    entity_id: str
    kind: str  # name, official, alias, abbreviation, demonym, derived, surname, id


@dataclass(frozen=True)
class Tenure:
    office: str
    person: str
    start_first: dt.date
    start_last: dt.date
    end_first: dt.date | None
    end_last: dt.date | None
    acting: bool

    def may_hold(self, first: dt.date, last: dt.date) -> bool:
        """Could the person have held the office on some day of [first, last]?"""
        return self.start_first <= last and (self.end_last is None or self.end_last > first)


@dataclass(frozen=True)
class Gazetteer:
    entities: dict[str, GazEntity]
    aliases: tuple[Alias, ...]
    tenures: tuple[Tenure, ...]
    tenures_by_person: dict[str, tuple[Tenure, ...]] = field(default_factory=dict)
    tenures_by_office: dict[str, tuple[Tenure, ...]] = field(default_factory=dict)
    # group id -> its member states (iso3), from the reference base's group_member table
    group_members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> Gazetteer:
        cached = store.cache.get("gazetteer")
        if isinstance(cached, Gazetteer):
            return cached
        e, a, h = schema.entity, schema.alias, schema.office_holding
        gm = schema.group_member
        with store.read() as conn:
            entities = {
                r.id: GazEntity(r.id, r.kind, r.name, r.parent, r.wikidata)
                for r in conn.execute(sa.select(e.c.id, e.c.kind, e.c.name, e.c.parent, e.c.wikidata)
                                      .where(e.c.origin != "cow").order_by(e.c.id))
            }
            aliases = tuple(
                Alias(r.alias, r.entity_id, r.kind)
                for r in conn.execute(sa.select(a.c.alias, a.c.entity_id, a.c.kind)
                                      .order_by(a.c.entity_id, a.c.kind, a.c.alias))
                if r.entity_id in entities
            )
            tenures = tuple(
                Tenure(r.office, r.person, r.start_first, r.start_last, r.end_first, r.end_last,
                       bool(r.acting))
                for r in conn.execute(sa.select(h).order_by(h.c.office, h.c.start_first, h.c.id))
            )
            members: dict[str, list[str]] = defaultdict(list)
            member_rows = sa.select(gm.c.group_id, gm.c.state).order_by(gm.c.group_id, gm.c.state)
            for r in conn.execute(member_rows):
                members[r.group_id].append(r.state)
        gaz = cls.build(entities, aliases, tenures,
                        group_members={k: tuple(v) for k, v in members.items()})
        store.cache["gazetteer"] = gaz
        return gaz

    @classmethod
    def build(cls, entities: dict[str, GazEntity], aliases: tuple[Alias, ...],
              tenures: tuple[Tenure, ...], *,
              group_members: dict[str, tuple[str, ...]] | None = None) -> Gazetteer:
        by_person: dict[str, list[Tenure]] = defaultdict(list)
        by_office: dict[str, list[Tenure]] = defaultdict(list)
        for t in tenures:
            by_person[t.person].append(t)
            by_office[t.office].append(t)
        return cls(entities, aliases, tenures,
                   {k: tuple(v) for k, v in by_person.items()},
                   {k: tuple(v) for k, v in by_office.items()},
                   dict(group_members or {}))

    def of_kind(self, *kinds: str) -> list[GazEntity]:
        return [e for e in self.entities.values() if e.kind in kinds]
