"""The bundled reference base loads, and broken data is refused with file and line."""

import csv

import pytest

from blocwatch.errors import ReferenceDataError
from blocwatch.reference import load_reference


def test_bundled_reference_loads_and_every_row_has_a_source():
    base = load_reference()
    assert len(base.states) == 195  # 193 UN members + Holy See + Palestine
    rows = [*base.states.values(), *base.organisations.values(), *base.memberships,
            *base.offices.values(), *base.persons.values(), *base.holdings, *base.rules]
    assert all(r.source for r in rows)


def test_hard_cases_are_coded_as_documented():
    base = load_reference()
    by = {}
    for m in base.memberships:
        by.setdefault((m.state, m.organisation), []).append(m)
    assert {m.status for m in by[("UKR", "cis")]} == {"participant"}
    assert any(m.status == "associate" and m.start.text.startswith("2005") for m in by[("TKM", "cis")])
    assert any(m.status == "frozen" for m in by[("ARM", "csto")])
    assert any(m.status == "suspended" for m in by[("UZB", "csto")])
    georgia = by[("GEO", "cis")]
    assert max(m.end.text for m in georgia if m.end) == "2009-08-18"
    # Azerbaijan, Georgia and Uzbekistan did not renew the Collective Security Treaty in 1999.
    for iso3 in ("AZE", "GEO", "UZB"):
        assert all(m.end is not None and m.end.first.year == 1999 for m in by[(iso3, "cst")])


def _edit(data_dir, name, change):
    path = data_dir / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _col(rows, name):
    return rows[0].index(name)


def _membership(rows, state, org):
    for i, row in enumerate(rows):
        if row[0] == state and row[1] == org:
            return i
    raise AssertionError((state, org))


def test_overlapping_memberships_are_refused(data_dir):
    def change(rows):
        src = rows[_membership(rows, "RUS", "cis")]
        rows.append([*src[:2], "observer", "2000", *[""] * 4, src[-1]])
    _edit(data_dir, "memberships.csv", change)
    with pytest.raises(ReferenceDataError) as err:
        load_reference(data_dir)
    message = str(err.value)
    assert "memberships.csv:" in message and "RUS in cis" in message and "overlaps" in message


@pytest.mark.parametrize(
    "file, column, value, message",
    [
        ("memberships.csv", "start", "2018-02-30", "February 2018 has 28 days"),
        ("memberships.csv", "state", "XXX", "state 'XXX' is not a state in states.csv"),
        ("memberships.csv", "status", "member", "status 'member' is not one of"),
        ("memberships.csv", "source", "", "has no source"),
        ("memberships.csv", "end", "1900", "is not after start"),
        ("states.csv", "iso3", "ZZZ", "iso3 'ZZZ' is not an ISO 3166-1 alpha-3 code"),
        ("states.csv", "wikidata", "159", "wikidata '159' is not a Q-id"),
        ("office_holders.csv", "acting", "yes", "acting 'yes' is not true or false"),
        ("office_holders.csv", "person", "nobody", "person 'nobody' is not a person id"),
        ("organisations.csv", "id", "Not A Slug", "is not a lower-case slug"),
    ],
)
def test_bad_cells_are_named_with_file_and_line(data_dir, file, column, value, message):
    def change(rows):
        rows[2][_col(rows, column)] = value
    _edit(data_dir, file, change)
    with pytest.raises(ReferenceDataError) as err:
        load_reference(data_dir)
    assert f"{file}:3: " in str(err.value)
    assert message in str(err.value)


def test_overlapping_tenures_are_refused_unless_acting(data_dir):
    def change(rows):
        src = next(r for r in rows if r[0] == "nato-secretary-general" and r[1] == "mark-rutte")
        rows.append(["nato-secretary-general", "jens-stoltenberg", "2025", "", "false", "", "test"])
    _edit(data_dir, "office_holders.csv", change)
    with pytest.raises(ReferenceDataError, match="nato-secretary-general: tenure of jens-stoltenberg"):
        load_reference(data_dir)


def test_duplicate_ids_are_refused(data_dir):
    def change(rows):
        rows.append(list(rows[1]))
    _edit(data_dir, "persons.csv", change)
    with pytest.raises(ReferenceDataError, match="is already defined at persons.csv:2"):
        load_reference(data_dir)


def test_missing_column_is_refused(data_dir):
    def change(rows):
        i = _col(rows, "source")
        for row in rows:
            del row[i]
    _edit(data_dir, "rules.csv", change)
    with pytest.raises(ReferenceDataError, match="rules.csv:1: header lacks column"):
        load_reference(data_dir)


def test_all_problems_are_counted(data_dir):
    def change(rows):
        rows[1][_col(rows, "source")] = ""
        rows[2][_col(rows, "source")] = ""
    _edit(data_dir, "persons.csv", change)
    with pytest.raises(ReferenceDataError) as err:
        load_reference(data_dir)
    assert "(and 1 more problem)" in str(err.value)
    assert len(err.value.problems) == 2
