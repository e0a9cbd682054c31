"""API security and load: token-protected writes, size limits, no stack traces in error
responses, escaped article text, no way out of /static, and a rate of 200 requests/s
from 50 clients on loopback with no error.

The load test runs a real server (uvicorn, another process) for 5 seconds in CI;
BLOCWATCH_LONG_TESTS=1 runs it for a minute. The rest go through the ASGI transport.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import time
from pathlib import Path

import httpx
import pytest

from blocwatch import api
from blocwatch.web import create_app
from tests.test_concurrency import serve

LONG = os.environ.get("BLOCWATCH_LONG_TESTS") == "1"
TOKEN = "s3cret-token"
ARTICLE = ("Leaders of the CSTO met in Minsk on 21 November 2018 to discuss collective security. "
           "<script>alert(1)</script> <img src=x onerror=alert(2)> \"quoted\" & 'single'.\n\n"
           "Armenia said it would stay in the Collective Security Treaty Organization.\n")
TRACE_MARKS = ("Traceback", 'File "', "line ", ".py", "sqlalchemy", "sqlite3.")


@pytest.fixture
def db(ref_db: str, tmp_path: Path) -> str:
    target = tmp_path / "bloc.sqlite"
    shutil.copy(ref_db, target)
    return str(target)


async def _call(app, *requests: tuple[str, str, dict]) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return [await client.request(method, url, **kw) for method, url, kw in requests]


def call(app, *requests: tuple[str, str, dict]) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    return asyncio.run(_call(app, *requests))


def pages_in(db: str) -> int:
    store, _ = api.connect(db)
    try:
        with store.read() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM page").scalar_one()
    finally:
        store.close()


# ----------------------------------------------------------------- writes need the token

STORE = "/api/v1/analyze?store=true"
BODY = {"content": ARTICLE.encode(), "headers": {"content-type": "text/plain"}}


@pytest.mark.parametrize("token, headers, status, message", [
    # no token configured: writes are off, whatever the client sends
    (None, {"authorization": f"Bearer {TOKEN}"}, 403,
     "writes are disabled on this server (start it with BLOCWATCH_TOKEN set)"),
    # no credentials
    (TOKEN, {}, 401, "this request writes to the database: send 'Authorization: Bearer <token>'"),
    # another scheme
    (TOKEN, {"authorization": f"Basic {TOKEN}"}, 401,
     "this request writes to the database: send 'Authorization: Bearer <token>'"),
    # a wrong token, and the right one with something after it
    (TOKEN, {"authorization": "Bearer guess"}, 403, "the bearer token is not valid"),
    (TOKEN, {"authorization": f"Bearer {TOKEN}x"}, 403, "the bearer token is not valid"),
])
def test_writes_without_the_token_are_refused_and_write_nothing(db, token, headers, status, message,
                                                              monkeypatch):
    monkeypatch.delenv("BLOCWATCH_TOKEN", raising=False)
    app = create_app(db=db, token=token)
    (response,) = call(app, ("POST", STORE, {**BODY, "headers": {**BODY["headers"], **headers}}))
    assert response.status_code == status
    assert response.json()["error"]["message"] == message
    assert pages_in(db) == 0


def test_a_write_with_the_token_is_stored_and_its_text_escaped_in_html(db, monkeypatch):
    monkeypatch.delenv("BLOCWATCH_TOKEN", raising=False)
    app = create_app(db=db, token=TOKEN)
    (stored,) = call(app, ("POST", STORE, {**BODY, "headers": {
        **BODY["headers"], "authorization": f"Bearer {TOKEN}"}}))
    assert stored.status_code == 200, stored.text
    assert stored.json()["stored"]["pages_new"] == 1
    doc_id = stored.json()["documents"][0]["id"]
    page, listing = call(app, ("GET", f"/documents/{doc_id}", {}), ("GET", "/documents", {}))
    for html in (page.text, listing.text):
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # JSON carries the text as data, labelled so no browser sniffs it as HTML
    (doc,) = call(app, ("GET", f"/api/v1/documents/{doc_id}", {}))
    assert doc.headers["content-type"] == "application/json"
    assert doc.headers["x-content-type-options"] == "nosniff"
    assert "<script>alert(1)</script>" in doc.json()["text"]


def test_a_body_over_the_size_limit_is_refused(db):
    app = create_app(db=db, token=TOKEN, max_body=1024)
    big = {"content": b"x" * 2048, "headers": {"content-type": "text/plain"}}
    (declared,) = call(app, ("POST", "/api/v1/analyze", big))
    assert declared.status_code == 413
    assert declared.json() == {"error": {"status": 413, "type": "ContentTooLarge",
                                         "message": "request body is larger than 1024 bytes"}}

    async def chunks():  # no Content-Length: counted as it streams
        for _ in range(4):
            yield b"y" * 512

    (streamed,) = call(app, ("POST", "/api/v1/analyze", {
        "content": chunks(), "headers": {"content-type": "text/plain"}}))
    assert streamed.status_code == 413
    assert "Traceback" not in streamed.text


# ----------------------------------------------------------------- errors without stack traces

def test_error_responses_carry_no_stack_trace(db, monkeypatch):
    def boom(*_args, **_kwargs):
        raise ValueError("secret internals at /srv/blocwatch/src/blocwatch/query/members.py")

    app = create_app(db=db)
    responses = call(
        app,
        ("GET", "/api/v1/members", {"params": {"expr": "(CIS | CSTO", "at": "2018"}}),  # 400
        ("GET", "/api/v1/members", {"params": {"expr": "CIS", "at": "2018-02-31"}}),  # 400
        ("GET", "/api/v1/members", {"params": {"expr": "CIS"}}),  # 422: no date
        ("GET", "/api/v1/entity", {"params": {"name": "\x00\x1b[31m"}}),  # 400
        ("GET", "/api/v1/documents/999999", {}),  # 404
        ("GET", "/api/v1/documents/1%20OR%201=1", {}),  # 422
        ("DELETE", "/api/v1/members", {}),  # 405
        ("GET", "/api/v1/nothing-here", {}),  # 404
        ("GET", "/documents/999999", {}),  # 404, as an HTML page
    )
    monkeypatch.setattr(api, "members", boom)
    responses += call(app, ("GET", "/api/v1/members", {"params": {"expr": "CIS", "at": "2018"}}))
    statuses = [r.status_code for r in responses]
    assert statuses == [400, 400, 422, 400, 404, 422, 405, 404, 404, 500]
    for r in responses:
        for mark in TRACE_MARKS:
            assert mark not in r.text, (r.status_code, r.text[:300])
        if r.headers["content-type"].startswith("application/json"):
            assert set(r.json()) == {"error"}
    assert responses[-1].json()["error"] == {"status": 500, "type": "InternalServerError",
                                             "message": "internal server error"}


def test_a_corrupt_database_is_a_500_without_internals(tmp_path: Path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    (r,) = call(create_app(db=str(bad)), ("GET", "/api/v1/entity", {"params": {"name": "CIS"}}))
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "StoreError"
    for mark in TRACE_MARKS[:2]:
        assert mark not in r.text


# ----------------------------------------------------------------- no way out of /static

@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static//etc/passwd",
    "/static/..\\..\\..\\etc\\passwd",
    "/static/%00../../etc/passwd",
])
def test_static_files_do_not_leave_their_folder(db, path):
    (r,) = call(create_app(db=db), ("GET", path, {}))
    assert r.status_code in (400, 404)
    assert "root:" not in r.text


# ----------------------------------------------------------------- load

RATE = 200  # requests per second, all clients together
CLIENTS = 50
SECONDS = 60 if LONG else 5
QUERIES = [
    ("/api/v1/members", {"expr": "post-soviet - (CIS | CSTO)", "at": "2018-11-21"}),
    ("/api/v1/members", {"expr": "NATO & EU", "at": "2024-03"}),
    ("/api/v1/entity", {"name": "ODKB"}),
    ("/api/v1/holder", {"office": "NATO Secretary General", "at": "2025-01-01"}),
    ("/api/v1/history", {"entity": "Uzbekistan"}),
    ("/api/v1/search", {"q": "secur"}),
    ("/api/v1/documents", {"limit": "5"}),
]


async def _load(base: str) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    interval = CLIENTS / RATE  # each client's pace
    start = time.monotonic()

    async def client(n: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            for k in range(int(SECONDS * RATE / CLIENTS)):
                due = start + k * interval + n * interval / CLIENTS  # staggered, never bunched
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                path, params = QUERIES[(n + k) % len(QUERIES)]
                sent = time.monotonic()
                try:
                    r = await http.get(path, params=params)
                except httpx.HTTPError as exc:
                    errors.append(f"{path}: {type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.monotonic() - sent)
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code} {r.text[:200]}")

    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return latencies, errors, time.monotonic() - start


def test_200_requests_per_second_from_50_clients_without_error(db):
    with serve(db) as base:
        latencies, errors, elapsed = asyncio.run(_load(base))
    sent = len(latencies) + len(errors)
    rate = sent / elapsed
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 100 else max(latencies)
    print(f"load: {sent} requests from {CLIENTS} clients in {elapsed:.1f} s = {rate:.0f}/s, "
          f"{len(errors)} errors, median {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms")
    assert errors == []
    assert sent == SECONDS * RATE
    # The pace held is a measurement, not behaviour: the suite checks that every request
    # is answered correctly; the minute-long run (BLOCWATCH_LONG_TESTS=1) also holds the
    # server to the rate, on a machine it has to itself.
    if LONG:
        assert rate >= 0.8 * RATE, f"the server kept up with only {rate:.0f} requests/s"
