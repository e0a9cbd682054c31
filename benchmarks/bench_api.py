"""Latency of GET /api/v1/members under concurrent clients, against the direct library call.

    python benchmarks/bench_api.py [--clients 50] [--requests 6000]

Builds a fresh SQLite file with the bundled reference base, serves the app
with uvicorn in a subprocess on a free loopback port, and has CLIENTS
concurrent keep-alive connections (each one request at a time, no pause)
send REQUESTS requests in each of two runs:

1. four questions repeated, as a dashboard asks them: after the first time
   each answer comes from the server's answer cache (``AnswerCache``);
2. every question new (each on a day of its own), so every answer is computed.

Then times the same questions as direct ``blocwatch.members`` calls in this
process (remembered answers, and computed ones), and prints p50/p99 of each
and their ratio. Target: HTTP p99 under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx
import uvloop

import blocwatch

QUESTIONS = [
    ("CIS - CSTO", "2018-11-21"),
    ("CIS", "2018-11-21"),
    ("post-soviet - (CIS | CSTO)", "2018-11-21"),
    ("(NATO & EU) - post-soviet", "2010-06-01"),
]

SERVER = """
import sys, uvicorn
from blocwatch.web import create_app
uvicorn.run(create_app(db=sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False)
"""


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def questions(total: int, *, new: bool) -> list[tuple[str, str]]:
    """TOTAL questions: the four of QUESTIONS repeated, or (NEW) each on a day of its own,
    so no answer can come from the server's cache."""
    cycle = itertools.cycle(QUESTIONS)
    if not new:
        return [next(cycle) for _ in range(total)]
    first = dt.date(1992, 1, 1)
    return [(next(cycle)[0], (first + dt.timedelta(days=i)).isoformat()) for i in range(total)]


async def _load(host: str, port: int, clients: int, asked: list[tuple[str, str]]
                ) -> tuple[list[float], float]:
    """CLIENTS keep-alive connections, each sending its share of ASKED one request at a time.

    The client speaks HTTP/1.1 over raw asyncio streams: a Python HTTP client library
    costs more CPU per request than the server does, and on two cores that would time
    the load generator rather than blocwatch. Every answer's status and length are checked.
    """
    jobs = [_request(host, port, expr, at) for expr, at in asked]
    latencies: list[float] = []

    async def client(index: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            await _exchange(reader, writer, _request(host, port, "CIS", "2018"))  # warm
            for request in jobs[index::clients]:
                t0 = time.perf_counter()
                await _exchange(reader, writer, request)
                latencies.append((time.perf_counter() - t0) * 1000)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, time.perf_counter() - start


def _request(host: str, port: int, expr: str, at: str) -> bytes:
    query = urllib.parse.urlencode({"expr": expr, "at": at})
    return (f"GET /api/v1/members?{query} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Accept: application/json\r\n\r\n").encode()


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> bytes:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = head[9:12]
    if status != b"200":
        raise SystemExit(f"server answered {head.splitlines()[0].decode()}")
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if length is None:
        raise SystemExit("server answered without Content-Length")
    body = await reader.readexactly(int(length.group(1)))
    if not body.startswith(b"["):
        raise SystemExit(f"server answered {body[:80]!r}, not a JSON list")
    return body


def _direct(db: str, asked: list[tuple[str, str]], *, remembered: bool) -> list[float]:
    """Milliseconds per ``blocwatch.members`` call; unless REMEMBERED, each answer is
    computed afresh (the store's remembered answers are dropped before every call)."""
    store = blocwatch.open_store(db)
    try:
        for expr, at in QUESTIONS:
            blocwatch.members(store, expr, at=at)  # warm: indexes built
        out = []
        for expr, at in asked:
            if not remembered:
                store.cache.pop("members", None)
            t0 = time.perf_counter()
            [row.to_json() for row in blocwatch.members(store, expr, at=at).members]
            out.append((time.perf_counter() - t0) * 1000)
        return out
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        store, _ = blocwatch.init(db)
        store.close()
        port = _free_port()
        env = {**os.environ, "BLOCWATCH_TOKEN": ""}
        proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port)], env=env)
        try:
            _wait(f"http://127.0.0.1:{port}/api/v1/members?expr=CIS&at=2018", proc)
            runs = {new: uvloop.run(_load("127.0.0.1", port, args.clients,
                                          questions(args.requests, new=new)))
                    for new in (False, True)}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        library = {new: _direct(db, questions(args.requests, new=new), remembered=not new)
                   for new in (False, True)}
    print(f"GET /api/v1/members, {args.clients} concurrent clients, {args.requests} requests "
          f"per run on loopback, {os.cpu_count()} CPU(s)")
    print(f"{'':44} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for new, label in ((False, "4 questions repeated (answers kept)"),
                       (True, "every question new (answers computed)")):
        http, wall = runs[new]
        direct = library[new]
        print(f"{'HTTP, ' + label:44} {len(http) / wall:7.0f} "
              f"{_p(http, 0.5):8.2f} {_p(http, 0.99):8.2f}")
        print(f"{'library call, ' + label:44} {'':7} "
              f"{_p(direct, 0.5):8.3f} {_p(direct, 0.99):8.3f}")
        print(f"{'ratio HTTP / library':44} {'':7} {_p(http, 0.5) / _p(direct, 0.5):8.1f} "
              f"{_p(http, 0.99) / _p(direct, 0.99):8.1f}")
    for new, label in ((False, "repeated questions"), (True, "new questions")):
        verdict = "met" if _p(runs[new][0], 0.99) < 20 else "NOT met"
        print(f"target p99 < 20 ms, {label}: {verdict}")


if __name__ == "__main__":
    main()
