"""Input readers: every format, every way an input can be broken, exact reasons."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from blocwatch.ingest.model import RawPage, ReadFailure
from blocwatch.ingest.readers import Limits, read_inputs

ARTICLE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>CSTO drills</title></head>"
    "<body><article><h1>CSTO holds drills in Belarus</h1>"
    "<p>The Collective Security Treaty Organization began exercises near Brest.</p>"
    "</article></body></html>"
)


def read(*paths: str | Path, **kwargs: object) -> list[RawPage | ReadFailure]:
    return list(read_inputs([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- WARC -------------------------------------------------------------------------


def make_warc(*, compress: bool) -> bytes:
    """warcinfo, an HTML 200, a PNG 200, an HTML 404, a cp1251 HTML 200."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    info = writer.create_warcinfo_record("crawl.warc", {"software": "test"})
    writer.write_record(info)
    info.raw_stream.close()

    def response(url: str, body: bytes, status: str, content_type: str) -> None:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
        record.raw_stream.close()  # warcio spools the payload to a temp file

    response("https://news.example/cis", ARTICLE.encode(), "200 OK", "text/html; charset=utf-8")
    response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "200 OK", "image/png")
    response("https://news.example/gone", b"<html>gone</html>", "404 Not Found", "text/html")
    russian = "<html><body><p>Учения ОДКБ в Беларуси</p></body></html>".encode("cp1251")
    response("https://news.example/ru", russian, "200 OK", "text/html; charset=windows-1251")
    return out.getvalue()


@pytest.mark.parametrize("compress", [True, False])
def test_warc_yields_only_html_200_responses(tmp_path: Path, compress: bool) -> None:
    warc = write(tmp_path / "crawl.warc", make_warc(compress=compress))
    pages = read(warc)
    assert [p.path for p in pages] == [f"{warc}#1", f"{warc}#4"]
    first, second = pages
    assert isinstance(first, RawPage) and isinstance(second, RawPage)
    assert first.format == "warc"
    assert first.html == ARTICLE and first.raw == ARTICLE.encode()
    assert first.meta["url"] == "https://news.example/cis"
    assert first.meta["record_id"].startswith("<urn:uuid:")
    assert first.meta["warc_date"].endswith("Z")
    assert second.html is not None and "Учения ОДКБ" in second.html
    assert second.meta["encoding"] == "cp1251"


@pytest.mark.parametrize("compress", [True, False])
def test_truncated_warc_yields_records_read_then_failure(tmp_path: Path, compress: bool) -> None:
    data = make_warc(compress=compress)
    warc = write(tmp_path / "cut.warc", data[:-40])
    pages = read(warc)
    assert isinstance(pages[0], RawPage) and pages[0].path == f"{warc}#1"
    failure = pages[-1]
    assert isinstance(failure, ReadFailure) and failure.path == str(warc)
    assert failure.reason.startswith("truncated WARC, record cut short: record 4 at byte ")


def test_garbage_after_warc_header_is_a_failure(tmp_path: Path) -> None:
    warc = write(tmp_path / "bad.warc", b"WARC/1.0\r\nnot a header\r\n\r\n")
    assert read(warc) == [
        ReadFailure(str(warc), "corrupt WARC, no Content-Length: record 0 at byte 0")
    ]


def test_warc_record_over_page_limit_is_refused(tmp_path: Path) -> None:
    warc = write(tmp_path / "crawl.warc.gz", make_warc(compress=True))
    pages = read(warc, limits=Limits(max_page_bytes=100))
    assert isinstance(pages[0], ReadFailure) and pages[0].path == f"{warc}#1"
    assert pages[0].reason.startswith("page is ")
    assert pages[0].reason.endswith("bytes, over the limit of 100 (max_page_bytes)")


# --- text and HTML ----------------------------------------------------------------


def test_html_file_is_one_page(tmp_path: Path) -> None:
    [page] = read(write(tmp_path / "a.html", ARTICLE.encode()))
    assert isinstance(page, RawPage)
    assert (page.format, page.html, page.text) == ("html", ARTICLE, None)
    assert page.meta == {"encoding": "utf-8"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<html><p>x</p></html>", "html"),  # html tag
        (b"\n  <!doctype html><title>NATO</title>", "html"),  # doctype after blank lines
        (b"<div><p>NATO summit</p><p>Vilnius</p></div>", "html"),  # tag soup, no <html>
        (b"NATO leaders met in Vilnius. <p> is a tag.", "text"),  # prose mentioning tags
        (b"<NATO> summit", "text"),  # angle bracket, no HTML
        (b'{"url": "u", "text": "t"}\n', "jsonl"),  # JSON object first line
        (b'["not", "an", "object"]\n', "text"),  # JSON, but not an object
    ],
)
def test_format_detection(tmp_path: Path, data: bytes, expected: str) -> None:
    [page] = read(write(tmp_path / "input", data))
    assert isinstance(page, RawPage) and page.format == expected


def test_format_can_be_forced(tmp_path: Path) -> None:
    [page] = read(write(tmp_path / "a.html", ARTICLE.encode()), format="text")
    assert isinstance(page, RawPage) and page.text == ARTICLE


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Содружество Независимых Государств провело саммит в Минске. " * 5, "cp1251"),
        (
            (
                "Le sommet de l'OTAN à Vilnius a réuni les alliés européens, qui ont décidé "
                "d'augmenter leurs dépenses de défense. Les ministres des Affaires étrangères "
                "se sont également réunis à Bruxelles."
            ),
            "latin-1",
        ),
    ],
)
def test_non_utf8_text_is_decoded_and_encoding_reported(
    tmp_path: Path, text: str, codec: str
) -> None:
    [page] = read(write(tmp_path / "a.txt", text.encode(codec)))
    assert isinstance(page, RawPage) and page.text == text
    assert page.meta["encoding"] != "utf-8"


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    [page] = read(write(tmp_path / "a.txt", "ОДКБ summit".encode("utf-16")))
    assert isinstance(page, RawPage) and page.text == "ОДКБ summit"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file, not text"),
        (gzip.compress(b""), "empty file"),
    ],
)
def test_unreadable_files(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "f", data)
    assert read(path) == [ReadFailure(str(path), reason)]


def test_missing_file_then_the_rest(tmp_path: Path) -> None:
    good = write(tmp_path / "a.txt", b"CIS summit in Minsk")
    missing = tmp_path / "nope.txt"
    pages = read(missing, good)
    assert pages[0] == ReadFailure(str(missing), "cannot open: No such file or directory")
    assert isinstance(pages[1], RawPage) and pages[1].text == "CIS summit in Minsk"


def test_page_over_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.html", b"<html>" + b"x" * 2000)
    assert read(path, limits=Limits(max_page_bytes=1000)) == [
        ReadFailure(str(path), "page is 2006 bytes, over the limit of 1000 (max_page_bytes)")
    ]


def test_file_over_file_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 50)
    assert read(path, limits=Limits(max_file_bytes=10)) == [
        ReadFailure(str(path), "file is 50 bytes, over the limit of 10 (max_file_bytes)")
    ]


def test_gzipped_html_is_read_transparently(tmp_path: Path) -> None:
    [page] = read(write(tmp_path / "a.html.gz", gzip.compress(ARTICLE.encode())))
    assert isinstance(page, RawPage) and page.format == "html" and page.html == ARTICLE


def test_gzipped_page_over_page_limit_says_its_size(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt.gz", gzip.compress(b"a" * 5000))
    assert read(path, limits=Limits(max_page_bytes=1000)) == [
        ReadFailure(str(path), "page is 5000 bytes, over the limit of 1000 (max_page_bytes)")
    ]


def gzip_bomb(path: Path, size: int) -> Path:
    """`size` zero bytes, gzip-compressed chunk by chunk (never all in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    with path.open("wb") as out:
        for _ in range(size // len(chunk)):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    return path


def test_gzip_bomb_stops_at_the_decompression_cap(tmp_path: Path) -> None:
    bomb = gzip_bomb(tmp_path / "bomb.txt.gz", 300 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    assert read(bomb) == [
        ReadFailure(
            str(bomb),
            "decompressed data is over the limit of 209715200 bytes (max_decompressed_bytes);"
            " possible gzip bomb",
        )
    ]


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b"CSTO summit in Yerevan. " * 2000)
    path = write(tmp_path / "a.txt.gz", data[: len(data) // 2])
    assert read(path) == [
        ReadFailure(
            str(path),
            "corrupt or truncated gzip data:"
            " Compressed file ended before the end-of-stream marker was reached",
        )
    ]


# --- JSON Lines -------------------------------------------------------------------


def test_jsonl_good_lines_survive_broken_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://n.example/1",
                "title": "CIS",
                "published": "2024-05-01",
                "text": "The CIS summit opened in Minsk.",
            }
        ),
        "{broken",
        "",  # blank lines are skipped but still counted
        json.dumps(["an", "array"]),
        json.dumps({"url": "https://n.example/2", "title": "no body"}),
        json.dumps({"url": 5, "text": "x"}),
        json.dumps({"url": "https://n.example/3", "html": ARTICLE}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines).encode())
    pages = read(path)
    assert pages[1:5] == [
        ReadFailure(
            f"{path}:2",
            "invalid JSON: Expecting property name enclosed in double quotes at column 2",
        ),
        ReadFailure(f"{path}:4", "not a JSON object but an array"),
        ReadFailure(f"{path}:5", 'neither "text" nor "html" is a non-empty string'),
        ReadFailure(f"{path}:6", '"url" is a number, not a string'),
    ]
    first, last = pages[0], pages[-1]
    assert isinstance(first, RawPage) and isinstance(last, RawPage)
    assert (first.path, first.format, first.text) == (
        f"{path}:1",
        "jsonl",
        "The CIS summit opened in Minsk.",
    )
    assert first.meta == {"url": "https://n.example/1", "title": "CIS", "published": "2024-05-01"}
    assert first.raw == lines[0].encode()
    assert (last.path, last.html, last.text) == (f"{path}:7", ARTICLE, None)


def test_jsonl_line_over_limit_is_skipped(tmp_path: Path) -> None:
    long_line = json.dumps({"text": "x" * 500})
    path = write(tmp_path / "f.jsonl", f'{{"text": "ok"}}\n{long_line}\n{{"text": "b"}}\n'.encode())
    pages = read(path, limits=Limits(max_page_bytes=100))
    assert pages[1] == ReadFailure(
        f"{path}:2", f"page is {len(long_line) + 1} bytes, over the limit of 100 (max_page_bytes)"
    )
    assert [p.path for p in pages] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_gzipped_jsonl(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "NATO"}\n{"text": "CSTO"}\n')
    pages = read(write(tmp_path / "f.jsonl.gz", data))
    assert [p.text for p in pages if isinstance(p, RawPage)] == ["NATO", "CSTO"]


# --- paths ------------------------------------------------------------------------


def test_directory_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", b"B")
    (tmp_path / "a").mkdir()
    write(tmp_path / "a" / "z.txt", b"Z")
    write(tmp_path / ".hidden.txt", b"H")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "x.txt", b"X")
    pages = read(tmp_path)
    assert [p.path for p in pages] == [str(tmp_path / "a" / "z.txt"), str(tmp_path / "b.txt")]


def test_stdin_dash(tmp_path: Path) -> None:
    stdin = io.BytesIO(gzip.compress(ARTICLE.encode()))
    [page] = read("-", stdin=stdin)
    assert isinstance(page, RawPage) and (page.path, page.format) == ("-", "html")


def test_stdin_warc_is_streamed() -> None:
    pages = read("-", stdin=io.BytesIO(make_warc(compress=True)))
    assert [p.path for p in pages] == ["-#1", "-#4"]


def test_reading_is_lazy(tmp_path: Path) -> None:
    """A generator: nothing is read before the first page is asked for."""
    pages = read_inputs([str(tmp_path / "missing")])
    assert next(pages) == ReadFailure(
        str(tmp_path / "missing"), "cannot open: No such file or directory"
    )


# --- property ---------------------------------------------------------------------

PREFIXES = [b"", b"WARC/1.0\r\n", b"<html>", b'{"text": ', b"\x1f\x8b", b"\xef\xbb\xbf"]


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000), gz=st.booleans())
def test_any_bytes_yield_pages_or_failures(prefix: bytes, body: bytes, gz: bool) -> None:
    data = prefix + body
    if gz:
        data = gzip.compress(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        results = list(read_inputs([str(path)], limits=Limits(max_page_bytes=1500)))
    assert all(isinstance(r, RawPage | ReadFailure) for r in results)
