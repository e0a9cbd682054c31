"""Literals every match of a regular expression contains: text holding none is skipped.

A case-insensitive expression starting with ``\\b`` is tried at every position
of a text; most sentences or lines hold none of the words it is built around.
:func:`needles` reads the expression (with ``re``'s own parser) for strings one
of which each match must contain; :func:`fold` lower-cases a text so that any
ASCII literal such an expression finds in it is a plain substring of the
result. ``needle in fold(text)`` for none of the needles proves the expression
cannot match, so a caller searches only where one is found, and finds what a
search of every text would.

Used by the meetings component (its cues) and the segmenter's vocabulary
(boilerplate, caption and comment expressions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # re's own parser (3.11+), private: without it no needle is known and all is searched
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a future Python
    sre_parse = None


def needles(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str]:
    """Strings, lower-cased, one of which every match of PATTERN contains; empty when none
    is known (then the expression must always be searched)."""
    if sre_parse is None:
        return frozenset()
    try:
        return _needles(sre_parse.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a changed private parser: search everything, as before
        return frozenset()


# The characters beyond ASCII that re.IGNORECASE matches to an ASCII letter (found by trying
# every code point; tests/test_needles.py checks it): "İ" and "ı" (i), "ſ" (s), Kelvin (k).
CASE_TWINS = "\u0130\u0131\u017f\u212a"
# Those of them str.lower() does not lower to that letter: "İ" lowers to "i" and a combining
# dot, "ı" and "ſ" stay (the Kelvin sign lowers to "k").
ASCII_FOLDS = (("i\u0307", "i"), ("\u0131", "i"), ("\u017f", "s"))
MAX_NEEDLES = 40  # more alternatives than this cost more to test than the scan they save


def fold(text: str) -> str:
    """``text`` lower-cased so that any ASCII literal a regex (case-insensitive or not) finds in
    it appears in the result as a plain lower-case substring.

    Each character folds to one character, at the same offset, unless the text holds a
    combining dot above (U+0307): "İ", the one character that lowers to two, lowers to
    "i" and that dot, which the fold turns back into "i".
    """
    folded = text.lower()
    if not folded.isascii():
        for char, letter in ASCII_FOLDS:
            folded = folded.replace(char, letter)
    return folded


def _exact(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Every string a run of parsed regex items can match, lower-cased, when the items are only
    ASCII literals, alternations of them and anchors ("\\b"); None otherwise or when too many."""
    out = frozenset({""})
    for op, av in items:
        options: frozenset[str] | None
        if op is sre_parse.AT:
            continue
        if op is sre_parse.LITERAL and chr(av).isascii():
            options = frozenset({chr(av).lower()})
        elif op is sre_parse.SUBPATTERN:
            options = _exact(av[-1])
        elif op is sre_parse.BRANCH:
            alternatives = [a for a in map(_exact, av[1]) if a is not None]
            options = frozenset().union(*alternatives) if len(alternatives) == len(av[1]) else None
        else:
            return None
        if options is None or len(out) * len(options) > MAX_NEEDLES:
            return None
        out = frozenset(a + b for a in out for b in options)
    return out


def _needles(items: Iterable[tuple[Any, Any]]) -> frozenset[str]:
    """Strings, lower-cased, one of which every match of the parsed regex contains: the most
    telling such set found (longest shortest string; of equals the last, as the later words
    of a phrase tend to be the rarer: "were held"); empty when none is known."""
    candidates: list[frozenset[str] | None] = []
    run: list[tuple[Any, Any]] = []  # literal items in a row: one string in every match

    def close_run() -> None:
        whole = _exact(run)
        candidates.extend([whole] if whole is not None else [_exact([i]) for i in run])
        run.clear()

    for op, av in items:
        if _exact([(op, av)]) is not None:
            run.append((op, av))
            continue
        close_run()
        if op is sre_parse.SUBPATTERN:
            candidates.append(_needles(av[-1]))
        elif op is sre_parse.BRANCH:  # each alternative must bring its own
            alternatives = [_needles(a) for a in av[1]]
            if all(alternatives):
                candidates.append(frozenset().union(*alternatives))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and av[0] >= 1:
            candidates.append(_needles(av[2]))
    close_run()
    usable = [minimal(c) for c in candidates if c and "" not in c and len(c) <= MAX_NEEDLES]
    return max(reversed(usable), key=lambda c: (min(map(len, c)), -len(c)), default=frozenset())


def minimal(needles: frozenset[str]) -> frozenset[str]:
    """The needles that hold no other one: a text holding "meetings" holds "meeting"."""
    return frozenset(n for n in needles if not any(m != n and m in n for m in needles))
