"""Ingestion speed per core, against spaCy's tokenizer and trafilatura, and memory while streaming.

Usage::

    python benchmarks/bench_ingest.py [--bench-dir DIR] [--pages N] [--skip-rss] [--skip-rate]

Part 1, rate (one process, so pages per second is pages per second per core):
the benchmark's 181 pages go through ``blocwatch.ingest`` -- reading files,
segmentation (text) or HTML extraction, duplicate detection and a fresh
SQLite store on disk -- once with extraction on and once with it off
(``IngestOptions(extract=False)``). In the same run, on the same inputs:
spaCy's blank English tokenizer on the texts, and ``trafilatura.extract``
alone on the HTML. The ratios printed are blocwatch's rate over the
baseline's: 1.0 means as fast, 0.1 means ten times slower.

Part 2, memory: N pages (default 100,000) are written to a JSON Lines file
in a temporary directory -- the benchmark's texts repeated, each copy varied
(its own edition line, a number changed) so that no two are the same page --
and streamed through ``ingest`` into an SQLite file with extraction on. The
resident set size is sampled every 1,000 pages from /proc/self/status and
printed as a curve (first, quartiles, last, max). Flat means ingestion keeps
no per-page state beyond the store on disk.

DIR defaults to ``../shared/benchmarks/article-extraction`` relative to the
repository root; the data is read from there and never copied into the
repository.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

from _timing import timed

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO.parent / "shared" / "benchmarks" / "article-extraction"
SAMPLE_EVERY = 1000


def rss_kib() -> tuple[int, int]:
    """(current, peak) resident set size of this process, in KiB, from /proc/self/status."""
    now = peak = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return now, peak


def _texts(bench: Path) -> dict[str, str]:
    data = json.loads((bench / "output" / "html-text.json").read_text(encoding="utf-8"))
    data = data.get("output", data)
    return {key: value.get("articleBody") or "" for key, value in sorted(data.items())}


def _html(bench: Path, keys: Iterable[str]) -> dict[str, str]:
    out = {}
    for key in keys:
        raw = gzip.decompress((bench / "html" / f"{key}.html.gz").read_bytes())
        out[key] = raw.decode("utf-8", errors="replace")
    return out


def warm_up(extractor: object) -> None:
    """One small document through the extractor: vocabularies load on first use."""
    from blocwatch.ingest.model import Document

    extractor(Document(role="main", published="2024-05-04",  # type: ignore[operator]
                       text="NATO chief Mark Rutte met Armenia's prime minister on Friday, "
                            "3 May 2024, in Brussels. \"We agree,\" he said. 12 states attended."))




def _ingest_dir(folder: Path, fmt: str, *, extract: bool) -> tuple[float, object]:
    """Seconds to ingest every file in FOLDER into a fresh on-disk store (reference preloaded)."""
    from blocwatch import api
    from blocwatch.ingest.dedup import band_hashes, signature
    from blocwatch.ingest.pipeline import IngestOptions, extractor_for

    band_hashes(signature("near-duplicate signatures: datasketch, LSH bands, once"))
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = api.init(str(Path(tmp) / "bench.sqlite"))
        try:
            if extract:
                warm_up(extractor_for(store))  # built once per process, like a worker would
            options = IngestOptions(format=fmt, extract=extract)  # type: ignore[arg-type]
            summary = None

            def run() -> None:
                nonlocal summary
                summary = api.ingest(store, [str(folder)], options=options)

            seconds = timed(run)
        finally:
            store.close()
    return seconds, summary


def _line(name: str, pages: int, seconds: float, baseline: float | None = None) -> None:
    rate = pages / seconds if seconds else float("inf")
    ratio = f"  ratio {rate / baseline:7.3f}" if baseline else ""
    print(f"  {name:<44} {pages:>6} pages {seconds:8.2f} s {rate:9.2f} pages/s{ratio}")


def bench_rate(bench: Path) -> None:
    import spacy
    import trafilatura

    texts = _texts(bench)
    keys = [k for k in texts if (bench / "html" / f"{k}.html.gz").exists()]
    html = _html(bench, keys)
    n_text, n_html = len(texts), len(html)
    words = sum(len(t.split()) for t in texts.values())
    print(f"rate, one process: {n_text} text pages ({words:,} words), {n_html} HTML pages")

    with tempfile.TemporaryDirectory() as tmp:
        text_dir, html_dir = Path(tmp) / "text", Path(tmp) / "html"
        text_dir.mkdir()
        html_dir.mkdir()
        for key, text in texts.items():
            (text_dir / f"{key}.txt").write_text(text, encoding="utf-8")
        for key, page in html.items():
            (html_dir / f"{key}.html").write_text(page, encoding="utf-8")

        nlp = spacy.blank("en")
        nlp.make_doc("warm up")
        tok = timed(lambda: [nlp.make_doc(t) for t in texts.values()], repeat=3)
        tok_rate = n_text / tok

        def trafilatura_all() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for page in html.values():
                    trafilatura.extract(page)

        traf = timed(trafilatura_all)
        traf_rate = n_html / traf

        print("text input (ratio = blocwatch / spaCy blank tokenizer)")
        _line("spaCy blank English tokenizer", n_text, tok)
        for extract in (False, True):
            seconds, summary = _ingest_dir(text_dir, "text", extract=extract)
            label = f"blocwatch ingest text, extraction {'on' if extract else 'off'}"
            _line(label, n_text, seconds, tok_rate)
            _summary(summary)
        print("HTML input (ratio = blocwatch / trafilatura.extract)")
        _line("trafilatura.extract alone", n_html, traf)
        for extract in (False, True):
            seconds, summary = _ingest_dir(html_dir, "html", extract=extract)
            label = f"blocwatch ingest HTML, extraction {'on' if extract else 'off'}"
            _line(label, n_html, seconds, traf_rate)
            _summary(summary)


def _summary(summary: object) -> None:
    s = summary.to_json()  # type: ignore[attr-defined]
    print(f"  {'':<44} (documents stored {s['documents_stored']}, duplicates "
          f"{s['duplicates']}, failures {len(s['failures'])})")


def _variant(text: str, copy: int) -> str:
    """Copy number COPY of TEXT: an edition line on top and its first number changed."""
    head = f"Edition {copy}, updated at {copy % 24:02d}:{copy % 60:02d}."
    for i, ch in enumerate(text):
        if ch.isdigit():
            text = f"{text[:i]}{(int(ch) + copy) % 10}{text[i + 1:]}"
            break
    return f"{head}\n{text}"


def write_stream(path: Path, texts: list[str], pages: int) -> int:
    """Write PAGES JSON Lines records cycling over TEXTS; return the file's size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(pages):
            copy, base = divmod(n, len(texts))
            record = {"url": f"https://bench.example/{base}/{copy}", "title": f"Page {base}",
                      "published": f"20{10 + copy % 15:02d}-0{1 + copy % 9}-1{copy % 10}",
                      "text": _variant(texts[base], copy) if copy else texts[base]}
            out.write(json.dumps(record) + "\n")
    return path.stat().st_size


def bench_rss(bench: Path, pages: int, *, extract: bool) -> None:
    from blocwatch import api
    from blocwatch.ingest.pipeline import IngestOptions, extractor_for

    texts = [t for t in _texts(bench).values() if t.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        stream = Path(tmp) / "pages.jsonl"
        size = write_stream(stream, texts, pages)
        print(f"\nmemory: {pages:,} pages streamed from a {size / 2**20:,.0f} MiB JSON Lines "
              f"file, extraction {'on' if extract else 'off'}, SQLite file store")
        store, _ = api.init(str(Path(tmp) / "rss.sqlite"))
        if extract:
            warm_up(extractor_for(store))
        gc.collect()
        samples: list[tuple[int, int]] = [(0, rss_kib()[0])]
        seen = 0
        start = time.perf_counter()

        def progress(_path: str) -> None:
            nonlocal seen
            seen += 1
            if seen % SAMPLE_EVERY == 0:
                samples.append((seen, rss_kib()[0]))

        try:
            summary = api.ingest(store, [str(stream)],
                                 options=IngestOptions(format="jsonl", extract=extract),
                                 progress=progress)
        finally:
            store.close()
        seconds = time.perf_counter() - start
        if samples[-1][0] != seen:
            samples.append((seen, rss_kib()[0]))
    s = summary.to_json()
    print(f"  {seen:,} pages in {seconds:,.1f} s ({seen / seconds:,.1f} pages/s): "
          f"{s['documents_stored']} documents stored, {s['duplicates']} duplicates, "
          f"{len(s['failures'])} failures")
    picks = sorted({0, len(samples) // 4, len(samples) // 2, 3 * len(samples) // 4,
                    len(samples) - 1})
    mib = [(n, kib / 1024) for n, kib in samples]
    print("  RSS curve (pages read -> MiB): " + ", ".join(
        f"{mib[i][0]:,} -> {mib[i][1]:.0f}" for i in picks))
    peak = rss_kib()[1] / 1024
    print(f"  RSS first {mib[0][1]:.0f} MiB, middle {mib[len(mib) // 2][1]:.0f} MiB, "
          f"last {mib[-1][1]:.0f} MiB, max sampled {max(m for _, m in mib):.0f} MiB, "
          f"peak (VmHWM) {peak:.0f} MiB")
    # Growth once warm (the first documents are new and extracted; later ones mostly repeat).
    warm = [(n, m) for n, m in mib if n >= SAMPLE_EVERY * 2]
    if len(warm) >= 2:
        (n0, m0), (n1, m1) = warm[0], warm[-1]
        print(f"  growth from {n0:,} to {n1:,} pages: {m1 - m0:+.1f} MiB "
              f"({(m1 - m0) / (n1 - n0) * 10_000:+.2f} MiB per 10,000 pages)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--pages", type=int, default=100_000,
                        help="pages to stream for the memory curve (default 100,000)")
    parser.add_argument("--no-extract-rss", action="store_true",
                        help="stream with extraction off (default: on)")
    parser.add_argument("--skip-rate", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "output" / "html-text.json").exists():
        print(f"Error: benchmark data not found in {args.bench_dir}", file=sys.stderr)
        return 1
    print(f"python {sys.version.split()[0]}, pid {os.getpid()}, one process "
          f"(machine has {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f})")
    if not args.skip_rate:
        bench_rate(args.bench_dir)
    if not args.skip_rss:
        bench_rss(args.bench_dir, args.pages, extract=not args.no_extract_rss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
