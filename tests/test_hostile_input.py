"""Hostile and malformed input through the CLI: a clear one-line error, nothing else harmed.

Reader-level behaviour is pinned in test_readers.py; here the same inputs go
through `blocwatch ingest` (and the query commands) as a user would send
them, in one batch with good pages: each bad input fails alone with its
reason, the good ones are stored, and the database passes `doctor`.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from blocwatch.cli import main
from blocwatch.doctor import check

MB = 1024 * 1024
CONTROL = ("\x00", "\x1b", "\x07", "\u202e")  # NUL, ESC, BEL, right-to-left override

GOOD = ("Leaders of the CSTO met in Minsk on 21 November 2018 to discuss collective security.\n\n"
        "Armenia said it would stay in the Collective Security Treaty Organization, officials said.\n")
OTHER = ("Finland joined NATO on 4 April 2023, the alliance said in Brussels.\n\n"
         "Sweden followed in March 2024 after Hungary ratified its accession protocol.\n")


@pytest.fixture
def db(ref_db: str, tmp_path: Path) -> str:
    """A private copy of the reference database, to write to."""
    target = tmp_path / "bloc.sqlite"
    shutil.copy(ref_db, target)
    return str(target)


def run(db: str, *args: str):
    return CliRunner().invoke(main, ["--db", db, *args])


def healthy(db: str) -> dict[str, int]:
    report = check(db)
    assert report.problems == []
    return report.counts


def gzip_bomb(path: Path, expands_to: int) -> None:
    """Gzip members of 10 MB of 'A' each (10 kB compressed), up to EXPANDS_TO bytes."""
    member = gzip.compress(b"A" * (10 * MB), compresslevel=9, mtime=0)
    with path.open("wb") as f:
        for _ in range(expands_to // (10 * MB)):
            f.write(member)


def warc(records: list[tuple[str, str]]) -> bytes:
    """A .warc.gz of HTML 200 responses (url, html)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.0")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
        writer.write_record(record)
        record.raw_stream.close()  # warcio spools the payload to a temp file
    return buf.getvalue()


def article_html(city: str) -> str:
    return (f"<html><head><title>Summit in {city}</title></head><body><article>"
            f"<p>Leaders of the CSTO met in {city} to discuss collective security and border "
            f"guards, officials said after the talks.</p><p>The next meeting in {city} is "
            "planned for the spring, the secretariat said.</p></article></body></html>")


# ----------------------------------------------------------------- one batch, many bad files

def hostile_batch(root: Path) -> tuple[Path, dict[str, str]]:
    """A folder of bad inputs between good ones; the reason each bad one must fail with."""
    d = root / "batch"
    d.mkdir()
    (d / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (d / "z-good.txt").write_text(OTHER, encoding="utf-8")
    expected: dict[str, str] = {}

    def bad(name: str, data: bytes, reason: str) -> None:
        (d / name).write_bytes(data)
        expected[str(d / name)] = reason

    bad("zero-bytes.txt", b"", "empty file")
    bad("only-space.txt", b" \n\t\r\n " * 100, "empty file")
    bad("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "binary file, not text")
    bad("mixed-encodings.txt",
        "Лидеры ОДКБ встретились в Минске. ".encode() + "Лидеры СНГ встретились в Москве.".encode("cp1251"),
        "text in mixed or unknown encodings, not decodable as one")
    compressed = gzip.compress(GOOD.replace("Minsk", "Astana").encode(), mtime=0)
    bad("truncated.txt.gz", compressed[: len(compressed) // 2],
        "corrupt or truncated gzip data: Compressed file ended before the end-of-stream marker "
        "was reached")
    bad("gzip-in-gzip.txt.gz", gzip.compress(compressed, mtime=0), "binary file, not text")
    bad("nested.html", ("<html><body>" + "<div>" * 100_000 + "<p>" + GOOD + "</p>"
                        + "</div>" * 100_000 + "</body></html>").encode(),
        "HTML too deeply nested to parse")
    bomb = d / "bomb.txt.gz"
    gzip_bomb(bomb, 300 * MB)
    expected[str(bomb)] = ("decompressed data is over the limit of 209715200 bytes "
                           "(max_decompressed_bytes); possible gzip bomb")
    huge = d / "huge.txt"
    with huge.open("wb") as f:  # sparse: 200 MB on paper, nothing on disk
        f.truncate(200 * MB)
    expected[str(huge)] = "page is 209715200 bytes, over the limit of 20971520 (max_page_bytes)"
    # JSON Lines: good lines stored, each broken line a failure of its own
    lines = d / "news.jsonl"
    lines.write_text("\n".join([
        json.dumps({"text": "NATO leaders met in Vilnius on 11 July 2023 to discuss Ukraine.",
                    "url": "https://example.org/1"}),
        '{"text": broken',
        "[1, 2]",
        json.dumps({"title": 5, "text": "x"}),
        json.dumps({"text": "The EU summit in Brussels agreed on energy prices on 1 March 2022.",
                    "published": "2022-02-31"}),  # an impossible date: kept aside, not stored as one
        json.dumps({"html": ""}),
        '{"text": "' + "[" * 10 + '"}\x00',
    ]) + "\n", encoding="utf-8")
    expected.update({
        f"{lines}:2": "invalid JSON: Expecting value at column 10",
        f"{lines}:3": "not a JSON object but an array",
        f"{lines}:4": '"title" is a number, not a string',
        f"{lines}:6": 'neither "text" nor "html" is a non-empty string',
        f"{lines}:7": "invalid JSON: Extra data at column 23",
    })
    # WARC cut inside its third record: the first two are stored
    archive = warc([(f"https://example.org/{c}", article_html(c)) for c in ("Minsk", "Astana", "Yerevan")])
    cut = d / "cut.warc.gz"
    cut.write_bytes(archive[: len(archive) - 200])
    return d, expected


def test_a_batch_with_hostile_files_stores_the_good_ones(db: str, tmp_path: Path):
    folder, expected = hostile_batch(tmp_path)
    result = run(db, "ingest", str(folder), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    failures = {f["path"]: f["reason"] for f in summary["failures"]}
    cut = failures.pop(str(folder / "cut.warc.gz"))
    assert cut.startswith("truncated WARC, record cut short: record 2 at byte ")
    assert failures == expected
    # good: two text pages, two JSON Lines records, two WARC records
    assert summary["pages_new"] == 6
    counts = healthy(db)
    assert counts["pages"] == 6
    assert all("\n" not in reason for reason in summary["failures"])


def test_failures_print_one_line_each(db: str, tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    long_name = tmp_path / ("n" * 150 + ".txt")  # wider than any terminal
    long_name.write_bytes(b"\x00\x01\x02")
    result = run(db, "ingest", str(tmp_path / "empty.txt"), str(long_name), str(tmp_path / "good.txt"))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "1 page(s) read: 1 new, 0 already stored; 1 document(s) stored, 0 duplicate(s); 2 failure(s)",
        f"  failed: {tmp_path / 'empty.txt'}: empty file",
        f"  failed: {long_name}: binary file, not text",
    ]


def test_text_in_another_encoding_is_read_not_refused(db: str, tmp_path: Path):
    page = tmp_path / "latin1.txt"
    page.write_bytes("Le président de la Biélorussie a reçu les dirigeants de l'OTSC à Minsk, "
                     "a déclaré le ministère des affaires étrangères.".encode("latin-1"))
    result = run(db, "ingest", str(page), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pages_new"] == 1
    healthy(db)


DRIVER = """
import json, resource, sys
from blocwatch.cli import main

def rchar():
    with open("/proc/self/io") as f:
        return int(dict(line.split(": ") for line in f.read().splitlines())["rchar"])

for args in json.loads(sys.argv[1]):
    before = rchar()
    try:
        main(args, standalone_mode=False)
    except SystemExit:
        pass
    print("MEASURED", rchar() - before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
          file=sys.stderr, flush=True)
"""


def in_one_process(commands: list[list[str]], **kwargs) -> list[tuple[int, int]]:
    """Run CLI COMMANDS one after another in a process of their own; for each, the bytes it
    read and the process's peak memory after it."""
    done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)],
                          capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, done.stderr
    return [(int(r), int(p)) for _, r, p in
            (line.split() for line in done.stderr.splitlines() if line.startswith("MEASURED "))]


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux /proc")
def test_a_200_mb_page_and_a_gzip_bomb_cost_little_memory(db: str, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(200 * MB)
    bomb = tmp_path / "bomb.txt.gz"
    gzip_bomb(bomb, 300 * MB)
    (_, baseline), (read, peak_huge), (_, peak_bomb) = in_one_process(
        [["--db", db, "ingest", str(p)] for p in (good, huge, bomb)])
    # Refused by its size on disk: hardly any of it read, no more memory than a small page.
    assert read < 4 * MB, read
    assert peak_huge < baseline + 16 * MB, (peak_huge, baseline)
    # The bomb goes through a capped streaming decompressor: one page's worth at most.
    assert peak_bomb < baseline + 96 * MB, (peak_bomb, baseline)
    counts = healthy(db)
    assert counts["pages"] == 1


# ----------------------------------------------------------------- dates

@pytest.mark.parametrize("args, message", [
    (["members", "CIS", "--at", "2018-02-31"], "date '2018-02-31' is impossible: February 2018 has 28 days"),
    (["holder", "NATO Secretary General", "--at", "2019-02-29"],
     "date '2019-02-29' is impossible: February 2019 has 28 days"),
    (["members", "CIS", "--at", "31 February 2018"],
     "date '31 February 2018' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    (["members", "CIS", "--at", "2018-13"], "date '2018-13' is impossible: there is no month 13"),
])
def test_impossible_dates_in_queries_are_usage_errors(cli, args, message):
    out = cli(*args)
    assert out.exit_code == 2
    assert out.stderr == f"Error: {message}\n"
    assert out.stdout == ""


def test_impossible_dates_in_articles_are_not_invented(db: str, tmp_path: Path):
    page = tmp_path / "feb.txt"
    page.write_text("The CSTO summit in Minsk opened on 31 February 2018, the ministry said.\n\n"
                    "Leaders of the CIS met in Moscow on 29 February 2020, officials said.\n",
                    encoding="utf-8")
    result = run(db, "analyze", str(page), "--json")
    assert result.exit_code == 0, result.output
    meetings = json.loads(result.stdout)["documents"][0]["meetings"]
    dates = {m["sentence"].split(" on ")[1][:16]: m["date"] for m in meetings}
    assert dates == {"31 February 2018": None, "29 February 2020": "2020-02-29"}
    assert run(db, "ingest", str(page)).exit_code == 0
    healthy(db)


# ----------------------------------------------------------------- members expressions

DEEP = "(" * 3000 + "CIS - CSTO" + ")" * 3000


@pytest.mark.parametrize("expr, message", [
    ("(CIS | CSTO", "expression '(CIS | CSTO': unbalanced parentheses: '(' at position 1 is never closed"),
    ("CIS | CSTO)", "expression 'CIS | CSTO)': unbalanced parentheses: ')' at position 11 closes nothing"),
    (")(", "expression ')(': expected a name before ')' at position 1"),
    ("CIS | | CSTO", "expression 'CIS | | CSTO': expected a name before '|' at position 7"),
    (" | ".join(["CIS"] * 10_000), "expression is too long (59997 characters; at most 10000)"),
    ("|".join(["CIS"] * 2_000), "expression has too many terms (more than 1000)"),
    ("(" * 6000, "expression '" + "(" * 57 + "...': ends with an operator; expected a name"),
])
def test_malformed_and_huge_expressions_fail_in_one_line(cli, expr, message):
    result = cli("members", expr, "--at", "2018-11-21")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_deep_nesting_within_the_limits_answers(cli):
    deep = cli("members", DEEP, "--at", "2018-11-21", "--json")
    flat = cli("members", "CIS - CSTO", "--at", "2018-11-21", "--json")
    assert deep.exit_code == 0
    assert deep.stdout == flat.stdout


# ----------------------------------------------------------------- control characters

BAD_NAME = "\x00\x1b[31mRed\x07\u202e"
SHOWN = repr(BAD_NAME)


@pytest.mark.parametrize("args, message", [
    (["entity", BAD_NAME], f"unknown entity {SHOWN}: no name, alias or abbreviation matches"),
    (["history", BAD_NAME], f"unknown entity {SHOWN}"),
    (["holder", BAD_NAME, "--at", "2018"], f"unknown office {SHOWN}"),
    (["members", f"CIS | {BAD_NAME}", "--at", "2018"], f"unknown organisation or group {SHOWN}"),
    (["members", "CIS", "--at", BAD_NAME],
     f"date {SHOWN} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    (["accession", BAD_NAME, "CSTO"], f"unknown state {SHOWN}"),
    (["facts", BAD_NAME], f"unknown entity {SHOWN}"),
    (["overlap", BAD_NAME, "CIS"], f"unknown organisation {SHOWN}"),
])
def test_names_with_control_characters_are_echoed_escaped(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    for char in CONTROL:
        assert char not in result.stderr and char not in result.stdout


def test_terminal_escapes_never_reach_the_terminal_raw(ref_db: str):
    """Through a real process: argv cannot hold NUL, but ESC and BEL it can."""
    done = subprocess.run(
        [sys.executable, "-c", "from blocwatch.cli import main; main()", "--db", ref_db,
         "entity", "\x1b[31mRed\x07"], capture_output=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == b"Error: unknown entity '\\x1b[31mRed\\x07': no name, alias or abbreviation matches\n"
    assert b"\x1b" not in done.stdout + done.stderr


def test_article_text_is_data_not_markup_or_escapes(db: str, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Summit [/bold] [red]x</title></head><body><article><p>"
                    "Leaders of the CSTO met in Minsk [/] on 21 November 2018 \x1b[2J\x1b]0;pwned\x07 "
                    "to discuss [link=file:///etc/passwd]security[/link].</p></article></body></html>",
                    encoding="utf-8")
    result = run(db, "analyze", str(page))
    assert result.exit_code == 0, result.output
    assert "[/bold]" in result.stdout and "[/]" in result.stdout  # shown as written
    for char in CONTROL:
        assert char not in result.stdout


# ----------------------------------------------------------------- where blocwatch writes

def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_nothing_is_written_outside_the_database_given(tmp_path: Path, ref_db: str):
    """Inputs named through '..', archive records and JSON lines naming paths: read, never
    written; the only files that appear are the database and its WAL companions."""
    home, work, inputs, out = (tmp_path / n for n in ("home", "work", "inputs", "out"))
    for d in (home, work, inputs, out):
        d.mkdir()
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "lines.jsonl").write_text(json.dumps(
        {"text": OTHER, "url": "../../../../out/evil.txt"}) + "\n", encoding="utf-8")
    (inputs / "crawl.warc.gz").write_bytes(warc([("http://example.org/../../../out/evil.html", article_html("Baku"))]))
    shutil.copy(ref_db, out / "bloc.sqlite")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
           "TMPDIR": str(home / "tmp")}
    env.pop("BLOCWATCH_DB", None)
    (home / "tmp").mkdir()
    before = tree(tmp_path)
    db = ["--db", "../out/bloc.sqlite"]
    in_one_process([[*db, "ingest", "../inputs/../inputs/good.txt", f"{inputs}/lines.jsonl",
                     "../work/../inputs/crawl.warc.gz"],
                    [*db, "analyze", "../inputs/good.txt"],
                    [*db, "members", "CIS", "--at", "2018"]], cwd=work, env=env)
    written = tree(tmp_path) - before
    assert written <= {"out/bloc.sqlite-wal", "out/bloc.sqlite-shm"}, written
    assert healthy(str(out / "bloc.sqlite"))["pages"] == 3
