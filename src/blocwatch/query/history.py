"""The timeline of an entity: memberships and offices, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from blocwatch.query.offices import Tenure, tenures
from blocwatch.query.resolve import EntityRef, entity_index, resolve_one
from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass(frozen=True)
class HistoryResult:
    entity: EntityRef
    memberships: tuple[dict[str, Any], ...]
    tenures: tuple[Tenure, ...]
    members: tuple[dict[str, Any], ...]  # for a group: its states

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_json(),
            "memberships": list(self.memberships),
            "offices": [t.to_json() for t in self.tenures],
            "members": list(self.members),
        }


def history(store: Store, name: str) -> HistoryResult:
    """Everything dated that the store knows of the entity NAME."""
    ref = resolve_one(store, name)
    index = entity_index(store)
    m = schema.membership
    memberships: list[dict[str, Any]] = []
    group_members: list[dict[str, Any]] = []
    column = {"state": m.c.state, "organisation": m.c.organisation}.get(ref.kind)
    with store.read() as conn:
        if column is not None:
            for r in conn.execute(sa.select(m).where(column == ref.id).order_by(m.c.start_first, m.c.state)):
                state, org = index.entities.get(r.state), index.entities.get(r.organisation)
                memberships.append({
                    "state": r.state, "state_name": state.name if state else r.state,
                    "organisation": r.organisation,
                    "organisation_name": org.name if org else r.organisation,
                    "status": r.status, "start": r.start, "end": r.end,
                    "announced": r.announced, "notified": r.notified, "note": r.note,
                    "origin": r.origin, "source": r.source,
                })
        if ref.kind == "group":
            gm = schema.group_member
            for r in conn.execute(sa.select(gm).where(gm.c.group_id == ref.id).order_by(gm.c.state)):
                state = index.entities.get(r.state)
                group_members.append({"iso3": r.state, "name": state.name if state else r.state,
                                      "source": r.source})
    if ref.kind == "person":
        held = tenures(store, person=ref.id)
    elif ref.kind == "office":
        held = tenures(store, office=ref.id)
    else:
        parents = {ref.id} | {e.id for e in index.entities.values()
                              if e.kind == "body" and e.parent == ref.id}
        offices = [e.id for e in index.entities.values() if e.kind == "office" and e.parent in parents]
        held = tenures(store, offices=offices) if offices else []
    return HistoryResult(ref, tuple(memberships), tuple(held), tuple(group_members))
