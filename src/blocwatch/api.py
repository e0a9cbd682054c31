"""The library's front door: the functions the CLI, HTTP API and web UI all call."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from blocwatch.importers.cow import CowImportResult
from blocwatch.importers.cow import import_cow_igo as _import_cow_igo
from blocwatch.ingest.pipeline import IngestOptions, IngestSummary, ingest
from blocwatch.query import history, holder, members, resolve, resolve_one
from blocwatch.reference import load_reference
from blocwatch.store import InitResult, Store, load_reference_into, open_store
from blocwatch.store.reference import DIGEST_KEY

__all__ = [
    "analyze", "connect", "history", "holder", "import_cow_igo", "ingest", "init",
    "load_samples", "members", "resolve", "resolve_one", "samples_dir",
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


def analyze(
    paths: Sequence[str],
    *,
    options: IngestOptions | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[dict[str, Any]]:
    """What blocwatch makes of PATHS, in an in-memory store: one object per page or failure."""
    from blocwatch.report import page_json

    store, _ = connect(":memory:")
    try:
        summary = ingest(store, paths, options=options, stdin=stdin)
        for outcome in summary.outcomes:
            yield page_json(store, outcome.page_id, outcome.path, outcome.duplicates_removed)
        for failure in summary.failures:
            yield {"path": failure.path, "error": failure.reason}
    finally:
        store.close()


def samples_dir() -> Path:
    """The sample articles shipped with blocwatch (written for it, not copied)."""
    from importlib import resources

    return Path(str(resources.files("blocwatch") / "samples"))


def load_samples(store: Store) -> IngestSummary:
    """Ingest the bundled sample articles (the same page again changes nothing)."""
    return ingest(store, [str(samples_dir())])
