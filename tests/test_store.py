"""The store: created once, loaded once, reloaded without touching learned rows."""

import sqlite3

import pytest
import sqlalchemy as sa

import blocwatch
from blocwatch.errors import StoreError
from blocwatch.store import schema
from blocwatch.store.db import MIGRATIONS, schema_version


def _dump(path):
    con = sqlite3.connect(path)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in ("entity", "alias", "membership", "office_holding", "rule", "meta")}
    finally:
        con.close()


def test_init_creates_a_wal_database_with_migrations_recorded(db_path):
    store, result = blocwatch.init(db_path)
    try:
        assert result.action == "loaded"
        assert schema_version(store) == [name for name, _ in MIGRATIONS]
    finally:
        store.close()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_init_again_changes_nothing(db_path):
    blocwatch.init(db_path)[0].close()
    before = _dump(db_path)
    store, result = blocwatch.init(db_path)
    store.close()
    assert result.action == "unchanged"
    assert _dump(db_path) == before


def test_reload_replaces_reference_rows_and_keeps_learned_ones(db_path):
    store, _ = blocwatch.init(db_path)
    learned = {
        "state": "AZE", "organisation": "csto", "status": "observer", "start": "2030",
        "start_first": sa.func.date("2030-01-01"), "start_last": sa.func.date("2030-12-31"),
        "note": "read in an article", "origin": "learned", "source": "doc:1",
    }
    with store.write() as conn:
        conn.execute(sa.insert(schema.membership).values(**learned))
        conn.execute(sa.delete(schema.membership).where(
            schema.membership.c.origin == "reference", schema.membership.c.state == "RUS"))
    store.close()
    store, result = blocwatch.init(db_path, reload=True)
    try:
        assert result.action == "reloaded"
        with store.read() as conn:
            origins = conn.execute(
                sa.select(schema.membership.c.origin).where(schema.membership.c.state == "AZE",
                                                            schema.membership.c.organisation == "csto")
            ).scalars().all()
            assert "learned" in origins
        assert "RUS" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2018").members}
    finally:
        store.close()


def test_a_failed_load_leaves_nothing_half_written(db_path, monkeypatch):
    from blocwatch.store import reference

    store = blocwatch.open_store(db_path)
    base = blocwatch.load_reference()

    def explode(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reference, "_fact_rows", lambda b: explode(b))
    with pytest.raises(RuntimeError):
        reference.load_reference_into(store, base)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.entity)).scalar() == 0
    store.close()


def test_a_database_from_a_newer_blocwatch_is_refused(db_path):
    blocwatch.init(db_path)[0].close()
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO migration VALUES ('9999_future', '2030-01-01')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="written by a newer blocwatch"):
        blocwatch.open_store(db_path)


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        blocwatch.open_store(str(tmp_path))


def test_default_location_follows_the_environment(monkeypatch, tmp_path):
    from blocwatch.store.db import default_db_location

    monkeypatch.setenv("BLOCWATCH_DB", str(tmp_path / "x.sqlite"))
    assert default_db_location() == str(tmp_path / "x.sqlite")
    monkeypatch.delenv("BLOCWATCH_DB")
    assert default_db_location().endswith("blocwatch.sqlite")


def test_near_duplicate_lookup_searches_the_band_index_not_the_whole_table(db_path):
    # A scan of document_band per document made ingest slower as the store grew.
    from blocwatch.ingest import dedup

    store = blocwatch.open_store(db_path)
    try:
        mh = dedup.signature("Leaders of the alliance met in Vilnius to discuss air defence.")
        params = {f"band{band}": h for band, h in dedup.band_hashes(mh)}
        sql = dedup._near().params(params).compile(
            store.engine, compile_kwargs={"literal_binds": True})
        with store.read() as conn:
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    finally:
        store.close()
    assert "document_band" in plan
    assert "SCAN document_band" not in plan, plan
