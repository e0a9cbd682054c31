"""Extraction speed per core: the full pipeline against spaCy's blank tokenizer on the same texts.

Usage::

    python benchmarks/bench_extract.py [--bench-dir DIR] [--corpus bench|golden|both] [--stages]

One process, so documents per second is per core. In the same run, on the
same texts:

- **full pipeline**: ``blocwatch.ingest`` of the texts as files into a fresh
  SQLite store on disk -- reading, segmentation into main article and
  teasers, duplicates, extraction (entities, persons, dates, meetings,
  membership, events, quotes, numbers), linking to the reference base, and
  storing every fact -- in documents per second (documents found on the
  pages, duplicates included) and pages per second;
- **extraction alone** (``Extractor.__call__``) on each stored document;
- **spaCy's blank English tokenizer** (``spacy.blank("en").make_doc``) on the
  page texts and on the document texts;
- **spaCy's small English model** (``en_core_web_sm``) on the page texts,
  when it is installed; otherwise the line says "not installed".

The ratio printed is blocwatch's rate over the tokenizer's on the same texts;
the target is at least 0.5. Both start from a fresh vocabulary (the tokenizer
as the best of three fresh pipelines, blocwatch once, with its once-per-process
loads -- Extractor, datasketch -- done before timing), so on a busy machine the
ratio errs against blocwatch. Two stricter baselines are printed too, with
blocwatch's ratio against each: the tokenizer whose fresh vocabulary computes
only the 7 lexical attributes blocwatch's pipeline computes
(``LEXICAL_ATTRIBUTES``; spaCy's blank English computes 23 for every new
word), and the tokenizer with a warm vocabulary (its third pass over the texts).
``--stages`` adds the time each extraction stage takes (by wrapping the
stage functions; the wrapping costs a little).

The corpora: ``bench`` is the 181 whole pages as plain text of the public
article-extraction benchmark (``DIR/output/html-text.json``, read in place,
never copied into the repository); ``golden`` is the repository's own golden
articles (``tests/golden/*.txt``).
"""

from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from _timing import timed

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO.parent / "shared" / "benchmarks" / "article-extraction"
TARGET = 0.5

# (module, function) of each extraction stage, in the order Extractor.__call__ runs them
STAGES = [
    ("blocwatch.extract.pipeline", "Extractor.context"),  # spaCy: tokenizer, sentencizer, names
    ("blocwatch.extract.persons", "find_persons"),
    ("blocwatch.extract.persons", "resolve_ambiguous"),
    ("blocwatch.extract.dates", "date_range"),
    ("blocwatch.extract.dates", "find_dates"),
    ("blocwatch.extract.meetings", "find_meetings"),
    ("blocwatch.extract.membership", "find_membership"),
    ("blocwatch.extract.persons", "office_statements"),
    ("blocwatch.extract.events", "find_events"),
    ("blocwatch.extract.quotes", "find_quotes"),
    ("blocwatch.extract.quantities", "find_quantities"),
    ("blocwatch.extract.meetings", "meeting_events"),
    ("blocwatch.extract.dates", "document_date"),
]


def load_corpus(which: str, bench: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    if which in ("bench", "both"):
        data = json.loads((bench / "output" / "html-text.json").read_text(encoding="utf-8"))
        data = data.get("output", data)
        texts.update({f"bench-{k}": v.get("articleBody") or "" for k, v in sorted(data.items())})
    if which in ("golden", "both"):
        for path in sorted(glob.glob(str(REPO / "tests" / "golden" / "*.txt"))):
            texts[f"golden-{Path(path).stem}"] = Path(path).read_text(encoding="utf-8")
    return {k: v for k, v in texts.items() if v.strip()}




def cold_tokenizer(texts: list[str], repeat: int = 3, *, attributes: frozenset | None = None
                   ) -> float:
    """Seconds a fresh blank English pipeline takes to tokenize TEXTS, best of REPEAT.

    Fresh each time, because the timed ingest starts with a fresh vocabulary
    too: spaCy adds a lexeme for each word it has not seen, and on a first pass
    over these pages that is a third of the tokenizer's time. ATTRIBUTES, when
    given, are the only lexical attributes its vocabulary computes (as
    blocwatch's pipeline does), instead of spaCy's default 23.
    """
    import spacy

    best = float("inf")
    for _ in range(repeat):
        nlp = spacy.blank("en")
        if attributes is not None:
            nlp.vocab.lex_attr_getters = {a: g for a, g in nlp.vocab.lex_attr_getters.items()
                                          if a in attributes}
        nlp.make_doc("warm up")
        best = min(best, timed(lambda nlp=nlp: [nlp.make_doc(t) for t in texts]))
    return best


def line(name: str, count: int, unit: str, seconds: float, baseline: float | None = None) -> float:
    rate = count / seconds if seconds else float("inf")
    extra = ""
    if baseline:
        ratio = rate / baseline
        extra = f"  ratio {ratio:6.3f} ({'meets' if ratio >= TARGET else 'below'} target {TARGET})"
    print(f"  {name:<46} {count:>5} {unit:<5} {seconds:8.2f} s {rate:8.2f} {unit}/s{extra}")
    return rate


class StageTimer:
    """Wrap each stage function so its cumulative time can be read afterwards."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._undo: list[Callable[[], None]] = []

    def install(self) -> None:
        import importlib

        for module_name, qualname in STAGES:
            owner: object = importlib.import_module(module_name)
            *path, attr = qualname.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, attr)
            setattr(owner, attr, self._wrap(f"{module_name.rsplit('.', 1)[1]}.{attr}", original))
            self._undo.append(functools.partial(setattr, owner, attr, original))

    def _wrap(self, name: str, fn: Callable) -> Callable:
        seconds = self.seconds

        @functools.wraps(fn)
        def timed_stage(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return timed_stage

    def remove(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def small_model() -> object | None:
    import spacy

    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--corpus", choices=["bench", "golden", "both"], default="bench")
    parser.add_argument("--stages", action="store_true", help="time each extraction stage")
    args = parser.parse_args(argv)
    if args.corpus != "golden" and not (args.bench_dir / "output" / "html-text.json").exists():
        print(f"Error: benchmark data not found in {args.bench_dir}", file=sys.stderr)
        return 1

    import spacy

    from blocwatch import api
    from blocwatch.extract.gazetteer import Gazetteer
    from blocwatch.extract.pipeline import Extractor
    from blocwatch.ingest.model import Document
    from blocwatch.ingest.pipeline import IngestOptions, extractor_for

    texts = load_corpus(args.corpus, args.bench_dir)
    words = sum(len(t.split()) for t in texts.values())
    print(f"python {sys.version.split()[0]}, spaCy {spacy.__version__}, one process "
          f"(machine has {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f})")
    print(f"corpus {args.corpus}: {len(texts)} pages, {words:,} words")

    blank = spacy.blank("en")
    blank.make_doc("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for key, text in texts.items():
            (folder / f"{key}.txt").write_text(text, encoding="utf-8")

        store, _ = api.init(str(Path(tmp) / "bench.sqlite"))
        try:
            start = time.perf_counter()
            Extractor(Gazetteer.from_store(store))
            build = time.perf_counter() - start
            extractor = extractor_for(store)  # the one ingest uses, built once per process
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from bench_ingest import warm_up

            warm_up(extractor)
            print(f"Extractor construction (spaCy pipeline + {len(extractor.gazetteer.aliases):,} "
                  f"aliases): {build:.2f} s, once per process")

            from blocwatch.ingest.dedup import band_hashes, signature

            band_hashes(signature("near-duplicate signatures: datasketch, LSH bands, once"))
            tok_pages = cold_tokenizer(list(texts.values()))
            from blocwatch.extract.pipeline import LEXICAL_ATTRIBUTES

            tok_pages_lean = cold_tokenizer(list(texts.values()), attributes=LEXICAL_ATTRIBUTES)
            tok_pages_warm = timed(lambda: [blank.make_doc(t) for t in texts.values()], repeat=3)
            summary = None

            def ingest() -> None:
                nonlocal summary
                summary = api.ingest(store, [str(folder)],
                                     options=IngestOptions(format="text"))

            full = timed(ingest)
            s = summary.to_json()  # type: ignore[attr-defined]
            found = s["documents_stored"] + s["duplicates"]
            with store.read() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT role, title, published, text FROM document ORDER BY id").all()
                facts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                         for t in ("mention", "statement", "meeting")}
        finally:
            store.close()

    documents = [Document(role=r.role, text=r.text, title=r.title, published=r.published)
                 for r in rows]
    doc_words = sum(len(d.text.split()) for d in documents)
    print(f"ingest found {found} documents on {len(texts)} pages ({s['documents_stored']} "
          f"stored, {s['duplicates']} duplicates, {len(s['failures'])} failures); stored "
          f"{facts['mention']:,} mentions, {facts['statement']:,} statements, "
          f"{facts['meeting']:,} meetings")

    print("\npage texts (ratio = blocwatch / spaCy blank tokenizer on the same page texts)")
    tok_rate = line("spaCy blank English tokenizer", len(texts), "pages", tok_pages)
    line("blocwatch full pipeline (ingest+extract+store)", len(texts), "pages", full, tok_rate)
    # documents per second, no ratio: the tokenizer's unit here is the page
    line("  same, counted in documents found", found, "docs", full)
    lean_rate = line("tokenizer, blocwatch's 7 lexical attributes", len(texts), "pages",
                     tok_pages_lean)
    line("  blocwatch full pipeline against it", len(texts), "pages", full, lean_rate)
    warm_rate = line("tokenizer, vocabulary warm (third pass)", len(texts), "pages", tok_pages_warm)
    line("  blocwatch full pipeline against it", len(texts), "pages", full, warm_rate)

    sm = small_model()
    if sm is None:
        print(f"  {'spaCy en_core_web_sm pipeline':<46} not installed")
    else:
        sm_time = timed(lambda: [sm(t) for t in texts.values()])  # type: ignore[operator]
        line("spaCy en_core_web_sm pipeline", len(texts), "pages", sm_time, tok_rate)

    print(f"\nstored documents' texts ({len(documents)} documents, {doc_words:,} words; "
          f"ratio = blocwatch / tokenizer on the same document texts)")
    tok_docs = timed(lambda: [blank.make_doc(d.text) for d in documents], repeat=3)
    base = line("spaCy blank English tokenizer", len(documents), "docs", tok_docs)
    timer = StageTimer()
    if args.stages:
        timer.install()
    try:
        alone = timed(lambda: [extractor(d) for d in documents])
    finally:
        timer.remove()
    line("blocwatch extraction alone (Extractor)", len(documents), "docs", alone, base)
    if args.stages:
        total = sum(timer.seconds.values())
        print(f"\nextraction stages (wrapped; {total:.2f} s of {alone:.2f} s), "
              "ms per document:")
        for name, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<34} {seconds:8.2f} s {1000 * seconds / len(documents):8.1f} ms "
                  f"{100 * seconds / alone:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
