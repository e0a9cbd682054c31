"""Latency of GET /api/v1/members under concurrent clients, against the direct library call.

    python benchmarks/bench_api.py [--clients 50] [--requests 4000]

Builds a fresh SQLite file with the bundled reference base, serves the app
with uvicorn in a subprocess on a free loopback port, and has CLIENTS
concurrent httpx async clients (each one connection, one request at a time)
send REQUESTS requests in all, cycling through a few questions. Then times
the same questions as direct ``blocwatch.members`` calls in this process,
and prints p50/p99 of both and their ratio. Target: HTTP p99 under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

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


async def _load(base: str, clients: int, total: int) -> tuple[list[float], float]:
    questions = itertools.cycle(QUESTIONS)
    jobs = [next(questions) for _ in range(total)]
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def client(index: int) -> None:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as c:
            await c.get("/api/v1/members", params={"expr": "CIS", "at": "2018"})  # connect, warm
            for expr, at in jobs[index::clients]:
                t0 = time.perf_counter()
                r = await c.get("/api/v1/members", params={"expr": expr, "at": at})
                latencies.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()

    start = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, time.perf_counter() - start


def _direct(db: str, total: int) -> list[float]:
    store = blocwatch.open_store(db)
    try:
        for expr, at in QUESTIONS:
            blocwatch.members(store, expr, at=at)  # warm caches
        out = []
        for expr, at in itertools.islice(itertools.cycle(QUESTIONS), total):
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
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/api/v1/members?expr=CIS&at=2018", proc)
            http, wall = asyncio.run(_load(base, args.clients, args.requests))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        direct = _direct(db, args.requests)
    print(f"GET /api/v1/members, {args.clients} concurrent clients, {len(http)} requests "
          f"on loopback ({len(http) / wall:.0f} req/s, {os.cpu_count()} CPU(s))")
    print(f"{'':24} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'HTTP (uvicorn)':24} {_p(http, 0.5):8.2f} {_p(http, 0.99):8.2f}")
    print(f"{'library (direct call)':24} {_p(direct, 0.5):8.2f} {_p(direct, 0.99):8.2f}")
    print(f"{'ratio HTTP / library':24} {_p(http, 0.5) / _p(direct, 0.5):8.1f} "
          f"{_p(http, 0.99) / _p(direct, 0.99):8.1f}")
    verdict = "met" if _p(http, 0.99) < 20 else "NOT met"
    print(f"target p99 < 20 ms: {verdict}")


if __name__ == "__main__":
    main()
