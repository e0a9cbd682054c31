"""The library's front door: the functions the CLI, HTTP API and web UI all call."""

from __future__ import annotations

from pathlib import Path

from blocwatch.importers.cow import CowImportResult
from blocwatch.importers.cow import import_cow_igo as _import_cow_igo
from blocwatch.query import history, holder, members, resolve, resolve_one
from blocwatch.reference import load_reference
from blocwatch.store import InitResult, Store, load_reference_into, open_store
from blocwatch.store.reference import DIGEST_KEY

__all__ = [
    "connect", "history", "holder", "import_cow_igo", "init", "members", "resolve",
    "resolve_one",
]


def init(db: str | None = None, *, reload: bool = False) -> tuple[Store, InitResult]:
    """Create the database if needed and load (or with RELOAD replace) the reference base."""
    base = load_reference()
    store = open_store(db)
    try:
        result = load_reference_into(store, base, reload=reload)
    except BaseException:
        store.close()
        raise
    return store, result


def connect(db: str | None = None) -> tuple[Store, InitResult | None]:
    """Open the database for queries; load the reference base the first time."""
    store = open_store(db)
    if store.get_meta(DIGEST_KEY) is not None:
        return store, None
    try:
        result = load_reference_into(store, load_reference())
    except BaseException:
        store.close()
        raise
    return store, result


def import_cow_igo(store: Store, path: str | Path) -> CowImportResult:
    """Import the COW IGO v3 state-year file; curated rows win."""
    return _import_cow_igo(store, Path(path))
