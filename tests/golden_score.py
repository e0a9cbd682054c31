"""Score blocwatch's extraction on the golden corpus (tests/golden/*.txt + *.json).

    python tests/golden_score.py            # per-field precision, recall, F1
    python tests/golden_score.py -v         # ... plus every miss / extra
    python tests/golden_score.py --files 01-30      # only articles 01..30 (dev set)
    python tests/golden_score.py --exclude 31-42    # every article but 31..42

`--files`/`--exclude` take comma-separated article numbers or ranges of the
two-digit file prefix ("01-30", "31-42", "05,07,10-12").

Per field, counts are summed over all articles (micro-averaged). Fields an
expectation leaves out are not scored for that article. See
docs/extraction-output.md for the format.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass
class Counts:
    tp_p: int = 0  # predicted items that match an expected one
    predicted: int = 0
    tp_r: int = 0  # expected items found
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_p / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp_r / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm_text(value: Any) -> str:
    return " ".join(str(value).casefold().replace("’", "'").split())[:40]


# Secondary details not scored in the statement tuple (wording varies too much to
# match exactly): quantities are matched on subject, value and the unit's first word.
IGNORED: dict[str, tuple[str, ...]] = {"quantity": ("approx", "attributed_to", "period", "year")}


def _project(stmt: dict[str, Any], keys: list[str]) -> tuple[Any, ...]:
    out = []
    for key in keys:
        value = stmt.get(key)
        if key == "unit" and value:
            value = str(value).casefold().split()[0]
        elif key == "value" and stmt.get("kind") == "quote":
            value = _norm_text(value or "")
        elif key == "value" and isinstance(value, (int, float)):
            value = float(value)
        elif key in ("negated",):
            value = bool(value)
        out.append(value)
    return tuple(out)


def _score_statements(counts: dict[str, Counts], expected: list[dict], predicted: list[dict],
                      name: str) -> None:
    by_kind_e: dict[str, list[dict]] = defaultdict(list)
    by_kind_p: dict[str, list[dict]] = defaultdict(list)
    for s in expected:
        by_kind_e[s["kind"]].append(s)
    for s in predicted:
        by_kind_p[s["kind"]].append(s)
    for kind, exp in by_kind_e.items():
        c = counts[f"statements.{kind}"]
        pred = by_kind_p.get(kind, [])
        keysets = [[k for k in e if k not in IGNORED.get(kind, ()) + ("kind", "notes")]
                   for e in exp]
        for e, keys in zip(exp, keysets):
            c.expected += 1
            if any(_project(p, keys) == _project(e, keys) for p in pred):
                c.tp_r += 1
            else:
                c.misses.append(f"{name}: missed {e}")
        for p in pred:
            c.predicted += 1
            if any(_project(p, keys) == _project(e, keys) for e, keys in zip(exp, keysets)):
                c.tp_p += 1


def _set_score(c: Counts, expected: set, predicted: set, name: str) -> None:
    c.expected += len(expected)
    c.predicted += len(predicted)
    c.tp_r += len(expected & predicted)
    c.tp_p += len(expected & predicted)
    c.misses.extend(f"{name}: missed {x}" for x in sorted(map(str, expected - predicted)))
    c.misses.extend(f"{name}: extra {x}" for x in sorted(map(str, predicted - expected)))


def parse_numbers(spec: str) -> set[int]:
    """'01-30,42' -> {1, ..., 30, 42}: article numbers (the files' two-digit prefix)."""
    numbers: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        numbers.update(range(int(low), int(high or low) + 1))
    return numbers


def _number(path: Path) -> int | None:
    prefix = path.name.split("-", 1)[0]
    return int(prefix) if prefix.isdigit() else None


def golden_paths(only: set[int] | None = None, exclude: set[int] | None = None) -> list[Path]:
    """The golden articles, optionally restricted to / without some article numbers."""
    paths = []
    for path in sorted(GOLDEN.glob("*.txt")):
        number = _number(path)
        if only is not None and number not in only:
            continue
        if exclude and number in exclude:
            continue
        paths.append(path)
    return paths


def score(analyse: Any, paths: list[Path] | None = None) -> dict[str, Counts]:
    """ANALYSE(path) -> the `analyze --json` object for that page; PATHS default to all."""
    counts: dict[str, Counts] = defaultdict(Counts)
    for text_path in (golden_paths() if paths is None else paths):
        expected = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
        page = analyse(text_path)
        docs = page.get("documents", [])
        main = next((d for d in docs if d["role"] == "main"), None) or {}
        name = text_path.stem
        if "documents" in expected:
            got = {"main": sum(d["role"] == "main" for d in docs),
                   "teaser": sum(d["role"] == "teaser" for d in docs)}
            want = {"main": expected["documents"].get("main", 0),
                    "teaser": expected["documents"].get("teaser", 0)}
            _set_score(counts["documents"], {name} if True else set(),
                       {name} if got == want else set(), name)
        if "published" in expected:
            _set_score(counts["published"], {expected["published"]},
                       {main.get("published")} - {None}, name)
        if "entities" in expected:
            predicted = {e["id"] for e in main.get("entities", []) if e["kind"] != "office"}
            _set_score(counts["entities"], set(expected["entities"]), predicted, name)
        if "meetings" in expected:
            meetings = main.get("meetings", [])
            _set_score(counts["meetings"], {(m["body"], m.get("date")) for m in expected["meetings"]},
                       {(m["body"], m.get("date")) for m in meetings}, name)
            _set_score(counts["participants"],
                       {tuple(p) for m in expected["meetings"] for p in m.get("participants", [])},
                       {(p["person"], p["represents"]) for m in meetings for p in m["participants"]},
                       name)
        if "statements" in expected:
            _score_statements(counts, expected["statements"], main.get("statements", []), name)
        if expected.get("date_range"):
            low = expected["date_range"][0]
            got_range = main.get("date_range") or [None, None]
            _set_score(counts["date_range.from"], {low}, {got_range[0]} - {None}, name)
    return dict(counts)


def analyse_with_blocwatch(paths: list[Path] | None = None) -> Any:
    """Analyse the golden pages in one in-memory store (as one `analyze` run would)."""
    import blocwatch.api as api

    paths = [str(p) for p in (golden_paths() if paths is None else paths)]
    results = {r["path"]: r for r in api.analyze(paths)}
    return lambda path: results[str(path)]


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    only_spec = _option(sys.argv, "--files") or _option(sys.argv, "--only")
    exclude_spec = _option(sys.argv, "--exclude")
    paths = golden_paths(parse_numbers(only_spec) if only_spec else None,
                         parse_numbers(exclude_spec) if exclude_spec else None)
    counts = score(analyse_with_blocwatch(paths), paths)
    print(f"{'field':28} {'precision':>9} {'recall':>7} {'F1':>6} {'expected':>8}")
    for name, c in sorted(counts.items()):
        print(f"{name:28} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f} {c.expected:8d}")
    if "-v" in sys.argv:
        for name, c in sorted(counts.items()):
            for miss in c.misses:
                print(f"  [{name}] {miss}")


if __name__ == "__main__":
    main()
