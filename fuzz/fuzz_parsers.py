"""Coverage-guided fuzzing of blocwatch's parsers with atheris (libFuzzer), by hand.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_parsers.py TARGET [libFuzzer options] [CORPUS_DIR]

TARGET is one of: segment, dates, expression, readers (which also runs each page
it reads through the HTML extraction and the segmenter). For example, ten
minutes on the readers with a corpus kept between runs:

    mkdir -p fuzz/corpus/readers
    .venv/bin/python fuzz/fuzz_parsers.py readers -max_total_time=600 fuzz/corpus/readers

A finding is any exception other than blocwatch's own errors (and, for a
page's documents, RecursionError, which the pipeline turns into a failure
row); libFuzzer writes the input that raised it to crash-<hash>.
"""

from __future__ import annotations

import io
import logging
import sys

import atheris

with atheris.instrument_imports(include=["blocwatch"]):
    from blocwatch.errors import BlocwatchError
    from blocwatch.extract import dates
    from blocwatch.ingest.model import Document, RawPage
    from blocwatch.ingest.pipeline import documents_of
    from blocwatch.ingest.readers import Limits, read_inputs
    from blocwatch.ingest.segment import segment_text
    from blocwatch.query.expression import parse

LIMITS = Limits(max_page_bytes=64 * 1024, max_decompressed_bytes=1024 * 1024)
FORMATS = (None, "text", "html", "warc", "jsonl")


class _Swallowed(logging.Handler):
    """find_dates logs, rather than raises, what fails inside it: make that a finding."""

    def emit(self, record: logging.LogRecord) -> None:
        raise AssertionError(f"dates swallowed an exception: {record.getMessage()}")


def fuzz_segment(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    try:
        docs = segment_text(text)
    except BlocwatchError:
        return
    for doc in docs:
        if doc.start is not None:
            assert text[doc.start : doc.end] == doc.text, (doc.start, doc.end)
        for start, end in doc.metadata.get("spans", []):
            assert text[start:end] in doc.text


_extractor = None


def _context(text: str, published: str | None):  # type: ignore[no-untyped-def]
    global _extractor
    if _extractor is None:
        import blocwatch
        from blocwatch.extract.gazetteer import Gazetteer
        from blocwatch.extract.pipeline import Extractor

        store, _ = blocwatch.connect(":memory:")
        _extractor = Extractor(Gazetteer.from_store(store))
        logging.getLogger(dates.__name__).addHandler(_Swallowed(logging.WARNING))
    return _extractor.context(Document(role="main", text=text, published=published))


def fuzz_dates(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    published = fdp.PickValueInList([None, "2018", "2018-11", "2018-11-21", "0001-01-01", "9999-12-31"])
    ctx = _context(fdp.ConsumeUnicodeNoSurrogates(2000), published)
    ctx.date_range = dates.date_range(ctx)
    for section in ctx.sections:
        for mention in dates.find_dates(section, ctx):
            assert section.text[mention.start : mention.end] == mention.text
            ctx.dates.append(mention)
    dates.document_date(ctx)


def fuzz_expression(data: bytes) -> None:
    expr = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(12000)
    try:
        parse(expr)
    except BlocwatchError as exc:
        assert "\n" not in str(exc)


def fuzz_readers(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    fmt = fdp.PickValueInList(list(FORMATS))
    raw = fdp.ConsumeBytes(len(data))
    for item in read_inputs(["-"], format=fmt, limits=LIMITS, stdin=io.BytesIO(raw)):
        if isinstance(item, RawPage):
            try:
                documents_of(item)
            except (BlocwatchError, RecursionError):
                pass
        else:
            assert item.reason and "\n" not in item.reason, item.reason


TARGETS = {"segment": fuzz_segment, "dates": fuzz_dates, "expression": fuzz_expression,
           "readers": fuzz_readers}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [corpus]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
