"""The store on SQLite and on a real PostgreSQL server: same behaviour, same content.

Store-level behaviours run once per backend (the ``any_db`` fixture); the
cross-backend tests ingest the same pages into both and compare every row,
ids and clocks aside. PostgreSQL comes from ``BLOCWATCH_TEST_PG`` (see conftest).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import blocwatch
from blocwatch.analysis import accession, facts
from blocwatch.api import ingest
from blocwatch.cli import main
from blocwatch.errors import StoreError
from blocwatch.store import schema
from blocwatch.store.db import MIGRATIONS, schema_version

# --- Pages written for these tests -------------------------------------------------

UZBEKISTAN = """\
TASHKENT, June 29, 2012 (Steppe Wire) - Uzbekistan has suspended its membership of the \
Collective Security Treaty Organisation, the foreign ministry said on Friday, citing \
disagreements over the alliance's rapid reaction force.

CSTO Secretary General Nikolai Bordyuzha said in Moscow that the decision had been expected. \
Kazakhstan, Kyrgyzstan and Tajikistan remain in the CSTO, while Turkmenistan has never joined it.

Uzbekistan remains a member of the Commonwealth of Independent States.
"""

ARMENIA_HTML = """\
<!doctype html>
<html><head><title>Armenia freezes its participation in the CSTO</title>
<meta name="date" content="2024-02-23"></head>
<body><article>
<h1>Armenia freezes its participation in the CSTO</h1>
<p>YEREVAN, 23 February 2024 - Prime Minister Nikol Pashinyan said on Friday that Armenia has
frozen its participation in the Collective Security Treaty Organisation, accusing the
Moscow-led bloc of failing to defend it.</p>
<p>Armenia will not take part in CSTO summits for now, he told France 24. Azerbaijan is not a
member of the alliance, and Armenia has said it would veto any application by Baku to join
the CSTO.</p>
<p>Armenia remains a member of the Eurasian Economic Union and of the Commonwealth of
Independent States.</p>
</article></body></html>
"""

FINLAND = """\
HELSINKI, April 4, 2023 - Finland joined NATO on Tuesday, becoming the alliance's 31st member, \
after Turkey became the last ally to ratify its accession.

NATO Secretary General Jens Stoltenberg said the day was historic. Sweden, which applied at the \
same time, is still waiting for Hungary and Turkey to ratify its membership.
"""

SECURITY_CHIEFS = """\
Security chiefs of the Commonwealth gather in Moscow

MOSCOW, November 21, 2018 - Security council secretaries from the member states of the \
Commonwealth of Independent States met in Moscow on Wednesday, 21 November, for their sixth \
annual meeting. The talks were hosted by the Secretary of the Russian Security Council, \
Nikolai Patrushev, and focused on terrorism.

For the first time the guest list also included Valeri Semerikov, the Acting Secretary General \
of the Collective Security Treaty Organisation. Azerbaijan, Moldova, Turkmenistan and \
Uzbekistan are not members of the CSTO.

At the previous, 5th meeting of the CIS security council heads in 2017, attended by Ramiz \
Mehdiyev, head of the presidential administration of Azerbaijan, the CSTO was not represented \
at all.

See also related content: Uzbekistan suspends its CSTO membership
"""


def _html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return f"<!doctype html><html><head><title>{title}</title></head><body><article>" \
           f"<h1>{title}</h1>{paragraphs}</article></body></html>"


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    """A gzipped WARC with one 200 text/html response per (url, html)."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=http)
            writer.write_record(record)
            record.raw_stream.close()  # warcio spools the payload to a temporary file


def write_inputs(folder: Path) -> Path:
    """Text, HTML, JSON Lines and WARC inputs with cross-file duplicates and one bad file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-uzbekistan.txt").write_text(UZBEKISTAN, encoding="utf-8")
    (folder / "b-armenia.html").write_text(ARMENIA_HTML, encoding="utf-8")
    records = [
        {"url": "https://wire.example/finland", "title": "Finland joins NATO",
         "published": "2023-04-04", "text": FINLAND},
        # the Uzbekistan wire again, as a news API serves it: an exact duplicate document
        {"url": "https://wire.example/uzbekistan", "published": "2012-06-29", "text": UZBEKISTAN},
        {"url": "https://wire.example/broken", "text": 42},  # a record that cannot be read
    ]
    with gzip.open(folder / "c-feed.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    write_warc(folder / "d-crawl.warc.gz", [
        ("https://council.example/moscow", _html("Security chiefs gather in Moscow",
                                                  SECURITY_CHIEFS.split("\n\n", 1)[1])),
        # the Armenia page crawled again from a mirror: another page, the same document
        ("https://mirror.example/armenia", ARMENIA_HTML.replace("<body>", "<body><!-- m -->")),
    ])
    (folder / "e-notes.txt").write_text(SECURITY_CHIEFS, encoding="utf-8")
    (folder / "f-empty.txt").write_text("  \n", encoding="utf-8")  # a failure, recorded once
    return folder


# --- Comparing stores row by row ---------------------------------------------------

_CLOCKS = {"applied_at", "ingested_at", "created_at", "extracted_at", "at"}


def _learned_from(values: dict[str, Any], docs: dict[int, str]) -> None:
    """A learned person names the document it was learned from by id: use its hash."""
    details = values.get("details")
    if isinstance(details, dict) and "document" in details:
        values["details"] = {**details, "document": docs[details["document"]]}
        values["source"] = f"document:{docs[details['document']]}"


def content(store: blocwatch.Store) -> dict[str, list[str]]:
    """Every row of every table, ids replaced by content keys, clocks left out
    (the applied-at times, and meta's write counter that Store.sync reads)."""
    with store.read() as conn:
        pages = dict(conn.execute(sa.select(schema.page.c.id, schema.page.c.content_hash)).all())
        d = schema.document
        docs = dict(conn.execute(sa.select(d.c.id, d.c.text_hash)).all())
        meetings = {r.id: (docs[r.document_id], r.section, r.start) for r in
                    conn.execute(sa.select(schema.meeting))}
        keys = {"page_id": pages, "document_id": docs, "meeting_id": meetings}
        out = {}
        for table in schema.metadata.sorted_tables:
            rows = []
            for row in conn.execute(sa.select(table)):
                values: dict[str, Any] = {}
                for column, value in row._mapping.items():
                    if column == "id" or column in _CLOCKS:
                        continue
                    values[column] = keys[column][value] if column in keys else value
                if table is schema.entity:
                    _learned_from(values, docs)
                if table is schema.meta and values["key"] == "revision":
                    continue
                rows.append(repr(sorted(values.items())))
            out[table.name] = sorted(rows)
    return out


def counts(store: blocwatch.Store) -> dict[str, int]:
    with store.read() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in schema.metadata.sorted_tables}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("pages") / "in")


@pytest.fixture(scope="module")
def sqlite_ingested(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The content of one local ingest of INPUTS into a fresh SQLite store: the yardstick."""
    store, _ = blocwatch.connect(str(tmp_path_factory.mktemp("one") / "one.sqlite"))
    try:
        summary = ingest(store, [str(inputs)])
        assert (summary.pages_new, len(summary.failures)) == (7, 2)
        return content(store)
    finally:
        store.close()


# --- Store behaviours, once per backend --------------------------------------------


def test_init_again_changes_nothing(any_db):
    store, result = blocwatch.init(any_db)
    try:
        assert result.action == "loaded"
        assert schema_version(store) == [name for name, _ in MIGRATIONS]
        before = content(store)
    finally:
        store.close()
    store, result = blocwatch.init(any_db)
    try:
        assert result.action == "unchanged"
        assert content(store) == before
    finally:
        store.close()


def test_reload_replaces_reference_rows_and_keeps_learned_ones(any_db):
    import datetime as dt

    store, _ = blocwatch.init(any_db)
    with store.write() as conn:
        conn.execute(sa.insert(schema.membership).values(
            state="AZE", organisation="csto", status="observer", start="2030",
            start_first=dt.date(2030, 1, 1), start_last=dt.date(2030, 12, 31),
            note="read in an article", origin="learned", source="doc:1"))
        conn.execute(sa.delete(schema.membership).where(
            schema.membership.c.origin == "reference", schema.membership.c.state == "RUS"))
    store.close()
    store, result = blocwatch.init(any_db, reload=True)
    try:
        assert result.action == "reloaded"
        with store.read() as conn:
            learned = conn.execute(sa.select(schema.membership.c.start_first).where(
                schema.membership.c.origin == "learned")).scalars().all()
        assert learned == [dt.date(2030, 1, 1)]
        assert "RUS" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
        # dates compare as dates on both backends: the learned row counts in 2030 only
        assert "AZE" in {r.iso3 for r in blocwatch.members(
            store, "CSTO", at="2030-06", statuses="observer").members}
    finally:
        store.close()


DROP_RUSSIA_FROM_CIS = """
import sys
import sqlalchemy as sa
import blocwatch
from blocwatch.store import schema
store = blocwatch.open_store(sys.argv[1])
with store.write() as conn:
    m = schema.membership
    conn.execute(sa.delete(m).where(m.c.state == "RUS", m.c.organisation == "cis"))
store.close()
"""


def test_a_long_lived_reader_sees_what_another_process_changed(any_db):
    store, _ = blocwatch.init(any_db)
    try:
        assert "RUS" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
        assert "RUS" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
        done = subprocess.run([sys.executable, "-c", DROP_RUSSIA_FROM_CIS, any_db],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "RUS" not in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
        assert "ARM" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
    finally:
        store.close()


def test_ingest_again_changes_nothing(any_db, inputs, sqlite_ingested):
    store, _ = blocwatch.connect(any_db)
    try:
        first = ingest(store, [str(inputs)])
        assert (first.pages, first.pages_new, first.documents_stored) == (7, 7, 4)
        assert sorted(f.reason for f in first.failures) == [
            "empty file", 'neither "text" nor "html" is a non-empty string']
        after_first = content(store)
        again = ingest(store, [str(inputs)])
        assert (again.pages_new, again.pages_unchanged, again.documents_stored) == (0, 7, 0)
        assert content(store) == after_first == sqlite_ingested
        assert counts(store)["failure"] == 2
        assert counts(store)["statement"] > 20 and counts(store)["meeting"] >= 1
    finally:
        store.close()


# --- The same answers on both backends ---------------------------------------------

QUESTIONS = [
    # set algebra over memberships, with date precision
    ("members", "CIS - CSTO", {"at": "2018-11-21"}),
    ("members", "post-soviet - (CIS | CSTO)", {"at": "2018-11-21"}),
    ("members", "CIS", {"at": "2009", "statuses": "full"}),  # Georgia leaving: not certain
    ("holder", "Secretary of the Security Council of Russia", {"at": "2018-11-21"}),
    ("holder", "NATO Secretary General", {"at": "2025-01-01"}),
    ("history", "Uzbekistan", {}),
    ("history", "odkb", {}),
]


def _answer(store: blocwatch.Store, what: str, arg: str, kwargs: dict[str, Any]) -> Any:
    if what == "members":
        return [r.to_json() for r in blocwatch.members(store, arg, **kwargs).members]
    return getattr(blocwatch, what)(store, arg, **kwargs).to_json()


def test_answers_are_identical_on_both_backends(ref_db, postgres_url):
    lite = blocwatch.open_store(ref_db)
    pg, _ = blocwatch.init(postgres_url)
    try:
        for what, arg, kwargs in QUESTIONS:
            assert _answer(pg, what, arg, kwargs) == _answer(lite, what, arg, kwargs), (what, arg)
    finally:
        lite.close()
        pg.close()


def test_facts_and_accession_are_identical_on_both_backends(tmp_path, inputs, postgres_url):
    lite, _ = blocwatch.connect(str(tmp_path / "lite.sqlite"))
    pg, _ = blocwatch.connect(postgres_url)
    try:
        for store in (lite, pg):
            ingest(store, [str(inputs)])
        assert content(pg) == content(lite)
        for entity in ("Azerbaijan", "Uzbekistan", "CSTO"):
            assert facts(pg, entity).to_json() == facts(lite, entity).to_json(), entity
        for state, org, at in (("Azerbaijan", "CSTO", "2024-06-01"), ("Sweden", "NATO", "2023")):
            assert accession(pg, state, org, at=at).to_json() == \
                accession(lite, state, org, at=at).to_json()
    finally:
        lite.close()
        pg.close()


# --- The command line on a PostgreSQL URL -------------------------------------------


def test_every_command_takes_a_postgresql_url(postgres_url, inputs, monkeypatch):
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(main, ["--db", postgres_url, *args], catch_exceptions=False)
        return result

    result = run("init")
    assert result.exit_code == 0, result.output
    assert "reference base loaded" in result.output
    members = run("members", "CIS - CSTO", "--at", "2018-11-21", "--json")
    assert [m["iso3"] for m in json.loads(members.output)] == ["AZE", "MDA", "TKM", "UZB"]
    ingested = run("ingest", str(inputs), "--json")
    assert ingested.exit_code == 1  # two inputs failed; the others are stored
    assert json.loads(ingested.output)["pages_new"] == 7
    for args in (["facts", "Uzbekistan", "--json"], ["accession", "Azerbaijan", "CSTO", "--json"],
                 ["holder", "NATO Secretary General", "--at", "2025-01-01", "--json"],
                 ["history", "Uzbekistan", "--json"], ["entity", "ODKB", "--json"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    # BLOCWATCH_DB names it just as well
    monkeypatch.setenv("BLOCWATCH_DB", postgres_url)
    result = runner.invoke(main, ["init"], catch_exceptions=False)
    assert result.output.endswith("reference base already loaded; nothing changed\n")


@pytest.mark.parametrize("url, message", [
    # the password never reaches a message; the server does not answer on port 1
    ("postgresql://bloc:s3cret@127.0.0.1:1/x", "postgresql://bloc:***@127.0.0.1:1/x: "),
    ("postgres://bloc@127.0.0.1:1/x", "database postgres://bloc@127.0.0.1:1/x: "),
])
def test_an_unreachable_server_is_one_clear_error(url, message):
    with pytest.raises(StoreError) as caught:
        blocwatch.open_store(url)
    assert message in str(caught.value)
    assert "s3cret" not in str(caught.value)


# --- Several processes, one PostgreSQL database -------------------------------------


def _ingest_processes(url: str, jobs: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    code = "from blocwatch.cli import main; main()"
    procs = [subprocess.Popen([sys.executable, "-c", code, "--db", url, "ingest", *paths],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for paths in jobs]
    done = []
    for proc, paths in zip(procs, jobs, strict=True):
        out, err = proc.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(paths, proc.returncode, out, err))
    return done


def test_concurrent_ingests_end_with_the_content_of_one(postgres_url, inputs, sqlite_ingested):
    # Three processes on a fresh database, each ingesting everything: they race to
    # migrate, to load the reference base and to store every page.
    done = _ingest_processes(postgres_url, [[str(inputs)]] * 3)
    for proc in done:
        assert proc.returncode == 1, proc.stderr  # the two bad inputs
        assert "Traceback" not in proc.stderr
    assert sum("Initialised" in proc.stderr for proc in done) == 1
    store = blocwatch.open_store(postgres_url)
    try:
        assert content(store) == sqlite_ingested
    finally:
        store.close()


def test_concurrent_ingests_of_shards_hold_what_one_ingest_holds(postgres_url, inputs,
                                                                sqlite_ingested):
    # Each shard keeps the copies of a document in input order (the first copy seen is
    # the one stored, on any backend and in any process), so the shards may run in any
    # interleaving and still end with one ingest's content.
    def shard(*names: str) -> list[str]:
        return [str(inputs / name) for name in names]

    blocwatch.init(postgres_url)[0].close()
    done = _ingest_processes(postgres_url, [
        shard("a-uzbekistan.txt", "c-feed.jsonl.gz"),
        shard("b-armenia.html", "d-crawl.warc.gz", "e-notes.txt"),
        shard("f-empty.txt"),
    ])
    assert [proc.returncode for proc in done] == [1, 0, 1]
    store = blocwatch.open_store(postgres_url)
    try:
        got = content(store)
    finally:
        store.close()
    assert {t: len(rows) for t, rows in got.items()} == \
        {t: len(rows) for t, rows in sqlite_ingested.items()}
    assert got == sqlite_ingested
