"""Split a page scraped to plain text into its main article and teasers of others.

A scraped page is not an article: around the article stand menus, share and
cookie lines, captions, source lines, and teaser blocks of OTHER articles
("Related articles", "Editor's choice", a headline printed twice...). Facts
read from a teaser must not be dated or sourced as the main article's, so the
segmenter returns each as its own ``Document``.

How, in four passes over the lines (each linear in the page):

1. classify every line by the vocabulary (``segment_vocab.toml``): teaser
   heading, section label, boilerplate, caption, source, related link,
   byline, dateline, body text (long, sentence-like) or short line;
2. mark headlines printed twice in a row: they open teaser blocks;
3. cut the page at teaser headings and doubled headlines, and pick the main
   body as the best-scoring run of lines (maximum subarray: body lines count
   their words, short and boilerplate lines cost), discounting runs that sit
   under a teaser heading;
4. read teasers (headline, then body lines) outside the main article and
   store each distinct one once, counting repeats.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from blocwatch.errors import BlocwatchError
from blocwatch.ingest.model import Document, Link
from blocwatch.ingest.vocab import Vocabulary, default_vocabulary

__all__ = ["SegmentError", "Vocabulary", "segment_text"]


class SegmentError(BlocwatchError):
    """The segmenter was given something other than text."""


# Kinds of line. "heading" opens a teaser zone; "headline" is a teaser
# headline printed twice, "duplicate" its second printing.
BODY, SHORT, HEADING, LABEL, BOILER = "body", "short", "heading", "label", "boilerplate"
CAPTION, SOURCE, LINK, BYLINE, DATELINE = "caption", "source", "link", "byline", "dateline"
HEADLINE, DUPLICATE, COMMENTS = "headline", "duplicate", "comments"
_MAX_ANCHORS = 8  # repetitions of the page title tried as the headline; bounds the work
_NEUTRAL = frozenset({CAPTION, SOURCE, LINK, BYLINE, DATELINE})
_TEXT = frozenset({BODY, SHORT})

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
_SENTENCE_INSIDE = re.compile(r"[.!?…;][\"'”’»)\]]*\s|[。！？]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HEADLINE_BAD_END = re.compile(r"[.,;:]$")


@dataclass(slots=True)
class _Line:
    """One non-empty line of the page, located by character offsets."""

    start: int
    end: int
    text: str
    norm: str
    words: int
    kind: str = SHORT
    value: str = ""


# --- dates ---------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b"
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})\b"),
)
_YEAR = re.compile(r"\d\d\d\d")  # \d{4}, written out: searched about a third faster
_DATE_NOISE = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|"
    r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\b(?:gmt|utc|cet|cest|msk|est|edt|bst|et)\b|"
    r"\b(?:updated|at|on|am|pm)\b",
    re.IGNORECASE,
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first calendar date written in ``text`` as (ISO date, start, end), or None."""
    if _YEAR.search(text) is None:  # cheap test first: most lines hold no year
        return None
    found: list[tuple[int, str, int]] = []
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        month = _MONTHS.get(groups["month"].lower()) if groups.get("month") else None
        if groups.get("mon"):
            month = int(groups["mon"])
        try:
            day = dt.date(int(groups["year"]), month or 0, int(groups["day"]))
        except (ValueError, TypeError):
            continue
        found.append((match.start(), day.isoformat(), match.end()))
    if not found:
        return None
    start, iso, end = min(found)
    return iso, start, end


def _dateline(line: _Line, vocab: Vocabulary) -> str | None:
    """The ISO date if the line is a dateline ("Published: 12 March 2024", "21 November 2018")."""
    if line.words > vocab.max_meta_words:
        return None
    found = find_date(line.text)
    if found is None:
        return None
    iso, start, end = found
    lower = line.norm
    if _starts_with(lower, vocab.dateline_prefixes):
        return iso
    rest = _DATE_NOISE.sub(" ", line.text[:start] + " " + line.text[end:])
    return iso if len(re.sub(r"[^\w\s]", " ", rest).split()) <= 2 else None


# --- pass 1: lines and their kinds ------------------------------------------


def _read_lines(text: str, vocab: Vocabulary) -> list[_Line]:
    """Every non-blank line, stripped, with its offsets in ``text`` and its kind.

    What a line is depends on its text alone, and pages repeat short lines
    (menus, footers, teaser headlines, on one page and across a site's pages):
    those are read once and remembered (see ``_known_lines``).
    """
    try:
        known = _known_lines(vocab)
    except TypeError:  # a vocabulary built by hand with lists in it: nothing remembered
        known = {}
    lines = []
    offset = 0  # of the current line in ``text``
    for raw in text.split("\n"):
        line_start = offset
        offset += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        start = line_start + len(raw) - len(raw.lstrip())
        read = known.get(stripped)
        if read is None:
            read = _read_line(stripped, vocab)
            if len(stripped) <= _KNOWN_LINE_CHARS:
                if len(known) >= _KNOWN_LINES:
                    known.clear()
                known[stripped] = read
        norm, words, kind, value = read
        lines.append(_Line(start, start + len(stripped), stripped, norm, words, kind, value))
    return lines


# Lines remembered per vocabulary, all forgotten at once when full; only short ones,
# since those are what repeats (a few MB at most).
_KNOWN_LINES = 16384
_KNOWN_LINE_CHARS = 200


@lru_cache(maxsize=4)
def _known_lines(vocab: Vocabulary) -> dict[str, tuple[str, int, str, str]]:
    """Line text -> what ``_read_line`` found in it, for one vocabulary."""
    return {}


def _read_line(text: str, vocab: Vocabulary) -> tuple[str, int, str, str]:
    """A stripped line's normalised text, word count, kind and value.

    Words are counted by spaces, plus a share of each CJK character, since
    those scripts write a sentence without spaces.
    """
    lower = " ".join(text.lower().split())
    norm = _trim_edges(lower)
    cjk = 0 if text.isascii() else len(_CJK.findall(text))
    words = lower.count(" ") + 1 + int(cjk * vocab.cjk_word_per_char)
    line = _Line(0, len(text), text, norm, words)
    _classify(line, lower, vocab)
    return norm, words, line.kind, line.value


def _trim_edges(lower: str) -> str:
    """LOWER without the non-word characters and underscores at its ends.

    ``str.isalnum`` is true of exactly the characters ``[^\\W_]`` matches;
    walking in from each end reads the one or two characters there, where a
    regular expression for the end of the line would try every position.
    """
    first, last = 0, len(lower)
    while last > first and not lower[last - 1].isalnum():
        last -= 1
    while first < last and not lower[first].isalnum():
        first += 1
    return lower[first:last]


def _starts_with(text: str, prefixes: tuple[str, ...]) -> str | None:
    """The longest prefix (they are sorted longest first) that ``text`` starts with."""
    if not text.startswith(prefixes):
        return None
    for prefix in prefixes:
        if text.startswith(prefix):
            return prefix
    return None


def _after_prefix(line: _Line, prefix: str) -> str:
    """The line's text after a prefix matched on its lower-cased, single-spaced form."""
    collapsed = " ".join(line.text.split())
    if len(collapsed.lower()) != len(collapsed):  # lower-casing changed lengths: cut by words
        parts = collapsed.split(maxsplit=len(prefix.split()))
        rest = parts[-1] if len(parts) > len(prefix.split()) else ""
    else:
        rest = collapsed[len(prefix) :]
    return rest.strip(" :-–—|")


def _classify(line: _Line, lower: str, vocab: Vocabulary) -> None:
    """Set the line's kind (and value for captions, sources, links, bylines, datelines).

    LOWER is the line's text lower-cased with single spaces.
    """
    if line.words <= vocab.max_meta_words and _label_kind(line, lower, vocab):
        return
    for kind, prefixes in (
        (LINK, vocab.link_prefixes),
        (CAPTION, vocab.caption_prefixes),
        (SOURCE, vocab.source_prefixes),
    ):
        if not lower.startswith(prefixes):  # most lines: one test, no call
            continue
        prefix = _starts_with(lower, prefixes)
        if prefix is not None and (kind == CAPTION or line.words <= vocab.headline_max_words):
            rest = _after_prefix(line, prefix)
            if rest:
                line.kind, line.value = kind, rest
                return
    if _meta_kind(line, lower, vocab):
        return
    if _is_boilerplate(line, lower, vocab):
        line.kind = BOILER
    elif line.words <= vocab.max_caption_words and vocab.caption_pattern.search(line.text):
        line.kind, line.value = CAPTION, line.text
    elif _is_body(line, vocab):
        line.kind = BODY


def _label_kind(line: _Line, lower: str, vocab: Vocabulary) -> bool:
    """Teaser headings, comment headings, section labels, whole-line boilerplate ("Share")."""
    if line.norm in vocab.comment_headings or (
        line.words <= vocab.max_meta_words and vocab.comment_pattern.search(lower)
    ):
        line.kind = COMMENTS
    elif line.norm in vocab.teaser_headings:
        line.kind = HEADING
    elif line.norm in vocab.section_labels:
        line.kind = LABEL
    elif line.norm in vocab.boilerplate_lines or not line.norm:
        line.kind = BOILER
    else:
        return False
    return True


def _meta_kind(line: _Line, lower: str, vocab: Vocabulary) -> bool:
    """Datelines and bylines ("By Jane Doe"): short lines that describe the article."""
    if line.words > vocab.max_meta_words:
        return False
    iso = _dateline(line, vocab)
    if iso is not None:
        line.kind, line.value = DATELINE, iso
        return True
    prefix = _starts_with(lower, vocab.byline_prefixes)
    if prefix is None:
        return False
    name = _after_prefix(line, prefix)
    if name and name[0].isupper() and not _SENTENCE_END.search(name) and len(name.split()) <= 8:
        line.kind, line.value = BYLINE, name
        return True
    return False


def _is_boilerplate(line: _Line, lower: str, vocab: Vocabulary) -> bool:
    """Cookie, share, subscribe, copyright and menu lines, by prefix or pattern."""
    if line.words > 3 * vocab.max_boilerplate_words:
        return False
    if _starts_with(lower, vocab.boilerplate_prefixes):
        return True
    if line.words > vocab.max_boilerplate_words:
        return False
    return vocab.boilerplate_pattern.search(lower) is not None


def _is_body(line: _Line, vocab: Vocabulary) -> bool:
    """Sentence-like text: long enough and punctuated like prose, not like a menu."""
    if line.words >= vocab.good_words:
        return bool(_SENTENCE_END.search(line.text) or _SENTENCE_INSIDE.search(line.text))
    return line.words >= vocab.good_words // 2 and bool(_SENTENCE_END.search(line.text))


# --- pass 2: headlines printed twice ----------------------------------------


def _is_headline(line: _Line, vocab: Vocabulary) -> bool:
    """Headline-shaped: a few words, not ending like a clause."""
    return (
        line.kind in _TEXT
        and vocab.headline_min_words <= line.words <= vocab.headline_max_words
        and not _HEADLINE_BAD_END.search(line.text)
    )


def _demote_inline_headings(lines: list[_Line]) -> None:
    """A teaser heading followed straight by prose is an inline link ("Read more"), not a block."""
    for i, line in enumerate(lines):
        if line.kind != HEADING:
            continue
        j = i + 1
        while j < len(lines) and lines[j].kind in (LABEL, BOILER):
            j += 1  # linear overall: the scan stops at the next heading
        if j < len(lines) and lines[j].kind == BODY:
            line.kind = BOILER


def _mark_doubled(lines: list[_Line], vocab: Vocabulary) -> None:
    """A headline followed by the same line is a teaser's headline (link text + heading)."""
    for first, second in zip(lines, lines[1:]):
        if first.kind in _TEXT and first.norm == second.norm and _is_headline(first, vocab):
            first.kind, second.kind = HEADLINE, DUPLICATE


# --- pass 3: the main body --------------------------------------------------


def _line_score(line: _Line, in_teaser_zone: bool, vocab: Vocabulary) -> float:
    """What a line adds to a candidate body: its words if prose, a cost if not."""
    if line.kind == BODY:
        return line.words * (vocab.teaser_zone_weight if in_teaser_zone else 1.0)
    if line.kind in (CAPTION, SOURCE, LINK):
        return 0.0
    if line.kind in (SHORT, BYLINE, DATELINE):
        return -vocab.short_line_cost
    return -vocab.boilerplate_line_cost


def _segments(lines: list[_Line]) -> list[tuple[int, int, bool]]:
    """Runs of lines cut at teaser/comment headings and doubled headlines; is each a teaser zone?"""
    cuts = [i for i, line in enumerate(lines) if line.kind in (HEADING, HEADLINE, COMMENTS)]
    bounds = [0, *cuts, len(lines)]
    cut_set = set(cuts)
    return [(lo, hi, lo in cut_set) for lo, hi in zip(bounds, bounds[1:]) if hi > lo]


def _best_run(
    lines: list[_Line], lo: int, hi: int, zone: bool, vocab: Vocabulary
) -> tuple[float, int, int]:
    """Maximum-sum run of line scores in lines[lo:hi] (Kadane), trimmed to body lines."""
    best = (0.0, -1, -1)
    total, start = 0.0, lo
    for i in range(lo, hi):
        if total <= 0:
            total, start = 0.0, i
        total += _line_score(lines[i], zone, vocab)
        if total > best[0]:
            best = (total, start, i)
    score, first, last = best
    if first < 0:
        return best
    while first <= last and lines[first].kind != BODY:
        first += 1
    while last >= first and lines[last].kind != BODY:
        last -= 1
    return score, first, last


def _main_run(lines: list[_Line], vocab: Vocabulary) -> tuple[int, int, int] | None:
    """(first, last, end of its segment) of the main body, or None if the page has no prose."""
    segments = _segments(lines)
    best: tuple[float, int, int, int] = (0.0, -1, -1, -1)
    for lo, hi, zone in segments:
        score, first, last = _best_run(lines, lo, hi, zone, vocab)
        if first >= 0 and score > best[0]:
            best = (score, first, last, hi)
    anchored = _anchored_run(lines, segments, vocab)
    if anchored is not None and anchored[0] >= vocab.title_anchor_fraction * best[0]:
        best = anchored
    return None if best[1] < 0 else best[1:]


def _anchored_run(
    lines: list[_Line], segments: list[tuple[int, int, bool]], vocab: Vocabulary
) -> tuple[float, int, int, int] | None:
    """The body right under a line that repeats the page title (the first line).

    Scraped pages often begin with the HTML <title>, "Headline - Site"; the
    article's own headline repeats it further down, and the body follows it.
    That beats a longer run of footer or comment text elsewhere.
    """
    if len(lines) < 2 or lines[0].words < vocab.headline_min_words:
        return None
    page_title = lines[0].norm
    segment_of = [0] * len(lines)
    for number, (lo, hi, _) in enumerate(segments):
        segment_of[lo:hi] = [number] * (hi - lo)
    best: tuple[float, int, int, int] | None = None
    tried = 0
    for i in range(1, len(lines) - 1):
        line = lines[i]
        if tried >= _MAX_ANCHORS or not (
            line.kind in (SHORT, HEADLINE, BODY)
            and vocab.headline_min_words < line.words <= vocab.headline_max_words
            and len(line.norm) >= 0.4 * len(page_title)
            and line.norm in page_title
        ):
            continue
        tried += 1
        _, hi, zone = segments[segment_of[i + 1]]
        score, first, last = _best_run(lines, i + 1, hi, zone and lines[i].kind != HEADLINE, vocab)
        near = first >= 0 and first <= i + 2 + vocab.meta_window
        if near and (best is None or score > best[0]):
            best = (score, first, last, hi)
    return best


# --- building documents -----------------------------------------------------


def _join(text: str, spans: list[tuple[int, int]]) -> tuple[str, int | None, int | None]:
    """Paragraphs joined as the page separates them; start/end if that is one slice of it."""
    if not spans:
        return "", None, None
    parts = [text[spans[0][0] : spans[0][1]]]
    for (_, prev_end), (start, end) in zip(spans, spans[1:]):
        parts.append("\n\n" if text.count("\n", prev_end, start) >= 2 else "\n")
        parts.append(text[start:end])
    joined = "".join(parts)
    first, last = spans[0][0], spans[-1][1]
    if text[first:last] == joined:
        return joined, first, last
    return joined, None, None


def _document(
    text: str, role: str, body: list[_Line], meta: list[_Line], title: _Line | None
) -> Document:
    """A Document from its body lines and the caption/source/link/byline/dateline lines it owns."""
    spans = [(line.start, line.end) for line in body]
    joined, start, end = _join(text, spans)
    doc = Document(
        role=role,  # type: ignore[arg-type]
        text=joined,
        title=title.text if title else None,
        start=start,
        end=end,
        metadata={
            "captions": [m.value for m in meta if m.kind == CAPTION],
            "source_lines": [m.text for m in meta if m.kind == SOURCE],
            "spans": [[s, e] for s, e in spans],
        },
        links=[Link(title=m.value) for m in meta if m.kind == LINK],
    )
    if title is not None:
        doc.metadata["title_span"] = [title.start, title.end]
    sources = [m.value for m in meta if m.kind == SOURCE]
    doc.outlet = _outlet(sources[0]) if sources else None
    bylines = [m.value for m in meta if m.kind == BYLINE]
    doc.author = bylines[0] if bylines else None
    return doc


def _outlet(value: str) -> str:
    """"commonspace.eu" from "commonspace.eu", "https://www.commonspace.eu/x" or "Reuters."."""
    value = value.strip().rstrip(".,;")
    if "://" in value or value.lower().startswith("www."):
        host = urlsplit(value if "://" in value else "//" + value).hostname or value
        return host.removeprefix("www.")
    return value


def _host(url: str | None) -> str | None:
    """The url's host without "www.", or None."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


# A wire dateline opening the first paragraph: "TASHKENT, June 29, 2012 (Bloc Wire) - ...",
# "SOCHI, Russia, 7 Dec 2019 -". The place starts with a word in capitals; an agency
# in brackets may follow the date; a dash ends the dateline.
_WIRE_HEAD = re.compile(
    r"^(?P<head>[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Za-z.'’-]*)*,[^-–—()]{4,60}?)"
    r"\s*(?:\([^()]{1,40}\)\s*)?[-–—]{1,2}\s"
)


def _wire_date(line: _Line) -> str | None:
    """The date of a wire dateline at the start of a body line, if it gives the year.

    "MOSCOW, Nov 21 (Agency) -" has no year: the date is not guessed from it.
    """
    match = _WIRE_HEAD.match(line.text)
    if match is None:
        return None
    head = match.group("head")
    found = find_date(head)
    if found is None:
        return None
    iso, start, end = found
    place = head[:start].strip().rstrip(",")
    if not place or len(place.split()) > 5 or head[end:].strip(" ,"):
        return None
    return iso


def _date_above(lines: list[_Line], top: int, vocab: Vocabulary) -> str | None:
    """A dateline just above the headline (ministry pages: "23.11.2022", then the title)."""
    for i in range(top - 1, max(-1, top - 1 - vocab.meta_window), -1):
        line = lines[i]
        if line.kind == DATELINE:
            return line.value
        if line.kind in (BODY, HEADING, HEADLINE, DUPLICATE, COMMENTS):
            return None
    return None


def _own_date(header: list[_Line], meta: list[_Line], vocab: Vocabulary) -> str | None:
    """A date clearly the document's own: a dateline under its headline, or a "Published:" line.

    A bare date elsewhere on the page may belong to anything (a teaser, a
    comment, the footer), so it is not taken.
    """
    for line in header:
        if line.kind == DATELINE:
            return line.value
    for line in meta:
        if line.kind == DATELINE and _starts_with(line.norm, vocab.dateline_prefixes):
            return line.value
    return None


def _main_document(text: str, lines: list[_Line], vocab: Vocabulary) -> tuple[Document, int, int]:
    """The main article and the range of lines it owns (nothing else may claim them)."""
    run = _main_run(lines, vocab)
    if run is None:
        title = next((ln for ln in lines if ln.kind in _TEXT and _is_headline(ln, vocab)), None)
        return _document(text, "main", [], [], title), 0, 0
    first, last, seg_end = run
    title_at = _find_title(lines, first, vocab)
    if title_at is None and first < last and _is_headline_like(lines[first], vocab):
        # no headline above: a headline-shaped first line ("Is X trying to ...?") is it
        title_at, first = first, first + 1
        while lines[first].kind != BODY:
            first += 1
    own_lo = title_at if title_at is not None else first
    body = [ln for ln in lines[first : last + 1] if ln.kind in _TEXT]
    meta = [ln for ln in lines[own_lo:seg_end] if ln.kind in _NEUTRAL]
    header = lines[own_lo + (title_at is not None) : first]
    doc = _document(text, "main", body, meta, lines[title_at] if title_at is not None else None)
    doc.published = (
        _own_date(header, meta, vocab)
        or (_wire_date(body[0]) if body else None)
        or _date_above(lines, own_lo, vocab)
    )
    return doc, own_lo, seg_end


def _is_headline_like(line: _Line, vocab: Vocabulary) -> bool:
    """A line that could be a headline even though it is long enough to be prose."""
    return (
        vocab.headline_min_words <= line.words <= vocab.headline_max_words
        and not _HEADLINE_BAD_END.search(line.text)
    )


def _find_title(lines: list[_Line], first: int, vocab: Vocabulary) -> int | None:
    """The headline just above the body: skip meta and boilerplate lines, take a short line."""
    limit = max(-1, first - vocab.meta_window - 3)
    for i in range(first - 1, limit, -1):
        line = lines[i]
        if line.kind == HEADLINE or (line.kind == SHORT and _is_headline(line, vocab)):
            return i
        if line.kind in (HEADING, DUPLICATE, BODY, COMMENTS):
            return None
    return None


def _teasers(
    text: str, lines: list[_Line], own: tuple[int, int], main_title: str, vocab: Vocabulary
) -> list[Document]:
    """Each distinct teaser outside the main article, in page order, repeats counted."""
    found: dict[tuple[str, tuple[str, ...]], Document] = {}
    i, in_zone = 0, False
    while i < len(lines):
        if own[0] <= i < own[1]:
            i, in_zone = own[1], False
            continue
        line = lines[i]
        in_zone = (in_zone or line.kind == HEADING) and line.kind != COMMENTS
        if line.kind == HEADLINE or (in_zone and _opens_teaser(lines, i, own, vocab)):
            doc, key, i = _read_teaser(text, lines, i, own, vocab)
            if doc is not None and key[0] != main_title:
                if key in found:
                    found[key].metadata["repeats"] += 1
                else:
                    doc.metadata["repeats"] = 1
                    found[key] = doc
            continue
        i += 1
    return list(found.values())


def _opens_teaser(lines: list[_Line], i: int, own: tuple[int, int], vocab: Vocabulary) -> bool:
    """In a teaser zone, a headline-shaped line followed (past meta lines) by prose."""
    if not _is_headline(lines[i], vocab) or lines[i].kind != SHORT:
        return False
    for j in range(i + 1, min(len(lines), i + 2 + vocab.meta_window)):
        if own[0] <= j < own[1]:
            return False
        if lines[j].kind in _NEUTRAL or lines[j].kind == DUPLICATE:
            continue
        return lines[j].kind == BODY
    return False


def _read_teaser(
    text: str, lines: list[_Line], i: int, own: tuple[int, int], vocab: Vocabulary
) -> tuple[Document | None, tuple[str, tuple[str, ...]], int]:
    """Read one teaser from its headline at ``i``; return it, its identity, and the next index."""
    title = lines[i]
    body: list[_Line] = []
    meta: list[_Line] = []
    header: list[_Line] = []
    j = i + 1
    while j < len(lines) and not own[0] <= j < own[1]:
        line = lines[j]
        if line.kind in (HEADING, LABEL, HEADLINE, COMMENTS) or (
            body and line.kind == SHORT and _opens_teaser(lines, j, own, vocab)
        ):
            break
        if line.kind == BODY:
            body.append(line)
        elif line.kind in _NEUTRAL:
            meta.append(line)
            if not body:
                header.append(line)
        j += 1
    key = (title.norm, tuple(line.norm for line in body))
    if not body:
        return None, key, max(j, i + 1)
    doc = _document(text, "teaser", body, meta, title)
    doc.published = _own_date(header, meta, vocab)
    return doc, key, j


def segment_text(
    text: str, *, url: str | None = None, vocabulary: Vocabulary | None = None
) -> list[Document]:
    """The page's main article first (role "main"), then each distinct teaser in page order.

    Pure: the same text gives the same documents. Offsets in ``start``/``end``
    and ``metadata["spans"]`` point into ``text`` as given.
    """
    if not isinstance(text, str):
        raise SegmentError(f"segment_text needs str, not {type(text).__name__}")
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    lines = _read_lines(text, vocab)
    _mark_doubled(lines, vocab)
    _demote_inline_headings(lines)
    main, own_lo, own_hi = _main_document(text, lines, vocab)
    main.url = url
    main.outlet = main.outlet or _host(url)
    title_norm = _trim_edges(" ".join((main.title or "").lower().split()))
    teasers = _teasers(text, lines, (own_lo, own_hi), title_norm, vocab)
    return [main, *teasers]
