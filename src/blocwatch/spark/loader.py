"""``blocwatch load``: a spark-ingest output into any store, as a local ingest would store it.

The pages are replayed in input order (file, then record) through the local
ingest's ``ingest_pages``/``store_page``: the same page-hash check, the same
exact and near duplicate search across the whole store, the same failure
rows, one transaction per page. Only the per-page work is not redone: the
documents and extractions come from the Parquet tables. So duplicates that
Spark saw in different partitions are resolved exactly as in one local run,
and loading the same output again changes nothing.

Each part file is sorted; a table is read as the merge of its part files,
batch by batch, so memory stays bounded by a batch per part file and one
page's rows, whatever the size of the output. Needs pyarrow, not Spark.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator
from typing import Any

from blocwatch.errors import BlocwatchError
from blocwatch.extract.model import Extraction
from blocwatch.ingest.model import Document, RawPage, ReadFailure
from blocwatch.ingest.pipeline import IngestOptions, IngestSummary, ingest_pages
from blocwatch.spark import parquet, tables
from blocwatch.store.db import Store
from blocwatch.store.reference import DIGEST_KEY

Key = tuple[int, int]


class _Table:
    """One table's rows in key order: its part files (each sorted) merged by key."""

    def __init__(self, filesystem: Any, root: str, name: str) -> None:
        self.name = name
        parts = [self._checked(parquet.read_rows(filesystem, path), path)
                 for path in parquet.part_files(filesystem, root, name)]
        self._rows = heapq.merge(*parts, key=lambda row: (row["file_index"], row["record"]))
        self._head: dict[str, Any] | None = next(self._rows, None)

    def _checked(self, rows: Iterator[dict[str, Any]], path: str) -> Iterator[dict[str, Any]]:
        last: Key = (-1, -1)
        for row in rows:
            key = (row["file_index"], row["record"])
            if key < last:
                raise BlocwatchError(f"{path}: rows out of order at {key}")
            last = key
            yield row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while self._head is not None:
            row, self._head = self._head, next(self._rows, None)
            yield row

    def take(self, key: Key) -> list[dict[str, Any]]:
        """The rows of page KEY (rows of earlier keys would be orphans: an error)."""
        out = []
        while self._head is not None and (self._head["file_index"], self._head["record"]) <= key:
            row, self._head = self._head, next(self._rows, None)
            if (row["file_index"], row["record"]) != key:
                raise BlocwatchError(f"{self.name}: a row of page {row['file_index']}/"
                                     f"{row['record']} that the pages table lacks")
            out.append(row)
        return out


def read_manifest(out_dir: str) -> dict[str, Any]:
    filesystem, root = parquet.filesystem(out_dir)
    try:
        with filesystem.open_input_stream(f"{root}/manifest.json") as handle:
            manifest: dict[str, Any] = json.loads(handle.read())
    except (OSError, FileNotFoundError) as exc:
        raise BlocwatchError(f"{out_dir}: no manifest.json; is it a finished spark-ingest "
                             f"output?") from exc
    except ValueError as exc:
        raise BlocwatchError(f"{out_dir}/manifest.json: not JSON ({exc})") from exc
    if manifest.get("format_version") != tables.FORMAT_VERSION:
        raise BlocwatchError(f"{out_dir}: written in table format "
                             f"{manifest.get('format_version')}, this blocwatch reads "
                             f"{tables.FORMAT_VERSION}")
    return manifest


def _replay(filesystem: Any, root: str,
            pending: dict[int, tuple[list[Document], list[Extraction], str | None]]
            ) -> Iterator[RawPage | ReadFailure]:
    """Pages and read failures in input order; what each page holds goes to PENDING."""
    pages = _Table(filesystem, root, "pages")
    failures = _Table(filesystem, root, "failures")
    documents = _Table(filesystem, root, "documents")
    mentions = _Table(filesystem, root, "entities")
    statements = _Table(filesystem, root, "statements")
    meetings = _Table(filesystem, root, "meetings")
    read_failures = (row for row in failures if row["stage"] == "read")

    def keyed(rows: Iterator[dict[str, Any]]) -> Iterator[tuple[Key, dict[str, Any]]]:
        return (((row["file_index"], row["record"]), row) for row in rows)

    for key, row in heapq.merge(keyed(iter(pages)), keyed(read_failures), key=lambda kr: kr[0]):
        if "stage" in row:
            yield ReadFailure(row["path"], row["reason"])
            continue
        docs = documents.take(key)
        found = [tables.by_position(rows) for rows in
                 (mentions.take(key), statements.take(key), meetings.take(key))]
        extractions = [tables.extraction(d, *(group.get(d["position"], []) for group in found))
                       for d in docs]
        page = tables.raw_page(row)
        pending[id(page)] = ([tables.document(d) for d in docs], extractions, row["reason"])
        yield page


def load(store: Store, out_dir: str, *, options: IngestOptions | None = None,
         progress: Callable[[str], None] | None = None) -> IngestSummary:
    """Store every page of a spark-ingest output, in input order, as a local ingest would."""
    manifest = read_manifest(out_dir)
    have = store.get_meta(DIGEST_KEY)
    if manifest["reference_digest"] != have:
        raise BlocwatchError(
            f"{out_dir} was extracted with reference base {manifest['reference_digest'][:12]}, "
            f"but {store.location} holds {(have or 'none')[:12]}; bring them to the same "
            "reference base (blocwatch init --reload) or run spark-ingest again")
    filesystem, root = parquet.filesystem(out_dir)
    pending: dict[int, tuple[list[Document], list[Extraction], str | None]] = {}

    def prepare(page: RawPage) -> tuple[list[Document], list[Extraction]]:
        documents, extractions, reason = pending.pop(id(page))
        if reason is not None:
            raise BlocwatchError(reason)  # recorded as the local ingest records it
        return documents, extractions

    return ingest_pages(store, _replay(filesystem, root, pending),
                        options=options or IngestOptions(), progress=progress, prepare=prepare)
