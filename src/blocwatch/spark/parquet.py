"""Parquet files for the tables, written and read with pyarrow (on executors and in load).

A Spark task writes its partition's rows straight to ``DIR/<table>/part-NNNNN.parquet``
(a temporary name, then a rename: a retried task overwrites with the same rows),
so the whole run is one Spark job with no JVM round trip for the rows.
Output URIs are whatever pyarrow's file systems open: local paths, ``file://``,
``hdfs://``, ``s3://`` (``s3a://`` is read as ``s3://``), ``gs://``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from blocwatch.errors import BlocwatchError
from blocwatch.spark import tables

ROW_GROUP = 2000  # rows buffered per table before a row group is written


def filesystem(uri: str) -> tuple[Any, str]:
    """(pyarrow FileSystem, path in it) for a local path or a URI."""
    try:
        from pyarrow import fs
    except ImportError as exc:
        raise BlocwatchError("reading and writing Parquet needs pyarrow: "
                             "pip install 'blocwatch[spark]'") from exc
    if uri.startswith("s3a://"):
        uri = "s3://" + uri.removeprefix("s3a://")
    if "://" in uri:
        return fs.FileSystem.from_uri(uri)
    return fs.LocalFileSystem(), uri.removeprefix("file:")


def schema(name: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    participant = pa.struct([(f, pa.string()) for f in tables.PARTICIPANT_FIELDS])
    kinds = {
        "int": pa.int32(), "long": pa.int64(), "string": pa.string(), "binary": pa.binary(),
        "bool": pa.bool_(), "strings": pa.list_(pa.string()), "participants": pa.list_(participant),
    }
    return pa.schema([(column, kinds[kind]) for column, kind in tables.COLUMNS[name]])


def write_partition(index: int, rows: Iterable[tables.Tagged], out_dir: str) -> dict[str, int]:
    """Write one partition's rows, table by table; return how many rows each table got."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fs, root = filesystem(out_dir)
    token = uuid.uuid4().hex
    buffers: dict[str, list[tables.Row]] = {name: [] for name in tables.TABLES}
    writers: dict[str, Any] = {}
    counts = dict.fromkeys(tables.TABLES, 0)

    def flush(name: str) -> None:
        if not buffers[name]:
            return
        if name not in writers:
            handle = fs.open_output_stream(f"{root}/{name}/.part-{index:05d}.{token}")
            writers[name] = (pq.ParquetWriter(handle, schema(name), compression="snappy"), handle)
        columns = list(zip(*buffers[name], strict=True))
        writers[name][0].write_table(pa.Table.from_arrays(
            [pa.array(col, type=field.type) for col, field in zip(columns, schema(name),
                                                                  strict=True)],
            schema=schema(name)))
        buffers[name].clear()

    try:
        for name, row in rows:
            buffers[name].append(row)
            counts[name] += 1
            if len(buffers[name]) >= ROW_GROUP:
                flush(name)
        for name in tables.TABLES:
            flush(name)
    finally:
        for writer, handle in writers.values():
            writer.close()
            handle.close()
    for name in writers:
        fs.move(f"{root}/{name}/.part-{index:05d}.{token}",
                f"{root}/{name}/part-{index:05d}.parquet")
    return counts


def part_files(fs: Any, root: str, name: str) -> list[str]:
    from pyarrow import fs as pafs

    folder = f"{root}/{name}"
    if fs.get_file_info(folder).type == pafs.FileType.NotFound:
        raise BlocwatchError(f"{root}: no {name} table; is it a spark-ingest output?")
    found = fs.get_file_info(pafs.FileSelector(folder))
    return sorted(i.path for i in found if i.is_file and i.base_name.endswith(".parquet")
                  and not i.base_name.startswith(("_", ".")))


def read_rows(fs: Any, path: str, batch: int = 256) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    with fs.open_input_file(path) as handle:
        for chunk in pq.ParquetFile(handle).iter_batches(batch_size=batch):
            yield from chunk.to_pylist()
