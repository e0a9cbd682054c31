"""COW IGO v3 import: year precision, curated rows win, idempotent."""

import gzip
import json

import pytest

import blocwatch
from blocwatch.errors import DatasetImportError
from tests.conftest import SHARED

HEADER = "ccode,year,state,cis,nato,aalco\n"
# Uzbekistan (704) coded in the CSTO-like way COW does; Georgia (372) in the CIS 1995-2007;
# France (220) in AALCO (an organisation we do not curate) 2000-2014.
ROWS = [
    *(f"372,{y},georgia,{1 if 1995 <= y <= 2007 else 0},0,0" for y in range(1992, 2015)),
    *(f"220,{y},france,-1,1,{3 if y >= 2000 else 0}" for y in range(1992, 2015)),
    *(f"265,{y},egermany,0,0,1" for y in range(1980, 1990)),
]


@pytest.fixture
def cow_file(tmp_path):
    path = tmp_path / "state_year.csv.gz"
    path.write_bytes(gzip.compress((HEADER + "\n".join(ROWS) + "\n").encode()))
    return path


def test_import_keeps_curated_rows_and_adds_the_rest(db_path, cow_file, cli):
    cli("init", db=db_path)
    out = json.loads(cli("import", "cow-igo", str(cow_file), "--json", db=db_path).output)
    assert out["action"] == "imported"
    assert out["superseded_pairs"] == 2  # Georgia-CIS and France-NATO: curated rows win
    assert out["skipped_states"] == {"egermany": 10}
    store = blocwatch.open_store(db_path)
    try:
        # Curated: Georgia was in the CIS until 18 August 2009, not until 2007.
        assert "GEO" in {r.iso3 for r in blocwatch.members(store, "CIS", at="2008-06-01").members}
        aalco = blocwatch.members(store, "AALCO", at="2005-06-01", statuses="observer").members
        assert [(r.iso3, r.status["cow-aalco"], r.certain) for r in aalco] == [("FRA", "observer", True)]
        # Year precision: inside the first year the answer is uncertain.
        first = blocwatch.members(store, "AALCO", at="2000-06-01", statuses="observer").members
        assert first[0].certain is False
        # The data end in 2014: nothing is claimed after.
        assert blocwatch.members(store, "AALCO", at="2016", statuses="observer").members == ()
    finally:
        store.close()
    again = json.loads(cli("import", "cow-igo", str(cow_file), "--json", db=db_path).output)
    assert again["action"] == "unchanged"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"a,b,c\n1,2,3\n", "not the COW IGO state-year file"),
        (HEADER.encode() + b"372,19x5,georgia,1,0,0\n", ":2: year '19x5' is not a year"),
        (HEADER.encode() + b"372,1995,georgia,1\n", ":2: has 4 cells, the header has 6"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    ],
)
def test_bad_files_are_refused_whole(db_path, tmp_path, cli, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    cli("init", db=db_path)
    result = cli("import", "cow-igo", str(path), db=db_path)
    assert result.exit_code == 1
    assert message in result.output
    store = blocwatch.open_store(db_path)
    assert blocwatch.members(store, "NATO & FRA", at="2005").members  # curated rows untouched
    store.close()


def test_missing_file(cli, ref_db):
    result = cli("import", "cow-igo", "/nonexistent/cow.csv")
    assert result.exit_code == 1
    assert result.output == "Error: cow-igo /nonexistent/cow.csv: no such file\n"


REAL = SHARED / "data" / "cow-igo" / "state_year_format3.csv.gz"


@pytest.mark.skipif(not REAL.exists(), reason="shared COW IGO data not present")
def test_real_cow_file_imports_and_curated_uzbekistan_wins(db_path):
    store, _ = blocwatch.init(db_path)
    try:
        result = blocwatch.import_cow_igo(store, REAL)
        assert result.organisations > 500
        # COW codes Uzbekistan in the CSTO in 2002-2005; the curated base says it was not.
        assert blocwatch.members(store, "CSTO & UZB", at="2004-06-01").members == ()
        council = {r.iso3 for r in blocwatch.members(store, "COE", at="2010-06-01").members}
        assert {"RUS", "UKR", "GEO"} <= council and "BLR" not in council
    finally:
        store.close()
