"""The segmenter's vocabulary: label words, boilerplate phrases, line prefixes.

They live in ``segment_vocab.toml`` beside this module, because which words
mark a teaser heading or a share button is knowledge about sites, not logic
(trafilatura keeps its xpaths apart for the same reason). Loaded once into a
frozen ``Vocabulary`` so a caller can pass a variant without touching code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from blocwatch.errors import BlocwatchError
from blocwatch.needles import fold, minimal, needles, sre_parse

VOCAB_FILE = "segment_vocab.toml"


class VocabularyError(BlocwatchError):
    """A segmenter vocabulary file is missing, not TOML, or lacks a key."""


@dataclass(frozen=True)
class Expressions:
    """A list of expressions, case-insensitive, searched for whether any matches a line.

    Most lines hold none of the words the expressions are built around, so those
    with known needles (:mod:`blocwatch.needles`) are searched only in a line
    whose folded text holds one of them; the others on every line.
    """

    gated: re.Pattern[str] | None  # the expressions with needles, as one alternation
    gate: re.Pattern[str] | None  # any of their needles, searched in the folded line
    ungated: re.Pattern[str] | None  # the expressions with none known

    def search(self, text: str) -> re.Match[str] | None:
        """A match of one of the expressions in TEXT, or None when none matches."""
        found = self.ungated.search(text) if self.ungated is not None else None
        if found is None and self.gated is not None and self.gate is not None \
                and self.gate.search(fold(text)):
            found = self.gated.search(text)
        return found


@dataclass(frozen=True)
class Vocabulary:
    """Words and limits the plain-text segmenter reads; see segment_vocab.toml."""

    teaser_headings: frozenset[str]
    section_labels: frozenset[str]
    comment_headings: frozenset[str]
    comment_pattern: Expressions
    boilerplate_lines: frozenset[str]
    boilerplate_prefixes: tuple[str, ...]
    boilerplate_pattern: Expressions
    caption_prefixes: tuple[str, ...]
    caption_pattern: Expressions
    source_prefixes: tuple[str, ...]
    link_prefixes: tuple[str, ...]
    byline_prefixes: tuple[str, ...]
    dateline_prefixes: tuple[str, ...]
    good_words: int = 10
    max_boilerplate_words: int = 12
    max_caption_words: int = 80
    headline_min_words: int = 3
    headline_max_words: int = 30
    max_meta_words: int = 12
    meta_window: int = 4
    short_line_cost: float = 4.0
    boilerplate_line_cost: float = 6.0
    teaser_zone_weight: float = 0.3
    title_anchor_fraction: float = 0.25
    cjk_word_per_char: float = 0.5


def _words(table: dict[str, Any], key: str, where: str) -> list[str]:
    """A list of lower-cased phrases from the table, or a VocabularyError naming the key."""
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise VocabularyError(f"{where}: [{key}] must be a list of strings")
    return [" ".join(item.lower().split()) if item.strip() else item.lower() for item in value]


def _prefixes(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """Prefixes longest first, so "see also related content:" wins over "see also:"."""
    return tuple(sorted(_words(table, key, where), key=len, reverse=True))


def _after_boundary(pattern: str) -> str | None:
    r"""What follows PATTERN's leading ``\b`` when ``\b(?:rest)`` means the same as
    PATTERN: it starts with ``\b`` and has no ``|`` at its top level (``\ba|b`` does)."""
    if sre_parse is None or not pattern.startswith("\\b"):
        return None
    parsed = sre_parse.parse(pattern)
    if len(parsed) and parsed[0] == (sre_parse.AT, sre_parse.AT_BOUNDARY):
        return pattern[2:]
    return None


def _compile(table: dict[str, Any], key: str, where: str) -> Expressions:
    r"""The listed expressions, case-insensitive, for a yes/no search (see ``Expressions``).

    One search per line instead of one per expression keeps classification
    fast on pages of a hundred thousand lines; an empty list never matches.
    """
    patterns = table.get(key)
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise VocabularyError(f"{where}: [{key}] must be a list of strings")
    try:
        for pattern in patterns:
            re.compile(pattern)  # name the bad one, not the alternation
    except re.error as exc:
        raise VocabularyError(f"{where}: bad pattern: {exc}") from exc
    known = {p: needles(p) for p in patterns}
    gated = [p for p in patterns if known[p]]
    words = sorted(minimal(frozenset().union(*(known[p] for p in gated))))
    return Expressions(
        _alternation(gated), re.compile("|".join(map(re.escape, words))) if words else None,
        _alternation([p for p in patterns if not known[p]]))


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    r"""PATTERNS as one case-insensitive alternation (None for none).

    The expressions that start at a word boundary (``\bcookies?\b``) are put
    behind one ``\b`` (see :func:`_after_boundary`): the search tries the
    alternation at every position of the line, and where there is no word
    boundary it is then refused once, not once per expression. Whether the
    search finds something is the same.
    """
    if not patterns:
        return None
    rests = [_after_boundary(p) for p in patterns]
    bounded = [rest for rest in rests if rest is not None]
    branches = [f"(?:{p})" for p, rest in zip(patterns, rests, strict=True) if rest is None]
    if bounded:
        branches.insert(0, "\\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")")
    return re.compile("|".join(branches), re.IGNORECASE)


def vocabulary_from_dict(data: dict[str, Any], *, where: str = "vocabulary") -> Vocabulary:
    """Build a Vocabulary from the parsed TOML tables (labels, boilerplate, markers, limits)."""
    labels = data.get("labels", {})
    boiler = data.get("boilerplate", {})
    markers = data.get("markers", {})
    limits = data.get("limits", {})
    if not all(isinstance(t, dict) for t in (labels, boiler, markers, limits)):
        raise VocabularyError(f"{where}: labels, boilerplate, markers and limits must be tables")
    known = set(Vocabulary.__dataclass_fields__)
    unknown = set(limits) - known
    if unknown:
        raise VocabularyError(f"{where}: unknown limit(s) {sorted(unknown)}")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in limits.values()):
        raise VocabularyError(f"{where}: every limit must be a number")
    return Vocabulary(
        teaser_headings=frozenset(_words(labels, "teaser_headings", where)),
        section_labels=frozenset(_words(labels, "section_labels", where)),
        comment_headings=frozenset(_words(labels, "comment_headings", where)),
        comment_pattern=_compile(labels, "comment_patterns", where),
        boilerplate_lines=frozenset(_words(boiler, "lines", where)),
        boilerplate_prefixes=_prefixes(boiler, "prefixes", where),
        boilerplate_pattern=_compile(boiler, "patterns", where),
        caption_prefixes=_prefixes(markers, "caption_prefixes", where),
        caption_pattern=_compile(markers, "caption_patterns", where),
        source_prefixes=_prefixes(markers, "source_prefixes", where),
        link_prefixes=_prefixes(markers, "link_prefixes", where),
        byline_prefixes=_prefixes(markers, "byline_prefixes", where),
        dateline_prefixes=_prefixes(markers, "dateline_prefixes", where),
        **limits,
    )


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read a vocabulary TOML file (default: the one shipped with blocwatch)."""
    try:
        if path is None:
            raw = resources.files("blocwatch.ingest").joinpath(VOCAB_FILE).read_text("utf-8")
            where = VOCAB_FILE
        else:
            raw = path.read_text(encoding="utf-8")
            where = str(path)
        data = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        message = f"cannot read segmenter vocabulary {path or VOCAB_FILE}: {exc}"
        raise VocabularyError(message) from exc
    return vocabulary_from_dict(data, where=where)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once per process."""
    return load_vocabulary()
