"""The HTTP API in-process through httpx's ASGI transport, against real SQLite files."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from blocwatch.web import create_app

pytestmark = pytest.mark.anyio

TOKEN = "test-token-1234"

ARTICLE = """\
CSTO envoy attends CIS security meeting in Moscow

21 November 2018

Valery Semerikov, acting Secretary General of the CSTO, attended the meeting in Moscow.

A reader wrote <script>document.title = "pwned"</script> in the comments.

Azerbaijan and Moldova are CIS members but not CSTO members.
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _client(app) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://blocwatch.test")


@pytest.fixture
async def client(ref_db: str) -> AsyncIterator[httpx.AsyncClient]:
    """Read-only questions against the shared reference database."""
    async with _client(create_app(db=ref_db, token=TOKEN)) as c:
        yield c


@pytest.fixture
async def writable(db_path: str) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh database this test may write to, with writes allowed by TOKEN."""
    async with _client(create_app(db=db_path, token=TOKEN)) as c:
        yield c


def _cli_json(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- Answers equal the CLI's --json ---------------------------------------------------------

@pytest.mark.parametrize("expr, at, status", [
    ("CIS - CSTO", "2018-11-21", "full,associate"),  # the reference page's question
    ("post-soviet - (CIS | CSTO)", "2018-11-21", "full,associate"),  # groups and parentheses
    ("CIS", "2018-11-21", "full"),  # a status list: Turkmenistan drops out
    ("CIS & CSTO", "2009", "full,associate,suspended"),  # a year: uncertain rows with doubts
])
async def test_members_equals_the_cli_json(client, cli, expr, at, status):
    response = await client.get("/api/v1/members", params={"expr": expr, "at": at, "status": status})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == _cli_json(cli, "members", expr, "--at", at, "--status", status)


async def test_members_url_from_the_issue(client):
    response = await client.get(
        "/api/v1/members?expr=CIS%20-%20CSTO&at=2018-11-21&status=full,associate")
    assert [r["iso3"] for r in response.json()] == ["AZE", "MDA", "TKM", "UZB"]


async def test_members_status_defaults_to_full_and_associate(client, cli):
    response = await client.get("/api/v1/members", params={"expr": "CIS", "at": "2018-11-21"})
    assert response.json() == _cli_json(cli, "members", "CIS", "--at", "2018-11-21")


async def test_a_kept_members_answer_follows_a_change_made_through_another_connection(db_path):
    import sqlalchemy as sa

    import blocwatch
    from blocwatch.store import schema

    store, _ = blocwatch.init(db_path)
    store.close()
    params = {"expr": "CIS - CSTO", "at": "2018-11-21"}
    async with _client(create_app(db=db_path)) as c:
        first = await c.get("/api/v1/members", params=params)
        again = await c.get("/api/v1/members", params=params)  # from the answer cache
        assert again.status_code == 200
        assert again.content == first.content
        assert again.headers["content-type"] == "application/json"
        assert again.headers["x-content-type-options"] == "nosniff"
        assert "MDA" in [r["iso3"] for r in again.json()]

        other = blocwatch.open_store(db_path)  # as a reload from another shell would
        try:
            with other.write() as conn:
                conn.execute(sa.delete(schema.membership).where(
                    schema.membership.c.state == "MDA", schema.membership.c.organisation == "cis"))
        finally:
            other.close()
        after = await c.get("/api/v1/members", params=params)
        assert after.status_code == 200
        assert "MDA" not in [r["iso3"] for r in after.json()]
        assert [r["iso3"] for r in after.json()] == [
            r["iso3"] for r in first.json() if r["iso3"] != "MDA"]


async def test_every_route_sees_a_name_another_connection_added(db_path):
    import sqlalchemy as sa

    import blocwatch
    from blocwatch.names import normalise
    from blocwatch.store import schema

    store, _ = blocwatch.init(db_path)
    store.close()
    async with _client(create_app(db=db_path)) as c:
        before = await c.get("/api/v1/entity", params={"name": "Six-Nation Shield"})
        assert before.status_code in (400, 404)  # unknown; the entity index is built and kept

        other = blocwatch.open_store(db_path)
        try:
            with other.write() as conn:
                conn.execute(sa.insert(schema.alias).values(
                    entity_id="csto", alias="Six-Nation Shield", norm=normalise("Six-Nation Shield"),
                    kind="alias", origin="reference"))
        finally:
            other.close()
        after = await c.get("/api/v1/entity", params={"name": "Six-Nation Shield"})
        assert after.status_code == 200
        assert after.json()["match"]["id"] == "csto"


async def test_an_error_answer_is_not_kept(client):
    for _ in range(2):
        response = await client.get("/api/v1/members", params={"expr": "CIS -", "at": "2018"})
        assert response.status_code == 400
        assert response.json()["error"]["type"] == "ExpressionError"


@pytest.mark.parametrize("path, params, cli_args", [
    ("/api/v1/holder", {"office": "CSTO Secretary General", "at": "2018-11-21"},
     ["holder", "CSTO Secretary General", "--at", "2018-11-21"]),
    ("/api/v1/entity", {"name": "ODKB"}, ["entity", "ODKB"]),
    ("/api/v1/entity", {"name": "Semerikof"}, ["entity", "Semerikof"]),  # a typo: candidates
    ("/api/v1/history", {"entity": "Uzbekistan"}, ["history", "Uzbekistan"]),
    ("/api/v1/history", {"entity": "Valeri Semerikov"}, ["history", "Valeri Semerikov"]),
])
async def test_other_questions_equal_the_cli_json(client, cli, path, params, cli_args):
    response = await client.get(path, params=params)
    assert response.status_code == 200
    assert response.json() == _cli_json(cli, *cli_args)


async def test_search_is_typo_tolerant(client):
    response = await client.get("/api/v1/search", params={"q": "Semerikof"})
    assert response.json()[0]["id"] == "valery-semerikov"


async def test_openapi_describes_the_api(client):
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/members", "/api/v1/holder", "/api/v1/entity", "/api/v1/history",
                 "/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/analyze"):
        assert path in paths
    assert [p["name"] for p in paths["/api/v1/members"]["get"]["parameters"]] == [
        "expr", "at", "status"]
    assert not any(p.startswith("/entity") for p in paths)  # UI pages are not API


# --- One error shape for every error ---------------------------------------------------------

def _error(response: httpx.Response, status: int, type_: str) -> str:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "type", "message"}
    assert body["error"]["status"] == status and body["error"]["type"] == type_
    assert "Traceback" not in body["error"]["message"]
    return body["error"]["message"]


@pytest.mark.parametrize("params, type_, cli_args", [
    ({"expr": "CIS - (CSTO", "at": "2018"}, "ExpressionError", ["members", "CIS - (CSTO", "--at", "2018"]),
    ({"expr": "CIS - XYZ", "at": "2018"}, "ExpressionError", ["members", "CIS - XYZ", "--at", "2018"]),
    ({"expr": "CIS", "at": "2018-02-31"}, "DateError", ["members", "CIS", "--at", "2018-02-31"]),
    ({"expr": "CIS", "at": "2018", "status": "fulll"}, "QueryError",
     ["members", "CIS", "--at", "2018", "--status", "fulll"]),
])
async def test_bad_query_is_400_with_the_cli_message(client, cli, params, type_, cli_args):
    message = _error(await client.get("/api/v1/members", params=params), 400, type_)
    assert cli(*cli_args).output == f"Error: {message}\n"


async def test_the_error_shape_is_pinned(client):
    response = await client.get("/api/v1/members", params={"expr": "CIS -", "at": "2018"})
    assert response.json() == {"error": {
        "status": 400, "type": "ExpressionError",
        "message": "expression 'CIS -': ends with an operator; expected a name"}}


async def test_unknown_entity_is_400(client, cli):
    message = _error(await client.get("/api/v1/entity", params={"name": "zzqxv"}), 400, "QueryError")
    assert cli("entity", "zzqxv").output == f"Error: {message}\n"


async def test_unknown_route_is_404(client):
    assert _error(await client.get("/api/v1/nothing-here"), 404, "NotFound") == "Not Found"


async def test_unknown_document_is_404(client):
    message = _error(await client.get("/api/v1/documents/999999"), 404, "NotFoundError")
    assert message == "no document has the id 999999"


async def test_wrong_method_is_405(client):
    assert _error(await client.delete("/api/v1/members"), 405, "MethodNotAllowed")
    assert _error(await client.get("/api/v1/analyze"), 405, "MethodNotAllowed")


@pytest.mark.parametrize("path, params, expected", [
    ("/api/v1/members", {"expr": "CIS"}, "query parameter 'at': Field required"),
    ("/api/v1/documents", {"limit": "0"}, "query parameter 'limit': Input should be greater than or equal to 1"),
    ("/api/v1/documents/abc", {}, "path parameter 'document_id': Input should be a valid integer, "
                                  "unable to parse string as an integer"),
])
async def test_invalid_parameters_are_422(client, path, params, expected):
    assert _error(await client.get(path, params=params), 422, "ValidationError") == expected


async def test_store_error_is_500_without_a_stack_trace(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    async with _client(create_app(db=str(folder))) as c:
        message = _error(await c.get("/api/v1/members", params={"expr": "CIS", "at": "2018"}),
                         500, "StoreError")
    assert message == f"database {folder}: is a directory, not a database file"


async def test_body_over_the_limit_is_413(ref_db):
    async with _client(create_app(db=ref_db, max_body=1000)) as c:
        declared = await c.post("/api/v1/analyze", content=b"x" * 1001,
                                headers={"content-type": "text/plain"})
        message = _error(declared, 413, "ContentTooLarge")

        async def chunks():  # no Content-Length: counted as it streams in
            for _ in range(5):
                yield b"y" * 300

        streamed = await c.post("/api/v1/analyze", content=chunks(),
                                headers={"content-type": "text/plain"})
        assert _error(streamed, 413, "ContentTooLarge") == message == (
            "request body is larger than 1000 bytes")


async def test_default_limit_is_5_mb(client):
    big = b"a" * (5 * 1024 * 1024 + 1)
    response = await client.post("/api/v1/analyze", content=big, headers={"content-type": "text/plain"})
    _error(response, 413, "ContentTooLarge")


# --- Writes: read-only by default, bearer token required -------------------------------------

async def test_store_without_token_is_401(writable):
    response = await writable.post("/api/v1/analyze?store=true", content=ARTICLE,
                                   headers={"content-type": "text/plain"})
    _error(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    assert (await writable.get("/api/v1/documents")).json()["total"] == 0


async def test_store_with_a_wrong_token_is_403(writable):
    response = await writable.post("/api/v1/analyze?store=true", content=ARTICLE, headers={
        "content-type": "text/plain", "authorization": "Bearer not-the-token"})
    assert _error(response, 403, "Forbidden") == "the bearer token is not valid"
    assert (await writable.get("/api/v1/documents")).json()["total"] == 0


async def test_writes_are_off_without_a_configured_token(db_path, monkeypatch):
    monkeypatch.delenv("BLOCWATCH_TOKEN", raising=False)
    async with _client(create_app(db=db_path)) as c:
        response = await c.post("/api/v1/analyze?store=true", content=ARTICLE, headers={
            "content-type": "text/plain", "authorization": "Bearer anything"})
    assert _error(response, 403, "Forbidden").startswith("writes are disabled on this server")


async def test_token_defaults_to_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("BLOCWATCH_TOKEN", "from-env")
    async with _client(create_app(db=db_path)) as c:
        response = await c.post("/api/v1/analyze?store=true", content=ARTICLE, headers={
            "content-type": "text/plain", "authorization": "Bearer from-env"})
    assert response.status_code == 200


# --- analyze and documents -------------------------------------------------------------------

async def test_analyze_text_answers_like_the_cli_and_stores_nothing(writable, cli, tmp_path):
    response = await writable.post("/api/v1/analyze", content=ARTICLE.encode(),
                                   headers={"content-type": "text/plain; charset=utf-8"})
    assert response.status_code == 200
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    expected = _cli_json(cli, "analyze", str(page))
    got = response.json()
    assert got["path"] == "-"
    assert got["documents"] == expected["documents"]
    assert got["documents"][0]["title"] == "CSTO envoy attends CIS security meeting in Moscow"
    assert (await writable.get("/api/v1/documents")).json()["total"] == 0  # read-only by default


async def test_analyze_multipart_upload(writable):
    files = {"file": ("page.html", b"<html><head><title>T</title></head><body><article>"
                      b"<h1>NATO chief warns</h1><p>Mark Rutte, Secretary General of NATO, "
                      b"spoke in Brussels about the alliance and its members.</p></article>"
                      b"</body></html>", "text/html")}
    response = await writable.post("/api/v1/analyze", files=files)
    assert response.status_code == 200
    assert "Mark Rutte" in response.json()["documents"][0]["text"]


async def test_analyze_an_empty_page_is_422(writable):
    response = await writable.post("/api/v1/analyze", content=b"   ",
                                   headers={"content-type": "text/plain"})
    assert _error(response, 422, "ValidationError").startswith("cannot read the page:")


async def test_analyze_refuses_other_media_types(writable):
    response = await writable.post("/api/v1/analyze", json={"text": "hello"})
    _error(response, 415, "UnsupportedMediaType")


async def test_store_then_list_and_read_documents(writable):
    headers = {"content-type": "text/plain", "authorization": f"Bearer {TOKEN}"}
    stored = await writable.post("/api/v1/analyze?store=true", content=ARTICLE, headers=headers)
    assert stored.status_code == 200
    body = stored.json()
    assert body["stored"]["pages_new"] == 1 and body["stored"]["documents_stored"] == 1
    again = await writable.post("/api/v1/analyze?store=true", content=ARTICLE, headers=headers)
    assert again.json()["stored"]["pages_unchanged"] == 1  # idempotent

    listing = (await writable.get("/api/v1/documents", params={"limit": 5})).json()
    assert listing["total"] == 1 and listing["limit"] == 5 and listing["offset"] == 0
    (summary,) = listing["documents"]
    assert summary["title"] == "CSTO envoy attends CIS security meeting in Moscow"
    assert "text" not in summary
    assert (await writable.get("/api/v1/documents", params={"offset": 1})).json()["documents"] == []

    doc = (await writable.get(f"/api/v1/documents/{summary['id']}")).json()
    assert doc["published"] == "2018-11-21"
    assert "<script>" in doc["text"]  # stored as written; the UI shows it as text
    (sighting,) = doc["sightings"]
    assert sighting["role"] == "main" and sighting["others"] == []
    assert sighting["page"]["path"] == "-"
    stored_doc = body["documents"][0]
    assert {k: doc[k] for k in stored_doc if k != "sightings"} == {
        k: v for k, v in stored_doc.items() if k != "sightings"}


async def test_security_headers(client):
    api = await client.get("/api/v1/members", params={"expr": "CIS", "at": "2018"})
    assert api.headers["x-content-type-options"] == "nosniff"
    page = await client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]


async def test_ui_errors_are_pages_with_the_same_facts(client):
    response = await client.get("/entity/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no entity has the id &#39;no-such-thing&#39;" in response.text


def test_serve_command_is_a_click_command():
    from click.testing import CliRunner

    from blocwatch.cli.serve import serve_command

    result = CliRunner().invoke(serve_command, ["--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "Example:" in result.output


def test_package_ships_templates_and_static_files():
    web = Path(__file__).resolve().parent.parent / "src" / "blocwatch" / "web"
    assert {p.name for p in (web / "static").iterdir()} >= {"style.css", "app.js"}
    assert (web / "templates" / "base.html").is_file()


# The analysis routes answer what the CLI answers.
ANALYSIS_PAGE = (
    "Baku weighs a bid for the CSTO\n\n"
    "Azerbaijan, which is not a member of the Collective Security Treaty Organisation, is "
    "weighing a bid to join the CSTO, a move that Armenia has vowed to veto. "
    "Officials in Baku said on Monday, 19 November 2018 that no decision had been taken.\n"
)


@pytest.mark.parametrize(
    "cli_args, url",
    [
        (["accession", "Azerbaijan", "CSTO", "--at", "2019-01-01"],
         "/api/v1/accession?state=Azerbaijan&organisation=CSTO&at=2019-01-01"),
        (["copresence", "CSTO", "--at-body", "CIS security council secretaries"],
         "/api/v1/copresence?organisation=CSTO&at_body=CIS%20security%20council%20secretaries"),
        (["overlap", "CIS", "CSTO", "--from", "2017", "--to", "2019"],
         "/api/v1/overlap?first=CIS&second=CSTO&from=2017&to=2019"),
        (["facts", "Azerbaijan"], "/api/v1/facts?entity=Azerbaijan"),
        (["related", "1"], "/api/v1/related?document=1"),
        (["explain", "1"], "/api/v1/explain?statement=1"),
    ],
)
def test_analysis_routes_answer_like_the_cli(tmp_path, cli, cli_args, url):
    import asyncio
    import json as _json

    import httpx

    from blocwatch.web import create_app

    page = tmp_path / "page.txt"
    page.write_text(ANALYSIS_PAGE, encoding="utf-8")
    db = str(tmp_path / "a.sqlite")
    assert cli("ingest", str(page), db=db).exit_code == 0
    expected = _json.loads(cli(*cli_args, "--json", db=db).output)

    async def get():
        app = create_app(db=db)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as client:
            return await client.get(url)

    response = asyncio.run(get())
    assert response.status_code == 200, response.text
    assert response.json() == expected


# --- Exports ------------------------------------------------------------------------------------

async def _stored(writable) -> None:  # type: ignore[no-untyped-def]
    response = await writable.post("/api/v1/analyze?store=true", content=ARTICLE.encode(),
                                   headers={"Content-Type": "text/plain",
                                            "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text


async def test_export_csv_is_a_zip_of_one_csv_per_table(writable):
    import csv
    import io
    import zipfile

    await _stored(writable)
    response = await writable.get("/api/v1/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="blocwatch-csv.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{t}.csv" for t in ("entities", "memberships", "office_holdings", "documents",
                                 "statements", "meetings", "participants"))
        tables = {name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
                  for name in archive.namelist()}
    cis = next(r for r in tables["entities.csv"] if r["id"] == "cis")
    assert cis["wikidata"].startswith("Q") and cis["source"]
    assert any(r["title"] == "CSTO envoy attends CIS security meeting in Moscow"
               for r in tables["documents.csv"])
    assert tables["statements.csv"] and all(r["sentence"] for r in tables["statements.csv"])


async def test_export_jsonld_has_wikidata_ids(writable):
    await _stored(writable)
    response = await writable.get("/api/v1/export", params={"format": "jsonld"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert 'filename="blocwatch.jsonld"' in response.headers["content-disposition"]
    doc = json.loads(response.content)
    assert doc["@context"]["schema"] == "https://schema.org/"
    nodes = {n.get("schema:identifier"): n for n in doc["@graph"] if "schema:identifier" in n}
    assert nodes["RUS"]["@id"] == "http://www.wikidata.org/entity/Q159"
    assert nodes["csto"]["@id"].startswith("http://www.wikidata.org/entity/Q")
    assert any(n.get("@type") == "bw:Statement" for n in doc["@graph"])


async def test_export_graphml_parses(client):
    import xml.etree.ElementTree as ET

    response = await client.get("/api/v1/export", params={"format": "graphml"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphml+xml"
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(response.content)
    graph = root.find("g:graph", ns)
    assert graph is not None
    nodes = {n.get("id") for n in graph.findall("g:node", ns)}
    assert {"RUS", "csto", "cis"} <= nodes
    edges = graph.findall("g:edge", ns)
    assert any(e.get("source") == "ARM" and e.get("target") == "csto" for e in edges)


async def test_export_parquet_is_a_zip_of_parquet_tables(client):
    import io
    import zipfile

    pq = pytest.importorskip("pyarrow.parquet")
    response = await client.get("/api/v1/export", params={"format": "parquet"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "memberships.parquet" in archive.namelist()
        table = pq.read_table(io.BytesIO(archive.read("memberships.parquet")))
    assert {"state", "organisation", "status", "start", "source"} <= set(table.column_names)
    assert table.num_rows > 50


@pytest.mark.parametrize("params, message", [
    ({"format": "xlsx"}, "query parameter 'format': Input should be 'csv', 'jsonld', 'graphml' "
                         "or 'parquet'"),  # an unknown format
    ({}, "query parameter 'format': Field required"),  # no format
])
async def test_export_format_errors_have_the_one_shape(client, params, message):
    response = await client.get("/api/v1/export", params=params)
    assert response.status_code == 422
    assert response.json() == {"error": {"status": 422, "type": "ValidationError",
                                         "message": message}}


async def test_home_page_links_the_exports(client):
    response = await client.get("/")
    for fmt in ("csv", "jsonld", "graphml", "parquet"):
        assert f'href="http://blocwatch.test/api/v1/export?format={fmt}"' in response.text


# --- The analyze form (UI route, same library call) --------------------------------------------

@pytest.mark.parametrize("token, status, message", [
    ("", 401, "needs the server&#39;s bearer token"),  # no token typed
    ("wrong", 403, "the bearer token is not valid"),
])
async def test_analyze_form_refuses_storing_without_the_token(writable, token, status, message):
    form = {"text": ARTICLE, "store": "yes", "token": token}
    response = await writable.post("/analyze", data=form)
    assert response.status_code == status
    assert message in response.text and 'role="alert"' in response.text
    listed = await writable.get("/api/v1/documents")
    assert listed.json()["total"] == 0


async def test_analyze_form_escapes_and_stores_with_the_token(writable):
    response = await writable.post("/analyze", data={"text": ARTICLE})
    assert response.status_code == 200
    assert "<script>document.title" not in response.text
    assert "&lt;script&gt;document.title" in response.text
    assert "Analysed only; nothing was stored." in response.text
    assert "verdict-supported" in response.text
    assert (await writable.get("/api/v1/documents")).json()["total"] == 0
    response = await writable.post("/analyze", data={"text": ARTICLE, "store": "yes",
                                                     "token": TOKEN})
    assert response.status_code == 200 and "Stored: 1 new document(s)" in response.text
    assert (await writable.get("/api/v1/documents")).json()["total"] == 1


async def test_analyze_form_upload_and_empty(writable):
    files = {"file": ("page.txt", ARTICLE.encode(), "text/plain")}
    response = await writable.post("/analyze", data={"text": ""}, files=files)
    assert response.status_code == 200
    assert "CSTO envoy attends CIS security meeting" in response.text
    response = await writable.post("/analyze", data={"text": "  "})
    assert response.status_code == 422 and "Paste the text of a page" in response.text
