"""Name normalisation: the one place that decides when two spellings are the same key."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case-fold, strip accents and punctuation, collapse spaces: 'N. Patrushev' -> 'n patrushev'."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        # Drop the combining marks (accents) in one C pass: the characters a
        # text holds are few, so only those are looked up, not every position.
        marks = [ch for ch in set(decomposed) if unicodedata.combining(ch)]
        if marks:
            decomposed = decomposed.translate(dict.fromkeys(map(ord, marks)))
    # the words are the runs of word characters (none of which is a space)
    return " ".join(_WORD.findall(decomposed.casefold()))
