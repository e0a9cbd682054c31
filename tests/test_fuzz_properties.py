"""Property tests for the parsers: the segmenter, the date resolver, the members-expression
parser, the readers, and the set algebra of members.

Each parser may refuse its input only with blocwatch's own errors. These extend
the properties already pinned next to each module (test_segment, test_expression,
test_readers, test_members) with the inputs those leave out: exotic line breaks,
date-shaped noise, full Unicode, broken archives, and more set-algebra laws.
fuzz/fuzz_parsers.py runs the same targets under atheris, by hand.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import blocwatch
from blocwatch.errors import BlocwatchError, ExpressionError
from blocwatch.extract import dates
from blocwatch.ingest.model import Document, RawPage, ReadFailure
from blocwatch.ingest.pipeline import documents_of
from blocwatch.ingest.readers import Limits, read_inputs
from blocwatch.ingest.segment import segment_text
from blocwatch.query.expression import Op, Term, parse

# ----------------------------------------------------------------- segmenter

# Characters str.splitlines() breaks on besides \n: a segmenter that splits one way and
# counts offsets another would put spans in the wrong place.
BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
NEWS_LINES = st.sampled_from([
    "Related articles", "Read more", "Editor's choice", "Share this article", "Advertisement",
    "By Jane Doe", "Published: 12 March 2024", "MOSCOW, Nov 21 (Agency) -", "Photo: Reuters",
    "NATO ministers meet in Brussels", "NATO ministers meet in Brussels",
    "The alliance agreed on a new plan for the eastern flank, officials said today.",
    "Leaders of the CSTO met in Minsk on 21 November 2018 to discuss collective security.",
    "", " ", "\t", "•", "—", "© 2024",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(NEWS_LINES, st.text(max_size=60)), max_size=60), st.lists(st.sampled_from(BREAKS), min_size=1, max_size=3))
def test_segmenter_spans_hold_under_any_line_break(lines, breaks):
    page = "".join(line + breaks[i % len(breaks)] for i, line in enumerate(lines))
    try:
        docs = segment_text(page)
    except BlocwatchError:
        return
    assert docs and docs[0].role == "main"
    for doc in docs:
        for start, end in doc.metadata.get("spans", []):
            assert 0 <= start <= end <= len(page)
            assert page[start:end] in doc.text
        if doc.start is not None:
            assert page[doc.start : doc.end] == doc.text
    assert segment_text(page) == docs  # pure: the same page, the same documents


@settings(max_examples=20, deadline=None)
@given(st.lists(NEWS_LINES, min_size=100, max_size=400))
def test_segmenter_on_long_pages(lines):
    docs = segment_text("\n".join(lines))
    assert docs[0].role == "main"
    teasers = [(d.title, d.text) for d in docs[1:]]
    assert len(set(teasers)) == len(teasers)  # each teaser once, its repeats counted


# ----------------------------------------------------------------- date resolver

DATE_TOKENS = st.sampled_from([
    "21", "31", "29", "0", "32", "1st", "3rd", "31st", "February", "Feb.", "Nov", "November",
    "2018", "1991", "2020", "0000", "9999", "99", "-", ".", "/", ",", " ", "  ", "of", "the",
    "on", "in", "last", "next", "year", "month", "week", "ago", "two", "days", "Tuesday",
    "Sat", "will", "meet", "met", "since", "until", "spring", "mid-", "late", "early", "\n",
    "21.11.2018", "2018-11-21", "2018-02-31", "31.02.2019", "29 February 2019", "AD", "BC",
    "Secretary General of NATO, Mark Rutte,", "the 5th summit", "the 4th summit in 2017",
])
PUBLISHED = st.sampled_from([None, "2018", "2018-11", "2018-11-21", "2020-02-29", "0001-01-01",
                             "9999-12-31", "2018-02-31", "yesterday"])


class _Failures(logging.Handler):
    """Collects the warning find_dates logs when it swallows an exception."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def date_failures():
    handler = _Failures()
    logger = logging.getLogger(dates.__name__)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(st.one_of(DATE_TOKENS, st.text(max_size=8)), max_size=40),
       published=PUBLISHED)
@example(tokens=["on", " ", "31", " ", "February", " ", "9999"], published="9999-12-31")
@example(tokens=["last", " ", "year"], published="0001-01-01")
@example(tokens=["Tuesday"], published=None)
def test_date_resolver_never_fails_and_spans_point_at_the_text(extractor, date_failures, tokens, published):
    text = " ".join(tokens)
    doc = Document(role="main", text=text, title=text[:40] or None, published=published)
    ctx = extractor.context(doc)
    ctx.date_range = dates.date_range(ctx)
    before = len(date_failures.records)
    for section in ctx.sections:
        for mention in dates.find_dates(section, ctx):
            assert section.text[mention.start : mention.end] == mention.text
            if mention.date is not None:
                assert mention.date.first <= mention.date.last
        ctx.dates.extend(dates.find_dates(section, ctx))
    assert len(date_failures.records) == before, [r.getMessage() for r in date_failures.records]
    found, _ = dates.document_date(ctx)
    assert found is None or found.first <= found.last


# ----------------------------------------------------------------- members expressions

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
@example("(" * 10_001)
@example("a" * 10_000)
@example("\u2028-\u00a0(\x00)")
def test_expression_parser_raises_only_its_own_error_on_any_text(expr):
    try:
        rpn = parse(expr)
    except ExpressionError as exc:
        assert "\n" not in str(exc)  # one line, whatever the input
        return
    # A valid answer is well formed reverse Polish: one value left on the stack.
    depth = 0
    for token in rpn:
        depth += 1 if isinstance(token, Term) else -1
        assert depth >= 1
    assert depth == 1


NAMES = st.sampled_from(["CIS", "csto", "post-soviet", "EAEU", "nato", "x-y-z", "Ünïcode", "a"])
OPS = st.sampled_from(["|", "&", "-"])


def _reference_rpn(names: list[str], ops: list[str]) -> list[str]:
    """Precedence climbing for a flat expression: & above | and -, all left-associative."""
    out: list[str] = []
    pos = 0

    def prec(op: str) -> int:
        return 2 if op == "&" else 1

    def expression(min_prec: int) -> None:
        nonlocal pos
        out.append(names[pos])
        pos += 1
        while pos - 1 < len(ops) and prec(ops[pos - 1]) >= min_prec:
            op = ops[pos - 1]
            expression(prec(op) + 1)
            out.append(op)

    expression(1)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=12), st.data())
def test_expression_parser_agrees_with_precedence_climbing(names, data):
    ops = data.draw(st.lists(OPS, min_size=len(names) - 1, max_size=len(names) - 1))
    spaced = data.draw(st.booleans())
    expr = names[0]
    for op, name in zip(ops, names[1:], strict=True):
        gap = " " if spaced or op == "-" else ""
        expr += f"{gap}{op}{gap}{name}"
    got = [t.name if isinstance(t, Term) else t.symbol for t in parse(expr)]
    assert got == _reference_rpn(names, ops)


# ----------------------------------------------------------------- readers

def _warc(pages: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(pages):
        html = f"<html><body><p>Leaders of the CSTO met in Minsk, report {i}.</p></body></html>"
        record = writer.create_warc_record(
            f"https://example.org/{i}", "response", payload=io.BytesIO(html.encode()),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0"))
        writer.write_record(record)
        record.raw_stream.close()
    return buf.getvalue()


WARC = _warc(3)
JSONL = (json.dumps({"text": "NATO met in Vilnius.", "url": "https://e.org/1"}) + "\n"
         + json.dumps({"html": "<p>The EU met in Brussels.</p>", "published": "2022-03-01"}) + "\n").encode()
HTML = b"<!doctype html><html><head><title>T</title></head><body><p>" + b"The CIS met. " * 20 + b"</p></body></html>"
SEEDS = [WARC, JSONL, HTML, "Лидеры ОДКБ встретились в Минске.".encode("cp1251")]


@st.composite
def mutated(draw) -> bytes:
    """A valid input, then cut, flipped, spliced or repeated: the shapes real damage takes."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cut", "flip", "insert", "repeat", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=16) | st.sampled_from([b"\r\n", b"\x00", b"{", b"<", b"\x1f\x8b"]))
        elif kind == "repeat":
            data += data[at:]
        else:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


@settings(max_examples=200, deadline=None)
@given(data=mutated(), gz=st.booleans(), fmt=st.sampled_from([None, "text", "html", "warc", "jsonl"]))
def test_damaged_inputs_yield_pages_or_failures_and_pages_yield_documents_or_errors(data, gz, fmt):
    if gz:
        data = gzip.compress(data, mtime=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        results = list(read_inputs([str(path)], format=fmt, limits=Limits(max_page_bytes=4000)))
    for item in results:
        assert isinstance(item, RawPage | ReadFailure)
        if isinstance(item, ReadFailure):
            assert item.reason and "\n" not in item.reason
            continue
        try:
            documents_of(item)  # the per-page pure function the pipeline runs next
        except (BlocwatchError, RecursionError):  # the pipeline turns both into a failure row
            pass


# ----------------------------------------------------------------- set-algebra laws

TERMS = ["CIS", "CSTO", "EAEU", "NATO", "EU", "post-soviet", "baltic-states", "central-asia"]
DATES = ["1995-06-01", "2005-08-26", "2009", "2012-12-19", "2018-11-21", "2024-03"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.sampled_from(TERMS), b=st.sampled_from(TERMS), c=st.sampled_from(TERMS),
       at=st.sampled_from(DATES))
def test_more_set_algebra_laws(store, a, b, c, at):
    """Laws of a De Morgan algebra, which Kleene's three values keep (test_members pins
    commutativity, distributivity and one De Morgan law)."""

    def s(expr: str) -> set[tuple[str, bool]]:
        return {(r.iso3, r.certain) for r in blocwatch.members(store, expr, at=at).members}

    # associativity
    assert s(f"({a} | {b}) | {c}") == s(f"{a} | ({b} | {c})")
    assert s(f"({a} & {b}) & {c}") == s(f"{a} & ({b} & {c})")
    # idempotence
    assert s(f"{a} | {a}") == s(a) == s(f"{a} & {a}")
    # absorption
    assert s(f"{a} | ({a} & {b})") == s(a) == s(f"{a} & ({a} | {b})")
    # De Morgan on difference, the other way round: a - (b & c) = (a - b) | (a - c)
    assert s(f"{a} - ({b} & {c})") == s(f"({a} - {b}) | ({a} - {c})")
    # difference distributes from the right, and a difference of a difference
    assert s(f"({a} | {b}) - {c}") == s(f"({a} - {c}) | ({b} - {c})")
    assert s(f"({a} & {b}) - {c}") == s(f"{a} & ({b} - {c})")
    assert s(f"{a} - ({b} - {c})") == s(f"({a} - {b}) | ({a} & {c})")
    # difference only removes
    assert {i for i, _ in s(f"{a} - {b}")} <= {i for i, _ in s(a)}
