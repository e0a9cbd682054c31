"""Spark local[N] against the in-process single-core pipeline, on the same input, in one run.

    .venv/bin/python benchmarks/bench_spark.py [--pages 1500] [--master local[2]] [--pg URL]

The input is the golden corpus's articles (tests/golden/*.txt) as HTML pages
in WARC archives and JSON Lines files, each article repeated with a line of
its own so every page is distinct. Measured, in this order:

1. baseline: this process reads the same files and runs the per-page work
   (readers -> documents_of -> Extractor on each document), one core, no store;
2. Spark: session start-up (with one empty job, so JVM warm-up counts as
   start-up), then ``blocwatch.spark.run`` (read, shuffle, pipeline, Parquet)
   -- pages/s with start-up excluded and included;
3. bulk load of the Spark output into a fresh SQLite file and, when a server
   answers, a fresh PostgreSQL database (pages/s).

Ratios are printed against the baseline measured here, never a stored number.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"


def _html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{paragraphs}</article></body></html>")


def _pair(articles: list[str], n: int) -> str:
    """Page N: two articles back to back, a pair no other page has (up to 41 x 40 pages),
    so pages are distinct documents, not near duplicates of each other."""
    k = len(articles)
    first, second = n % k, (n // k + 1 + n % k) % k
    return f"{articles[first].rstrip()}\n\n{articles[second].split(chr(10), 1)[-1].strip()}\n"


def build_inputs(folder: Path, pages: int, files: int) -> int:
    """FILES archives (3 WARC : 1 JSON Lines) holding PAGES distinct pages in all."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    articles = [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.txt"))]
    if not articles:
        raise SystemExit(f"no articles in {GOLDEN}")
    folder.mkdir(parents=True)
    per_file = [list(range(i, pages, files)) for i in range(files)]
    for f, numbers in enumerate(per_file):
        if f % 4 == 3:
            with gzip.open(folder / f"feed-{f:03}.jsonl.gz", "wt", encoding="utf-8") as fh:
                for n in numbers:
                    text = _pair(articles, n)
                    fh.write(json.dumps({"url": f"https://bench.example/{n}", "text": text}) + "\n")
            continue
        with open(folder / f"crawl-{f:03}.warc.gz", "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for n in numbers:
                title, _, body = _pair(articles, n).partition("\n")
                html = _html(title, body)
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                        protocol="HTTP/1.1")
                record = writer.create_warc_record(f"https://bench.example/{n}", "response",
                                                   payload=io.BytesIO(html.encode()),
                                                   http_headers=http)
                writer.write_record(record)
                record.raw_stream.close()
    return pages


def baseline(folder: Path) -> tuple[int, float, float]:
    """(pages, seconds, build seconds): the per-page work in this process, one core."""
    from blocwatch.api import connect
    from blocwatch.errors import BlocwatchError
    from blocwatch.extract.gazetteer import Gazetteer
    from blocwatch.extract.pipeline import Extractor
    from blocwatch.ingest.model import RawPage
    from blocwatch.ingest.pipeline import documents_of
    from blocwatch.ingest.readers import read_inputs

    started = time.perf_counter()
    store, _ = connect(":memory:")
    extractor = Extractor(Gazetteer.from_store(store))
    store.close()
    built = time.perf_counter() - started
    pages = 0
    started = time.perf_counter()
    for item in read_inputs([str(folder)]):
        if not isinstance(item, RawPage):
            continue
        pages += 1
        try:
            documents = documents_of(item)
        except BlocwatchError:
            continue
        for doc in documents:
            extractor(doc)
    return pages, time.perf_counter() - started, built


def bulk_load(out: str, db: str) -> tuple[int, float]:
    from blocwatch.api import connect
    from blocwatch.spark import load

    store, _ = connect(db)
    try:
        started = time.perf_counter()
        summary = load(store, out)
        return summary.pages, time.perf_counter() - started
    finally:
        store.close()


def _postgres(admin: str):  # type: ignore[no-untyped-def]
    try:
        import psycopg

        return psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001 - any reason means: no PostgreSQL figure
        print(f"PostgreSQL: skipped ({str(exc).strip().splitlines()[0]})")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1500)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--pg", default=os.environ.get(
        "BLOCWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL maintenance database for the load figure")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_spark_"))
    try:
        folder = work / "in"
        build_inputs(folder, args.pages, args.files)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"input: {args.pages} pages in {args.files} files ({size / 1e6:.1f} MB), "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

        pages, seconds, built = baseline(folder)
        base_rate = pages / seconds
        print(f"baseline   1 core in-process: {pages} pages in {seconds:7.1f} s = "
              f"{base_rate:6.2f} pages/s (pipeline build {built:.1f} s, not counted)")

        from blocwatch.spark import SparkOptions, run
        from blocwatch.spark.job import local_session

        started = time.perf_counter()
        session = local_session(args.master)
        session.sparkContext.setLogLevel("ERROR")
        # a first, empty job: the JVM's class loading and JIT warm-up belong to start-up
        session.sparkContext.parallelize(range(4), 2).map(lambda x: x).count()
        startup = time.perf_counter() - started
        out = work / "out"
        started = time.perf_counter()
        result = run([str(folder)], str(out), options=SparkOptions(partitions=args.partitions))
        ran = time.perf_counter() - started
        session.stop()
        spark_pages = result.manifest["counts"]["pages"]
        assert spark_pages == pages, (spark_pages, pages)
        warm, cold = spark_pages / ran, spark_pages / (ran + startup)
        cores = session_cores(args.master)
        print(f"spark {args.master}: start-up {startup:.1f} s, run {ran:.1f} s "
              f"({result.manifest['partitions']} partitions)")
        print(f"  start-up excluded: {warm:6.2f} pages/s = {warm / base_rate:.2f}x baseline "
              f"({warm / cores:.2f} pages/s/core)")
        print(f"  start-up included: {cold:6.2f} pages/s = {cold / base_rate:.2f}x baseline")

        loaded, seconds = bulk_load(str(out), str(work / "load.sqlite"))
        lite = loaded / seconds
        print(f"load -> SQLite:     {loaded} pages in {seconds:6.1f} s = {lite:7.1f} pages/s "
              f"= {lite / base_rate:.1f}x the per-page pipeline "
              f"({result.manifest['counts']['documents']} documents)")
        admin = _postgres(args.pg)
        if admin is not None:
            name = f"bw_bench_{secrets.token_hex(4)}"
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                import sqlalchemy as sa

                url = sa.engine.make_url(args.pg).set(database=name)
                loaded, seconds = bulk_load(str(out), url.render_as_string(hide_password=False))
                pg = loaded / seconds
                print(f"load -> PostgreSQL: {loaded} pages in {seconds:6.1f} s = {pg:7.1f} pages/s "
                      f"= {pg / lite:.2f}x SQLite")
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def session_cores(master: str) -> int:
    inside = master.removeprefix("local[").removesuffix("]")
    if master.startswith("local[") and inside.isdigit():
        return int(inside)
    return os.cpu_count() or 1 if master.startswith("local") else 1


if __name__ == "__main__":
    sys.exit(main())
