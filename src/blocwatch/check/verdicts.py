"""Judge what an article claims against what the store knows, as of the claim's date.

A verdict is ``supported``, ``contradicted`` or ``unknown``, always with a
reason a person can check and the rows it rests on (with their sources).
The date judged against is the statement's own date, else the document's
publication date, else the window its office holders bound. Curated rows
decide; facts learned from other articles are used only where curated rows
are silent, and are marked as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from blocwatch.dates import PartialDate, parse_date, window
from blocwatch.errors import BlocwatchError
from blocwatch.query.members import members
from blocwatch.query.offices import holder
from blocwatch.query.resolve import EntityRef, entity_index
from blocwatch.reference.model import DEFAULT_STATUSES
from blocwatch.store import schema
from blocwatch.store.db import Store

SUPPORTED, CONTRADICTED, UNKNOWN = "supported", "contradicted", "unknown"
_PLURAL = {"event": "events", "quote": "quotes", "quantity": "quantities"}


@dataclass(frozen=True)
class Claim:
    kind: str
    subject: str | None
    predicate: str
    object: str | None = None
    negated: bool = False
    quantifier: str | None = None
    value: Any = None
    date: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    document_id: int | None = None
    statement_id: int | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: str
    reason: str
    at: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    basis: str = "curated"  # curated, learned, none

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "reason": self.reason, "at": self.at,
                "basis": self.basis, "evidence": list(self.evidence)}


def when(claim: Claim, published: str | None, date_range: tuple[str | None, str | None],
         event_date: str | None = None) -> tuple[PartialDate | None, str]:
    """The date to judge CLAIM at, and where it came from."""
    for text, basis in ((claim.date, "the statement's date"), (published, "the document's date"),
                        (event_date, "the date of the events it reports")):
        if text:
            try:
                return parse_date(text[:10]), basis
            except BlocwatchError:
                continue
    low, high = date_range
    if low or high:
        first = dt.date.fromisoformat(low) if low else dt.date(1991, 1, 1)
        last = dt.date.fromisoformat(high) - dt.timedelta(days=1) if high else dt.date.today()
        if first <= last:
            return window(first, last), "the window its office holders bound"
    return None, ""


def _name(index: Any, entity_id: str | None) -> str:
    if entity_id is None:
        return "?"
    ref: EntityRef | None = index.entities.get(entity_id)
    if ref is None:
        return entity_id
    abbreviations = ref.details.get("abbreviations") if ref.kind == "organisation" else None
    return abbreviations[0] if abbreviations else ref.name


def _rows(store: Store, state: str, org: str) -> list[dict[str, Any]]:
    m = schema.membership
    with store.read() as conn:
        return [
            {"table": "membership", "state": r.state, "organisation": r.organisation,
             "status": r.status, "start": r.start, "end": r.end, "origin": r.origin,
             "source": r.source}
            for r in conn.execute(sa.select(m).where(m.c.state == state, m.c.organisation == org)
                                  .order_by(m.c.start_first))
        ]


def _span(row: dict[str, Any]) -> str:
    return f"{row['status']} {row['start']}–{row['end'] or 'today'}"


def judge(store: Store, claim: Claim, *, published: str | None = None,
          date_range: tuple[str | None, str | None] = (None, None),
          event_date: str | None = None) -> Judgement:
    """The verdict on CLAIM, judged at its date (or the document's)."""
    at, basis = when(claim, published, date_range, event_date)
    try:
        if claim.kind == "membership":
            result = _membership(store, claim, at, basis)
        elif claim.kind == "office":
            result = _office(store, claim, at, basis)
        else:
            result = Judgement(UNKNOWN, f"the reference base does not record {_PLURAL.get(claim.kind, claim.kind)}",
                               basis="none")
    except BlocwatchError as exc:
        result = Judgement(UNKNOWN, f"cannot be checked: {exc}", basis="none")
    if result.verdict == UNKNOWN:
        learned = _learned(store, claim)
        if learned is not None:
            return learned
    return result


def _no_date(claim: Claim) -> Judgement:
    return Judgement(UNKNOWN, "no date to judge against: the article has no date and names no "
                     "office holder that bounds it", basis="none")


def _membership(store: Store, claim: Claim, at: PartialDate | None, basis: str) -> Judgement:
    index = entity_index(store)
    subject, obj = claim.subject, claim.object
    if subject is None or obj is None or subject not in index.entities or obj not in index.entities:
        return Judgement(UNKNOWN, "names something the reference base does not know", basis="none")
    if claim.predicate in ("applies_to", "considers_joining"):
        return Judgement(UNKNOWN, "intentions and applications are not in the reference base",
                         basis="none")
    if claim.predicate in ("joins", "leaves", "suspends"):
        return _change(store, claim, at)
    if at is None:
        return _no_date(claim)
    derived = basis not in ("the statement's date", "the document's date")
    when_text = f"on {at}" + (f" ({basis})" if derived else "")
    if claim.predicate == "member_count":
        return _count(store, claim, at, when_text)
    if claim.quantifier in ("all", "not_all"):
        return _universal(store, claim, at, when_text)
    if claim.predicate != "member_of":
        return Judgement(UNKNOWN, f"no rule to check {claim.predicate!r}", basis="none")
    rows = members(store, f"{obj} & {subject}", at=at).members
    truth = "yes" if rows and rows[0].certain else ("maybe" if rows else "no")
    subject_name, org_name = _name(index, subject), _name(index, obj)
    evidence = tuple(_rows(store, subject, obj)) if index.entities[obj].kind == "organisation" else ()
    record = "; ".join(_span(r) for r in evidence) or "no membership on record"
    statuses = "/".join(DEFAULT_STATUSES)
    if truth == "maybe":
        reason = f"{org_name} {when_text}: {subject_name}'s membership is not certain on every day ({record})"
        return Judgement(UNKNOWN, reason, at.text, evidence)
    member = truth == "yes"
    stated = not claim.negated
    verdict = SUPPORTED if member == stated else CONTRADICTED
    state = "a member" if member else f"not a member ({statuses})"
    reason = f"{org_name} {when_text}: {subject_name} was {state}; on record: {record}"
    return Judgement(verdict, reason, at.text, evidence)


def _count(store: Store, claim: Claim, at: PartialDate, when_text: str) -> Judgement:
    index = entity_index(store)
    org = claim.object or claim.subject or ""
    try:
        stated = int(claim.value)
    except (TypeError, ValueError):
        return Judgement(UNKNOWN, f"count {claim.value!r} is not a number", basis="none")
    rows = members(store, org, at=at).members
    uncertain = [r for r in rows if not r.certain]
    name = _name(index, org)
    if index.entities[org].kind == "group":
        total, parts = len(rows), f"{len(rows)} states"
    else:
        by_status: dict[str, list[str]] = {}
        for r in rows:
            by_status.setdefault(r.status.get(org) or "?", []).append(r.name)
        total = len(rows)
        pieces = []
        for status, names in sorted(by_status.items(), key=lambda kv: (kv[0] != "full", kv[0])):
            if status == "full" or len(names) > 3:
                pieces.append(f"{len(names)} {status} member{'s' if len(names) != 1 else ''}")
            else:
                pieces.append(f"{', '.join(names)} ({status})")
        parts = " + ".join(pieces) + f" = {total}"
    if uncertain:
        return Judgement(UNKNOWN, f"{name} {when_text}: {parts}, of which {len(uncertain)} not "
                         "certain", at.text)
    full_only = sum(1 for r in rows if r.status.get(org) == "full")
    if stated == total:
        return Judgement(SUPPORTED, f"{name} {when_text}: {parts}", at.text)
    if stated == full_only:
        return Judgement(SUPPORTED, f"{name} {when_text}: {full_only} full members ({parts}, "
                         "counting associates)", at.text)
    return Judgement(CONTRADICTED, f"{name} {when_text}: {parts}, not {stated}", at.text)


def _universal(store: Store, claim: Claim, at: PartialDate, when_text: str) -> Judgement:
    index = entity_index(store)
    a, b = claim.subject or "", claim.object or ""
    outside = members(store, f"{a} - {b}", at=at).members
    certain = [r for r in outside if r.certain]
    names = ", ".join(r.name for r in outside)
    an, bn = _name(index, a), _name(index, b)
    if outside and not certain:
        return Judgement(UNKNOWN, f"{when_text}: membership of {names} not certain", at.text)
    every = not outside
    if claim.quantifier == "all":
        verdict = SUPPORTED if every else CONTRADICTED
    else:
        verdict = CONTRADICTED if every else SUPPORTED
    detail = (f"every {an} member was a {bn} member" if every
              else f"{names} {'was' if len(outside) == 1 else 'were'} in {an} but not in {bn}")
    return Judgement(verdict, f"{when_text}: {detail}", at.text)


def _change(store: Store, claim: Claim, at: PartialDate | None) -> Judgement:
    """joins / leaves / suspends: is there a row starting or ending then?"""
    index = entity_index(store)
    rows = _rows(store, claim.subject or "", claim.object or "")
    subject_name, org_name = _name(index, claim.subject), _name(index, claim.object)
    if claim.predicate == "joins":
        events = [(r["start"], r) for r in rows if r["status"] in DEFAULT_STATUSES]
        verb = "joined"
    elif claim.predicate == "leaves":
        events = [(r["end"], r) for r in rows if r["end"]]
        verb = "left"
    else:
        events = [(r["start"], r) for r in rows if r["status"] in ("suspended", "frozen")]
        verb = "suspended or froze its membership of"
    events = [(d, r) for d, r in events if d]
    if at is not None:
        year = at.first.year
        matching = [(d, r) for d, r in events if abs(int(d[:4]) - year) <= 1]
    else:
        matching = events
    said = f"{subject_name} {verb} {org_name}"
    if claim.negated:
        return Judgement(UNKNOWN, f"a denial that {said} is not checked", basis="none")
    if matching:
        dates = ", ".join(d for d, _ in matching)
        return Judgement(SUPPORTED, f"on record: {said} on {dates}", at.text if at else None,
                         tuple(r for _, r in matching))
    if events:
        dates = ", ".join(d for d, _ in events)
        return Judgement(CONTRADICTED, f"on record: {said} on {dates}, not around {at}",
                         at.text if at else None, tuple(r for _, r in events))
    return Judgement(CONTRADICTED if rows else UNKNOWN,
                     f"no record that {said}" + ("" if rows else " (no rows for this pair)"),
                     at.text if at else None, tuple(rows))


def _office(store: Store, claim: Claim, at: PartialDate | None, basis: str) -> Judgement:
    index = entity_index(store)
    if claim.subject is None or claim.object is None or claim.object not in index.entities:
        return Judgement(UNKNOWN, "names an office the reference base does not know", basis="none")
    if at is None:
        return _no_date(claim)
    result = holder(store, claim.object, at=at)
    office = index.entities[claim.object].name
    if not result.tenures:
        return Judgement(UNKNOWN, f"no holder of {office} on record for {at}", at.text)
    evidence = tuple({"table": "office_holding", "office": t.office.id, "person": t.person.id,
                      "start": t.start, "end": t.end, "acting": t.acting, "origin": t.origin,
                      "source": t.source} for t in result.tenures)
    holders = "; ".join(f"{t.person.name}{' (acting)' if t.acting else ''} {t.start}–{t.end or 'today'}"
                        for t in result.tenures)
    match = [t for t in result.tenures if t.person.id == claim.subject]
    if match:
        note = ""
        if (claim.value == "acting") != match[0].acting:
            note = " (on record as " + ("acting" if match[0].acting else "not acting") + ")"
        verdict = SUPPORTED if match[0].certain or len(result.tenures) == 1 else UNKNOWN
        return Judgement(verdict, f"{office} on {at}: {holders}{note}", at.text, evidence)
    if claim.subject.startswith("new:"):
        return Judgement(CONTRADICTED, f"{office} on {at}: {holders}", at.text, evidence)
    if all(t.certain for t in result.tenures):
        return Judgement(CONTRADICTED, f"{office} on {at}: {holders}", at.text, evidence)
    return Judgement(UNKNOWN, f"{office} on {at}: {holders} (not certain)", at.text, evidence)


def _learned(store: Store, claim: Claim) -> Judgement | None:
    """Other articles saying the same (or the opposite): evidence, marked as learned."""
    if claim.subject is None:
        return None
    s = schema.statement
    query = (sa.select(s.c.id, s.c.document_id, s.c.negated, s.c.sentence)
             .where(s.c.kind == claim.kind, s.c.subject == claim.subject,
                    s.c.predicate == claim.predicate))
    query = query.where(s.c.object.is_(None) if claim.object is None else s.c.object == claim.object)
    if claim.document_id is not None:
        query = query.where(s.c.document_id != claim.document_id)
    with store.read() as conn:
        rows = conn.execute(query.limit(20)).all()
    if not rows:
        return None
    agree = [r for r in rows if bool(r.negated) == bool(claim.negated)]
    disagree = [r for r in rows if bool(r.negated) != bool(claim.negated)]
    evidence = tuple({"table": "statement", "statement": r.id, "document": r.document_id,
                      "origin": "learned", "sentence": r.sentence} for r in rows)
    if agree and not disagree:
        docs = ", ".join(str(r.document_id) for r in agree)
        return Judgement(SUPPORTED, f"learned from articles (not curated): also reported by "
                         f"document(s) {docs}", None, evidence, "learned")
    if disagree and not agree:
        docs = ", ".join(str(r.document_id) for r in disagree)
        return Judgement(CONTRADICTED, f"learned from articles (not curated): document(s) {docs} "
                         "say the opposite", None, evidence, "learned")
    return Judgement(UNKNOWN, f"articles disagree: {len(agree)} say the same, {len(disagree)} "
                     "the opposite (learned, not curated)", None, evidence, "learned")
