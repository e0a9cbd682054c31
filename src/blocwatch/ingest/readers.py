"""Input files -> RawPages: plain text, HTML, WARC archives and JSON Lines.

``read_inputs`` streams: it holds one input's current page at a time (archives
and JSON Lines are read record by record), so a crawl of any size goes
through in bounded memory. Anything it cannot read becomes a ``ReadFailure``
with a one-line reason, and reading goes on with the rest, because one bad
file in ten thousand must not stop an ingest run.

The format is detected from content (file names lie), and gzip is undone
transparently, always through a streaming decompressor with a byte cap so a
gzip bomb costs bounded time and no memory.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

import charset_normalizer
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from blocwatch.ingest.model import Format, RawPage, ReadFailure

MB = 1024 * 1024
_HEAD = 64 * 1024  # bytes looked at to detect the format
_CHUNK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<head")
_TAG_SOUP = re.compile(rb"<(?:p|div|br|span|a|h[1-6]|ul|li|table)[\s>/]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Limits:
    """Size caps that keep one hostile or broken input from exhausting memory.

    ``max_page_bytes``: the most one page (a file, a WARC record payload, a
    JSON Lines line) may hold. ``max_decompressed_bytes``: the most a gzip
    text/HTML/JSON Lines input may expand to (WARC records are bounded by
    ``max_page_bytes`` instead, since archives are legitimately huge).
    ``max_file_bytes``: the most an input may hold on disk; None for no cap.
    """

    max_page_bytes: int = 20 * MB
    max_decompressed_bytes: int = 200 * MB
    max_file_bytes: int | None = None


class _Refused(Exception):
    """Internal: this input (or record) cannot be read; the message is the reason."""


def read_inputs(
    paths: Sequence[str],
    *,
    format: Format | None = None,
    limits: Limits = Limits(),
    stdin: BinaryIO | None = None,
) -> Iterator[RawPage | ReadFailure]:
    """Yield every page in the inputs, in order, and a ReadFailure for each unreadable one.

    ``paths`` are files, directories (walked recursively in sorted order,
    hidden entries skipped) or "-" for ``stdin`` (default: the process's).
    ``format`` forces a format instead of detecting it from content.
    """
    for path in paths:
        if path == "-":
            source = stdin if stdin is not None else sys.stdin.buffer
            yield from read_stream("-", source, None, format, limits)
        elif os.path.isdir(path):
            for file_path in walk(path):
                if isinstance(file_path, ReadFailure):
                    yield file_path
                else:
                    yield from _read_file(file_path, format, limits)
        else:
            yield from _read_file(path, format, limits)


def walk(root: str) -> Iterator[str | ReadFailure]:
    """Regular files under root, sorted, skipping hidden names; unreadable dirs as failures."""
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as exc:
        yield ReadFailure(root, f"cannot list directory: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path)
        elif entry.is_file():
            yield entry.path


def _read_file(path: str, format: Format | None, limits: Limits) -> Iterator[RawPage | ReadFailure]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after streaming
    except OSError as exc:
        yield ReadFailure(path, f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        try:
            size = _regular_size(handle)
        except _Refused as exc:
            yield ReadFailure(path, str(exc))
            return
        cap = limits.max_file_bytes
        if size is not None and cap is not None and size > cap:
            yield ReadFailure(path, over_limit_reason(size, cap, "max_file_bytes"))
            return
        yield from read_stream(path, handle, size, format, limits)


def _regular_size(handle: BinaryIO) -> int | None:
    """The on-disk size of a regular file; None for pipes and devices."""
    try:
        info = os.fstat(handle.fileno())
    except OSError as exc:
        raise _Refused(f"cannot stat: {exc.strerror or exc}") from exc
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def read_stream(
    name: str, source: BinaryIO, size: int | None, format: Format | None, limits: Limits
) -> Iterator[RawPage | ReadFailure]:
    """Detect gzip and format, then hand the stream to the reader for that format."""
    try:
        head = source.read(_HEAD)
        stream = _prefixed(head, source)
        if head.startswith(_GZIP_MAGIC):
            if format == "warc" or (format is None and _gzip_head(head).startswith(b"WARC/")):
                yield from _read_warc(name, stream, limits)
                return
            stream = _capped(cast(BinaryIO, gzip.GzipFile(fileobj=stream, mode="rb")), limits)
            size = None  # the on-disk size says nothing about the page size
            head = stream.read(_HEAD)
            stream = _prefixed(head, stream)
        detected = format or _detect(head)
        if detected == "warc":
            yield from _read_warc(name, stream, limits)
        elif detected == "jsonl":
            yield from _read_jsonl(name, stream, limits)
        else:
            yield _read_page(name, stream, size, detected, limits)
    except _Refused as exc:
        yield ReadFailure(name, str(exc))
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        yield ReadFailure(name, _stream_error(exc))


def _stream_error(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile | zlib.error | EOFError):
        return f"corrupt or truncated gzip data: {exc}"
    return f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def _gzip_head(head: bytes) -> bytes:
    """The first decompressed bytes of gzip data, from its first compressed bytes."""
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 16)
    except zlib.error:
        return b""


def _detect(head: bytes) -> Format:
    """WARC, JSON Lines or HTML from the first bytes; plain text otherwise."""
    start = head.lstrip()
    if start.startswith(codecs.BOM_UTF8):
        start = start[len(codecs.BOM_UTF8) :].lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"{") and _first_line_is_object(start, complete=len(head) < _HEAD):
        return "jsonl"
    if start.startswith(b"<"):
        lowered = start[:4096].lower()
        if any(marker in lowered[:1024] for marker in _HTML_MARKERS):
            return "html"
        if len(_TAG_SOUP.findall(lowered)) >= 2:
            return "html"
    return "text"


def _first_line_is_object(start: bytes, *, complete: bool) -> bool:
    line, newline, _ = start.partition(b"\n")
    if not newline and not complete:
        return line.startswith(b'{"')  # longer than the head: judge by its opening
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


# --- one page per input: text and HTML ---------------------------------------------


def _read_page(
    name: str, stream: BinaryIO, size: int | None, format: Format, limits: Limits
) -> RawPage | ReadFailure:
    if size is not None and size > limits.max_page_bytes:
        return ReadFailure(name, over_limit_reason(size, limits.max_page_bytes, "max_page_bytes"))
    data = _read_limited(stream, limits.max_page_bytes)
    if not data.strip():
        return ReadFailure(name, "empty file")
    decoded = _decode(data, html=format == "html")
    if decoded is None:
        return ReadFailure(name, _undecodable(data))
    text, encoding = decoded
    meta = {"encoding": encoding}
    if format == "html":
        return RawPage(path=name, format="html", raw=data, html=text, meta=meta)
    return RawPage(path=name, format="text", raw=data, text=text, meta=meta)


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit`` bytes; past it, count the rest (discarding) to say how big."""
    data = stream.read(limit)
    extra = 0
    while chunk := stream.read(_CHUNK):
        extra += len(chunk)
    if extra:
        raise _Refused(over_limit_reason(len(data) + extra, limit, "max_page_bytes"))
    return data


def over_limit_reason(size: int, limit: int, name: str) -> str:
    what = "file" if name == "max_file_bytes" else "page"
    return f"{what} is {size} bytes, over the limit of {limit} ({name})"


def _decode(
    data: bytes, *, html: bool = False, declared: str | None = None
) -> tuple[str, str] | None:
    """(text, encoding) for text bytes, or None when they are binary.

    UTF-8 first (most of the web), then a byte-order mark, then the charset
    the HTTP header or the HTML itself declares, then charset-normalizer.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _try_decode(data, codec)
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared is None and html:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "ignore") if match else None
    if declared and (result := _try_decode(data, declared)) is not None:
        return result
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _undecodable(data: bytes) -> str:
    """Why bytes no decoder accepts were refused: binary data, or text in no one encoding."""
    sample = data[:_HEAD]
    if b"\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100:
        return "binary file, not text"
    return "text in mixed or unknown encodings, not decodable as one"


def _try_decode(data: bytes, codec: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(codec).name
        return data.decode(codec), name
    except (LookupError, UnicodeDecodeError):
        return None


# --- JSON Lines ----------------------------------------------------------------------


def _read_jsonl(name: str, stream: BinaryIO, limits: Limits) -> Iterator[RawPage | ReadFailure]:
    """One RawPage per line; a broken line is a ReadFailure and the rest still come out."""
    line_no = 0
    while True:
        line = stream.readline(limits.max_page_bytes + 1)
        if not line:
            return
        line_no += 1
        where = f"{name}:{line_no}"
        if len(line) > limits.max_page_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            yield ReadFailure(where, over_limit_reason(size, limits.max_page_bytes, "max_page_bytes"))
            continue
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield _jsonl_page(where, line)


def _skip_line(stream: BinaryIO) -> int:
    """Discard the rest of an over-long line; return how many bytes that was."""
    skipped = 0
    while chunk := stream.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _jsonl_page(where: str, line: bytes) -> RawPage | ReadFailure:
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return ReadFailure(where, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return ReadFailure(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return ReadFailure(where, "invalid JSON: nested too deeply")
    if not isinstance(record, dict):
        return ReadFailure(where, f"not a JSON object but {_json_type(record)}")
    meta = {}
    for key in ("url", "title", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return ReadFailure(where, f'"{key}" is {_json_type(value)}, not a string')
        if value:
            meta[key] = value
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        return RawPage(path=where, format="jsonl", raw=line, html=html, meta=meta)
    if isinstance(text, str) and text.strip():
        return RawPage(path=where, format="jsonl", raw=line, text=text, meta=meta)
    return ReadFailure(where, 'neither "text" nor "html" is a non-empty string')


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


# --- WARC ----------------------------------------------------------------------------


def _read_warc(name: str, stream: BinaryIO, limits: Limits) -> Iterator[RawPage | ReadFailure]:
    """HTML 200 responses, record by record; a broken archive ends with a ReadFailure.

    Pages are named ``file#n``, n the record's 0-based index in the archive
    (every record counts, so the number finds the record with any WARC tool).
    """
    gzipped = stream.peek(2)[:2] == _GZIP_MAGIC  # type: ignore[attr-defined]
    ends = _ArchiveEnds(stream, gzip=gzipped)
    stream = io.BufferedReader(ends, buffer_size=_CHUNK)
    archive = ArchiveIterator(stream)
    index = -1
    try:
        for record in archive:
            index += 1
            page = _warc_page(f"{name}#{index}", record, limits) if _is_html_ok(record) else None
            problem = _record_problem(record)
            if problem:
                yield ReadFailure(name, f"{problem}: record {index} at byte {archive.offset}")
                return
            if page is not None:
                yield page
    except Exception as exc:  # noqa: BLE001 - warcio raises many types on bad bytes
        cut = ends.cut_at(stream, None)
        if cut is None:
            yield ReadFailure(name, f"corrupt WARC at byte {archive.offset}: {_one_line(exc)}")
            return
    else:
        cut = ends.cut_at(stream, archive.offset)
    if cut is not None:
        yield ReadFailure(name, f"truncated WARC, record cut short: record {index + 1} at byte {cut}")


def _record_problem(record: ArcWarcRecord) -> str | None:
    """Read what is left of the record; say what is wrong with its length, if anything.

    warcio stops quietly at the end of a cut archive, so a record that got
    fewer bytes than its Content-Length is the only sign of truncation.
    """
    limited = hasattr(record.raw_stream, "limit")
    while record.raw_stream.read(_CHUNK):
        pass
    if not limited:
        return "corrupt WARC, no Content-Length"
    return "truncated WARC, record cut short" if record.raw_stream.limit > 0 else None


def _is_html_ok(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _warc_page(where: str, record: ArcWarcRecord, limits: Limits) -> RawPage | ReadFailure:
    headers = record.rec_headers
    if record.length is not None and record.length > limits.max_page_bytes:
        return ReadFailure(where, over_limit_reason(record.length, limits.max_page_bytes, "max_page_bytes"))
    try:  # the payload may be gzip/deflate content-encoded: cap what it expands to
        payload = _read_limited(_capped(record.content_stream(), limits), limits.max_page_bytes)
    except _Refused as exc:
        return ReadFailure(where, str(exc))
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return ReadFailure(where, f"cannot decode HTTP payload: {_one_line(exc)}")
    content_type = record.http_headers.get_header("Content-Type") or ""
    declared = _charset_param(content_type)
    decoded = _decode(payload, html=True, declared=declared) if payload.strip() else None
    if decoded is None:
        return ReadFailure(where, "empty or binary payload, not HTML text")
    html, encoding = decoded
    meta = {
        "url": headers.get_header("WARC-Target-URI"),
        "warc_date": headers.get_header("WARC-Date"),
        "record_id": headers.get_header("WARC-Record-ID"),
        "encoding": encoding,
    }
    return RawPage(path=where, format="warc", raw=payload, html=html, meta=meta)


def _charset_param(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# --- stream plumbing -----------------------------------------------------------------


class _PrefixedRaw(io.RawIOBase):
    """Bytes already read (to sniff the format) followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _CappedRaw(io.RawIOBase):
    """A decompressed stream that refuses to give more than ``cap`` bytes in total."""

    def __init__(self, inner: BinaryIO, cap: int) -> None:
        self._inner = inner
        self._cap = cap
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        self._total += len(data)
        if self._total > self._cap:
            raise _Refused(
                f"decompressed data is over the limit of {self._cap} bytes"
                " (max_decompressed_bytes); possible gzip bomb"
            )
        buffer[: len(data)] = data
        return len(data)


class _ArchiveEnds(io.RawIOBase):
    """Passes an archive's bytes through unchanged, to tell afterwards whether it ends
    where its last complete record does: warcio ends quietly on a record cut short
    in its headers, or on a gzip member cut short (a .warc.gz is one member per record).
    """

    def __init__(self, inner: BinaryIO, *, gzip: bool) -> None:
        self._inner = inner
        self._inflate = zlib.decompressobj(wbits=31) if gzip else None
        self._offset = 0  # bytes passed through
        self._member_start = 0
        self._in_member = False
        self._broken = False  # not gzip past some point: warcio's to judge, not ours

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._offset += len(data)
        if self._inflate is not None:
            self._watch(data)
        return len(data)

    def _watch(self, data: bytes) -> None:
        while data and not self._broken:
            if not self._in_member:
                self._in_member = True
                self._member_start = self._offset - len(data)
            try:
                self._inflate.decompress(data, _CHUNK)  # type: ignore[union-attr]
            except zlib.error:
                self._broken = True
                return
            data = self._inflate.unconsumed_tail  # type: ignore[union-attr]
            if self._inflate.eof:  # type: ignore[union-attr]
                data = self._inflate.unused_data  # type: ignore[union-attr]
                self._inflate = zlib.decompressobj(wbits=31)
                self._in_member = False

    def cut_at(self, drain: BinaryIO, parsed_to: int | None) -> int | None:
        """Read what is left; where a record that never ends begins, if one does.

        PARSED_TO is where the archive reader says its last complete record ended
        (None when it stopped on an error, for a plain archive: no judgement then).
        """
        while drain.read(_CHUNK):
            pass
        if self._inflate is not None:
            return self._member_start if self._in_member and not self._broken else None
        if parsed_to is not None and self._offset > parsed_to:
            return parsed_to
        return None


def _prefixed(head: bytes, rest: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_PrefixedRaw(head, rest), buffer_size=_CHUNK)


def _capped(inner: BinaryIO, limits: Limits) -> BinaryIO:
    return io.BufferedReader(_CappedRaw(inner, limits.max_decompressed_bytes), buffer_size=_CHUNK)
