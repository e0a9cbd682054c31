"""Resolve what people write ("Nato", "ODKB", "Kyrgyz Republic", "N. Patrushev") to entities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from blocwatch.errors import UnknownEntityError
from blocwatch.names import normalise
from blocwatch.store import schema
from blocwatch.store.db import Store

# Which kind of alias wins when one text names several entities.
ALIAS_PRIORITY = {
    "id": 0, "name": 1, "abbreviation": 2, "official": 3, "alias": 4, "derived": 5, "demonym": 6,
    "surname": 7,
}
FUZZY_CUTOFF = 80.0


@dataclass(frozen=True)
class EntityRef:
    id: str
    kind: str
    name: str
    parent: str | None
    wikidata: str | None
    origin: str
    source: str
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        if self.kind == "state":
            out["iso3"] = self.id
        if self.parent:
            out["parent"] = self.parent
        out["wikidata"] = self.wikidata
        out["origin"] = self.origin
        out["source"] = self.source
        return out


@dataclass(frozen=True)
class Candidate:
    entity: EntityRef
    alias: str
    how: str  # "exact" or "fuzzy"
    score: float


@dataclass(frozen=True)
class Resolution:
    query: str
    match: EntityRef | None
    candidates: tuple[Candidate, ...]


class EntityIndex:
    """All entities and aliases of a store, in memory: lookups cost a dict access."""

    def __init__(self, store: Store) -> None:
        with store.read() as conn:
            self.entities = {
                row.id: EntityRef(row.id, row.kind, row.name, row.parent, row.wikidata,
                                  row.origin, row.source, row.details or {})
                for row in conn.execute(sa.select(schema.entity))
            }
            by_norm: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
            for row in conn.execute(sa.select(schema.alias)):
                by_norm[row.norm].append((ALIAS_PRIORITY.get(row.kind, 9), row.entity_id, row.alias))
        self.by_norm = {k: sorted(v) for k, v in by_norm.items()}
        self.norms = list(self.by_norm)

    def lookup(self, text: str, kinds: tuple[str, ...] | None = None) -> Resolution:
        norm = normalise(text)
        exact = [
            (prio, eid, alias) for prio, eid, alias in self.by_norm.get(norm, [])
            if kinds is None or self.entities[eid].kind in kinds
        ]
        if exact:
            best = exact[0][0]
            seen: dict[str, Candidate] = {}
            for prio, eid, alias in exact:
                seen.setdefault(eid, Candidate(self.entities[eid], alias, "exact", 100.0 - prio))
            top = {eid for prio, eid, _ in exact if prio == best}
            match = self.entities[next(iter(top))] if len(top) == 1 else None
            return Resolution(text, match, tuple(seen.values()))
        return Resolution(text, None, self._fuzzy(norm, kinds))

    def _fuzzy(self, norm: str, kinds: tuple[str, ...] | None) -> tuple[Candidate, ...]:
        if not norm:
            return ()
        found: dict[str, Candidate] = {}
        for key, score, _ in process.extract(
            norm, self.norms, scorer=fuzz.token_sort_ratio, limit=40, score_cutoff=FUZZY_CUTOFF
        ):
            for _, eid, alias in self.by_norm[key]:
                entity = self.entities[eid]
                if kinds is not None and entity.kind not in kinds:
                    continue
                if eid not in found or found[eid].score < score:
                    found[eid] = Candidate(entity, alias, "fuzzy", float(score))
        return tuple(sorted(found.values(), key=lambda c: -c.score)[:10])


def entity_index(store: Store) -> EntityIndex:
    """The store's cached index; rebuilt after writes that change entities."""
    index = store.cache.get("entity_index")
    if index is None:
        index = store.cache["entity_index"] = EntityIndex(store)
    return index


def resolve(store: Store, text: str, *, kinds: tuple[str, ...] | None = None) -> Resolution:
    return entity_index(store).lookup(text, kinds)


def resolve_one(
    store: Store, text: str, *, kinds: tuple[str, ...] | None = None, what: str = "entity"
) -> EntityRef:
    """The one entity TEXT names, or UnknownEntityError naming the text and the candidates."""
    result = resolve(store, text, kinds=kinds)
    if result.match is not None:
        return result.match
    names = ", ".join(f"{c.entity.id} ({c.entity.name})" for c in result.candidates[:5])
    if result.candidates and result.candidates[0].how == "exact":
        raise UnknownEntityError(f"{what} {text!r} is ambiguous: it may be {names}")
    if result.candidates:
        raise UnknownEntityError(f"unknown {what} {text!r}; did you mean {names}?")
    raise UnknownEntityError(f"unknown {what} {text!r}")
