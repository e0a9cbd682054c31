"""Actors: the states, organisations, bodies, persons and offices a sentence can be about.

Shared by the events, quotes and quantities components: the section's actors
as token spans (:func:`section_actors`), the party an actor stands for
(:func:`party`: a person's state, an office's holder), the holder of an
office at the document's date (:func:`resolve_office`), and the vocabulary
helpers those components read their words with (:func:`load_vocab`,
:func:`inflect`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from blocwatch.extract.model import Context, Mention, Section
from blocwatch.extract.tokens import tokens

VOCAB_DIR = Path(__file__).with_name("vocab")
PERSON_FIRST = {"person": 0, "office": 1}  # on overlapping mentions, a person wins


@cache
def load_vocab(name: str) -> dict[str, Any]:
    """A component's vocabulary file, read once per process."""
    with (VOCAB_DIR / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def inflect(lemma: str) -> set[str]:
    """The regular forms of an English verb: threaten -> threatens, threatened, threatening."""
    w = lemma.lower()
    if w.endswith("ee"):
        return {w, w + "s", w + "d", w + "ing"}
    if w.endswith("e"):
        return {w, w + "s", w + "d", w[:-1] + "ing"}
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        return {w, w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    if w.endswith(("s", "sh", "ch", "x", "z", "o")):
        return {w, w + "es", w + "ed", w + "ing"}
    return {w, w + "s", w + "ed", w + "ing"}


# ---------------------------------------------------------------- actors



@cache
def _role_nouns() -> frozenset[str]:
    """Nouns of a role written before a name ("spokeswoman"), from ``vocab/events.toml``."""
    return frozenset(w.lower() for w in load_vocab("events")["words"]["role_nouns"])

@dataclass(frozen=True)
class Actor:
    """A mention that can act, mapped to the id an event or quote names."""

    id: str
    kind: str  # the mention's kind: state, organisation, body, group, person, office
    start: int  # token offsets in the section's Doc
    end: int
    mention: Mention
    state: str | None = None  # for a person: the state represented, when known


def section_actors(section: Section, ctx: Context, kinds: set[str] | None = None) -> list[Actor]:
    """The section's linked mentions as actors, without overlaps, in text order.

    Overlaps (a role mention around a name) keep the person, then the longer
    mention. An office becomes the person holding it when the document says
    who that is, otherwise the state or organisation the office belongs to.
    """
    wanted = kinds if kinds is not None else set(load_vocab("events")["words"]["actor_kinds"])
    mentions = [m for m in ctx.section_mentions(section.name)
                if m.entity_id and m.kind in wanted and 0 <= m.start < m.end <= len(section.text)]
    mentions.sort(key=lambda m: (PERSON_FIRST.get(m.kind, 2), -(m.end - m.start), m.start))
    taken = bytearray(len(section.text) + 1)
    chosen: list[Mention] = []
    for m in mentions:
        if any(taken[m.start:m.end]):
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    holders = _OfficeHolders(ctx)
    tok = tokens(section)
    out = []
    for m in chosen:
        span = tok.char_span(m.start, m.end)  # as doc.char_span(..., alignment_mode="expand")
        if span is None:
            continue
        actor = _actor(m, span, ctx, holders)
        if actor is not None:
            out.append(actor)
    return out


def _actor(m: Mention, span: tuple[int, int], ctx: Context,
           holders: _OfficeHolders) -> Actor | None:
    """The actor of mention M over tokens SPAN = [start, end)."""
    assert m.entity_id is not None
    start, end = span
    if m.kind == "office":
        person = holders.holder(m.entity_id)
        if person is not None:
            return Actor(person, "person", start, end, m, person_state(person, ctx, m))
        entity = ctx.gazetteer.entities.get(m.entity_id)
        if entity is None or entity.parent is None:
            return None
        return Actor(entity.parent, "office", start, end, m)
    state = person_state(m.entity_id, ctx, m) if m.kind == "person" else None
    return Actor(m.entity_id, m.kind, start, end, m, state)


def party(actor: Actor, ctx: Context, doc: Doc | None = None) -> str:
    """The state or organisation an actor acts for, as event coders write it.

    A person speaks for the state of their role ("Russian Foreign Ministry
    spokeswoman Maria Zakharova": Russia), else the organisation their role
    or their offices belong to ("CSTO Secretary General Stanislav Zas": the
    CSTO); a body for its organisation. Otherwise the actor itself.
    """
    entities = ctx.gazetteer.entities
    if actor.kind == "body":
        entity = entities.get(actor.id)
        parent = entities.get(entity.parent) if entity and entity.parent else None
        return parent.id if parent is not None and parent.kind == "organisation" else actor.id
    if actor.kind != "person":
        return actor.id
    rep = entities.get(actor.mention.represents) if actor.mention.represents else None
    if rep is not None and rep.kind in {"state", "organisation"}:
        return rep.id
    first, last = _document_dates(ctx)
    tenures = ctx.gazetteer.tenures_by_person.get(actor.id, ())
    if first is not None and last is not None:
        tenures = tuple(t for t in tenures if t.may_hold(first, last)) or tenures
    parents = set()
    for tenure in tenures:
        office = entities.get(tenure.office)
        parent = entities.get(office.parent) if office and office.parent else None
        if parent is not None and parent.kind in {"state", "organisation"}:
            parents.add(parent.id)
    if len(parents) == 1:
        return parents.pop()
    if actor.state:
        return actor.state
    written = _role_elsewhere(actor, ctx)
    if written is not None:
        return written
    if doc is not None:
        owner = _role_owner(actor, ctx, doc)
        if owner is not None:
            return owner
    return actor.id


def _role_elsewhere(actor: Actor, ctx: Context) -> str | None:
    """The one state or organisation the person's role stands for where the document
    names them with it ("Minister of Foreign Affairs of Belarus Vladimir Makei" first,
    plain "Vladimir Makei" after)."""
    entities = ctx.gazetteer.entities
    reps = {m.represents for m in ctx.mentions
            if m.entity_id == actor.id and m.represents and m.represents in entities
            and entities[m.represents].kind in {"state", "organisation"}}
    return reps.pop() if len(reps) == 1 else None


def _role_owner(actor: Actor, ctx: Context, doc: Doc) -> str | None:
    """'Russian Foreign Ministry spokeswoman Maria Zakharova': the state or organisation
    named in the title written right before the name (capitalised words, role nouns)."""
    roles = _role_nouns()
    section = actor.mention.section
    owners = [m for m in ctx.section_mentions(section)
              if m.entity_id and m.kind in {"state", "organisation"}]
    lo = max(actor.start - 7, doc[actor.start].sent.start)
    for k in range(actor.start - 1, lo - 1, -1):
        t = doc[k]
        if not (t.is_title or t.is_upper or t.lower_ in roles or t.text in {"-", "'s", "’s"}):
            return None
        hit = next((m.entity_id for m in owners if m.start <= t.idx < m.end), None)
        if hit is not None:
            return hit
    return None


def person_state(person: str, ctx: Context, mention: Mention | None = None) -> str | None:
    """The state a person acts for: the role's, else the one state of the offices held."""
    entities = ctx.gazetteer.entities
    if mention is not None and mention.represents:
        rep = entities.get(mention.represents)
        if rep is not None and rep.kind == "state":
            return rep.id
    states = set()
    for tenure in ctx.gazetteer.tenures_by_person.get(person, ()):
        office = entities.get(tenure.office)
        parent = entities.get(office.parent) if office and office.parent else None
        if parent is not None and parent.kind == "state":
            states.add(parent.id)
    return states.pop() if len(states) == 1 else None


class _OfficeHolders:
    """Who holds an office, as far as this document tells (memoised per call)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.memo: dict[str, str | None] = {}

    def holder(self, office: str) -> str | None:
        if office not in self.memo:
            self.memo[office] = resolve_office(office, self.ctx)
        return self.memo[office]


def resolve_office(office: str, ctx: Context) -> str | None:
    """The person an office title stands for in this document, or None.

    In order: a person mention the persons component tied to the office; a
    name in apposition to the title ("the Secretary General of NATO, Mark
    Rutte"); the one person named in the document who held the office at the
    document's date (or ever, when the date is unknown).
    """
    persons = [m for m in ctx.mentions if m.kind == "person" and m.entity_id]
    for m in persons:
        if m.office == office:
            return m.entity_id
    by_section: dict[str, list[Mention]] = defaultdict(list)
    for m in persons:
        by_section[m.section].append(m)
    texts = {s.name: s.text for s in ctx.sections}
    for m in ctx.mentions:
        if m.kind != "office" or m.entity_id != office:
            continue
        text = texts.get(m.section, "")
        for p in by_section.get(m.section, ()):
            gap = text[m.end:p.start] if p.start >= m.end else text[p.end:m.start]
            if len(gap) <= 6 and gap.strip(" ,").lower() in {"", "the"}:
                return p.entity_id
    tenures = ctx.gazetteer.tenures_by_office.get(office, ())
    named = {m.entity_id for m in persons}
    first, last = _document_dates(ctx)
    candidates = {t.person for t in tenures if t.person in named
                  and (first is None or last is None or t.may_hold(first, last))}
    if len(candidates) == 1:
        return candidates.pop()
    if first is not None and last is not None and first == last:
        at_date = {t.person for t in tenures if t.may_hold(first, last)}
        if len(at_date) == 1:
            return at_date.pop()
    return None


def _document_dates(ctx: Context) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the document may date from, as far as known."""
    if ctx.published is not None:
        return ctx.published.first, ctx.published.last
    return ctx.date_range


def actors_between(actors: list[Actor], starts: list[int], lo: int, hi: int) -> list[Actor]:
    """Actors wholly inside tokens [lo, hi), given ``starts`` = their start tokens."""
    i = bisect_left(starts, lo)
    out = []
    while i < len(actors) and actors[i].start < hi:
        if actors[i].end <= hi:
            out.append(actors[i])
        i += 1
    return out
