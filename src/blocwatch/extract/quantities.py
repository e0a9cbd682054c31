"""Quantities: numeric claims ("around 150 tanks a month"), with who they are about.

A number (digits with separators, or words: "ten", "1.5 million") followed
by what it counts: the noun phrase after it up to its first plural noun
("infantry fighting vehicles"), or a unit that needs no plural ("5 %").
Years, days of the month, ordinals and time spans ("for three years") are
not counted claims and are skipped. Items of a list ("150 tanks, 550
infantry fighting vehicles and more than 50 artillery pieces") share the
first item's subject, verb, approximation, period and source unless they
say otherwise. The subject is a demonym inside the unit ("Russian troops")
or else the nearest actor before the number in its sentence (after it, when
none is before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span

from blocwatch.extract.events import (Actor, actors_between, inflect, load_vocab, party,
                                      section_actors)
from blocwatch.extract.model import Context, Section, Statement

DIGITS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
SUBJECT_KINDS = {"state", "organisation", "body", "person", "office"}


@cache
def _vocab() -> dict[str, Any]:
    raw = load_vocab("quantities")
    verbs: dict[str, str] = {}
    for lemma in raw["verbs"]["lemmas"]:
        for form in inflect(lemma):
            verbs[form] = lemma
    verbs.update(raw["verbs"]["irregular"])
    return {**raw, "verb_forms": verbs,
            "stops": set(raw["units"]["stops"]),
            "months": set(raw["numbers"]["months"]),
            "ordinals": set(raw["numbers"]["ordinals"])}


@dataclass
class _Number:
    start: int  # first token of the number (after any approximator and sign)
    end: int  # token after the number and its multipliers
    value: int | float
    approx: str | None = None
    approx_start: int | None = None
    unit: str | None = None
    unit_end: int = 0
    unit_state: str | None = None  # whose: "Russian troops", "CIS member states"


def find_quantities(section: Section, ctx: Context) -> list[Statement]:
    """Numeric claims in a section, one statement per number."""
    doc = section.doc
    if len(doc) == 0:
        return []
    actors = section_actors(section, ctx, SUBJECT_KINDS | {"group"})
    starts = [a.start for a in actors]
    out: list[Statement] = []
    last: tuple[int, str | None] = (-10, None)  # sentence number, subject of its last claim
    for number, sent in enumerate(doc.sents):
        in_sentence = actors_between(actors, starts, sent.start, sent.end)
        numbers = [n for n in _numbers(doc, sent, in_sentence) if n.unit is not None]
        if numbers:
            found = _statements(section, doc, sent, numbers, in_sentence, ctx)
            for st in found:
                if st.subject is None and number - last[0] <= 1:
                    st.subject = last[1]  # "Of that total, 3.5% ...": the claim goes on
                    st.extra["subject_from"] = "previous sentence"
            out.extend(found)
            if found[-1].subject is not None:
                last = (number, found[-1].subject)
    return out


# ---------------------------------------------------------------- numbers and units


def _numbers(doc: Doc, sent: Span, actors: list[Actor]) -> list[_Number]:
    """The numbers of a sentence that count something, with their units."""
    out = []
    i = sent.start
    while i < sent.end:
        found = _read_number(doc, i, sent)
        if found is None:
            i += 1
            continue
        number = found
        in_name = any(a.start <= i < a.end for a in actors)
        if not in_name and not _is_date_or_year(doc, number, sent):
            _approximation(doc, number, sent)
            _unit(doc, number, sent, actors)
            out.append(number)
        i = max(number.end, i + 1)
    return out


def _read_number(doc: Doc, i: int, sent: Span) -> _Number | None:
    """A number starting at token i: digits or words, then multipliers."""
    v = _vocab()["numbers"]
    token = doc[i]
    lower = token.lower_
    value: float
    if DIGITS.match(token.text):
        value = float(token.text.replace(",", ""))
    elif lower in v["words"] and lower not in v["not_counts"]:
        value = float(v["words"][lower])
        nxt = i + 2
        if nxt < sent.end and doc[i + 1].text == "-" and doc[nxt].lower_ in v["words"]:
            value += v["words"][doc[nxt].lower_]  # twenty-five
            i = nxt
        elif i + 1 < sent.end and doc[i + 1].text == "-":
            return None  # "five-year", "one-off": an adjective, not a count
    else:
        return None
    end = i + 1
    while end < sent.end and doc[end].lower_ in v["multipliers"]:
        value *= v["multipliers"][doc[end].lower_]
        end += 1
    return _Number(token.i, end, int(value) if value.is_integer() else value)


def _is_date_or_year(doc: Doc, n: _Number, sent: Span) -> bool:
    """'2022', '21 November', 'November 21' are dates; '5th', 'sixth' are ordinals (never read)."""
    v = _vocab()
    text = doc[n.start].text
    if n.end == n.start + 1 and re.fullmatch(r"\d{4}", text):
        if v["numbers"]["year_min"] <= int(text) <= v["numbers"]["year_max"]:
            return True
    before = doc[n.start - 1].lower_ if n.start > sent.start else ""
    after = doc[n.end].lower_ if n.end < sent.end else ""
    return before in v["months"] or after in v["months"] and after != "may"


def _approximation(doc: Doc, n: _Number, sent: Span) -> None:
    """'around 150', 'more than 50', '$ 5': words (and a sign) right before the number."""
    v = _vocab()
    k = n.start
    if k - 1 >= sent.start and doc[k - 1].text in v["units"]["signs"]:
        n.unit = v["units"]["signs"][doc[k - 1].text]
        k -= 1
    for size in (3, 2, 1):
        lo = k - size
        if lo >= sent.start:
            phrase = " ".join(t.lower_ for t in doc[lo:k])
            if phrase in v["approx"]:
                n.approx, n.approx_start = v["approx"][phrase], lo
                return


def _unit(doc: Doc, n: _Number, sent: Span, actors: list[Actor]) -> None:
    """What the number counts: an explicit unit, or the phrase after it up to a plural noun."""
    v = _vocab()["units"]
    k = n.end
    if k + 1 < sent.end and doc[k].text == "-" and not doc[k - 1].whitespace_:
        k += 1  # "a 1,340-km border": the unit joined by a hyphen
    for size in (2, 1):
        phrase = " ".join(t.lower_ for t in doc[k:k + size]) if k + size <= sent.end else ""
        if phrase in v["explicit"]:
            n.unit, n.unit_end = v["explicit"][phrase], k + size
            return
    if k > n.end:
        return  # "five-year": a hyphenated adjective, not a count
    words: list[str] = []
    owner = None
    j, stop = k, min(sent.end, k + int(v["max_tokens"]))
    while j < stop:
        t = doc[j]
        if t.is_punct or t.is_space or t.lower_ in _vocab()["stops"] or t.like_num:
            break
        actor = next((a for a in actors if a.start <= j < a.end), None)
        if actor is not None:
            if any(_plural(x.lower_) for x in doc[j:actor.end]):
                n.unit = None  # "three Baltic States": a list of names, not a count
                return
            if (not words and actor.end < stop
                    and doc[actor.end].lower_ in v["currencies"]):
                words.append(doc[j:actor.end].text)  # "US dollars": a currency, not an owner
                j = actor.end
                continue
            if not words and owner is None and actor.kind in {"state", "organisation", "body"}:
                owner = actor.id  # "Russian troops", "CIS member states": whose they are
                stop = min(sent.end, stop + actor.end - j)
                j = actor.end
                continue
        words.append(t.text)
        if _plural(t.lower_):
            unit = " ".join(words)
            if unit.lower() in v["durations"] or t.lower_ in v["party_counts"]:
                return
            n.unit, n.unit_end, n.unit_state = _casualties(doc, unit, j + 1, sent), j + 1, owner
            return
        j += 1
    if n.unit is not None:  # a currency sign: "$ 5 billion"
        n.unit_end = n.end


def _casualties(doc: Doc, unit: str, after: int, sent: Span) -> str:
    """'20 people have been killed': what is counted is deaths (or the injured)."""
    table = _vocab()["units"]["casualties"]
    if unit.split()[-1].lower() not in _vocab()["units"]["people_nouns"]:
        return unit
    for k in range(after, min(sent.end, after + 4)):
        if doc[k].lower_ in table:
            return str(table[doc[k].lower_])
    return unit


def _plural(word: str) -> bool:
    if word in _vocab()["units"]["irregular_plurals"] or word.endswith("men") and len(word) > 5:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# ---------------------------------------------------------------- statements


def _statements(section: Section, doc: Doc, sent: Span, numbers: list[_Number],
                actors: list[Actor], ctx: Context) -> list[Statement]:
    period = _period(doc, sent)
    source = _attribution(doc, sent, actors)
    fallback = None  # "trade between the member states reached ...": the bloc named before
    if _has_member_noun(doc, sent.start, numbers[0].start):
        fallback = _previous_organisation(ctx, section, doc, sent.start)
    years = [t for t in sent if re.fullmatch(r"\d{4}", t.text)
             and _vocab()["numbers"]["year_min"] <= int(t.text) <= _vocab()["numbers"]["year_max"]]
    out = []
    head: tuple[_Number, str | None, str] | None = None
    previous: _Number | None = None
    for n in numbers:
        if previous is not None and head is not None and _continues(doc, previous, n):
            first, subject, predicate = head
            if n.approx is None:
                n = replace(n, approx=first.approx)
        else:
            subject = _subject(doc, n, actors, ctx) or fallback
            predicate = _predicate(doc, n, sent, actors)
            head = (n, subject, predicate)
        subject = n.unit_state or subject
        year = min(years, key=lambda t: abs(t.i - n.start)).text if years else None
        first_tok = n.approx_start if n.approx_start is not None else n.start
        last_tok = max(n.unit_end, n.end) - 1
        out.append(Statement(
            kind="quantity", subject=subject, predicate=predicate, value=n.value,
            section=section.name,
            span=(doc[first_tok].idx, doc[last_tok].idx + len(doc[last_tok].text)),
            sentence=sent.text,
            extra={"unit": n.unit, "approx": n.approx, "period": period, "attributed_to": source,
                   "year": int(year) if year else None, "text": doc[first_tok:last_tok + 1].text},
        ))
        previous = n
    return out


def _continues(doc: Doc, previous: _Number, n: _Number) -> bool:
    """Is n the next item of the list that ``previous`` is in ('150 tanks, 550 vehicles')?"""
    start = n.approx_start if n.approx_start is not None else n.start
    gap = doc[max(previous.unit_end, previous.end):start]
    return len(gap) > 0 and all(t.lower_ in {",", "and", "or", "as", "well"} for t in gap)


def _subject(doc: Doc, n: _Number, actors: list[Actor], ctx: Context) -> str | None:
    """The nearest actor before the number in its sentence, else the first one after it
    (never one inside the unit), as the state or organisation it stands for."""
    start = n.approx_start if n.approx_start is not None else n.start
    before = [a for a in actors if a.end <= start]
    if before:
        return party(before[-1], ctx, doc)
    after = [a for a in actors if a.start >= max(n.end, n.unit_end)]
    return party(after[0], ctx, doc) if after else None


def _has_member_noun(doc: Doc, lo: int, hi: int) -> bool:
    """'Trade between the member states reached ...': the members of a bloc named before."""
    nouns = [tuple(p) for p in _vocab()["units"]["member_nouns"]]
    lowers = [t.lower_ for t in doc[lo:hi]]
    return any(tuple(lowers[k:k + len(p)]) == p for k in range(len(lowers)) for p in nouns)


def _previous_organisation(ctx: Context, section: Section, doc: Doc, tok: int) -> str | None:
    """The organisation named last before token ``tok`` in the section."""
    limit = doc[tok].idx if tok < len(doc) else len(section.text)
    orgs = [m for m in ctx.section_mentions(section.name)
            if m.entity_id and m.kind == "organisation" and m.end <= limit]
    return max(orgs, key=lambda m: m.start).entity_id if orgs else None


def _predicate(doc: Doc, n: _Number, sent: Span, actors: list[Actor]) -> str:
    """The verb the number goes with: before it back to the subject, else right after the unit."""
    forms = _vocab()["verb_forms"]
    start = n.approx_start if n.approx_start is not None else n.start
    floor = max([a.end for a in actors if a.end <= start], default=sent.start)
    for k in range(start - 1, floor - 1, -1):
        if doc[k].lower_ in forms:
            return forms[doc[k].lower_]
    for k in range(max(n.unit_end, n.end), min(sent.end, max(n.unit_end, n.end) + 3)):
        if doc[k].lower_ in forms:
            return forms[doc[k].lower_]
    return "count"


def _period(doc: Doc, sent: Span) -> str | None:
    """'each month', 'a year', 'annually' anywhere in the sentence."""
    table = _vocab()["period"]
    lowers = [t.lower_ for t in sent]
    for i in range(len(lowers)):
        for size in (2, 1):
            phrase = " ".join(lowers[i:i + size])
            if len(lowers[i:i + size]) == size and phrase in table:
                return table[phrase]
    return None


def _attribution(doc: Doc, sent: Span, actors: list[Actor]) -> str | None:
    """'according to new estimates from the Kiel Institute for the World Economy' -> its name."""
    v = _vocab()["attribution"]
    openers = [tuple(p) for p in v["openers"]]
    fillers, joiners = set(v["fillers"]), set(v["name_joiners"])
    lowers = [t.lower_ for t in sent]
    for i in range(len(lowers)):
        for opener in openers:
            if tuple(lowers[i:i + len(opener)]) != opener:
                continue
            k = sent.start + i + len(opener)
            while k < sent.end and doc[k].lower_ in fillers and not doc[k].is_title:
                k += 1
            actor = next((a for a in actors if a.start == k or a.start == k + 1), None)
            if actor is not None:
                return actor.id
            name = _name_at(doc, k, sent.end, joiners)
            if name:
                return name
    return None


def _name_at(doc: Doc, k: int, end: int, joiners: set[str]) -> str | None:
    """A run of capitalised words from token k, lower-case joiners allowed inside it."""
    if k < end and doc[k].lower_ == "the":
        k += 1
    last = None
    j = k
    while j < end:
        t = doc[j]
        if t.is_title or t.is_upper and t.is_alpha:
            last = j
        elif t.lower_ not in joiners:
            break
        j += 1
    return doc[k:last + 1].text if last is not None else None
