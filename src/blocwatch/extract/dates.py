"""Dates in a document, resolved to calendar dates with a precision, and the window
the document's own date must lie in.

Two questions, two functions:

- :func:`date_range` — when can this document have been written? From the tenures
  of the office holders it names by role ("Secretary General of NATO, Mark Rutte"
  -> on or after 2024-10-01). Stored in ``Context.date_range`` (inclusive bounds,
  None = open), with the reasons in ``Context.date_range_basis``.
- :func:`find_dates` — every date expression in a section, each with a ``basis``
  saying how it was resolved:

  ``explicit``                the text gives the year: "21 November 2018", "in 2017"
  ``explicit+weekday-mismatch`` the same, but the weekday written does not fit
  ``document-date``           year missing, taken from the published date
  ``relative``                "last year", "on Tuesday", counted from the published date
  ``relative+event-date``     the same, counted from the event date the text pins
                              (no published date)
  ``weekday+office-tenures``  year missing, no published date: of the years in which
                              the day falls on the weekday written, the one inside
                              ``Context.date_range``
  ``weekday+year-in-text``    ... the one the years in the text point to: the same day
                              written elsewhere with its year; the n-th of a series
                              whose m-th was in year Y; else the year nearest the
                              latest year mentioned
  ``weekday+office-tenures+year-in-text`` the tenures left several, the text chose
  ``weekday+weak-tenures``    ... the one inside the tenures of persons named without
                              a role who only ever held one office
  (the same without ``weekday+`` when no weekday is written)
  ``invalid``                 "31 February"
  ``unresolved``              nothing to count from, or several years remain

Candidate years are searched within ``window_years`` of every year the document
points to and never beyond next year (documents are not from the future);
``DateMention.candidates`` lists them when a weekday was written.

Why regular expressions over the section text rather than spaCy token patterns:
date expressions mix digits and punctuation ("21.11.2018", "2018-11-21", "Nov. 21,")
that the blank English tokenizer splits unevenly; character patterns built from the
vocabulary (``vocab/dates.toml``) are easier to read and run in linear time. Each is
tried only where a match can begin, found by a few fast searches (see ``_Kind``).
Sentences still come from the spaCy Doc.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import logging
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from blocwatch.dates import PartialDate, parse_date
from blocwatch.errors import DateError
from blocwatch.extract.gazetteer import Tenure
from blocwatch.extract.model import Context, DateMention, Section
from blocwatch.extract.tokens import tokens
from blocwatch.needles import CASE_TWINS

log = logging.getLogger(__name__)

Window = tuple[dt.date, dt.date]  # inclusive on both ends
_MAX = dt.date.max
_DAY = dt.timedelta(days=1)
_EXPLICIT = frozenset({"dmy", "mdy", "numeric", "iso", "my", "y", "py"})
_NOT_EVENT = ("relative", "invalid", "unresolved")
_FUTURE_LOOKBACK = 200  # characters: keeps the look-back linear in sentence-less text

# ---------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Vocab:
    months: dict[str, int]
    month_any: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    relative: dict[str, tuple[str, int]]
    ago_units: dict[str, str]
    ago_words: tuple[str, ...]
    year_triggers: tuple[str, ...]
    month_triggers: tuple[str, ...]
    weekday_triggers: tuple[str, ...]
    plausible_years: tuple[int, int]
    future: tuple[str, ...]
    acting: tuple[str, ...]
    series_nouns: tuple[str, ...]
    ordinals: dict[str, int]
    window_years: int
    event_lag_days: int
    future_years: int
    lean: int


@cache
def _vocab() -> _Vocab:
    with (Path(__file__).parent / "vocab" / "dates.toml").open("rb") as f:
        v = tomllib.load(f)
    months = {k: int(n) for k, n in v["months"].items()}
    return _Vocab(
        months=months,
        month_any={**months, **{k: int(n) for k, n in v["month_abbreviations"].items()}},
        weekdays={k: int(n) for k, n in v["weekdays"].items()},
        numbers={k: int(n) for k, n in v["numbers"].items()},
        relative={k.lower(): (str(u), int(o)) for k, (u, o) in v["relative"].items()},
        ago_units={k.lower(): str(u) for k, u in v["ago"]["units"].items()},
        ago_words=tuple(v["ago"]["words"]),
        year_triggers=tuple(v["triggers"]["year"]),
        month_triggers=tuple(v["triggers"]["month"]),
        weekday_triggers=tuple(v["triggers"]["weekday"]),
        plausible_years=(int(v["triggers"]["plausible_years"][0]),
                         int(v["triggers"]["plausible_years"][1])),
        future=tuple(v["future"]["markers"]),
        acting=tuple(w.lower() for w in v["offices"]["acting"]),
        series_nouns=tuple(v["series"]["nouns"]),
        ordinals={k.lower(): int(n) for k, n in v["series"]["ordinals"].items()},
        window_years=int(v["series"]["window_years"]),
        future_years=int(v["series"]["future_years"]),
        lean=int(v["future"]["lean"]),
        event_lag_days=int(v["relative_anchor"]["event_lag_days"]),
    )


def _alt(words: Iterable[str], *, names: bool = False) -> str:
    """A regex alternation, longest first; names also match in upper case ("NOVEMBER")."""
    forms = set()
    for w in words:
        forms.add(w)
        if names:
            forms.add(w.upper())
    return "|".join(re.escape(w) for w in sorted(forms, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Lead:
    """What a match holds before one of its marks: at most ``words`` words (split on
    whitespace), the first where ``pattern`` matches."""

    mark: str
    pattern: re.Pattern[str]
    words: int


@dataclass(frozen=True)
class _Kind:
    """One kind of date expression, and where in a text a match of it can begin.

    Most expressions begin with a lookbehind, and run over a whole text such an
    expression is tried at every position. So each kind names the marks a match can
    begin at (``at``) and a mark it holds after a lead (``before``); the marks are
    found once per text by searches the regex engine runs fast (see :class:`_Marks`),
    and the expression is tried only where a match can begin.
    """

    pattern: re.Pattern[str]
    at: tuple[str, ...] = ()
    before: _Lead | None = None


@dataclass(frozen=True)
class _Patterns:
    by_kind: dict[str, _Kind]
    names: re.Pattern[str]  # a month or weekday name
    weekday: re.Pattern[str]  # a weekday name
    month: re.Pattern[str]  # a month name or abbreviation
    full_month: re.Pattern[str]  # a month name
    ordinal: re.Pattern[str]
    series_noun: re.Pattern[str]  # what every match of ``ordinal`` holds: a cheaper test
    future: re.Pattern[str]
    acting: re.Pattern[str]  # an acting role: "acting", "interim" ... as a word
    # phrases matched ignoring case, found in lower-cased text (see _Marks)
    relative: dict[str, tuple[str, ...]] | None
    ago: dict[str, tuple[str, ...]] | None
    series_nouns: tuple[str, ...] | None


def _words(phrases: Iterable[str]) -> int:
    """The most words (split on whitespace) in one of the phrases."""
    return max(len(p.split()) for p in phrases)


@cache
def _patterns() -> _Patterns:
    v = _vocab()
    wd = rf"(?P<wd>{_alt(v.weekdays, names=True)})"
    # full names, then abbreviations with an optional dot ("Nov. 21"); a dot after a
    # full name ends the sentence and stays out of the span
    abbreviations = {k: n for k, n in v.month_any.items() if k not in v.months}
    month = (rf"(?P<month>{_alt(v.months, names=True)}|"
             rf"(?:{_alt(abbreviations, names=True)})\.?)")
    month_full = rf"(?P<month>{_alt(v.months, names=True)})"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<year>\d{4})(?![\w%]|[.,/-]\d)"
    start = r"(?<![\w.,/-])"

    def trig(words: tuple[str, ...]) -> str:
        # a trigger ending in "-" ("mid-") joins the next word directly
        return rf"(?<![\w-])(?P<trig>(?i:{_alt(words)}))(?:\s+(?:the\s+)?|(?<=-))"

    # where a match begins (the marks): "weekdays", "months" (or abbreviations),
    # "full_months" names, "days" a run of one or two digits, "years" a run of four (a
    # day or year is not part of a longer number), "parens", "relative" phrases, "ago";
    # or, where a lead comes first, what the match holds after it
    def kind(pattern: str, *, at: tuple[str, ...] = (),
             before: tuple[str, str, int] | None = None) -> _Kind:
        lead = None
        if before is not None:
            mark, lead_pattern, words = before
            lead = _Lead(mark, re.compile(lead_pattern), words)
        return _Kind(re.compile(pattern), at, lead)

    wd_trig = rf"(?<![\w-])(?i:{_alt(v.weekday_triggers)})\s+"
    ago_n = rf"(?<![\w-])(?P<n>\d{{1,3}}|(?i:{_alt(v.numbers)}))\s+"
    kinds = {
        # [Wednesday, ]21[st] [of] November[, 2018]
        "dmy": kind(rf"{start}(?:{wd},?\s+(?:the\s+)?)?{day}\s+(?:of\s+)?{month}(?!\w)"
                    rf"(?:,?\s+{year})?", at=("weekdays", "days")),
        # [Wednesday, ]November 21[st][, 2018]
        "mdy": kind(rf"{start}(?:{wd},?\s+)?{month}\s+{day}(?!\w)(?:,?\s+{year})?",
                    at=("weekdays", "months")),
        "numeric": kind(rf"{start}(?P<day>\d{{1,2}})(?P<sep>[./])(?P<mon>\d{{1,2}})(?P=sep){year}",
                        at=("days",)),
        "iso": kind(rf"{start}(?P<year>\d{{4}})-(?P<mon>\d{{2}})-(?P<day>\d{{2}})(?![\w]|[.,/-]\d)",
                    at=("years",)),
        "my": kind(rf"(?<![\w-]){month},?\s+{year}", at=("months",)),
        # a trigger [the] before the month
        "m": kind(rf"{trig(v.month_triggers)}{month_full}(?![\w-]|\.?,?\s+\d)",
                  before=("full_months", trig(v.month_triggers), _words(v.month_triggers) + 1)),
        # a trigger [the] [year] before the year
        "y": kind(rf"{trig(v.year_triggers)}(?:year\s+)?{year}",
                  before=("years", trig(v.year_triggers), _words(v.year_triggers) + 2)),
        "py": kind(r"\((?P<year>\d{4})\)", at=("parens",)),
        "rel": kind(rf"(?<![\w-])(?P<rel>(?i:{_alt(v.relative)}))(?![\w-])", at=("relative",)),
        # a number and a unit before "ago"
        "ago": kind(rf"{ago_n}(?P<unit>(?i:{_alt(v.ago_units)}))\s+(?i:{_alt(v.ago_words)})(?!\w)",
                    before=("ago", ago_n, _words(v.numbers) + _words(v.ago_units))),
        # on Tuesday / last Friday / Tuesday — not "Tuesday, 21 November" (dmy takes that);
        # a trigger before the weekday
        "wd": kind(rf"(?<![\w-])(?:(?P<trig>(?i:{_alt(v.weekday_triggers)}))\s+)?{wd}"
                   rf"(?![\w]|,?\s+(?:the\s+)?\d|,?\s+(?:{_alt(v.month_any, names=True)})\b)",
                   at=("weekdays",), before=("weekdays", wd_trig, _words(v.weekday_triggers))),
    }
    ordinal = (rf"(?<![\w-])(?P<ord>\d{{1,3}}(?:st|nd|rd|th)|(?i:{_alt(v.ordinals)}))\s+"
               rf"(?:[\w-]+\s+){{0,3}}?(?i:{_alt(v.series_nouns)})s?(?!\w)")
    return _Patterns(
        kinds,
        re.compile(f"{_alt(v.weekdays, names=True)}|{_alt(v.month_any, names=True)}"),
        re.compile(_alt(v.weekdays, names=True)),
        re.compile(_alt(v.month_any, names=True)),
        re.compile(_alt(v.months, names=True)),
        re.compile(ordinal),
        re.compile(rf"\s(?i:{_alt(v.series_nouns)})"),  # the noun comes after a space
        re.compile(rf"(?i)\b(?:{_alt(v.future)})\b"),
        re.compile(rf"(?<!\w)(?:{_alt(v.acting)})(?!\w)"),
        _by_last_word(v.relative),
        _by_last_word(v.ago_words),
        tuple(n.lower() for n in v.series_nouns) if all(n.isascii() for n in v.series_nouns) else None,
    )


# ---------------------------------------------------------------- date range


@dataclass(frozen=True)
class _Constraint:
    label: str
    windows: tuple[Window, ...]  # merged, sorted


def date_range(ctx: Context) -> tuple[dt.date | None, dt.date | None]:
    """The window (inclusive) the document's date must lie in, from office holders' tenures.

    Each person linked with an office gives the days on which they may have held it
    (start_first .. end_last - 1 day, over all their tenures of that office; an
    acting role uses the acting tenures when there are some). The windows are
    intersected; if they contradict each other, the largest subset that agrees is
    kept and the rest named in ``ctx.date_range_basis`` (which this function fills).
    Persons named without a role do NOT bound the range — former officials are named
    too — but are noted as weak evidence that find_dates may use to break ties.
    A known published date is checked against the range, never replaced by it.
    """
    basis: list[str] = []
    ctx.date_range_basis = basis
    constraints = _role_constraints(ctx, basis)
    for label in _weak_labels(ctx):
        basis.append(f"weak (only breaks ties between candidate years): {label}")
    if not constraints:
        basis.append("no office holder named by role")
        return (None, None)
    windows = _intersect_all(c.windows for c in constraints)
    if not windows:
        kept, note = _largest_consistent(constraints)
        dropped = [c.label for c in constraints if c not in kept]
        basis.append(f"contradictory roles; dropped: {'; '.join(dropped)}{note}")
        windows = _intersect_all(c.windows for c in kept)
        constraints = kept
    basis.extend(f"tenure: {c.label}" for c in constraints)
    first, last = windows[0][0], windows[-1][1]
    result = (first, None if last == _MAX else last)
    if ctx.published is not None:
        inside = ctx.published.last >= first and ctx.published.first <= last
        basis.append(f"published {ctx.published} lies {'inside' if inside else 'OUTSIDE'} the range")
    return result


def _is_acting(role: str | None) -> bool:
    return _patterns().acting.search(f" {(role or '').lower()} ") is not None


def _tenure_window(t: Tenure) -> Window:
    return (t.start_first, t.end_last - _DAY if t.end_last is not None else _MAX)


def _merge(windows: Iterable[Window]) -> tuple[Window, ...]:
    out: list[Window] = []
    for a, b in sorted(windows):
        if out and a <= (out[-1][1] + _DAY if out[-1][1] < _MAX else _MAX):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _fmt(windows: tuple[Window, ...]) -> str:
    return ", ".join(f"{a}..{'' if b == _MAX else b}" for a, b in windows)


def _role_constraints(ctx: Context, basis: list[str]) -> list[_Constraint]:
    """One constraint per distinct (person, office, acting) the persons component linked."""
    seen: set[tuple[str, str, bool]] = set()
    out: list[_Constraint] = []
    for m in ctx.mentions:
        if not m.entity_id or not m.office:
            continue
        acting = _is_acting(m.role)
        key = (m.entity_id, m.office, acting)
        if key in seen:
            continue
        seen.add(key)
        held = [t for t in ctx.gazetteer.tenures_by_person.get(m.entity_id, ())
                if t.office == m.office]
        if acting and any(t.acting for t in held):
            held = [t for t in held if t.acting]
        if not held:
            basis.append(f"no tenure on record: {m.entity_id} as {m.office}")
            continue
        windows = _merge(_tenure_window(t) for t in held)
        label = f"{m.entity_id} as {m.office}{' (acting)' if acting else ''}: {_fmt(windows)}"
        out.append(_Constraint(label, windows))
    return out


def _weak_windows(ctx: Context) -> dict[str, tuple[str, tuple[Window, ...]]]:
    """Persons linked without a role who held exactly one office ever: person -> (office, windows)."""
    out: dict[str, tuple[str, tuple[Window, ...]]] = {}
    roled = {m.entity_id for m in ctx.mentions if m.entity_id and m.office}
    for m in ctx.mentions:
        pid = m.entity_id
        if not pid or m.office or m.kind != "person" or pid in roled or pid in out:
            continue
        held = ctx.gazetteer.tenures_by_person.get(pid, ())
        offices = {t.office for t in held}
        if len(offices) == 1:
            out[pid] = (offices.pop(), _merge(_tenure_window(t) for t in held))
    return out


def _weak_labels(ctx: Context) -> list[str]:
    return [f"{pid} only ever held {office}: {_fmt(w)}"
            for pid, (office, w) in _weak_windows(ctx).items()]


def _intersect(a: tuple[Window, ...], b: tuple[Window, ...]) -> tuple[Window, ...]:
    out: list[Window] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def _intersect_all(sets: Iterable[tuple[Window, ...]]) -> tuple[Window, ...]:
    result: tuple[Window, ...] | None = None
    for windows in sets:
        result = windows if result is None else _intersect(result, windows)
    return result or ()


def _largest_consistent(constraints: list[_Constraint]) -> tuple[list[_Constraint], str]:
    """The most constraints that hold on one common day (a sweep over window ends)."""
    events: list[tuple[dt.date, int, int]] = []  # (day, +1 opens / -1 closes, index)
    for i, c in enumerate(constraints):
        for a, b in c.windows:
            events.append((a, 1, i))
            if b < _MAX:
                events.append((b + _DAY, -1, i))
    events.sort(key=lambda e: (e[0], e[1]))  # closings before openings on the same day
    active: set[int] = set()
    best: frozenset[int] = frozenset()
    ties = False
    for _, delta, i in events:
        if delta > 0:
            active.add(i)
            if len(active) > len(best):
                best, ties = frozenset(active), False
            elif len(active) == len(best) and frozenset(active) != best:
                ties = True
        else:
            active.discard(i)
    note = " (another subset of the same size also fits)" if ties else ""
    return [c for i, c in enumerate(constraints) if i in best], note


# ---------------------------------------------------------------- finding dates


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    groups: dict[str, str | None]
    text: str


def _scan(text: str) -> list[_Found]:
    """Every date expression, overlaps resolved: the earliest start wins, then the longest."""
    return list(_scan_text(text))


@lru_cache(maxsize=16)
def _scan_text(text: str) -> tuple[_Found, ...]:
    # A document's sections are scanned once per section read (find_dates reads
    # the evidence of all of them), so the scan of a text is remembered.
    found: list[_Found] = []
    lo, hi = _vocab().plausible_years
    marks = _marks(text)
    if marks.none:
        return ()
    for kind, spec in _patterns().by_kind.items():
        for m in _matches(spec, text, marks):
            if kind in ("y", "py") and not lo <= int(m.group("year")) <= hi:
                continue  # "in 1500 villages" is not a date
            found.append(_Found(m.start(), m.end(), kind, m.groupdict(), m.group(0)))
    found.sort(key=lambda f: (f.start, -f.end))
    out: list[_Found] = []
    for f in found:
        if not out or f.start >= out[-1].end:
            out.append(f)
    return tuple(out)


def _matches(kind: _Kind, text: str, marks: _Marks) -> Iterable[re.Match[str]]:
    """What ``kind.pattern.finditer(text)`` finds, trying the pattern only where a match
    can begin (:class:`_Kind`): at each such position from the end of the last match on."""
    starts = _starts(kind, text, marks)
    if starts is None:
        return kind.pattern.finditer(text)
    found = []
    end = 0
    for p in starts:
        if p >= end and (m := kind.pattern.match(text, p)) is not None:
            end = m.end()
            found.append(m)
    return found


def _starts(kind: _Kind, text: str, marks: _Marks) -> list[int] | None:
    """Every position a match of KIND can begin at (and some more), in order; None
    when a mark it needs was not found (the kind then scans the whole text)."""
    at = [getattr(marks, name) for name in kind.at]
    held = getattr(marks, kind.before.mark) if kind.before is not None else []
    if held is None or any(ps is None for ps in at):
        return None
    if len(at) == 1 and not held:
        return at[0]
    starts = {p for ps in at for p in ps}
    if kind.before is not None:
        starts.update(_lead_starts(text, held, kind.before))
    return sorted(starts)


def _lead_starts(text: str, held: list[int], lead: _Lead) -> set[int]:
    """Where the lead of a match holding a mark at one of HELD can begin."""
    starts = set()
    for q in held:
        # a match that begins before q holds at most lead.words words before q, so it
        # begins after any stretch with more words
        span = 32
        while span < q and len(text[q - span:q].split()) <= lead.words:
            span *= 2
        pos = max(0, q - span)
        while (m := lead.pattern.search(text, pos, q)) is not None:
            starts.add(m.start())
            pos = m.start() + 1
    return starts


_DIGITS = re.compile(r"\d\d*")  # a run of digits (``\d+`` would not let the engine skip ahead)


class _Marks:
    """Where one text holds what date expressions begin at or hold (see :class:`_Kind`),
    found by searches that begin with a literal or a character class (the regex engine
    skips ahead to those) and by ``str.find``.

    Words matched ignoring case are found in the lower-cased text; when that could miss
    one (see :func:`_lower`) their lists are None and the kinds that need them scan
    the whole text.
    """

    weekdays: list[int]  # where a weekday name begins
    months: list[int]  # ... a month name or abbreviation
    full_months: list[int]  # ... a month name
    days: list[int]  # ... a run of one or two digits
    years: list[int]  # ... a run of four digits
    parens: list[int]  # ... "("
    relative: list[int] | None  # ... a relative phrase ("last year")
    ago: list[int] | None  # ... "ago"
    none: bool  # not one mark

    def __init__(self, text: str) -> None:
        p = _patterns()
        names = _every(p.names, text)
        self.weekdays = [q for q in names if p.weekday.match(text, q)]
        self.months = [q for q in names if p.month.match(text, q)]
        self.full_months = [q for q in names if p.full_month.match(text, q)]
        runs = [(m.start(), m.end() - m.start()) for m in _DIGITS.finditer(text)]
        self.days = [a for a, n in runs if n <= 2]
        self.years = [a for a, n in runs if n == 4]
        self.parens = _find_every(text, "(")
        lower = _lower(text)
        self.relative = _phrase_starts(lower, p.relative)
        self.ago = _phrase_starts(lower, p.ago)
        # no mark, and none unknown: no kind can match
        self.none = (not (names or runs or self.parens)
                     and self.relative == [] and self.ago == [])


@lru_cache(maxsize=16)
def _marks(text: str) -> _Marks:
    return _Marks(text)


def _lower(text: str) -> str | None:
    """The text lower-cased, when an ASCII word matches the text ignoring case exactly
    where the word in lower case is in it: when lower-casing keeps every character one
    character and the text holds none of the few characters beyond ASCII that match
    ASCII ignoring case (``needles.CASE_TWINS``). Else None."""
    if any(c in text for c in CASE_TWINS):
        return None
    lower = text.lower()
    return lower if len(lower) == len(text) else None


def _by_last_word(phrases: Iterable[str]) -> dict[str, tuple[str, ...]] | None:
    """The phrases lower-cased, by their last word ("year": "last year", "next year" ...);
    None unless all are ASCII (see :func:`_lower`)."""
    if not all(p.isascii() for p in phrases):
        return None
    by_last: dict[str, tuple[str, ...]] = {}
    for phrase in (p.lower() for p in phrases):
        last = phrase.rsplit(" ", 1)[-1] or phrase
        by_last[last] = (*by_last.get(last, ()), phrase)
    return by_last


def _phrase_starts(lower: str | None, by_last: dict[str, tuple[str, ...]] | None) -> list[int] | None:
    """Where one of the phrases begins in the lower-cased text, found from where their
    last words are (see :func:`_by_last_word`); None if either is None."""
    if lower is None or by_last is None:
        return None
    starts: set[int] = set()
    for last, phrases in by_last.items():
        for i in _find_every(lower, last):
            end = i + len(last)
            starts.update(end - len(p) for p in phrases
                          if end >= len(p) and lower.startswith(p, end - len(p)))
    return sorted(starts)


def _every(pattern: re.Pattern[str], text: str) -> list[int]:
    """Every position PATTERN matches at (matches may overlap)."""
    out = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        out.append(m.start())
        pos = m.start() + 1
    return out


def _find_every(text: str, word: str) -> list[int]:
    """Every position WORD begins at in TEXT (occurrences may overlap)."""
    out = []
    i = text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _explicit_year(f: _Found) -> int | None:
    if f.kind in _EXPLICIT and f.groups.get("year"):
        return int(f.groups["year"] or 0)
    return None


def _sentences(section: Section) -> list[tuple[int, int]]:
    try:
        spans = tokens(section).sent_chars
    except (ValueError, AttributeError):
        spans = []
    return spans or [(0, len(section.text))]


def _sentence_start(sentences: list[tuple[int, int]], pos: int) -> int:
    """Start of the sentence holding pos (the last one starting at or before it)."""
    i = bisect.bisect_right(sentences, pos, key=lambda s: s[0]) - 1
    return sentences[i][0] if i >= 0 else 0


@dataclass
class _Evidence:
    """What the document offers for resolving a date whose year is missing (``series``
    and ``weak`` are read from CTX when such a date first asks)."""

    ctx: Context
    published: PartialDate | None
    date_range: tuple[dt.date | None, dt.date | None]
    text_years: tuple[int, ...]
    same_day: dict[tuple[int, int], tuple[int, ...]]  # (month, day) -> years written with it
    anchor: tuple[Window, str] | None = None  # days relative expressions count from

    @cached_property
    def series(self) -> tuple[int, int] | None:
        """(expected year, after year) from "the 5th ... in 2017" + "the sixth"."""
        pairs: list[tuple[int, int]] = []  # (ordinal, year) in one sentence
        bare: set[int] = set()  # ordinals of a series with no year in their sentence
        for section in self.ctx.sections:
            part = _section_series(section)
            pairs.extend(part.pairs)
            bare.update(part.bare)
        if len(bare) == 1:
            current = next(iter(bare))
            earlier = [(n, y) for n, y in pairs if n < current]
            if earlier:
                n, y = max(earlier)
                return (y + (current - n), y)
        return None

    @cached_property
    def weak(self) -> tuple[Window, ...]:
        return _intersect_all(w for _, w in _weak_windows(self.ctx).values())


@dataclass(frozen=True)
class _SectionEvidence:
    """What one section offers to :class:`_Evidence` (the same whenever it is asked)."""

    years: tuple[int, ...]
    same_day: tuple[tuple[tuple[int, int], int], ...]  # ((month, day), year) in text order


@dataclass(frozen=True)
class _SectionSeries:
    """What one section offers to :attr:`_Evidence.series`."""

    pairs: tuple[tuple[int, int], ...]  # (ordinal, year) in one sentence
    bare: tuple[int, ...]  # ordinals of a series with no year in their sentence


def _section_evidence(section: Section) -> _SectionEvidence:
    """The section's evidence, read once per Doc: find_dates asks for every section's
    evidence when it reads each section."""
    cached = section.doc.user_data.get(_EVIDENCE)
    if cached is not None:
        return cached
    years: list[int] = []
    same_day: list[tuple[tuple[int, int], int]] = []
    for f in _scan(section.text):
        y = _explicit_year(f)
        if y is None:
            continue
        years.append(y)
        if f.groups.get("day"):
            month = int(f.groups.get("mon") or 0) or _month_of(f)
            same_day.append(((month, int(f.groups["day"] or 0)), y))
    evidence = _SectionEvidence(tuple(years), tuple(same_day))
    section.doc.user_data[_EVIDENCE] = evidence
    return evidence


def _section_series(section: Section) -> _SectionSeries:
    """The section's numbered series, read once per Doc (when a date asks)."""
    cached = section.doc.user_data.get(_SERIES)
    if cached is not None:
        return cached
    pairs: list[tuple[int, int]] = []
    bare: list[int] = []
    patterns = _patterns()
    dated = [(f.start, y) for f in _scan(section.text) if (y := _explicit_year(f)) is not None]
    for a, b in _series_sentences(section):
        lo = bisect.bisect_left(dated, (a, 0))
        hi = bisect.bisect_left(dated, (b, 0))
        sent_years = [y for _, y in dated[lo:hi]]
        for m in patterns.ordinal.finditer(section.text, a, b):
            raw = m.group("ord").lower()
            n = _vocab().ordinals.get(raw) or int(re.sub(r"\D", "", raw) or 0)
            if n and len(set(sent_years)) == 1:
                pairs.append((n, sent_years[0]))
            elif n and not sent_years:
                bare.append(n)
    series = _SectionSeries(tuple(pairs), tuple(bare))
    section.doc.user_data[_SERIES] = series
    return series


def _series_sentences(section: Section) -> list[tuple[int, int]]:
    """The sentences ``series_noun`` matches in ("summit", "session" ...): only they
    can hold a numbered series."""
    text = section.text
    sentences = _sentences(section)
    lower = _lower(text)
    nouns = _patterns().series_nouns
    if lower is None or nouns is None:
        return [(a, b) for a, b in sentences if _patterns().series_noun.search(text, a, b)]
    # (start, end) of each match: a whitespace character (what str.isspace is) and a noun
    at = [(i - 1, i + len(w)) for w in nouns for i in _find_every(lower, w)
          if i > 0 and text[i - 1].isspace()]
    if not at:
        return []
    # sentences follow one another without overlapping: a noun can only lie in the
    # last one beginning at or before it
    starts = [a for a, _ in sentences]
    held = {i for a, b in at
            if (i := bisect.bisect_right(starts, a) - 1) >= 0 and b <= sentences[i][1]}
    return [sentences[i] for i in sorted(held)]


_EVIDENCE = "blocwatch.dates.evidence"
_SERIES = "blocwatch.dates.series"


def _evidence(ctx: Context) -> _Evidence:
    years: set[int] = set()
    same_day: dict[tuple[int, int], set[int]] = {}
    for section in ctx.sections:
        part = _section_evidence(section)
        years.update(part.years)
        for key, y in part.same_day:
            same_day.setdefault(key, set()).add(y)
    return _Evidence(ctx, ctx.published, ctx.date_range, tuple(sorted(years)),
                     {k: tuple(sorted(v)) for k, v in same_day.items()})


def find_dates(section: Section, ctx: Context) -> list[DateMention]:
    """Every date expression in the section, resolved as far as the document allows.

    Absolute and year-less dates first; relative ones ("last month") then count from
    the published date, or without one from the event date the text pins.
    """
    try:
        found = _scan(section.text)
        ev = _evidence(ctx)
    except Exception:  # never fail a document over its dates; say so and find nothing
        log.warning("dates: scanning section %s failed", section.name, exc_info=True)
        return []
    if not found:
        return []
    sentences = _sentences(section)

    def future(f: _Found) -> bool:
        """Does the sentence speak of the future before the date ("will meet on Tuesday")?"""
        since = max(_sentence_start(sentences, f.start), f.start - _FUTURE_LOOKBACK)
        return bool(_patterns().future.search(section.text, since, f.start))

    out: list[tuple[_Found, DateMention | None]] = []
    for f in found:
        relative = f.kind in ("rel", "ago", "wd")
        out.append((f, None if relative else _safe(_resolve, f, section, ev, future(f))))
    if ev.published is not None:
        ev.anchor = ((ev.published.first, ev.published.last), "relative")
    elif any(mention is None for _, mention in out):  # only relative dates count from it
        # an article is written on or some days after its event: count from that window
        event, _ = _event_date(ctx, [*ctx.dates, *(d for _, d in out if d is not None)])
        if event is not None:
            lag = dt.timedelta(days=_vocab().event_lag_days)
            last = event.last + lag if event.last < _MAX - lag else _MAX
            ev.anchor = ((event.first, last), "relative+event-date")
    result: list[DateMention] = []
    for f, mention in out:
        if mention is None:
            mention = _safe(_resolve_relative, f, section, ev, future(f))
        result.append(mention)
    return result


def _safe(fn: Callable[..., DateMention], f: _Found, section: Section, *args: object) -> DateMention:
    try:
        return fn(f, section, *args)
    except (ValueError, OverflowError, DateError, KeyError, TypeError):
        return _mention(f, section, None, "unresolved")


def _mention(f: _Found, section: Section, date: PartialDate | None, basis: str,
             candidates: Iterable[int] = ()) -> DateMention:
    return DateMention(section.name, f.start, f.end, f.text, date, basis,
                       tuple(str(y) for y in candidates))


def _month_of(f: _Found) -> int:
    if f.groups.get("mon"):
        return int(f.groups["mon"] or 0)
    name = (f.groups.get("month") or "").rstrip(".")
    v = _vocab()
    return v.month_any.get(name) or v.month_any.get(name.title(), 0)


def _resolve(f: _Found, section: Section, ev: _Evidence, future: bool) -> DateMention:
    """Dates that need no anchor, or only a year: explicit ones and year-less day-months."""
    v = _vocab()
    year = f.groups.get("year")
    if f.kind in ("y", "py"):
        return _mention(f, section, parse_date(f"{int(year or 0):04d}"), "explicit")
    month = _month_of(f)
    if f.kind == "my":
        return _mention(f, section, parse_date(f"{int(year or 0):04d}-{month:02d}"), "explicit")
    if f.kind == "m":
        return _resolve_month(f, section, month, ev, future)
    day = int(f.groups.get("day") or 0)
    if f.kind == "numeric" and f.groups.get("sep") == "/" and month > 12 >= day:
        day, month = month, day  # 11/21/2018: month first
    wd_name = f.groups.get("wd")
    weekday = v.weekdays.get(wd_name.title()) if wd_name else None
    if year:
        try:
            date = parse_date(f"{int(year):04d}-{month:02d}-{day:02d}")
        except DateError:
            return _mention(f, section, None, "invalid")
        ok = weekday is None or date.first.weekday() == weekday
        return _mention(f, section, date, "explicit" if ok else "explicit+weekday-mismatch")
    if not _valid_in_some_year(day, month):
        return _mention(f, section, None, "invalid")
    return _resolve_year_less(f, section, day, month, weekday, ev, future)


def _valid_in_some_year(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]  # 2000 is leap


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= year <= 9998 and 1 <= day <= calendar.monthrange(year, month)[1]


def _distance(window: Window, target: PartialDate, future: bool) -> int:
    """Days between a window and the document date (0 when they overlap), weighted the
    way news is written: a date without its year is usually past, so days after the
    document date count ``lean`` times — unless the sentence speaks of the future, then
    days before do. "The summit on 30 November" written on 22 November is still ahead."""
    lean = _vocab().lean
    if window[1] < target.first:
        return (target.first - window[1]).days * (lean if future else 1)
    if window[0] > target.last:
        return (window[0] - target.last).days * (1 if future else lean)
    return 0


def _resolve_year_less(f: _Found, section: Section, day: int, month: int,
                       weekday: int | None, ev: _Evidence, future: bool) -> DateMention:
    def fits(y: int) -> bool:
        return _valid(y, month, day) and (
            weekday is None or dt.date(y, month, day).weekday() == weekday)

    def span(y: int) -> Window:
        d = dt.date(y, month, day)
        return (d, d)

    prefix = "weekday+" if weekday is not None else ""
    if ev.published is not None:
        near = [y for y in range(ev.published.first.year - 1, ev.published.last.year + 2)
                if _valid(y, month, day)]
        matching = [y for y in near if fits(y)]
        pool, basis = (matching, "document-date") if matching else (near, "document-date+weekday-mismatch")
        if not pool:
            return _mention(f, section, None, "unresolved")
        published = ev.published
        y = min(pool, key=lambda y: (_distance(span(y), published, future), -y))
        return _mention(f, section, parse_date(f"{y:04d}-{month:02d}-{day:02d}"), basis)
    candidates = [y for y in _window_years(ev) if fits(y)]
    year, how = _choose_year(candidates, span, ev, same_day=ev.same_day.get((month, day), ()),
                             latest=weekday is not None)
    listed = candidates if weekday is not None else ()  # without a weekday: every year
    if year is None:
        return _mention(f, section, None, "unresolved", listed)
    return _mention(f, section, parse_date(f"{year:04d}-{month:02d}-{day:02d}"),
                    prefix + how, listed)


def _resolve_month(f: _Found, section: Section, month: int, ev: _Evidence,
                   future: bool) -> DateMention:
    """A month with no day and no year: "in November", "last March"."""
    trig = (f.groups.get("trig") or "").lower()

    def span(y: int) -> Window:
        return (dt.date(y, month, 1), dt.date(y, month, calendar.monthrange(y, month)[1]))

    if ev.published is not None:
        p = ev.published
        near = range(p.first.year - 1, p.last.year + 2)
        if trig == "last":
            pool = [y for y in near if span(y)[1] < p.first]
            pick = max(pool) if pool else None
        elif trig == "next":
            pool = [y for y in near if span(y)[0] > p.last]
            pick = min(pool) if pool else None
        elif trig == "this" and p.first.year == p.last.year:
            pick = p.first.year
        else:
            pick = min(near, key=lambda y: (_distance(span(y), p, future), -y))
        if pick is None:
            return _mention(f, section, None, "unresolved")
        basis = "relative" if trig in ("last", "next", "this") else "document-date"
        return _mention(f, section, parse_date(f"{pick:04d}-{month:02d}"), basis)
    year, how = _choose_year(list(_window_years(ev)), span, ev, same_day=(), latest=False)
    if year is None:
        return _mention(f, section, None, "unresolved")
    return _mention(f, section, parse_date(f"{year:04d}-{month:02d}"), how)


def _window_years(ev: _Evidence) -> range:
    """Years searched for a missing year: around every year the document points to."""
    anchors = set(ev.text_years)
    for d in ev.date_range:
        if d is not None:
            anchors.add(d.year)
    for a, b in ev.weak:
        anchors.add(a.year)
        if b < _MAX:
            anchors.add(b.year)
    anchors = {y for y in anchors if 1 <= y <= 9998}
    if not anchors:
        return range(0)
    w = _vocab().window_years
    # a document is not from the future, and speaks of dates at most a year or so ahead
    ceiling = dt.date.today().year + _vocab().future_years
    return range(max(1, min(anchors) - w), min(9998, ceiling, max(anchors) + w) + 1)


def _overlaps(window: Window, windows: Iterable[Window]) -> bool:
    return any(window[0] <= b and window[1] >= a for a, b in windows)


def _choose_year(candidates: list[int], span: Callable[[int], Window], ev: _Evidence, *,
                 same_day: tuple[int, ...], latest: bool) -> tuple[int | None, str]:
    """Narrow candidate years, strongest evidence first: office tenures; the same day
    written elsewhere with its year; a numbered series ("the 5th ... in 2017" + "the
    sixth"); weak tenures; and only when a weekday already thinned the candidates
    (``latest``), the one closest to the latest year the text gives (ties: the later).
    Returns (year, how) or (None, "unresolved")."""
    used: list[str] = []
    pool = list(candidates)
    lo, hi = ev.date_range
    if pool and (lo is not None or hi is not None):
        rng = [(lo or dt.date.min, hi or _MAX)]
        inside = [y for y in pool if _overlaps(span(y), rng)]
        if inside:
            used.append("office-tenures")
            pool = inside
            if len(pool) == 1:
                return pool[0], "+".join(used)
    written = [y for y in pool if y in same_day]
    if len(written) == 1:
        return written[0], "+".join([*used, "year-in-text"])
    if pool and ev.series is not None:
        expected, after = ev.series
        later = [y for y in pool if y > after]
        if later:
            return (expected if expected in later else min(later)), "+".join([*used, "year-in-text"])
    if pool and ev.weak:
        inside = [y for y in pool if _overlaps(span(y), ev.weak)]
        if inside:
            used.append("weak-tenures")
            pool = inside
            if len(pool) == 1:
                return pool[0], "+".join(used)
    if pool and latest and ev.text_years:
        last = max(ev.text_years)
        pick = min(pool, key=lambda y: (abs(y - last), -y))
        return pick, "+".join([*used, "year-in-text"])
    return None, "unresolved"


# ---------------------------------------------------------------- relative dates


def _shift(anchor: Window, unit: str, offset: int) -> Window:
    """The days a relative expression can mean, counted from every day the anchor can mean."""
    a, b = anchor
    if unit == "day":
        return (a + dt.timedelta(days=offset), b + dt.timedelta(days=offset))
    if unit == "week":
        monday_a = a - dt.timedelta(days=a.weekday()) + dt.timedelta(weeks=offset)
        monday_b = b - dt.timedelta(days=b.weekday()) + dt.timedelta(weeks=offset)
        return (monday_a, monday_b + dt.timedelta(days=6))
    if unit == "month":
        ya, ma = divmod(a.year * 12 + a.month - 1 + offset, 12)
        yb, mb = divmod(b.year * 12 + b.month - 1 + offset, 12)
        return (dt.date(ya, ma + 1, 1), dt.date(yb, mb + 1, calendar.monthrange(yb, mb + 1)[1]))
    return (dt.date(a.year + offset, 1, 1), dt.date(b.year + offset, 12, 31))


def _covering(window: Window) -> PartialDate | None:
    """The finest partial date that contains every day of the window."""
    a, b = window
    if a == b:
        return parse_date(a.isoformat())
    if (a.year, a.month) == (b.year, b.month):
        return parse_date(f"{a.year:04d}-{a.month:02d}")
    if a.year == b.year:
        return parse_date(f"{a.year:04d}")
    return None


def _resolve_relative(f: _Found, section: Section, ev: _Evidence, future: bool) -> DateMention:
    if ev.anchor is None:
        return _mention(f, section, None, "unresolved")
    anchor, basis = ev.anchor
    v = _vocab()
    if f.kind == "rel":
        unit, offset = v.relative[(f.groups.get("rel") or "").lower()]
        window = _shift(anchor, unit, offset)
    elif f.kind == "ago":
        raw = (f.groups.get("n") or "").lower()
        n = int(raw) if raw.isdigit() else v.numbers[raw]
        window = _shift(anchor, v.ago_units[(f.groups.get("unit") or "").lower()], -n)
    else:  # a weekday on its own
        if anchor[0] != anchor[1]:
            return _mention(f, section, None, "unresolved")
        weekday = v.weekdays[(f.groups.get("wd") or "").title()]
        day = _nearest_weekday(anchor[0], weekday, (f.groups.get("trig") or "").lower(), future)
        window = (day, day)
    date = _covering(window)
    return _mention(f, section, date, basis if date is not None else "unresolved")


def _nearest_weekday(anchor: dt.date, weekday: int, trig: str, future: bool) -> dt.date:
    """News usage: "on Tuesday" is the latest Tuesday up to the document date, unless the
    sentence speaks of the future; "last Tuesday" is strictly before, "next" strictly after."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if trig == "last":
        return anchor - dt.timedelta(days=back or 7)
    if trig == "next":
        return anchor + dt.timedelta(days=ahead or 7)
    if future or trig in ("until", "by"):
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


# ---------------------------------------------------------------- document date


def document_date(ctx: Context) -> tuple[PartialDate | None, str]:
    """The best date for the document: published, else the event date the text pins.

    The event date is the single day-precise date the text resolves without counting
    from another date (or, if there are several, the single one in the title and the
    lead sentence). A document is written on or after its event, so this is a lower
    bound as much as a date; the basis says which: ``published`` or
    ``event-date:<how the event date was found>``; ``unknown`` when nothing pins it.
    """
    if ctx.published is not None:
        return ctx.published, "published"
    return _event_date(ctx, ctx.dates)


def _event_date(ctx: Context, dates: Iterable[DateMention]) -> tuple[PartialDate | None, str]:
    usable = [d for d in dates if d.date is not None and d.date.exact
              and not d.basis.startswith(_NOT_EVENT)]
    lead_end = 0
    for section in ctx.sections:
        if section.name == "body":
            lead_end = _sentences(section)[0][1]
    for pool in (usable, [d for d in usable if d.section == "title"
                          or (d.section == "body" and d.start < lead_end)]):
        distinct = {d.date.text for d in pool if d.date is not None}
        if len(distinct) == 1:
            return pool[0].date, f"event-date:{pool[0].basis}"
    return None, "unknown"

