"""The alias ruler: which names of the reference base it finds, and how overlaps are settled."""

from __future__ import annotations

import pytest


def names(extractor, text: str) -> list[tuple[str, str]]:
    return [(ent.text, ent.ent_id_) for ent in extractor.nlp(text).ents]


@pytest.mark.parametrize(("text", "expected"), [
    # "the Union" (the EU) and "Union State" overlap with one length: the name wins
    ("Belarus and Russia deepened the Union State last year.",
     [("Belarus", "BLR"), ("Russia", "RUS"), ("Union State", "union-state")]),
    ("The Union State budget for 2024 was adopted in December.",
     [("Union State", "union-state")]),
    # alone, "the Union" is still the EU
    ("The Union said it would answer Belarus.", [("The Union", "eu"), ("Belarus", "BLR")]),
    # longest first: the full name over its parts
    ("The Collective Security Treaty Organization met in Armenia.",
     [("Collective Security Treaty Organization", "csto"), ("Armenia", "ARM")]),
])
def test_overlapping_names(extractor, text, expected) -> None:
    assert names(extractor, text) == expected
