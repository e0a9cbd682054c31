"""Exports: every format readable by the tool it is for, with Q-ids and sources kept."""

import csv
import json
import xml.etree.ElementTree as ET

import pytest

from blocwatch.errors import BlocwatchError
from blocwatch.export import export


def test_csv_has_one_file_per_table_with_sources(store, tmp_path):
    files = {p.name: p for p in export(store, "csv", tmp_path)}
    assert {"entities.csv", "memberships.csv", "office_holdings.csv", "statements.csv"} <= set(files)
    with files["memberships.csv"].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tkm = [r for r in rows if r["state"] == "TKM" and r["organisation"] == "cis"]
    assert {r["status"] for r in tkm} == {"full", "associate"}
    assert all(r["source"] for r in rows)


def test_jsonld_uses_wikidata_ids(store, tmp_path):
    (path,) = export(store, "jsonld", tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    russia = next(n for n in doc["@graph"] if n.get("schema:identifier") == "RUS")
    assert russia["@id"] == "http://www.wikidata.org/entity/Q159"
    roles = [n for n in doc["@graph"] if n.get("@type") == "schema:OrganizationRole"
             and n["schema:member"]["@id"].endswith("Q159")]
    assert roles and all(r["schema:citation"] for r in roles)


def test_graphml_is_a_graph_gephi_can_read(store, tmp_path):
    (path,) = export(store, "graphml", tmp_path)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph = ET.parse(path).getroot().find("g:graph", ns)
    nodes = {n.get("id") for n in graph.findall("g:node", ns)}
    edges = graph.findall("g:edge", ns)
    assert {"RUS", "csto", "valery-semerikov"} <= nodes
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
    assert any(e.get("source") == "ARM" and e.get("target") == "csto" for e in edges)


def test_parquet_reads_back_with_pyarrow(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    files = {p.name: p for p in export(store, "parquet", tmp_path)}
    table = pq.read_table(files["office_holdings.parquet"])
    assert "mark-rutte" in table.column("person").to_pylist()


def test_export_refuses_a_file_as_folder(store, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(BlocwatchError, match="exists and is not a folder"):
        export(store, "csv", target)


def test_cli_export(cli, tmp_path):
    result = cli("export", "--format", "graphml", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.output.strip().endswith("blocwatch.graphml")
