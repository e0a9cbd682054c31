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
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache
from itertools import compress
from typing import Any

from spacy.tokens import Doc

from blocwatch.extract.actors import (
    Actor,
    actors_between,
    inflect,
    load_vocab,
    party,
    section_actors,
)
from blocwatch.extract.model import Context, Section, Statement
from blocwatch.extract.tokens import Bounds, Tokens, tokens

DIGITS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
DIGIT_RUN = re.compile(r"\d+")  # a token DIGITS matches starts inside one
YEAR = re.compile(r"\d{4}")
SUBJECT_KINDS = {"state", "organisation", "body", "person", "office"}


@cache
def _vocab() -> dict[str, Any]:
    raw = load_vocab("quantities")
    verbs: dict[str, str] = {}
    for lemma in raw["verbs"]["lemmas"]:
        for form in inflect(lemma):
            verbs[form] = lemma
    verbs.update(raw["verbs"]["irregular"])
    member_nouns = [tuple(p) for p in raw["units"]["member_nouns"]]
    openers = [tuple(p) for p in raw["attribution"]["openers"]]
    numbers = raw["numbers"]
    # what a word must be for "<word> <next word>" to be a period phrase
    period_firsts = {p[:i] for p in raw["period"] for i, ch in enumerate(p) if ch == " "}
    return {**raw, "verb_forms": verbs,
            "counting_words": {w for w in numbers["words"] if w not in numbers["not_counts"]},
            "period_firsts": period_firsts, "period_words": set(raw["period"]) | period_firsts,
            "member_nouns": member_nouns, "member_firsts": {p[0] for p in member_nouns},
            # every ending of an approximation phrase: the word before a number must be one
            "approx_endings": {p[i:] for p in raw["approx"] for i in range(len(p))},
            "openers": openers, "opener_firsts": {p[0] for p in openers},
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
    tok = tokens(section)
    firsts = _number_starts(tok)
    if not firsts:
        return []  # no number in the section
    actors = section_actors(section, ctx, SUBJECT_KINDS | {"group"})
    starts = [a.start for a in actors]
    out: list[Statement] = []
    last: tuple[int, str | None] = (-10, None)  # sentence number, subject of its last claim
    for number, (start, end) in enumerate(tok.sents):
        candidates = firsts[bisect_left(firsts, start):bisect_left(firsts, end)]
        if not candidates:
            continue  # no number in the sentence
        sent = Bounds(start, end)
        in_sentence = actors_between(actors, starts, start, end)
        numbers = [n for n in _numbers(doc, tok, sent, candidates, in_sentence)
                   if n.unit is not None]
        if numbers:
            found = _statements(section, doc, tok, sent, numbers, candidates, in_sentence, ctx)
            for st in found:
                if st.subject is None and number - last[0] <= 1:
                    st.subject = last[1]  # "Of that total, 3.5% ...": the claim goes on
                    st.extra["subject_from"] = "previous sentence"
            out.extend(found)
            if found[-1].subject is not None:
                last = (number, found[-1].subject)
    return out


# ---------------------------------------------------------------- numbers and units


def _number_starts(tok: Tokens) -> list[int]:
    """The tokens a number can start at: digits, or a number word that counts."""
    idx, text, size = tok.idx, tok.text, len(tok.idx)
    digits = []
    for run in DIGIT_RUN.finditer(tok.section_text):  # the tokens starting in a run of digits
        k, end = bisect_left(idx, run.start()), run.end()
        while k < size and idx[k] < end:
            if DIGITS.match(text[k]):
                digits.append(k)
            k += 1
    words = tok.where(_vocab()["counting_words"])
    return sorted(set(digits).union(words)) if words else digits  # DIGITS in text order


def _numbers(doc: Doc, tok: Tokens, sent: Bounds, candidates: list[int],
             actors: list[Actor]) -> list[_Number]:
    """The numbers of a sentence that count something, with their units; CANDIDATES are
    the sentence's tokens a number can start at (see :func:`_number_starts`)."""
    out = []
    resume = sent.start  # a number read goes up to here
    for i in candidates:
        if i < resume:
            continue
        number = _read_number(tok, i, sent)
        if number is None:
            continue
        in_name = any(a.start <= i < a.end for a in actors)
        if not in_name and not _is_date_or_year(tok, number, sent):
            _approximation(tok, number, sent)
            _unit(tok, number, sent, actors)
            out.append(number)
        resume = max(number.end, i + 1)
    return out


def _read_number(tok: Tokens, i: int, sent: Bounds) -> _Number | None:
    """A number starting at token i: digits or words, then multipliers."""
    v = _vocab()["numbers"]
    first, text, lower = i, tok.text[i], tok.lower[i]
    value: float
    if DIGITS.match(text):
        value = float(text.replace(",", ""))
    elif lower in v["words"] and lower not in v["not_counts"]:
        value = float(v["words"][lower])
        nxt = i + 2
        if nxt < sent.end and tok.text[i + 1] == "-" and tok.lower[nxt] in v["words"]:
            value += v["words"][tok.lower[nxt]]  # twenty-five
            i = nxt
        elif i + 1 < sent.end and tok.text[i + 1] == "-":
            return None  # "five-year", "one-off": an adjective, not a count
    else:
        return None
    end = i + 1
    while end < sent.end and tok.lower[end] in v["multipliers"]:
        value *= v["multipliers"][tok.lower[end]]
        end += 1
    return _Number(first, end, int(value) if value.is_integer() else value)


def _is_date_or_year(tok: Tokens, n: _Number, sent: Bounds) -> bool:
    """'2022', '21 November', 'November 21' are dates; '5th', 'sixth' are ordinals (never read)."""
    v = _vocab()
    text = tok.text[n.start]
    if n.end == n.start + 1 and YEAR.fullmatch(text):
        if v["numbers"]["year_min"] <= int(text) <= v["numbers"]["year_max"]:
            return True
    before = tok.lower[n.start - 1] if n.start > sent.start else ""
    after = tok.lower[n.end] if n.end < sent.end else ""
    return before in v["months"] or after in v["months"] and after != "may"


def _approximation(tok: Tokens, n: _Number, sent: Bounds) -> None:
    """'around 150', 'more than 50', '$ 5': words (and a sign) right before the number."""
    v = _vocab()
    k = n.start
    if k - 1 >= sent.start and tok.text[k - 1] in v["units"]["signs"]:
        n.unit = v["units"]["signs"][tok.text[k - 1]]
        k -= 1
    if k - 1 < sent.start or tok.lower[k - 1] not in v["approx_endings"]:
        return  # no approximation phrase ends right before the number
    for size in (3, 2, 1):
        lo = k - size
        if lo >= sent.start:
            phrase = " ".join(tok.lower[lo:k])
            if phrase in v["approx"]:
                n.approx, n.approx_start = v["approx"][phrase], lo
                return


def _unit(tok: Tokens, n: _Number, sent: Bounds, actors: list[Actor]) -> None:
    """What the number counts: an explicit unit, or the phrase after it up to a plural noun."""
    v = _vocab()["units"]
    k = n.end
    if k + 1 < sent.end and tok.text[k] == "-" and not tok.space[k - 1]:
        k += 1  # "a 1,340-km border": the unit joined by a hyphen
    for size in (2, 1):
        phrase = " ".join(tok.lower[k:k + size]) if k + size <= sent.end else ""
        if phrase in v["explicit"]:
            n.unit, n.unit_end = v["explicit"][phrase], k + size
            return
    if k > n.end:
        return  # "five-year": a hyphenated adjective, not a count
    words: list[str] = []
    owner = None
    j, stop = k, min(sent.end, k + int(v["max_tokens"]))
    stops = _vocab()["stops"]
    while j < stop:
        if tok.blank[j] or tok.lower[j] in stops:
            break
        t = tok.doc[j]
        if t.is_punct or t.like_num:
            break
        actor = next((a for a in actors if a.start <= j < a.end), None)
        if actor is not None:
            if any(_plural(x) for x in tok.lower[j:actor.end]):
                n.unit = None  # "three Baltic States": a list of names, not a count
                return
            if (not words and actor.end < stop
                    and tok.lower[actor.end] in v["currencies"]):
                words.append(tok.span_text(j, actor.end))  # "US dollars": a currency, not an owner
                j = actor.end
                continue
            if not words and owner is None and actor.kind in {"state", "organisation", "body"}:
                owner = actor.id  # "Russian troops", "CIS member states": whose they are
                stop = min(sent.end, stop + actor.end - j)
                j = actor.end
                continue
        words.append(tok.text[j])
        if _plural(tok.lower[j]):
            unit = " ".join(words)
            if unit.lower() in v["durations"] or tok.lower[j] in v["party_counts"]:
                return
            n.unit, n.unit_end, n.unit_state = _casualties(tok, unit, j + 1, sent), j + 1, owner
            return
        j += 1
    if n.unit is not None:  # a currency sign: "$ 5 billion"
        n.unit_end = n.end


def _casualties(tok: Tokens, unit: str, after: int, sent: Bounds) -> str:
    """'20 people have been killed': what is counted is deaths (or the injured)."""
    table = _vocab()["units"]["casualties"]
    if unit.split()[-1].lower() not in _vocab()["units"]["people_nouns"]:
        return unit
    for k in range(after, min(sent.end, after + 4)):
        if tok.lower[k] in table:
            return str(table[tok.lower[k]])
    return unit


def _plural(word: str) -> bool:
    if word in _vocab()["units"]["irregular_plurals"] or word.endswith("men") and len(word) > 5:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# ---------------------------------------------------------------- statements


def _statements(section: Section, doc: Doc, tok: Tokens, sent: Bounds, numbers: list[_Number],
                candidates: list[int], actors: list[Actor], ctx: Context) -> list[Statement]:
    """The statements of a sentence's NUMBERS; CANDIDATES are the sentence's tokens a
    number can start at (a year is one)."""
    period = _period(tok, sent)
    source = _attribution(doc, tok, sent, actors)
    fallback = None  # "trade between the member states reached ...": the bloc named before
    if _has_member_noun(tok, sent.start, numbers[0].start):
        fallback = _previous_organisation(ctx, section, doc, sent.start)
    year_min, year_max = _vocab()["numbers"]["year_min"], _vocab()["numbers"]["year_max"]
    years = [k for k in candidates if YEAR.fullmatch(tok.text[k])
             and year_min <= int(tok.text[k]) <= year_max]
    out = []
    head: tuple[_Number, str | None, str] | None = None
    previous: _Number | None = None
    for n in numbers:
        if previous is not None and head is not None and _continues(tok, previous, n):
            first, subject, predicate = head
            if n.approx is None:
                n = replace(n, approx=first.approx)
        else:
            subject = _subject(doc, n, actors, ctx) or fallback
            predicate = _predicate(tok, n, sent, actors)
            head = (n, subject, predicate)
        subject = n.unit_state or subject
        year = tok.text[min(years, key=lambda k: abs(k - n.start))] if years else None
        first_tok = n.approx_start if n.approx_start is not None else n.start
        last_tok = max(n.unit_end, n.end) - 1
        out.append(Statement(
            kind="quantity", subject=subject, predicate=predicate, value=n.value,
            section=section.name,
            span=(tok.idx[first_tok], tok.end_char(last_tok)),
            sentence=tok.span_text(sent.start, sent.end),
            extra={"unit": n.unit, "approx": n.approx, "period": period, "attributed_to": source,
                   "year": int(year) if year else None,
                   "text": tok.span_text(first_tok, last_tok + 1)},
        ))
        previous = n
    return out


def _continues(tok: Tokens, previous: _Number, n: _Number) -> bool:
    """Is n the next item of the list that ``previous`` is in ('150 tanks, 550 vehicles')?"""
    start = n.approx_start if n.approx_start is not None else n.start
    gap = tok.lower[max(previous.unit_end, previous.end):start]
    return len(gap) > 0 and all(w in {",", "and", "or", "as", "well"} for w in gap)


def _subject(doc: Doc, n: _Number, actors: list[Actor], ctx: Context) -> str | None:
    """The nearest actor before the number in its sentence, else the first one after it
    (never one inside the unit), as the state or organisation it stands for."""
    start = n.approx_start if n.approx_start is not None else n.start
    before = [a for a in actors if a.end <= start]
    if before:
        return party(before[-1], ctx, doc)
    after = [a for a in actors if a.start >= max(n.end, n.unit_end)]
    return party(after[0], ctx, doc) if after else None


def _has_member_noun(tok: Tokens, lo: int, hi: int) -> bool:
    """'Trade between the member states reached ...': the members of a bloc named before."""
    nouns, firsts = _vocab()["member_nouns"], _vocab()["member_firsts"]
    lowers = tok.lower[lo:hi]
    return any(tuple(lowers[k:k + len(p)]) == p
               for k in range(len(lowers)) if lowers[k] in firsts for p in nouns)


def _previous_organisation(ctx: Context, section: Section, doc: Doc, tok: int) -> str | None:
    """The organisation named last before token ``tok`` in the section."""
    limit = doc[tok].idx if tok < len(doc) else len(section.text)
    orgs = [m for m in ctx.section_mentions(section.name)
            if m.entity_id and m.kind == "organisation" and m.end <= limit]
    return max(orgs, key=lambda m: m.start).entity_id if orgs else None


def _predicate(tok: Tokens, n: _Number, sent: Bounds, actors: list[Actor]) -> str:
    """The verb the number goes with: before it back to the subject, else right after the unit."""
    forms, lower = _vocab()["verb_forms"], tok.lower
    start = n.approx_start if n.approx_start is not None else n.start
    floor = max([a.end for a in actors if a.end <= start], default=sent.start)
    for k in range(start - 1, floor - 1, -1):
        if lower[k] in forms:
            return forms[lower[k]]
    for k in range(max(n.unit_end, n.end), min(sent.end, max(n.unit_end, n.end) + 3)):
        if lower[k] in forms:
            return forms[lower[k]]
    return "count"


def _period(tok: Tokens, sent: Bounds) -> str | None:
    """'each month', 'a year', 'annually' anywhere in the sentence."""
    table, firsts = _vocab()["period"], _vocab()["period_firsts"]
    lowers = tok.lower[sent.start:sent.end]
    # only a word of the table or the first word of a phrase of it can say a period
    for i in compress(range(len(lowers)), map(_vocab()["period_words"].__contains__, lowers)):
        word = lowers[i]
        if word in firsts and i + 1 < len(lowers) and f"{word} {lowers[i + 1]}" in table:
            return table[f"{word} {lowers[i + 1]}"]
        if word in table:
            return table[word]
    return None


def _attribution(doc: Doc, tok: Tokens, sent: Bounds, actors: list[Actor]) -> str | None:
    """'according to new estimates from the Kiel Institute for the World Economy' -> its name."""
    v = _vocab()["attribution"]
    openers, firsts = _vocab()["openers"], _vocab()["opener_firsts"]
    fillers, joiners = set(v["fillers"]), set(v["name_joiners"])
    lowers = tok.lower[sent.start:sent.end]
    for i in compress(range(len(lowers)), map(firsts.__contains__, lowers)):  # an opener may start
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
