"""What articles say about an entity, newest first, with verdicts and disagreements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from blocwatch.analysis.common import document_dates
from blocwatch.errors import UnknownEntityError
from blocwatch.query.resolve import EntityRef, resolve_one
from blocwatch.report import statement_json
from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass
class FactsResult:
    entity: EntityRef
    facts: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity.to_json(), "facts": self.facts,
                "disagreements": self.disagreements}


def facts(store: Store, entity: str, *, limit: int = 200) -> FactsResult:
    """Statements whose subject or object is ENTITY, newest document first."""
    try:
        ref = resolve_one(store, entity)
    except UnknownEntityError:
        raise
    s = schema.statement
    with store.read() as conn:
        rows = conn.execute(sa.select(s).where(sa.or_(s.c.subject == ref.id, s.c.object == ref.id))
                            .order_by(s.c.id.desc()).limit(limit)).all()
        dates = document_dates(conn, sorted({r.document_id for r in rows}))
    out = []
    for row in rows:
        info = dates.get(row.document_id, {})
        item = statement_json(store, row, published=info.get("published"),
                              date_range=(info.get("date_from"), info.get("date_to")),
                              event_date=info.get("document_date"))
        item["document"] = {"id": row.document_id, "title": info.get("title"),
                            "date": info.get("best")}
        out.append(item)
    out.sort(key=lambda f: (f["document"]["date"] or "", f["id"]), reverse=True)
    return FactsResult(ref, out, _disagreements(out))


def _disagreements(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims about the same thing that articles make differently, side by side."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for f in items:
        if f["kind"] in ("membership", "office"):
            groups[(f["kind"], f["subject"], f["predicate"], f["object"], f["quantifier"])].append(f)
    out = []
    for key, group in groups.items():
        variants: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in group:
            said = ("not " if f["negated"] else "") + (str(f["value"]) if f["value"] is not None else "")
            variants[said.strip() or "yes"].append(f)
        if len(variants) > 1:
            out.append({
                "claim": {"kind": key[0], "subject": key[1], "predicate": key[2], "object": key[3],
                          "quantifier": key[4]},
                "sides": [{"says": said, "documents": [
                    {"document": f["document"], "statement": f["id"], "sentence": f["sentence"],
                     "verdict": f["verdict"]} for f in fs]} for said, fs in variants.items()],
            })
    return out
