"""A section's tokens as plain lists, built once per Doc and shared by the components.

Every component that walks tokens one by one (persons, dates, events, quotes,
quantities) reads this table instead of indexing the Doc.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from functools import cached_property
from itertools import compress
from typing import NamedTuple

from spacy.attrs import IDX, LENGTH, SENT_START, SPACY

from blocwatch.extract.model import Section


class Bounds(NamedTuple):
    """Token bounds [start, end) of a sentence, where only they are read (no spaCy Span)."""

    start: int
    end: int


class Tokens:
    """A section's tokens as plain lists, read from its Doc once.

    Indexing a Doc builds a new Token object every time and each string
    attribute of a Token is decoded anew, so the components that walk tokens
    one by one read these lists instead (``lower[i]`` is ``doc[i].lower_``).
    """

    def __init__(self, section: Section) -> None:
        self.doc = section.doc
        self._columns = self.doc.to_array([IDX, LENGTH, SPACY, SENT_START])
        idx, length = self._columns[:, 0].tolist(), self._columns[:, 1].tolist()
        text = self.section_text = section.text  # the Doc's text: spaCy keeps every character
        self.idx: list[int] = idx
        self.text: list[str] = [text[a:a + n] for a, n in zip(idx, length, strict=True)]
        self.lower: list[str] = list(map(str.lower, self.text))

    @cached_property
    def space(self) -> list[bool]:
        """Whitespace after the token (spaCy's ``whitespace_`` is not empty)."""
        return (self._columns[:, 2] == 1).tolist()

    @cached_property
    def sent_start(self) -> list[bool]:
        """The tokens that begin a sentence (spaCy's ``is_sent_start`` is True)."""
        return (self._columns[:, 3] == 1).tolist()

    @cached_property
    def blank(self) -> list[bool]:
        """Whitespace-only tokens (spaCy's ``is_space``): line breaks, runs of spaces."""
        return list(map(str.isspace, self.text))

    def where(self, words: Collection[str]) -> list[int]:
        """The indices of the tokens whose lower form is in WORDS, in text order."""
        return list(compress(range(len(self.lower)), map(words.__contains__, self.lower)))

    def char_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token bounds [start, end) of ``doc.char_span(start, end, alignment_mode="expand")``,
        or None where that is None (START < END).

        The tokens and their trailing spaces cover the text without gaps, so
        the token holding a character is the last one starting at or before it.
        """
        size = len(self.section_text)
        if not (0 <= start < size and 0 < end <= size):
            return None
        first = bisect_right(self.idx, start) - 1
        last = bisect_right(self.idx, end - 1) - 1
        if start == self.end_char(first):  # on the space after a token: the next token
            first += 1
        return first, last + 1

    @cached_property
    def sents(self) -> list[tuple[int, int]]:
        """Token bounds [start, end) of each sentence (as ``doc.sents``; it raises alike)."""
        return [(s.start, s.end) for s in self.doc.sents]

    @cached_property
    def sent_chars(self) -> list[tuple[int, int]]:
        """Character bounds [start, end) of each sentence (``start_char``, ``end_char``)."""
        return [(self.idx[a], self.end_char(b - 1)) for a, b in self.sents]

    def end_char(self, k: int) -> int:
        """Where token k ends in the text."""
        return self.idx[k] + len(self.text[k])

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as ``doc[start:end].text``."""
        return self.section_text[self.idx[start]:self.end_char(end - 1)] if end > start else ""


def tokens(section: Section) -> Tokens:
    """The token table of SECTION's Doc, built on first use and kept with the Doc."""
    table = section.doc.user_data.get(_TOKENS)
    if table is None:
        table = section.doc.user_data[_TOKENS] = Tokens(section)
    return table


_TOKENS = "blocwatch.tokens"
