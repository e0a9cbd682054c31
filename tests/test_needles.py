"""Needles: a text holding none of an expression's needles must not match it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.needles import fold, needles

EXPRESSIONS = [
    r"\bcookies?\b",
    r"\b(sign (in|up)|log ?in)\b",
    r"\((reuters|afp|ap)\)\s*$",
    r"\bterms (of|and) (use|service)\b",
    r"talks? (was|were) held",
    r"^\(?\d+\)?$",
    "©",
]


@pytest.mark.parametrize(("expression", "expected"), [
    (r"\bcookies?\b", {"cookie"}),
    (r"\((reuters|afp)\)\s*$", {"(reuters)", "(afp)"}),
    (r"^\(?\d+\)?$", set()),  # nothing every match holds: always searched
    ("©", set()),  # not ASCII: not a needle
])
def test_needles_of_an_expression(expression, expected) -> None:
    assert needles(expression) == expected


# words from the expressions, and the characters that match ASCII letters ignoring case
PIECES = ["cookie", "COOKIES", "sign", " in", "up", "log", "login", "(", ")", "reuters", "AFP",
          "ap", "terms", " of ", "and", "use", "service", "talks", "were", "held", " ", "x", "7",
          "\u0130", "\u0131", "\u017f", "\u212a", "İN", "ſign", "Kookie"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_a_text_without_needles_never_matches(text: str) -> None:
    for expression in EXPRESSIONS:
        found = needles(expression)
        if found and not any(n in fold(text) for n in found):
            assert re.search(expression, text, re.IGNORECASE) is None, (expression, text)


def test_case_twins_are_every_character_beyond_ascii_that_matches_ascii_ignoring_case() -> None:
    from blocwatch.needles import CASE_TWINS

    # Unicode pairs none beyond the Basic Multilingual Plane with ASCII
    beyond = "".join(map(chr, range(0x80, 0x10000)))
    assert "".join(re.findall(r"(?i)[\x00-\x7f]", beyond)) == CASE_TWINS
