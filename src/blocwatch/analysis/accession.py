"""Could a state join an organisation? Apply its admission rule to the stances on record.

Under consensus or unanimity any member's stated veto blocks; under a
majority rule vetoes block only when they are a majority of the members.
A veto threat counts until the same actor is later on record supporting
the accession (or denying the veto).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from blocwatch.analysis.common import document_dates
from blocwatch.dates import PartialDate, parse_date, today
from blocwatch.query.members import members
from blocwatch.query.resolve import resolve_one
from blocwatch.store import schema
from blocwatch.store.db import Store

BLOCKING = {"THREATEN", "REJECT"}
LIFTING = {"SUPPORT", "AGREE", "CONCEDE", "RETREAT"}
BLOCK_ALL = {"consensus", "unanimity"}


@dataclass
class AccessionResult:
    state: str
    organisation: str
    at: str
    possible: bool | None
    rule: str | None
    rule_detail: str | None
    blocked_by: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _actor_state(conn: Any, actor: str | None, extra: dict[str, Any]) -> str | None:
    """The state behind an actor: itself if a state, else the state a person represents."""
    if actor is None:
        return None
    if extra.get("source_state"):
        return str(extra["source_state"])
    if len(actor) == 3 and actor.isupper():
        return actor
    m = schema.mention
    represents = conn.execute(
        sa.select(m.c.represents).where(m.c.entity_id == actor, m.c.represents.is_not(None)).limit(1)
    ).scalar()
    if represents and len(represents) == 3 and represents.isupper():
        return represents
    e = schema.entity
    office_parent = conn.execute(
        sa.select(e.c.parent).select_from(
            schema.office_holding.join(e, e.c.id == schema.office_holding.c.office))
        .where(schema.office_holding.c.person == actor).limit(1)
    ).scalar()
    if office_parent and len(office_parent) == 3 and office_parent.isupper():
        return office_parent
    return None


def accession(store: Store, state: str, organisation: str, *, at: str | None = None) -> AccessionResult:
    """Apply ORGANISATION's admission rule to the stances on record up to AT (default: today)."""
    st = resolve_one(store, state, kinds=("state",), what="state")
    org = resolve_one(store, organisation, kinds=("organisation",), what="organisation")
    when: PartialDate = parse_date(at, what="date") if at else today()
    name = (org.details.get("abbreviations") or [org.name])[0]
    r = schema.rule
    with store.read() as conn:
        rule = conn.execute(sa.select(r).where(r.c.organisation == org.id, r.c.rule == "admission")
                            .order_by(r.c.origin)).first()
    current = members(store, org.id, at=when).members
    member_ids = {m.iso3 for m in current}
    result = AccessionResult(st.id, org.id, when.text, None, rule.procedure if rule else None,
                             rule.detail if rule else None)
    if st.id in member_ids:
        status = next(m.status.get(org.id) for m in current if m.iso3 == st.id)
        result.possible = False
        result.message = f"{st.name} is already a member of {name} on {when} ({status})"
        return result
    stances = _stances(store, st.id, org.id, when)
    active: dict[str, dict[str, Any]] = {}
    for stance in stances:
        actor = stance["state"]
        if actor is None:
            continue
        if stance["blocks"]:
            active[actor] = stance
        elif actor in active:
            result.withdrawn.append({**active.pop(actor), "withdrawn_by": stance["evidence"]})
    blockers = sorted(a for a in active if a in member_ids)
    if rule is None:
        result.message = (f"no admission rule on record for {name}; stances on record: "
                          f"{', '.join(sorted(active)) or 'none'}")
        result.blocked_by = blockers
        result.evidence = [active[a]["evidence"] for a in blockers]
        return result
    result.blocked_by = blockers
    result.evidence = [active[a]["evidence"] for a in blockers]
    if rule.procedure in BLOCK_ALL:
        result.possible = not blockers
    elif rule.procedure in ("majority", "qualified-majority"):
        needed = 1 / 3 if rule.procedure == "qualified-majority" else 1 / 2
        result.possible = len(blockers) < needed * max(1, len(member_ids))
    else:
        result.possible = None
    if result.possible is None:
        result.message = f"{name} admits by {rule.procedure}: blocking stances cannot be weighed"
    elif blockers:
        verb = "blocks" if len(blockers) == 1 else "block"
        outcome = "not possible" if not result.possible else "still possible"
        result.message = (f"{st.name} joining {name} on {when}: {outcome} — {name} admits by "
                          f"{rule.procedure}; {', '.join(blockers)} {verb} it on record")
    else:
        result.message = (f"{st.name} joining {name} on {when}: no member's veto on record "
                          f"({name} admits by {rule.procedure})")
    return result


def _stances(store: Store, state: str, org: str, when: PartialDate) -> list[dict[str, Any]]:
    """Stances on STATE joining ORG up to WHEN, oldest first."""
    s = schema.statement
    about = f"accession:{org}"
    with store.read() as conn:
        rows = [row for row in conn.execute(
            sa.select(s).where(s.c.kind == "event", s.c.object == state).order_by(s.c.id)
        ) if (row.extra or {}).get("about") == about]
        dates = document_dates(conn, [row.document_id for row in rows])
        out = []
        for row in rows:
            date = row.date or dates.get(row.document_id, {}).get("best")
            if date and date[:10] > when.last.isoformat():
                continue
            blocks = (row.plover in BLOCKING) != bool(row.negated)
            lifts = (row.plover in LIFTING and not row.negated)
            if not blocks and not lifts:
                continue
            out.append({
                "state": _actor_state(conn, row.subject, row.extra or {}),
                "blocks": blocks,
                "date": date,
                "evidence": {"document": row.document_id, "statement": row.id,
                             "sentence": row.sentence, "span": [row.start, row.end],
                             "section": row.section, "date": date},
            })
    out.sort(key=lambda x: (x["date"] or "", x["evidence"]["statement"]))
    return out
