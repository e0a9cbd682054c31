"""spark-ingest in Spark local mode, then load: the same store a local ingest builds.

Needs pyspark and Java 17; without them these tests skip, except in CI (env CI
set), where they fail. One Spark session serves the module (start-up costs
tens of seconds); the per-page work in it is blocwatch's own.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import blocwatch
from blocwatch.api import connect, ingest
from blocwatch.errors import BlocwatchError
from blocwatch.store.db import set_meta
from blocwatch.store.reference import DIGEST_KEY
from tests.test_postgres import ARMENIA_HTML, FINLAND, UZBEKISTAN, content, write_inputs, write_warc

pytestmark = [
    # py4j and pyspark close their sockets late and use deprecated APIs of their own
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:py4j"),
]


def _need_spark() -> None:
    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed (pip install 'blocwatch[spark]')"
    if reason is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        reason = "no Java runtime (Spark 4 needs Java 17)"
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI runs the Spark tests: {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def spark():
    _need_spark()
    from blocwatch.spark.job import local_session

    session = local_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store tests' inputs plus one archive of many pages, spread over several tasks:
    copies of an article on pages in different partitions must still be one document."""
    folder = write_inputs(tmp_path_factory.mktemp("spark") / "in")
    pages = []
    for i in range(4):
        pages.append((f"https://a.example/uzb/{i}", f"<html><body><article><p>{UZBEKISTAN}</p>"
                                                    f"<p>Copy {i}.</p></article></body></html>"))
        pages.append((f"https://a.example/fin/{i}", "<html><body><article>"
                      + "".join(f"<p>{p}</p>" for p in FINLAND.split("\n\n"))
                      # pages fin/2 and fin/3 are byte for byte fin/0 and fin/1
                      + ("<p>Sweden joined in March 2024.</p>" if i % 2 else "")
                      + "</article></body></html>"))
    pages.append(("https://a.example/arm", ARMENIA_HTML.replace("<body>", "<body><!-- g -->")))
    write_warc(folder / "g-many.warc.gz", pages)
    return folder


@pytest.fixture(scope="module")
def local(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """What one local `blocwatch ingest` of the inputs stores."""
    store, _ = connect(str(tmp_path_factory.mktemp("local") / "local.sqlite"))
    try:
        ingest(store, [str(inputs)])
        return content(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def out(spark, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from blocwatch.spark import SparkOptions, run

    target = tmp_path_factory.mktemp("out") / "run"
    result = run([str(inputs)], str(target), options=SparkOptions(partitions=5))
    assert result.manifest["partitions"] == 5
    return target


def test_the_manifest_says_what_was_read(out, inputs):
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"] == [str(inputs)]
    assert [Path(f).name for f in manifest["files"]] == sorted(p.name for p in inputs.iterdir())
    assert manifest["counts"]["pages"] == 16 and manifest["counts"]["failures"] == 2
    assert manifest["counts"]["events"] <= manifest["counts"]["statements"]
    assert manifest["reference_digest"] == blocwatch.load_reference().digest
    assert manifest["blocwatch_version"] and manifest["created_at"] and manifest["master"]
    for table in ("pages", "documents", "entities", "statements", "events", "meetings",
                  "failures"):
        assert list((out / table).glob("part-*.parquet")), table


def test_load_builds_the_store_a_local_ingest_builds(out, local, any_db):
    from blocwatch.spark import load

    store, _ = connect(any_db)
    try:
        summary = load(store, str(out))
        assert (summary.pages, summary.pages_new, len(summary.failures)) == (16, 14, 2)
        assert content(store) == local
        again = load(store, str(out))  # loading twice changes nothing
        assert (again.pages_new, again.pages_unchanged, again.documents_stored) == (0, 16, 0)
        assert content(store) == local
    finally:
        store.close()


def test_the_commands(spark, inputs, local, tmp_path):
    from blocwatch.cli.scale import load_command, spark_ingest_command

    @click.group()
    @click.option("--db")
    @click.pass_context
    def cli(ctx: click.Context, db: str) -> None:  # the main group's --db, as registered there
        ctx.obj = {"db": db}

    cli.add_command(spark_ingest_command)
    cli.add_command(load_command)
    runner = CliRunner()
    target, db = tmp_path / "out", str(tmp_path / "bloc.sqlite")
    result = runner.invoke(cli, ["spark-ingest", str(inputs / "c-feed.jsonl.gz"),
                                 str(inputs / "d-crawl.warc.gz"), "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["pages"] == 4
    result = runner.invoke(cli, ["--db", db, "load", str(target), "--json"])
    assert result.exit_code == 1  # one JSON Lines record had failed: said, as ingest says it
    assert json.loads(result.stdout)["pages_new"] == 4
    # the output exists: refused, in one line
    result = runner.invoke(cli, ["spark-ingest", str(inputs), "--out", str(target)])
    assert result.exit_code != 0
    assert isinstance(result.exception, BlocwatchError) or "Error:" in result.output
    assert "already exists" in str(result.exception or result.output)


def test_a_store_with_another_reference_base_is_refused(out, tmp_path):
    from blocwatch.spark import load

    store, _ = connect(str(tmp_path / "other.sqlite"))
    try:
        with store.write() as conn:
            set_meta(conn, DIGEST_KEY, "0" * 64)
        with pytest.raises(BlocwatchError, match="extracted with reference base"):
            load(store, str(out))
    finally:
        store.close()


def test_a_folder_that_is_no_output_is_refused(tmp_path):
    from blocwatch.spark import load

    store, _ = connect(":memory:")
    try:
        with pytest.raises(BlocwatchError, match="no manifest.json"):
            load(store, str(tmp_path))
    finally:
        store.close()
