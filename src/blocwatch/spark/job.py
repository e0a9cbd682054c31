"""``spark-ingest``: the per-page pipeline over an archive, in Spark partitions.

    driver:    inputs -> ordered file list; reference store -> Gazetteer (broadcast)
    stage 1:   binaryFiles -> (file_index, record) + RawPage | ReadFailure   (readers)
    shuffle:   pages hashed over N partitions (one big WARC is not one task),
               sorted by key within each
    stage 2:   mapPartitionsWithIndex: Extractor built once per worker; per page
               documents_of -> Extractor on each document -> rows   (the local code)
               -> one Parquet part file per table (pyarrow), counts back to the driver
    driver:    manifest.json, written last

Nothing here decides what a page holds: reading is ``blocwatch.ingest.readers``,
segmentation ``documents_of``, extraction ``Extractor`` -- the functions a
local ingest runs. Dedup and storing happen later, in ``blocwatch load``, in
input order, through the local ingest's ``store_page``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from blocwatch.errors import BlocwatchError
from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.ingest import readers
from blocwatch.ingest.model import Format, RawPage, ReadFailure
from blocwatch.ingest.readers import Limits
from blocwatch.spark import parquet, tables

log = logging.getLogger(__name__)

Key = tuple[int, int]


@dataclass(frozen=True)
class SparkOptions:
    """How a run reads and spreads its work (the extraction itself has no options)."""

    format: Format | None = None  # None: detected from content, as in a local ingest
    limits: Limits = field(default_factory=Limits)
    partitions: int | None = None  # pages are spread over this many tasks; None: 4 per core
    snapshot_db: str | None = None  # store whose reference snapshot to use; None: bundled base


@dataclass
class RunResult:
    out_dir: str
    manifest: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"out": self.out_dir, **self.manifest}


# --- on the executors ---------------------------------------------------------------

_EXTRACTORS: dict[str, Any] = {}  # digest -> Extractor: once per Python worker, not per page


def _extractor(snapshot: Any, token: str) -> Any:
    """The Extractor for this run's broadcast snapshot, built on first use in this worker."""
    from blocwatch.extract.pipeline import Extractor

    if token not in _EXTRACTORS:
        _EXTRACTORS.clear()
        from blocwatch.extract.statistical import load_model

        _EXTRACTORS[token] = Extractor(snapshot.value, load_model())
    return _EXTRACTORS[token]


def read_file(index: int, name: str, data: bytes, options: SparkOptions
              ) -> Iterator[tuple[Key, RawPage | ReadFailure]]:
    """The pages of one input file given as bytes, named and numbered as a local ingest does."""
    cap = options.limits.max_file_bytes
    if cap is not None and len(data) > cap:
        items: Iterable[RawPage | ReadFailure] = [
            ReadFailure(name, readers.over_limit_reason(len(data), cap, "max_file_bytes"))]
    else:
        items = readers.read_stream(name, io.BytesIO(data), len(data), options.format,
                                     options.limits)
    for record, item in enumerate(items):
        yield (index, record), item


def process_partition(items: Iterable[tuple[Key, RawPage | ReadFailure]], snapshot: Any,
                      token: str) -> Iterator[tables.Tagged]:
    """Rows for every page of a partition: the local per-page functions, one pipeline.

    SNAPSHOT is the broadcast Gazetteer; TOKEN names this run's snapshot, so a
    reused worker builds the Extractor once and a new run's snapshot replaces it.
    """
    from blocwatch.ingest.pipeline import documents_of

    extractor = _extractor(snapshot, token)
    for key, item in items:
        if isinstance(item, ReadFailure):
            yield from tables.failure_rows(key, item, "read")
            continue
        try:
            documents = documents_of(item)
        except BlocwatchError as exc:  # the same reasons ingest_pages records
            yield from tables.page_rows(key, item, None, [], reason=str(exc))
            continue
        except RecursionError:
            yield from tables.page_rows(key, item, None, [],
                                        reason="page too deeply nested to read")
            continue
        yield from tables.page_rows(key, item, documents, [extractor(d) for d in documents])


# --- on the driver ------------------------------------------------------------------


def _is_local(path: str) -> bool:
    return "://" not in path and not path.startswith("file:")


def list_inputs(inputs: Sequence[str], hadoop: Any | None = None
                ) -> list[tuple[str, str | ReadFailure]]:
    """Every input file in local-ingest order, as (name, Hadoop URI) or (name, failure).

    Local directories are walked exactly as ``blocwatch ingest`` walks them
    (sorted, hidden names skipped); other URIs are listed through Hadoop.
    """
    out: list[tuple[str, str | ReadFailure]] = []
    for path in inputs:
        if path == "-":
            raise BlocwatchError("spark-ingest reads files, not standard input ('-')")
        if _is_local(path):
            names: Iterable[str | ReadFailure] = (
                readers.walk(path) if os.path.isdir(path) else [path])
            for name in names:
                if isinstance(name, ReadFailure):
                    out.append((name.path, name))
                    continue
                try:
                    with open(name, "rb"):
                        pass
                except OSError as exc:
                    out.append((name, ReadFailure(name, f"cannot open: {exc.strerror or exc}")))
                    continue
                out.append((name, "file:" + os.path.abspath(name)))
        else:
            if hadoop is None:
                raise BlocwatchError(f"{path}: a Hadoop path needs a Spark session to list it")
            out.extend(hadoop(path))
    return out


def _hadoop_lister(sc: Any):  # type: ignore[no-untyped-def]
    """List a Hadoop-compatible path (hdfs://, s3a://, gs://, abfs://, file:) on the driver."""
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()

    def listing(path: str) -> list[tuple[str, str | ReadFailure]]:
        hpath = jvm.org.apache.hadoop.fs.Path(path)
        fs = hpath.getFileSystem(conf)
        statuses = fs.globStatus(hpath)
        if not statuses:
            return [(path, ReadFailure(path, "cannot open: No such file or directory"))]
        files: list[str] = []
        for status in statuses:
            if status.isDirectory():
                found = fs.listFiles(status.getPath(), True)
                while found.hasNext():
                    p = found.next().getPath()
                    if not p.getName().startswith((".", "_")):
                        files.append(p.toString())
            else:
                files.append(status.getPath().toString())
        return [(f, f) for f in sorted(files)]

    return listing


def _session(master: str | None):  # type: ignore[no-untyped-def]
    """The active Spark session, or a new one (then ours to stop)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise BlocwatchError(
            "spark-ingest needs pyspark: pip install 'blocwatch[spark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName("blocwatch spark-ingest")
    if "PYSPARK_GATEWAY_PORT" in os.environ:
        master = None  # launched by spark-submit: its --master and --conf decide
    elif master is None:
        master = "local[*]"
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # Local workers run this interpreter, which has blocwatch installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (builder.config("spark.ui.showConsoleProgress", "false")
                   .config("spark.ui.enabled", "false"))
    return builder.getOrCreate(), True


def local_session(master: str = "local[2]"):  # type: ignore[no-untyped-def]
    """A Spark session for running blocwatch on this machine (tests, benchmarks)."""
    return _session(master)[0]


def _snapshot(options: SparkOptions) -> tuple[Gazetteer, str]:
    """The reference snapshot extraction reads, and its digest."""
    from blocwatch.api import connect
    from blocwatch.store.reference import DIGEST_KEY

    store, _ = connect(options.snapshot_db or ":memory:")
    try:
        digest = store.get_meta(DIGEST_KEY)
        if digest is None:
            raise BlocwatchError(f"{store.location} holds no reference base")
        return Gazetteer.from_store(store), digest
    finally:
        store.close()


def _prepare_output(out_dir: str) -> None:
    """Refuse an existing output before the work, not after it; create the table folders."""
    from pyarrow import fs as pafs

    fs, root = parquet.filesystem(out_dir)
    if fs.get_file_info(root).type != pafs.FileType.NotFound:
        raise BlocwatchError(f"{out_dir} already exists; spark-ingest writes a new folder")
    for name in tables.TABLES:
        fs.create_dir(f"{root}/{name}", recursive=True)


def _write_manifest(out_dir: str, manifest: dict[str, Any]) -> None:
    """Written last: a folder with a manifest is a finished run."""
    fs, root = parquet.filesystem(out_dir)
    with fs.open_output_stream(f"{root}/manifest.json") as handle:
        handle.write((json.dumps(manifest, indent=2) + "\n").encode())


def run(inputs: Sequence[str], out_dir: str, *, master: str | None = "local[2]",
        options: SparkOptions | None = None) -> RunResult:
    """Read INPUTS with Spark, run the per-page pipeline, write Parquet tables to OUT_DIR.

    MASTER is ignored when a Spark session is already active (a notebook, a
    test) or when spark-submit launched us (its --master decides); None means
    ``local[*]`` otherwise.
    """
    options = options or SparkOptions()
    started = time.perf_counter()
    gazetteer, digest = _snapshot(options)
    spark, owned = _session(master)
    try:
        sc = spark.sparkContext
        files = list_inputs(inputs, _hadoop_lister(sc))
        if not files:
            raise BlocwatchError("no input files")
        _prepare_output(out_dir)
        uris = {uri: (i, name) for i, (name, uri) in enumerate(files) if isinstance(uri, str)}
        early = [((i, 0), uri) for i, (_, uri) in enumerate(files) if isinstance(uri, ReadFailure)]
        snapshot = sc.broadcast(gazetteer)
        token = f"{digest}:{uuid.uuid4().hex}"
        partitions = options.partitions or sc.defaultParallelism * 4

        def pages_of(pair: tuple[str, bytes]) -> Iterator[tuple[Key, RawPage | ReadFailure]]:
            found = uris.get(pair[0])
            if found is None:
                raise BlocwatchError(f"Spark read {pair[0]!r}, which is not an input")
            return read_file(found[0], found[1], pair[1], options)

        def work(index: int, items: Iterable[tuple[Key, RawPage | ReadFailure]]
                 ) -> Iterator[dict[str, int]]:
            rows = process_partition(items, snapshot, token)
            yield parquet.write_partition(index, rows, out_dir)

        pages = sc.parallelize(early, 1) if early else sc.emptyRDD()
        if uris:
            read = sc.binaryFiles(",".join(uris), minPartitions=min(len(uris), partitions))
            pages = pages.union(read.flatMap(pages_of))
        # Pages spread by key hash (one big WARC becomes many tasks), sorted within each
        # partition, so each part file is in input order and load merges them: one job.
        counts = dict.fromkeys(tables.TABLES, 0)
        for part in (pages.repartitionAndSortWithinPartitions(numPartitions=partitions)
                     .mapPartitionsWithIndex(work).collect()):
            for name, n in part.items():
                counts[name] += n
        snapshot.unpersist()
        manifest = {
            "format_version": tables.FORMAT_VERSION,
            "inputs": list(inputs),
            "files": [name for name, _ in files],
            "counts": counts,
            "reference_digest": digest,
            "snapshot": options.snapshot_db or "bundled reference base",
            "format": options.format,
            "blocwatch_version": metadata.version("blocwatch"),
            "spark_version": spark.version,
            "master": sc.master,
            "partitions": partitions,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 3),
        }
        _write_manifest(out_dir, manifest)
        return RunResult(out_dir, manifest)
    except Exception as exc:
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            raise BlocwatchError(f"spark-ingest to {out_dir}: {_one_line(exc)}") from exc
        raise
    finally:
        if owned:
            spark.stop()


def _one_line(exc: BaseException) -> str:
    """Spark's errors carry a JVM or Python traceback: keep the line that says what broke."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    text = (raised[-1] if raised else lines[0]) if lines else type(exc).__name__
    return text.split(" SQLSTATE")[0][:300]
