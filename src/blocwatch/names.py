"""Name normalisation: the one place that decides when two spellings are the same key."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Case-fold, strip accents and punctuation, collapse spaces: 'N. Patrushev' -> 'n patrushev'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())
