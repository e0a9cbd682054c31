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
