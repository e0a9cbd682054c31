"""Write the curated reference base into a store, in one transaction.

Reference rows carry ``origin = 'reference'``. Loading again with the same
files changes nothing; ``reload`` replaces every reference row and never
touches rows of another origin (imported datasets, facts learned from
articles).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.dates import PartialDate
from blocwatch.names import normalise
from blocwatch.reference.model import Office, ReferenceBase, State
from blocwatch.store import schema
from blocwatch.store.db import Store, set_meta

ORIGIN = "reference"
DIGEST_KEY = "reference_digest"


@dataclass
class InitResult:
    action: str  # "loaded", "reloaded", "unchanged", "stale"
    counts: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.action == "unchanged":
            return "reference base already loaded; nothing changed"
        if self.action == "stale":
            return (
                "the database holds an older reference base than the bundled files; "
                "run `blocwatch init --reload` to replace it"
            )
        summary = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        return f"reference base {self.action}: {summary}"


def dated(prefix: str, value: PartialDate | None) -> dict[str, Any]:
    if value is None:
        return {prefix: None, f"{prefix}_first": None, f"{prefix}_last": None}
    return {prefix: value.text, f"{prefix}_first": value.first, f"{prefix}_last": value.last}


def _alias_rows(entity_id: str, pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    rows, seen = [], set()
    for text, kind in pairs:
        norm = normalise(text)
        if not norm or (norm, kind) in seen:
            continue
        seen.add((norm, kind))
        rows.append({"entity_id": entity_id, "alias": text, "norm": norm, "kind": kind, "origin": ORIGIN})
    return rows


def _state_names(state: State) -> list[str]:
    return [n for n in (state.name, state.official_name, *state.aliases) if n]


def office_variants(office: Office, state: State) -> list[str]:
    """Spell a state office's names with each name of its state.

    "Secretary of the Security Council of the Russian Federation" also answers
    to "... of Russia"; the longest state name found in the office name is
    the one replaced.
    """
    names = sorted(_state_names(state), key=len, reverse=True)
    variants = []
    for title in (office.name, *office.aliases):
        for found in names:
            if found in title:
                variants.extend(title.replace(found, other) for other in names if other != found)
                break
    return variants


def _entities(base: ReferenceBase) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    entities: list[dict[str, Any]] = []
    aliases: list[dict[str, str]] = []

    def add(eid: str, kind: str, name: str, parent: str | None, wikidata: str, source: str,
            details: dict[str, Any], names: Iterable[tuple[str, str]]) -> None:
        entities.append({
            "id": eid, "kind": kind, "name": name, "parent": parent or None,
            "wikidata": wikidata or None, "details": details, "origin": ORIGIN, "source": source,
        })
        aliases.extend(_alias_rows(eid, [(eid, "id"), (name, "name"), *names]))

    for s in base.states.values():
        add(s.iso3, "state", s.name, None, s.wikidata, s.source,
            {"iso2": s.iso2, "official_name": s.official_name, "un_status": s.un_status},
            [(s.official_name, "official"), *((a, "alias") for a in s.aliases),
             *((d, "demonym") for d in s.demonyms)])
    for o in base.organisations.values():
        add(o.id, "organisation", o.name, None, o.wikidata, o.source,
            {"abbreviations": list(o.abbreviations),
             "founded": o.founded.text if o.founded else None,
             "dissolved": o.dissolved.text if o.dissolved else None,
             "predecessor": o.predecessor or None, "successor": o.successor or None,
             "note": o.note},
            [*((a, "abbreviation") for a in o.abbreviations), *((a, "alias") for a in o.aliases)])
    for b in base.bodies.values():
        add(b.id, "body", b.name, b.organisation, b.wikidata, b.source, {},
            ((a, "alias") for a in b.aliases))
    for g in base.groups.values():
        add(g.id, "group", g.name, None, "", g.source, {"note": g.note},
            ((a, "alias") for a in g.aliases))
    for f in base.offices.values():
        derived = office_variants(f, base.states[f.state]) if f.state else []
        add(f.id, "office", f.name, f.organisation or f.state, f.wikidata, f.source, {},
            [*((a, "alias") for a in f.aliases), *((d, "derived") for d in derived)])
    for p in base.persons.values():
        # sorted: a set's order changes from process to process (hash seed), and the first
        # spelling of a surname wins in _alias_rows
        surnames = sorted({n.split()[-1] for n in (p.name, *p.aliases) if len(n.split()) > 1})
        add(p.id, "person", p.name, None, p.wikidata, p.source, {},
            [*((a, "alias") for a in p.aliases), *((s, "surname") for s in surnames)])
    return entities, aliases


def _fact_rows(base: ReferenceBase) -> dict[sa.Table, list[dict[str, Any]]]:
    return {
        schema.membership: [
            {"state": m.state, "organisation": m.organisation, "status": m.status,
             **dated("start", m.start), **dated("end", m.end),
             "announced": m.announced.text if m.announced else None,
             "notified": m.notified.text if m.notified else None,
             "note": m.note, "origin": ORIGIN, "source": m.source}
            for m in base.memberships
        ],
        schema.group_member: [
            {"group_id": g.group, "state": g.state, "origin": ORIGIN, "source": g.source}
            for g in base.group_members
        ],
        schema.office_holding: [
            {"office": h.office, "person": h.person, **dated("start", h.start),
             **dated("end", h.end), "acting": h.acting, "note": h.note, "origin": ORIGIN,
             "source": h.source}
            for h in base.holdings
        ],
        schema.rule: [
            {"organisation": r.organisation, "rule": r.rule, "procedure": r.procedure,
             "detail": r.detail, "origin": ORIGIN, "source": r.source}
            for r in base.rules
        ],
    }


def _replace(conn: Connection, base: ReferenceBase) -> list[str]:
    """Swap the reference rows for BASE's; return ids kept because other rows use them."""
    facts = _fact_rows(base)
    for table in (schema.alias, *facts):
        conn.execute(sa.delete(table).where(table.c.origin == ORIGIN))
    entities, aliases = _entities(base)
    existing = set(
        conn.execute(sa.select(schema.entity.c.id).where(schema.entity.c.origin == ORIGIN)).scalars()
    )
    new_ids = {e["id"] for e in entities}
    updates = [e for e in entities if e["id"] in existing]
    inserts = [e for e in entities if e["id"] not in existing]
    if updates:
        conn.execute(
            sa.update(schema.entity)
            .where(schema.entity.c.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(c) for c in ("kind", "name", "parent", "wikidata",
                                                   "details", "origin", "source")}),
            [{**e, "b_id": e["id"]} for e in updates],
        )
    if inserts:
        conn.execute(sa.insert(schema.entity), inserts)
    kept = []
    for gone in sorted(existing - new_ids):
        try:
            with conn.begin_nested():
                conn.execute(sa.delete(schema.entity).where(schema.entity.c.id == gone))
        except sa.exc.IntegrityError:
            kept.append(gone)
    conn.execute(sa.insert(schema.alias), aliases)
    for table, rows in facts.items():
        if rows:
            conn.execute(sa.insert(table), rows)
    set_meta(conn, DIGEST_KEY, base.digest)
    return kept


def load_reference_into(store: Store, base: ReferenceBase, *, reload: bool = False) -> InitResult:
    """Load BASE into STORE unless it is already there; with RELOAD, replace it."""
    current = store.get_meta(DIGEST_KEY)
    if current == base.digest and not reload:
        return InitResult("unchanged")
    if current is not None and not reload:
        return InitResult("stale")
    with store.write() as conn:
        # Another process may have loaded it while we waited for the writer lock.
        now = conn.execute(
            sa.select(schema.meta.c.value).where(schema.meta.c.key == DIGEST_KEY)
        ).scalar_one_or_none()
        if not reload and now != current:
            return InitResult("unchanged" if now == base.digest else "stale")
        kept = _replace(conn, base)
    counts = {
        "states": len(base.states),
        "organisations": len(base.organisations),
        "bodies": len(base.bodies),
        "groups": len(base.groups),
        "memberships": len(base.memberships),
        "offices": len(base.offices),
        "persons": len(base.persons),
        "office holdings": len(base.holdings),
        "rules": len(base.rules),
    }
    return InitResult("reloaded" if current is not None else "loaded", counts, kept)
