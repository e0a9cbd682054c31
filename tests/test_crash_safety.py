"""Crash safety: SIGKILL an ingest at random points; nothing is lost, nothing doubled.

Each round starts ``blocwatch ingest`` on a directory of generated pages in
a subprocess, kills it with SIGKILL once it has stored some pages, and checks
the database as the kill left it (``PRAGMA integrity_check`` and ``doctor``).
After the last round the same ingest runs to completion and the database is
compared with a reference ingest into a fresh file: the same page content
hashes, the same document text hashes, the same row counts, no orphans.

Bounded for CI (a few hundred pages per kill); BLOCWATCH_LONG_TESTS=1 runs
more pages and more kills.
"""

from __future__ import annotations

import gzip
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import blocwatch
from blocwatch.doctor import doctor

LONG = os.environ.get("BLOCWATCH_LONG_TESTS") == "1"
BLOCWATCH = [sys.executable, "-c", "from blocwatch.cli import main; main()"]

# --------------------------------------------------------------- generated pages

STATES = ["Armenia", "Azerbaijan", "Belarus", "Kazakhstan", "Kyrgyzstan", "Moldova", "Russia",
          "Tajikistan", "Turkmenistan", "Uzbekistan", "Georgia", "Ukraine", "Finland", "Sweden",
          "Poland", "Estonia", "Latvia", "Lithuania", "Turkey", "Hungary"]
BLOCS = ["the CSTO", "the CIS", "the Eurasian Economic Union", "NATO", "the European Union",
         "the Shanghai Cooperation Organisation", "the Collective Security Treaty Organization"]
PLACES = ["Minsk", "Moscow", "Astana", "Bishkek", "Dushanbe", "Yerevan", "Brussels", "Vilnius",
          "Tashkent", "Baku", "Tbilisi", "Helsinki"]
VERBS = ["met in", "held talks in", "gathered in", "convened in", "signed an agreement in"]
TOPICS = ["collective security", "customs rules", "border guards", "energy prices",
          "the joint air defence system", "migration", "a free trade zone", "peacekeeping"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
BOILER = ["Share this article", "Accept cookies", "Subscribe to our newsletter", "Advertisement"]


def _sentence(rng: random.Random, serial: int) -> str:
    a, b = rng.sample(STATES, 2)
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(1995, 2024)
    forms = [
        f"Leaders of {rng.choice(BLOCS)} {rng.choice(VERBS)} {rng.choice(PLACES)} on "
        f"{day} {month} {year} to discuss {rng.choice(TOPICS)}.",
        f"{a} said it would {rng.choice(['join', 'leave', 'suspend its membership in'])} "
        f"{rng.choice(BLOCS)}, according to officials in {rng.choice(PLACES)}.",
        f"The foreign ministers of {a} and {b} agreed on {rng.choice(TOPICS)} "
        f"at meeting number {serial}.",
        f"Observers noted that {b} did not send a delegation to {rng.choice(PLACES)} in {year}.",
    ]
    return rng.choice(forms)


def _article(rng: random.Random, serial: int) -> str:
    title = f"{rng.choice(STATES)} and {rng.choice(BLOCS)}: report {serial}"
    paragraphs = [" ".join(_sentence(rng, serial) for _ in range(rng.randint(1, 3)))
                  for _ in range(rng.randint(1, 2))]
    lines = [rng.choice(BOILER), title, *paragraphs, rng.choice(BOILER)]
    return "\n\n".join(lines) + "\n"


def write_pages(root: Path, count: int, *, seed: int = 7, near: bool = True) -> Path:
    """COUNT pages under ROOT/pages: plain text mostly, some HTML, some gzip, exact and near
    duplicates (without NEAR: exact ones only), spread over a few subfolders.
    Deterministic for a seed."""
    rng = random.Random(seed)
    pages = root / "pages"
    written: list[str] = []
    for i in range(count):
        folder = pages / f"batch{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if written and roll < 0.05:  # the same bytes again under another name
            text, suffix = rng.choice(written), ".txt"
        elif near and written and roll < 0.12:  # a near duplicate: one sentence more at the end
            text = rng.choice(written).rstrip("\n") + " " + _sentence(rng, i) + "\n"
            suffix = ".txt"
        else:
            text = _article(rng, i)
            written.append(text)
            suffix = ".txt"
        if roll > 0.95:
            body = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
            text = f"<!doctype html><html><head><title>page {i}</title></head><body><article>" \
                   f"{body}</article></body></html>"
            suffix = ".html"
        path = folder / f"page{i:05d}{suffix}"
        if 0.90 < roll <= 0.93:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(text.encode(), mtime=0))
        else:
            path.write_text(text, encoding="utf-8")
    return pages


# --------------------------------------------------------------- what a database holds

COUNTED = ("page", "document", "sighting", "document_band", "extraction", "mention",
           "statement", "meeting", "participant", "failure", "entity", "alias")


def snapshot(db: str) -> dict[str, object]:
    """What must be equal between two ingests of the same input: hashes and counts."""
    conn = sqlite3.connect(db)
    try:
        pages = [r[0] for r in conn.execute("SELECT content_hash FROM page")]
        docs = [r[0] for r in conn.execute("SELECT text_hash FROM document")]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
        sightings = sorted(conn.execute(
            "SELECT p.content_hash, s.position, d.text_hash, s.role, s.match FROM sighting s "
            "JOIN page p ON p.id = s.page_id JOIN document d ON d.id = s.document_id"))
    finally:
        conn.close()
    return {"pages": sorted(pages), "page_dups": len(pages) - len(set(pages)),
            "documents": sorted(docs), "document_dups": len(docs) - len(set(docs)),
            "counts": counts, "sightings": sightings}


def integrity(db: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return ";".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def stored_pages(db: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT count(*) FROM page").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet, or locked for a moment: not there yet
        return 0


def run_ingest(db: str, pages: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BLOCWATCH, "--db", db, "ingest", str(pages), *extra],
                          capture_output=True, text=True, timeout=600)


def doctor_problems(db: str) -> list[str]:
    store = blocwatch.open_store(db)
    try:
        return doctor(store).problems
    finally:
        store.close()


# --------------------------------------------------------------- the test

PAGES = int(os.environ.get("BLOCWATCH_CRASH_PAGES", 4000 if LONG else 600))
KILLS = 10 if LONG else 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pages(tmp_path_factory.mktemp("crash"), PAGES)


def test_sigkill_during_ingest_loses_and_doubles_nothing(corpus: Path, tmp_path: Path):
    # The reference: one uninterrupted ingest into a fresh database, run alongside the kills.
    reference_db = str(tmp_path / "reference.sqlite")
    reference = subprocess.Popen([*BLOCWATCH, "--db", reference_db, "ingest", str(corpus)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rng = random.Random(20240601)
    db = str(tmp_path / "killed.sqlite")
    kills, before = 0, 0
    for round_ in range(KILLS):
        # Kill once a random number of pages more are stored, plus a random instant, so the
        # kill lands anywhere: inside a page's work, its transaction or its commit.
        target = before + rng.randint(5, max(6, 2 * PAGES // (3 * KILLS)))
        proc = subprocess.Popen([*BLOCWATCH, "--db", db, "ingest", str(corpus)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while stored_pages(db) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.random() * 0.05)
        if proc.poll() is not None:
            break  # finished before the kill point: nothing left to interrupt
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        assert integrity(db) == "ok", f"after kill {kills}"
        assert doctor_problems(db) == [], f"after kill {kills}"
        now = stored_pages(db)
        assert now >= before, f"after kill {kills}: pages went from {before} to {now}"
        before = now
    assert kills == KILLS
    done = run_ingest(db, corpus)
    assert done.returncode == 0, done.stderr
    _, reference_err = reference.communicate(timeout=600)
    assert reference.returncode == 0, reference_err
    assert integrity(db) == "ok" and integrity(reference_db) == "ok"
    assert doctor_problems(db) == []
    after, expected = snapshot(db), snapshot(reference_db)
    lost = set(expected["pages"]) - set(after["pages"])  # type: ignore[call-overload]
    print(f"crash safety: {PAGES} inputs, {kills} kills survived, {len(lost)} pages lost, "
          f"{after['page_dups']} duplicate pages, {after['document_dups']} duplicate documents")
    assert not lost
    assert after["page_dups"] == 0 and after["document_dups"] == 0
    assert after == expected
