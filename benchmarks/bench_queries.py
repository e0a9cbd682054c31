"""Membership-at-date and set-algebra latency, against hand-written SQL in the same run.

    python benchmarks/bench_queries.py [--cow PATH] [--repeat N]

Builds a fresh SQLite file with the bundled reference base, times
``blocwatch.members`` on a few questions (median and p99), then asks the same
questions as hand-written SQL through sqlite3 on the same file, and prints the
ratio. Then imports COW IGO v3 (534 organisations, 1816-2014) and repeats.
Target: p99 under 5 ms in-process with COW imported.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import blocwatch

REPO = Path(__file__).resolve().parent.parent
DEFAULT_COW = REPO.parent / "shared" / "data" / "cow-igo" / "state_year_format3.csv.gz"

QUESTIONS = [
    ("CIS", "2018-11-21"),
    ("CIS - CSTO", "2018-11-21"),
    ("post-soviet - (CIS | CSTO)", "2018-11-21"),
    ("(NATO & EU) - post-soviet", "2010-06-01"),
    ("UN - NATO", "2005"),
]

COUNTED = "status IN ('full', 'associate')"


def _one(org: str) -> str:
    return (f"SELECT state FROM membership WHERE organisation = '{org}' AND {COUNTED} "
            "AND start_last <= :d AND (end_first IS NULL OR end_first > :d)")


SQL = {
    "CIS": _one("cis"),
    "CIS - CSTO": f"{_one('cis')} EXCEPT {_one('csto')}",
    "post-soviet - (CIS | CSTO)": (
        "SELECT state FROM group_member WHERE group_id = 'post-soviet' "
        f"EXCEPT {_one('cis')} EXCEPT {_one('csto')}"),
    "(NATO & EU) - post-soviet": (
        f"{_one('nato')} INTERSECT {_one('eu')} "
        "EXCEPT SELECT state FROM group_member WHERE group_id = 'post-soviet'"),
    "UN - NATO": f"{_one('un')} EXCEPT {_one('nato')}",
}


def _timings(fn, repeat: int) -> list[float]:
    fn()  # warm caches
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(db: str, label: str, repeat: int) -> float:
    store = blocwatch.open_store(db)
    con = sqlite3.connect(db)
    worst = 0.0
    print(f"\n{label}")
    print(f"{'question':32} {'blocwatch p50':>13} {'p99':>8} {'SQL p50':>8} {'ratio p50':>9}")
    for expr, at in QUESTIONS:
        ours = _timings(lambda: blocwatch.members(store, expr, at=at), repeat)
        day = blocwatch.parse_date(at).first.isoformat()
        sql = _timings(lambda: con.execute(SQL[expr], {"d": day}).fetchall(), repeat)
        ratio = statistics.median(ours) / statistics.median(sql)
        worst = max(worst, _p(ours, 0.99))
        print(f"{expr:32} {statistics.median(ours):10.3f} ms {_p(ours, 0.99):6.3f} ms "
              f"{statistics.median(sql):6.3f} ms {ratio:8.1f}x")
    store.close()
    con.close()
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cow", type=Path, default=DEFAULT_COW)
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        store, _ = blocwatch.init(db)
        worst = run(db, "bundled reference base", args.repeat)
        if args.cow.exists():
            blocwatch.import_cow_igo(store, args.cow)
            worst = run(db, "with COW IGO v3 imported", args.repeat)
        else:
            print(f"\n(COW file {args.cow} not found: skipped)")
        store.close()
    print(f"\nworst p99: {worst:.3f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
