"""The command line as a user meets it: exact messages, exit codes, JSON shapes."""

import json

import pytest


def test_members_json_lists_states_with_status_per_organisation(cli):
    result = cli("members", "CIS - CSTO", "--at", "2018-11-21", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["iso3"] for r in rows] == ["AZE", "MDA", "TKM", "UZB"]
    assert [r["name"] for r in rows] == ["Azerbaijan", "Moldova", "Turkmenistan", "Uzbekistan"]
    by = {r["iso3"]: r["status"] for r in rows}
    assert by["TKM"] == {"cis": "associate", "csto": None}
    assert by["UZB"] == {"cis": "full", "csto": "suspended"}  # suspended does not count


def test_members_table_for_people(cli):
    result = cli("members", "post-soviet - (CIS | CSTO)", "--at", "2018-11-21")
    assert result.exit_code == 0
    for name in ("Estonia", "Latvia", "Lithuania", "Georgia", "Ukraine"):
        assert name in result.output
    assert "5 state(s)" in result.output


def test_members_status_option(cli):
    rows = json.loads(cli("members", "CIS", "--at", "2018-11-21", "--status", "full", "--json").output)
    assert len(rows) == 9 and "TKM" not in {r["iso3"] for r in rows}


@pytest.mark.parametrize(
    "args, message",
    [
        (["members", "CIS - XYZ", "--at", "2018"], "Error: unknown organisation or group 'XYZ'\n"),
        (["members", "CIS - (CSTO", "--at", "2018"],
         "Error: expression 'CIS - (CSTO': unbalanced parentheses: '(' at position 7 is never closed\n"),
        (["members", "CIS", "--at", "2018-02-31"],
         "Error: date '2018-02-31' is impossible: February 2018 has 28 days\n"),
        (["members", "CIS", "--at", "yesterday"],
         "Error: date 'yesterday' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD\n"),
        (["holder", "Grand Vizier", "--at", "2018"], "Error: unknown office 'Grand Vizier'\n"),
        (["history", "Atlantis"], "Error: unknown entity 'Atlantis'\n"),
        (["entity", "zzzzqqq"], "Error: unknown entity 'zzzzqqq': no name, alias or abbreviation matches\n"),
    ],
)
def test_bad_input_is_one_line_exit_2(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.output == message  # CliRunner mixes stderr in; nothing else is printed


def test_missing_option_is_a_usage_error(cli):
    result = cli("members", "CIS")
    assert result.exit_code == 2
    assert "Missing option '--at'" in result.output


def test_holder_json(cli):
    out = json.loads(cli("holder", "Secretary of the Security Council of Russia", "--at",
                         "2018-11-21", "--json").output)
    assert out["person"]["name"] == "Nikolai Patrushev"
    assert out["acting"] is False
    assert out["office"]["id"] == "security-council-secretary-rus"


def test_entity_resolves_abbreviations_and_demonyms(cli):
    out = json.loads(cli("entity", "ODKB", "--json").output)
    assert out["match"]["id"] == "csto"
    out = json.loads(cli("entity", "Kyrgyz Republic", "--json").output)
    assert out["match"]["iso3"] == "KGZ"
    out = json.loads(cli("entity", "N. Patrushev", "--json").output)
    assert out["match"]["id"] == "nikolai-patrushev"
    out = json.loads(cli("entity", "Valeri Semerikov", "--json").output)
    assert out["match"]["id"] == "valery-semerikov"


def test_entity_offers_candidates_for_a_typo(cli):
    out = json.loads(cli("entity", "Kazakstan republic", "--json").output)
    assert "KAZ" in [c["id"] for c in out["candidates"]]


def test_history_of_a_state(cli):
    out = json.loads(cli("history", "Uzbekistan", "--json").output)
    csto = [m for m in out["memberships"] if m["organisation"] == "csto"]
    assert [m["status"] for m in csto] == ["full", "suspended"]
    assert all(m["source"] for m in out["memberships"])
    assert any(t["office"]["id"] == "head-of-state-uzb" for t in out["offices"])


def test_history_of_a_person(cli):
    out = json.loads(cli("history", "Semerikov", "--json").output)
    assert out["entity"]["id"] == "valery-semerikov"
    assert any(t["acting"] for t in out["offices"])


def test_init_twice_changes_nothing(db_path, cli):
    first = cli("init", "--json", db=db_path)
    assert json.loads(first.output)["action"] == "loaded"
    second = cli("init", db=db_path)
    assert second.output.endswith("reference base already loaded; nothing changed\n")


def test_corrupt_database_is_a_one_line_error(tmp_path, cli):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    result = cli("members", "CIS", "--at", "2018", db=str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: database {bad}: not a blocwatch database or corrupt")
    assert result.output.count("\n") == 1


def test_commands_have_examples_in_help(cli):
    for command in ("init", "members", "holder", "history", "entity", "demo"):
        assert "Example: blocwatch" in cli(command, "--help").output
