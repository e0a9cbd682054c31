"""Article-body extraction quality on the public article-extraction benchmark.

Usage::

    python benchmarks/bench_extraction_quality.py [--bench-dir DIR] [--per-page]

DIR defaults to ``../shared/benchmarks/article-extraction`` relative to the
repository root. It holds ``ground-truth.json`` (true article body per page
id), ``output/html-text.json`` (each page as whole-page plain text) and
``html/<id>.html.gz`` (the pages as HTML).

The metric is the benchmark's own: split texts into words, take the set of
4-word shingles of prediction and truth; per page precision = shared /
predicted, recall = shared / true; average both over pages; F1 from the
averages. The data is read from DIR and never copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO.parent / "shared" / "benchmarks" / "article-extraction"
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    """The set of n-word shingles of a text (a text shorter than n is one shingle)."""
    words = text.split()
    if not words:
        return set()
    if len(words) < n:
        return {tuple(words)}
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    """Shingle precision and recall of one page; nothing predicted for nothing is perfect."""
    pred, true = shingles(predicted), shingles(truth)
    if not pred and not true:
        return 1.0, 1.0
    shared = len(pred & true)
    precision = shared / len(pred) if pred else 0.0
    recall = shared / len(true) if true else 0.0
    return precision, recall


def score(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """Averaged precision, averaged recall, and F1 of the two averages."""
    results = [precision_recall(pred, true) for pred, true in pairs]
    if not results:
        return 0.0, 0.0, 0.0
    p = sum(r[0] for r in results) / len(results)
    r = sum(r[1] for r in results) / len(results)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def _load_outputs(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data = data.get("output", data)
    return {key: value.get("articleBody") or "" for key, value in data.items()}


def _report(
    name: str, ids: list[str], truth: dict[str, str], predict: Callable[[str], str]
) -> None:
    p, r, f1 = score((predict(key), truth[key]) for key in ids)
    print(f"{name:<38} precision={p:.3f} recall={r:.3f} F1={f1:.3f}")


def _html(bench: Path, key: str) -> str:
    raw = gzip.decompress((bench / "html" / f"{key}.html.gz").read_bytes())
    return raw.decode("utf-8", errors="replace")


def _per_page(ids: list[str], truth: dict[str, str], predict: Callable[[str], str]) -> None:
    """Print the worst pages first, to find general failure patterns."""
    rows = []
    for key in ids:
        p, r = precision_recall(predict(key), truth[key])
        rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, key))
    for f1, p, r, key in sorted(rows)[:25]:
        print(f"  {key[:16]} F1={f1:.2f} P={p:.2f} R={r:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Run every extractor available and print one line of scores each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--per-page", action="store_true", help="list the worst text pages")
    args = parser.parse_args(argv)
    bench: Path = args.bench_dir
    truth = _load_outputs(bench / "ground-truth.json")
    pages = _load_outputs(bench / "output" / "html-text.json")
    ids = sorted(key for key in truth if key in pages)
    print(f"{len(ids)} pages from {bench}")

    from blocwatch.ingest.segment import segment_text

    print("text input:")
    _report("  whole page (baseline)", ids, truth, lambda key: pages[key])
    _report("  blocwatch segment_text", ids, truth, lambda key: segment_text(pages[key])[0].text)
    if args.per_page:
        _per_page(ids, truth, lambda key: segment_text(pages[key])[0].text)

    print("html input:")
    html_ids = [key for key in ids if (bench / "html" / f"{key}.html.gz").exists()]
    try:
        import trafilatura
    except ImportError:
        print("  trafilatura: not available")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _report(
                "  trafilatura.extract (defaults)",
                html_ids,
                truth,
                lambda key: trafilatura.extract(_html(bench, key)) or "",
            )
    try:
        from blocwatch.ingest.html import extract_html
    except ImportError:
        print("  blocwatch html: not available")
    else:
        _report(
            "  blocwatch extract_html",
            html_ids,
            truth,
            lambda key: extract_html(_html(bench, key), url=None)[0].text,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
