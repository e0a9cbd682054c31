from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import blocwatch
from blocwatch.cli import main
from blocwatch.reference import bundled_data_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def ref_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database file with the bundled reference base, built once; tests must not write to it."""
    path = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    store, _ = blocwatch.init(str(path))
    store.close()
    return str(path)


@pytest.fixture
def store(ref_db: str):
    s = blocwatch.open_store(ref_db)
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "bloc.sqlite")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled reference data, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), target)
    return target


@pytest.fixture
def cli(ref_db: str):
    """Run the CLI against the shared reference database: cli('members', 'CIS', '--at', '2018')."""
    runner = CliRunner()

    def run(*args: str, db: str | None = None):
        return runner.invoke(main, ["--db", db or ref_db, *args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def gazetteer(ref_db: str):
    from blocwatch.extract.gazetteer import Gazetteer

    s = blocwatch.open_store(ref_db)
    try:
        return Gazetteer.from_store(s)
    finally:
        s.close()


@pytest.fixture(scope="session")
def extractor(gazetteer):
    """The extraction pipeline, built once: extractor(Document(role='main', text=...))."""
    from blocwatch.extract.pipeline import Extractor

    return Extractor(gazetteer)


# --- The same tests on SQLite and on a real PostgreSQL server. ----------------------
#
# PostgreSQL is the server BLOCWATCH_TEST_PG names (a maintenance database URL,
# default postgresql://postgres@127.0.0.1:5432/test); each test gets a database
# of its own, dropped afterwards. Without a server the PostgreSQL cases are
# skipped, except in CI (env CI set), where a missing server is a failure.

PG_ADMIN_ENV = "BLOCWATCH_TEST_PG"
PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def _pg_admin():  # type: ignore[no-untyped-def]
    """An autocommit connection to the maintenance database, or skip/fail saying why."""
    import os

    admin = os.environ.get(PG_ADMIN_ENV, PG_ADMIN_DEFAULT)
    try:
        import psycopg
    except ImportError as exc:
        reason = f"psycopg is not installed ({exc})"
    else:
        try:
            return admin, psycopg.connect(admin, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as exc:
            reason = f"no PostgreSQL server answers at {admin} ({str(exc).strip().splitlines()[0]})"
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL: {reason}; set {PG_ADMIN_ENV} or run .ci/postgres.sh")
    pytest.skip(f"{reason}; set {PG_ADMIN_ENV} to test on PostgreSQL")


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database (postgresql://... URL), dropped after the test."""
    import secrets

    import sqlalchemy as sa

    admin, conn = _pg_admin()
    name = f"bw_test_{secrets.token_hex(6)}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield sa.engine.make_url(admin).set(database=name).render_as_string(hide_password=False)
        finally:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database location on each backend: an SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "any.sqlite")
    return request.getfixturevalue("postgres_url")
