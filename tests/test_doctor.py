"""`blocwatch doctor`: a healthy database passes; each kind of damage is named; exit 1."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import blocwatch
from blocwatch import api
from blocwatch.cli import main
from blocwatch.cli.doctor import doctor_command
from blocwatch.doctor import check, doctor
from blocwatch.store.db import MIGRATIONS

if "doctor" not in main.commands:  # the CLI registers it; until then, so do the tests
    main.add_command(doctor_command)

KNOWN = [name for name, _ in MIGRATIONS]

PAGES = [
    "Leaders of the CSTO met in Minsk on 21 November 2018 to discuss collective security.\n\n"
    "Armenia said the Collective Security Treaty Organization would hold talks in Yerevan.\n",
    "Finland joined NATO on 4 April 2023, the alliance said in Brussels.\n\n"
    "Sweden followed in March 2024 after Hungary ratified its accession protocol.\n",
    "The Eurasian Economic Union agreed on customs rules in Astana in May 2014.\n\n"
    "Kyrgyzstan and Armenia joined the union the following year, officials said.\n",
]


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the reference base and a few ingested pages; copied, never changed."""
    root = tmp_path_factory.mktemp("doctor")
    pages = root / "pages"
    pages.mkdir()
    for i, text in enumerate(PAGES):
        (pages / f"p{i}.txt").write_text(text, encoding="utf-8")
    path = root / "healthy.sqlite"
    store, _ = blocwatch.init(str(path))
    summary = api.ingest(store, [str(pages)])
    assert summary.pages_new == 3 and not summary.failures
    store.close()
    return path


@pytest.fixture
def db(healthy: Path, tmp_path: Path) -> str:
    target = tmp_path / "bloc.sqlite"
    shutil.copy(healthy, target)
    return str(target)


def run(db: str, *args: str):
    return CliRunner().invoke(main, ["--db", db, "doctor", *args])


def test_a_healthy_database_is_ok(db: str):
    result = run(db, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["problems"] == []
    assert report["schema"] == KNOWN
    counts = report["counts"]
    assert {"pages", "documents", "entities", "statements"} <= set(counts)
    assert counts["pages"] == 3 and counts["documents"] >= 3
    assert counts["entities"] > 100 and counts["statements"] > 0


def test_the_readable_report_names_the_database_and_counts(db: str):
    result = run(db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{db}: ok"
    assert lines[1] == f"schema: {', '.join(KNOWN)}"
    assert lines[2].startswith("counts: 3 pages, ")


def test_doctor_only_reads(db: str):
    before = Path(db).read_bytes()
    assert run(db).exit_code == 0
    assert Path(db).read_bytes() == before


# Orphans, inserted behind the store's back with foreign keys off; each names its problem.
ORPHANS = [
    # a sighting of a page that is gone
    ("INSERT INTO sighting (page_id, position, document_id, role, match) "
     "VALUES (9999, 0, (SELECT min(id) FROM document), 'main', 'new')",
     "1 sightings without their page"),
    # a sighting of a document that is gone (the page has sightings of its own)
    ("INSERT INTO sighting (page_id, position, document_id, role, match) "
     "VALUES ((SELECT min(id) FROM page), 99, 9999, 'teaser', 'new')",
     "1 sightings without their document"),
    # a document no page shows: what a half-written ingest would leave
    ("INSERT INTO document (text_hash, role, text, metadata, links, created_at) "
     "VALUES ('feed', 'main', 'orphan text', '{}', '[]', '2024-01-01')",
     "1 documents seen on no page"),
    # a page with no document
    ("INSERT INTO page (content_hash, path, format, size, raw, meta, ingested_at) "
     "VALUES ('beef', 'x.txt', 'text', 1, x'00', '{}', '2024-01-01')",
     "1 pages with no document"),
    ("INSERT INTO document_band (band, hash, document_id) VALUES (0, 'ab', 9999)",
     "1 document bands without their document"),
    ("INSERT INTO mention (document_id, entity_id, kind, section, start, \"end\", text, how, candidates) "
     "VALUES (9999, NULL, 'state', 'body', 0, 1, 'x', 'alias', '[]')",
     "1 mentions without their document"),
    ("INSERT INTO statement (document_id, kind, predicate, negated, section, start, \"end\", "
     "sentence, extra) VALUES (9999, 'membership', 'member', 0, 'body', 0, 1, 'x', '{}')",
     "1 statements without their document"),
    ("INSERT INTO meeting (document_id, absent, section, start, \"end\", sentence) "
     "VALUES (9999, '[]', 'body', 0, 1, 'x')",
     "1 meetings without their document"),
    ("INSERT INTO participant (meeting_id, position, name) VALUES (9999, 0, 'Nobody')",
     "1 participants without their meeting"),
    ("INSERT INTO membership (state, organisation, status, note, origin, source) "
     "VALUES ('XXX', 'cis', 'full', '', 'learned', 'test')",
     "1 memberships of missing states"),
    ("INSERT INTO membership (state, organisation, status, note, origin, source) "
     "VALUES ('ARM', 'nowhere', 'full', '', 'learned', 'test')",
     "1 memberships in missing organisations"),
    ("INSERT INTO office_holding (office, person, acting, note, origin, source) "
     "VALUES ((SELECT min(id) FROM entity WHERE kind = 'office'), 'nobody', 0, '', 'learned', 'test')",
     "1 office holdings by missing persons"),
    ("INSERT INTO mention (document_id, entity_id, kind, section, start, \"end\", text, how, candidates) "
     "VALUES ((SELECT min(id) FROM document), 'new:Nobody', 'person', 'body', 0, 1, 'x', 'new', '[]')",
     "1 mentions of missing entities"),
]


@pytest.mark.parametrize("sql, problem", ORPHANS, ids=[p for _, p in ORPHANS])
def test_orphaned_rows_are_named(db: str, sql: str, problem: str):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql)
    conn.commit()
    conn.close()
    result = run(db, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert problem in report["problems"]
    assert result.stderr == ""


def test_foreign_key_violations_are_counted_too(db: str):
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO participant (meeting_id, position, name) VALUES (9999, 0, 'Nobody')")
    conn.commit()
    conn.close()
    problems = check(db).problems
    assert "foreign key check: 1 row(s) point at missing rows in participant" in problems


def _truncate(db: str, keep: float) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = os.path.getsize(db)
    os.truncate(db, int(size * keep))


@pytest.mark.parametrize("keep", [0.5, 0.002], ids=["half", "first-page-only"])
def test_a_truncated_file_is_reported_not_a_traceback(db: str, keep: float):
    _truncate(db, keep)
    result = run(db, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"], report
    assert all("malformed" in p or "corrupt" in p or "integrity" in p for p in report["problems"])


def test_a_migration_from_the_future_is_named(db: str):
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO migration (name, applied_at) VALUES ('9999_from_the_future', 'later')")
    conn.commit()
    conn.close()
    result = run(db, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == [
        f"database {db}: written by a newer blocwatch (unknown migration 9999_from_the_future); "
        "upgrade blocwatch"
    ]


def test_the_library_check_names_unknown_and_missing_migrations(db: str):
    store = blocwatch.open_store(db)
    try:
        with store.write() as conn:
            conn.exec_driver_sql("DELETE FROM migration WHERE name = '0003_fact_tables'")
            conn.exec_driver_sql(
                "INSERT INTO migration (name, applied_at) VALUES ('9999_from_the_future', 'later')")
        report = doctor(store)
    finally:
        store.close()
    assert report.problems == [
        "schema: unknown migration 9999_from_the_future (written by a newer blocwatch; "
        "upgrade blocwatch)",
        "schema: migration 0003_fact_tables is not applied",
    ]


def test_a_stale_reference_base_is_named(db: str):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'reference_digest'")
    conn.commit()
    conn.close()
    result = run(db)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "problem: reference data: the database holds another version than the bundled files "
        "(run `blocwatch init --reload`)")


@pytest.mark.parametrize("content, problem", [
    (b"", "not a blocwatch database (it has no migration table)"),  # zero bytes
    (b"hello, not sqlite" * 100, "not a blocwatch database or corrupt (file is not a database)"),
])
def test_a_file_that_is_not_a_blocwatch_database_is_left_alone(tmp_path: Path, content, problem):
    path = tmp_path / "other.sqlite"
    path.write_bytes(content)
    result = run(str(path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == [f"database {path}: {problem}"]
    assert path.read_bytes() == content  # no blocwatch tables written into it


def test_a_missing_database_is_an_error_and_is_not_created(tmp_path: Path):
    path = tmp_path / "missing.sqlite"
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: database {path}: no such file\n"
    assert not path.exists()


def test_the_command_has_an_example():
    assert "Example: blocwatch" in CliRunner().invoke(doctor_command, ["--help"]).output
