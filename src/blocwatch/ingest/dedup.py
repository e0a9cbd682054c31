"""Exact and near duplicates across the whole store.

Exact: the SHA-256 of the text with case, punctuation and spacing
normalised. Near: MinHash (datasketch) over word 3-shingles; the signature is
cut into LSH bands whose hashes are stored in ``document_band``, so a new
document finds its candidates with one indexed lookup however large the
store, and the candidates are confirmed by their estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.names import normalise
from blocwatch.store import schema

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch (with numpy and scipy) takes about half a second to import: it is
# loaded on first use, so commands that never compare texts start quickly.

NUM_PERM = 128
SHINGLE = 3
# The band layout is fixed for a store, tuned to surface every pair above this
# similarity; the configurable threshold then decides which candidates are duplicates.
CANDIDATE_SIMILARITY = 0.5


@dataclass(frozen=True)
class Match:
    document_id: int
    how: str  # "exact" or "near"
    similarity: float


def normalised_words(text: str) -> list[str]:
    return list(_normalised_words(text))


@lru_cache(maxsize=8)
def _normalised_words(text: str) -> tuple[str, ...]:
    # A new document's text is normalised for its exact hash, its MinHash and
    # its stored hash: once is enough.
    return tuple(normalise(text).split())


@lru_cache(maxsize=1)
def _blank() -> MinHash:
    """An empty signature, for its 128 permutations: drawing them costs about 1 ms."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(normalised_words(text)).encode()).hexdigest()


def _shingle_hashes(shingles: Iterable[str]) -> list[int]:
    """datasketch's default hash of each shingle (the first 4 bytes of its SHA-1,
    little-endian), computed in bulk: no Python call per shingle."""
    import numpy as np

    digests = b"".join(map(_DIGEST, map(hashlib.sha1, map(str.encode, shingles))))
    return np.frombuffer(digests, dtype="<u4")[::_SHA1_WORDS].tolist()


_DIGEST = operator.methodcaller("digest")
_SHA1_WORDS = 5  # a SHA-1 digest is five 4-byte words


def signature(text: str) -> MinHash:
    """The MinHash of TEXT's word 3-shingles (a text shorter than that: its words).

    A MinHash keeps each permutation's minimum, so a shingle seen twice counts
    once: each distinct one is hashed once. The hashes are computed beforehand
    (see ``_shingle_hashes``) and handed to datasketch as they are, so the
    MinHash returned takes hash values, not bytes, if updated.
    """
    from datasketch import MinHash

    words = normalised_words(text)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)))))
    mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int,
                 permutations=_blank().permutations, **_scheme())
    mh.update_batch(_shingle_hashes(shingles))
    return mh


@lru_cache(maxsize=1)
def _bands() -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_SIMILARITY, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_hashes(mh: MinHash) -> list[tuple[int, str]]:
    b, r = _bands()
    values = mh.hashvalues
    return [
        (i, hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=16).hexdigest())
        for i in range(b)
    ]


def to_bytes(mh: MinHash) -> bytes:
    import numpy as np

    return mh.hashvalues.astype(np.uint64).tobytes()


@lru_cache(maxsize=1)
def _scheme() -> dict[str, str]:
    """The permutation scheme ``signature`` uses, to rebuild stored signatures with it.

    datasketch 2 refuses hash values without their scheme (its default changed
    from "legacy" to "affine32"); datasketch 1 has no such argument.
    """
    from datasketch import MinHash

    scheme = getattr(MinHash(num_perm=1, seed=1), "scheme", None)
    return {"scheme": scheme} if scheme else {}


def from_bytes(data: bytes) -> MinHash:
    import numpy as np
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64),
                   permutations=_blank().permutations, **_scheme())


_d, _b = schema.document, schema.document_band
# Built once and run with parameters: no statement is built and cache-keyed per document.
_EXACT = sa.select(_d.c.id).where(_d.c.text_hash == sa.bindparam("text_hash"))
_INSERT_BANDS = sa.insert(_b)


@lru_cache(maxsize=1)
def _near() -> sa.Select[tuple[int, bytes]]:
    """Candidates sharing a band, with their signatures, oldest first (a tie goes to the
    first document stored on every backend).

    An OR of one (band, hash) pair per band, which SQLite answers with one search of
    document_band's primary key per band; a row-value IN over a VALUES list made it
    scan the whole table, so every lookup slowed as the store grew.
    """
    bands, _ = _bands()
    in_band = sa.or_(*(sa.and_(_b.c.band == band, _b.c.hash == sa.bindparam(f"band{band}"))
                       for band in range(bands)))
    return (sa.select(_d.c.id, _d.c.minhash)
            .where(_d.c.id.in_(sa.select(_b.c.document_id).where(in_band)))
            .order_by(_d.c.id))


def find_duplicate(conn: Connection, text: str, mh: MinHash, threshold: float) -> Match | None:
    """The stored document TEXT duplicates, exactly or nearly, if any."""
    exact = conn.execute(_EXACT, {"text_hash": text_hash(text)}).scalar()
    if exact is not None:
        return Match(exact, "exact", 1.0)
    if threshold >= 1.0:
        return None
    best: Match | None = None
    bands = {f"band{band}": h for band, h in band_hashes(mh)}
    for doc_id, stored in conn.execute(_near(), bands):
        if stored is None:
            continue
        similarity = float(mh.jaccard(from_bytes(stored)))
        if similarity >= threshold and (best is None or similarity > best.similarity):
            best = Match(doc_id, "near", similarity)
    return best


def index_document(conn: Connection, document_id: int, mh: MinHash) -> None:
    conn.execute(_INSERT_BANDS, [
        {"band": band, "hash": h, "document_id": document_id} for band, h in band_hashes(mh)
    ])
