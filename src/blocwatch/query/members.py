"""Who belonged to what on a date: membership at a date and set algebra over it.

Each state's membership of a set is three-valued: ``yes``, ``no``, or
``maybe`` when the query date falls inside an imprecise boundary (a start
written ``2005`` against a query on 2005-03-01, or a query for a whole year
during which the state joined). Union, intersection and difference follow
Kleene's logic, so an uncertain answer stays marked as uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from blocwatch.dates import PartialDate, parse_date
from blocwatch.errors import ExpressionError, QueryError, UnknownEntityError
from blocwatch.query.expression import Op, Term, parse
from blocwatch.query.resolve import EntityRef, entity_index, resolve_one
from blocwatch.reference.model import DEFAULT_STATUSES, MEMBERSHIP_STATUSES
from blocwatch.store import schema
from blocwatch.store.db import Store

NO, MAYBE, YES = 0, 1, 2
SET_KINDS = ("organisation", "group", "state")


@dataclass
class SetValue:
    """One set's answer: truth per state, status per state, reasons for doubt."""

    truth: dict[str, int] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    doubts: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberRow:
    iso3: str
    name: str
    certain: bool
    status: dict[str, str | None]
    doubts: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3, "name": self.name, "certain": self.certain,
            "status": self.status, "doubts": list(self.doubts),
        }


@dataclass(frozen=True)
class MembersResult:
    expr: str
    at: PartialDate
    statuses: tuple[str, ...]
    sets: tuple[EntityRef, ...]
    members: tuple[MemberRow, ...]
    warnings: tuple[str, ...]


def parse_statuses(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_STATUSES
    items = [s.strip() for s in text.split(",")] if isinstance(text, str) else list(text)
    items = [s for s in items if s]
    if not items:
        raise QueryError("status list is empty; e.g. full,associate")
    for s in items:
        if s not in MEMBERSHIP_STATUSES:
            raise QueryError(f"unknown status {s!r}; known: {', '.join(MEMBERSHIP_STATUSES)}")
    return tuple(dict.fromkeys(items))


_m = schema.membership
# The columns an at-date answer needs.
_ROWS_QUERY = sa.select(_m.c.organisation, _m.c.state, _m.c.status, _m.c.start, _m.c.end,
                        _m.c.start_first, _m.c.start_last, _m.c.end_first, _m.c.end_last)


def _membership_rows(store: Store) -> dict[str, list[sa.Row[Any]]]:
    """Every membership row by organisation, held in the store's cache.

    A few tens of thousands of rows even with the COW import: filtering them in
    memory costs less than one SQL round trip, and ``Store.sync``/``write`` drop
    them whenever memberships may have changed.
    """
    rows = store.cache.get("membership_rows")
    if rows is None:
        by_org: dict[str, list[sa.Row[Any]]] = {}
        with store.read() as conn:
            for row in conn.execute(_ROWS_QUERY):
                by_org.setdefault(row.organisation, []).append(row)
        rows = store.cache["membership_rows"] = by_org
    return rows  # type: ignore[return-value]


def memberships_at(store: Store, organisation: str, at: PartialDate) -> list[sa.Row[Any]]:
    """Every membership row of ORGANISATION that may hold at some day of AT."""
    return [r for r in _membership_rows(store).get(organisation, ())
            if r.start_first <= at.last and (r.end_last is None or r.end_last > at.first)]


def _covered(rows: list[sa.Row[Any]], at: PartialDate) -> bool:
    """Do the rows' certain spans [start_last, end_first) cover every day of AT?"""
    day = at.first
    for row in sorted(rows, key=lambda r: r.start_last):
        if row.start_last > day:
            return False
        if row.end_first is None:
            return True
        if row.end_first > day:
            day = row.end_first
        if day > at.last:
            return True
    return day > at.last


def _org_value(store: Store, org: EntityRef, at: PartialDate, statuses: tuple[str, ...]) -> SetValue:
    value = SetValue()
    by_state: dict[str, list[sa.Row[Any]]] = {}
    for row in memberships_at(store, org.id, at):
        by_state.setdefault(row.state, []).append(row)
    label = org.details.get("abbreviations", [org.id])[0] if org.details.get("abbreviations") else org.id
    for state, rows in by_state.items():
        if len(rows) > 1:
            rows.sort(key=lambda r: r.start_first)
        value.status[state] = rows[0].status if len(rows) == 1 else "→".join(
            dict.fromkeys(r.status for r in rows))
        counted = [r for r in rows if r.status in statuses]
        if not counted:
            value.truth[state] = NO
            continue
        if _covered(counted, at):
            value.truth[state] = YES
            continue
        value.truth[state] = MAYBE
        value.doubts[state] = [
            f"{label} {r.status} from {r.start}" + (f" to {r.end}" if r.end else "")
            + f" is not certain to cover {at}"
            for r in counted
        ]
    return value


def _group_value(store: Store, group: EntityRef) -> SetValue:
    groups = store.cache.get("group_members")
    if groups is None:
        groups = {}
        with store.read() as conn:
            gm = schema.group_member
            for group_id, state in conn.execute(sa.select(gm.c.group_id, gm.c.state)):
                groups.setdefault(group_id, []).append(state)
        store.cache["group_members"] = groups
    assert isinstance(groups, dict)
    return SetValue(truth={s: YES for s in groups.get(group.id, ())}, status={})


def _combine(symbol: str, left: SetValue, right: SetValue) -> SetValue:
    out = SetValue()
    for state in left.truth.keys() | right.truth.keys():
        a, b = left.truth.get(state, NO), right.truth.get(state, NO)
        if symbol == "|":
            truth = max(a, b)
        elif symbol == "&":
            truth = min(a, b)
        else:
            truth = min(a, YES - b)
        if truth != NO:
            out.truth[state] = truth
            doubts = left.doubts.get(state, []) + right.doubts.get(state, [])
            if truth == MAYBE and doubts:
                out.doubts[state] = doubts
    return out


def members(
    store: Store,
    expr: str,
    *,
    at: str | PartialDate,
    statuses: str | tuple[str, ...] | list[str] | None = None,
) -> MembersResult:
    """The states in EXPR on date AT, counting the given membership STATUSES."""
    when = at if isinstance(at, PartialDate) else parse_date(at, what="date")
    wanted = parse_statuses(statuses)
    store.sync()
    answers = store.cache.setdefault("members", {})
    assert isinstance(answers, dict)
    key = (expr, when, wanted)
    known = answers.get(key)
    if known is None:
        known = _members(store, expr, when, wanted)
        if len(answers) >= MAX_REMEMBERED:
            answers.pop(next(iter(answers)), None)
        answers[key] = known
    return known  # type: ignore[no-any-return]


# Answers remembered per store until entities change: a dashboard repeats a few questions.
MAX_REMEMBERED = 4096


def _members(store: Store, expr: str, when: PartialDate, wanted: tuple[str, ...]) -> MembersResult:
    program = parse(expr)
    index = entity_index(store)
    resolved: dict[str, EntityRef] = {}
    values: dict[str, SetValue] = {}
    warnings: list[str] = []
    for token in program:
        if not isinstance(token, Term) or token.name in resolved:
            continue
        try:
            ref = resolve_one(store, token.name, kinds=SET_KINDS, what="organisation or group")
        except UnknownEntityError as exc:
            hint = ""
            if "-" in token.name.strip("-"):
                hint = " (to subtract, put spaces around '-': 'CIS - CSTO')"
            raise ExpressionError(f"{exc}{hint}") from exc
        resolved[token.name] = ref
        if ref.id in values:
            continue
        if ref.kind == "organisation":
            values[ref.id] = _org_value(store, ref, when, wanted)
            warnings.extend(_existence_warning(ref, when))
        elif ref.kind == "group":
            values[ref.id] = _group_value(store, ref)
        else:
            values[ref.id] = SetValue(truth={ref.id: YES})
    stack: list[SetValue] = []
    for token in program:
        if isinstance(token, Term):
            stack.append(values[resolved[token.name].id])
        else:
            assert isinstance(token, Op)
            right, left = stack.pop(), stack.pop()
            stack.append(_combine(token.symbol, left, right))
    result = stack[0]
    sets = tuple(dict.fromkeys(resolved.values()))
    orgs = [s for s in sets if s.kind == "organisation"]
    rows = []
    for state, truth in result.truth.items():
        if truth == NO:
            continue
        ref = index.entities.get(state)
        status = {o.id: values[o.id].status.get(state) for o in orgs}
        rows.append(MemberRow(
            state, ref.name if ref else state, truth == YES, status,
            tuple(dict.fromkeys(result.doubts.get(state, []))),
        ))
    rows.sort(key=lambda r: r.name)
    return MembersResult(expr, when, wanted, sets, tuple(rows), tuple(warnings))


def _existence_warning(org: EntityRef, when: PartialDate) -> list[str]:
    founded = org.details.get("founded")
    dissolved = org.details.get("dissolved")
    name = org.details.get("abbreviations", [org.name])[0] if org.details.get("abbreviations") else org.name
    if founded and parse_date(founded).first > when.last:
        hint = f"; its predecessor is {org.details['predecessor']}" if org.details.get("predecessor") else ""
        return [f"{name} did not exist on {when} (founded {founded}){hint}"]
    if dissolved and parse_date(dissolved).last < when.first:
        hint = f"; its successor is {org.details['successor']}" if org.details.get("successor") else ""
        return [f"{name} no longer existed on {when} (dissolved {dissolved}){hint}"]
    return []
