"""Event coding against the PLOVER gold-standard records (who did what to whom).

Usage::

    python benchmarks/bench_event_coding.py [--gold FILE] [--show N]

FILE defaults to ``../shared/benchmarks/event-coding/PLOVER_GSR_CAMEO.json``
relative to the repository root (read there, never copied into the repo).
Each record is one sentence with coded source and target actors and an event
type. Scoring is the event-data field's: an event counts as correct only when
source, target and type all match; the report gives correct, missed and
extra. A compound actor ("Hungarian and Romanian officials") stands for one
event per source x target pair.

Codes are compared as follows: gold ISO alpha-3 codes as they are; gold
"IGO" matches any organisation or body id we produce; a person we produce
counts as the state they act for when known. Old PLOVER labels in the gold
are read as the current ones: DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE
-> ACCUSE, FIGHT -> ASSAULT.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO.parent / "shared" / "benchmarks" / "event-coding" / "PLOVER_GSR_CAMEO.json"
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
              "FIGHT": "ASSAULT"}

Event = tuple[str | None, str | None, str]


def gold_events(record: dict) -> Counter[Event]:
    """The record's events, one per source x target pair."""
    def codes(value: object) -> list[str | None]:
        if not isinstance(value, list) or not value:
            return [None]
        return [str(a.get("code") or "") or None for a in value if isinstance(a, dict)] or [None]

    kind = OLD_LABELS.get(record["event"], record["event"])
    sources, targets = codes(record.get("source")), codes(record.get("target"))
    return Counter((s, t, kind) for s in sources for t in targets)


def _code(actor: str | None, state: str | None, kinds: dict[str, str]) -> str | None:
    """An actor id as the gold writes it: iso3, IGO for organisations, a person's state."""
    if actor is None:
        return None
    kind = kinds.get(actor)
    if kind in {"organisation", "body"}:
        return "IGO"
    if kind == "person":
        return state
    return actor


def our_events(extractor, text: str) -> Counter[Event]:
    """What find_events codes in one sentence, over the names the reference base knows.

    Only the events component is run (on the extractor's context), so the
    number measures it and not the stages other components add.
    """
    from blocwatch.extract.events import find_events
    from blocwatch.ingest.model import Document

    kinds = {e.id: e.kind for e in extractor.gazetteer.entities.values()}
    ctx = extractor.context(Document(role="main", text=text))
    out: Counter[Event] = Counter()
    for section in ctx.sections:
        for st in find_events(section, ctx):
            if st.negated:
                continue
            out[(_code(st.subject, st.extra.get("source_state"), kinds),
                 _code(st.object, st.extra.get("target_state"), kinds), st.plover or "")] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--show", type=int, default=0, help="print N records we got wrong")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"Error: no gold file at {args.gold}", file=sys.stderr)
        return 1
    warnings.simplefilter("ignore")
    import blocwatch
    from blocwatch.extract.gazetteer import Gazetteer
    from blocwatch.extract.pipeline import Extractor

    records = [r for r in json.loads(args.gold.read_text(encoding="utf-8"))
               if r.get("event") != "DOCUMENT" and r.get("text")]
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = blocwatch.init(str(Path(tmp) / "ref.sqlite"))
        extractor = Extractor(Gazetteer.from_store(store))
        store.close()
    correct = missed = extra = 0
    by_type: dict[str, Counter[str]] = {}
    shown = 0
    for record in records:
        gold = gold_events(record)
        ours = our_events(extractor, record["text"])
        hit = gold & ours
        correct += sum(hit.values())
        missed += sum((gold - hit).values())
        extra += sum((ours - hit).values())
        for (_, _, kind), n in gold.items():
            c = by_type.setdefault(kind, Counter())
            c["gold"] += n
        for (_, _, kind), n in hit.items():
            by_type[kind]["correct"] += n
        if args.show and shown < args.show and (gold - hit or ours - hit):
            shown += 1
            print(f"- {record['text']}\n    gold {dict(gold)}\n    ours {dict(ours)}")
    total = sum(sum(Counter(gold_events(r)).values()) for r in records)
    print(f"records {len(records)}  gold events {total}")
    print(f"correct {correct}  missed {missed}  extra {extra}")
    if total:
        precision = correct / (correct + extra) if correct + extra else 0.0
        print(f"recall {correct / total:.1%}  precision {precision:.1%}")
    for kind in sorted(by_type):
        c = by_type[kind]
        print(f"  {kind:10s} {c['correct']:3d}/{c['gold']:3d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
