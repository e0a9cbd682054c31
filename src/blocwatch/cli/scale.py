"""Scale-out commands: ``spark-ingest`` (archives on Spark) and ``load`` (its output into a store).

Thin wrappers over :mod:`blocwatch.spark`; register them on the main group
with ``main.add_command(spark_ingest_command)`` and ``main.add_command(load_command)``.
"""

from __future__ import annotations

import json

import click

from blocwatch.errors import BlocwatchError


def _emit(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


class _Command(click.Command):
    """One line on stderr and exit 1 for blocwatch's errors, also when run on its own
    (``python -m blocwatch.spark``, spark-submit) rather than under the main group."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BlocwatchError as exc:
            if ctx.parent is not None:
                raise  # the main group reports it
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.command(name="spark-ingest", cls=_Command)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, metavar="DIR",
              help="Where to write the Parquet tables and manifest.json (local or Hadoop URI; "
                   "must not exist yet).")
@click.option("--master", metavar="URL",
              help="Spark master (default: spark-submit's, else local[*]).")
@click.option("--partitions", type=click.IntRange(min=1), metavar="N",
              help="Tasks the pages are spread over (default: 4 per core).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "warc", "jsonl"]),
              help="Input format (default: detected from the content).")
@click.option("--snapshot-db", metavar="PATH|URL",
              help="Take the reference snapshot from this store (default: the bundled base).")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def spark_ingest_command(inputs: tuple[str, ...], out_dir: str, master: str | None,
                         partitions: int | None, fmt: str | None, snapshot_db: str | None,
                         as_json: bool) -> None:
    """Read archives with Apache Spark and write what blocwatch finds as Parquet.

    INPUTS are WARC, JSON Lines, text or HTML files or directories, local or on
    any Hadoop-compatible file system (hdfs://, s3a://, gs://). Every page goes
    through the same pipeline as `blocwatch ingest`; `blocwatch load DIR` then
    stores the result. Needs pyspark and Java 17 (pip install 'blocwatch[spark]').

    Example: blocwatch spark-ingest crawl/ news.jsonl.gz --out out/2024-06-01
    """
    from blocwatch.spark.job import SparkOptions, run

    options = SparkOptions(format=fmt, partitions=partitions,  # type: ignore[arg-type]
                           snapshot_db=snapshot_db)
    result = run(list(inputs), out_dir, master=master, options=options)
    if as_json:
        _emit(result.to_json())
        return
    counts = result.manifest["counts"]
    click.echo(f"{out_dir}: {counts['pages']} pages, {counts['documents']} documents, "
               f"{counts['statements']} statements, {counts['failures']} failures "
               f"from {len(result.manifest['files'])} files in {result.manifest['seconds']} s")


@click.command(name="load", cls=_Command)
@click.argument("out_dir", metavar="DIR")
@click.option("--near-threshold", type=float, default=0.8, show_default=True,
              help="Similarity (0.5-1.0) at which two texts count as one document.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.pass_context
def load_command(ctx: click.Context, out_dir: str, near_threshold: float, as_json: bool) -> None:
    """Store a spark-ingest output (DIR) in the database, as a local ingest would.

    Pages are stored in input order with the same duplicate detection; loading
    the same DIR again changes nothing. Exit 1 if some inputs had failed.

    Example: blocwatch --db postgresql://bloc@db/bloc load out/2024-06-01
    """
    from blocwatch import api
    from blocwatch.cli import render
    from blocwatch.ingest.pipeline import IngestOptions
    from blocwatch.spark.loader import load

    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    store = obj.get("store")
    if store is None:
        store, result = api.connect(obj.get("db"))
        if result is not None and result.action == "loaded":
            click.echo(f"Initialised {store.location}", err=True)
        ctx.call_on_close(store.close)
    summary = load(store, out_dir, options=IngestOptions(near_threshold=near_threshold))
    if as_json:
        _emit(summary.to_json())
    else:
        render.ingest_summary(summary)
    if summary.failures:
        ctx.exit(1)
