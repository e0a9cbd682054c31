"""Documents related to a document by the entities and events they share.

Each shared item weighs its inverse document frequency, log(N / df), so a
name every article mentions ("Russia") counts less than a rare one
("Semerikov").
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from blocwatch.errors import UnknownEntityError
from blocwatch.query.resolve import entity_index
from blocwatch.store import schema
from blocwatch.store.db import Store


@dataclass(frozen=True)
class RelatedDocument:
    document: int
    title: str | None
    published: str | None
    score: float
    shared: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "title": self.title, "published": self.published,
                "score": self.score, "shared": list(self.shared)}


def _items(store: Store) -> dict[int, set[str]]:
    """Every document's items: linked entities and typed events."""
    items: dict[int, set[str]] = defaultdict(set)
    m, s = schema.mention, schema.statement
    with store.read() as conn:
        for r in conn.execute(sa.select(m.c.document_id, m.c.entity_id)
                              .where(m.c.entity_id.is_not(None)).distinct()):
            items[r.document_id].add(r.entity_id)
        for r in conn.execute(sa.select(s.c.document_id, s.c.plover, s.c.subject, s.c.object)
                              .where(s.c.kind == "event")):
            items[r.document_id].add(f"event:{r.plover}:{r.subject}:{r.object}")
        for r in conn.execute(sa.select(schema.document.c.id)):
            items.setdefault(r.id, set())
    return items


def related(store: Store, document: int, *, limit: int = 10) -> list[RelatedDocument]:
    items = _items(store)
    if document not in items:
        raise UnknownEntityError(f"unknown document {document}")
    n = len(items)
    df: dict[str, int] = defaultdict(int)
    for found in items.values():
        for item in found:
            df[item] += 1
    weight = {item: math.log(n / count) for item, count in df.items()}
    mine = items[document]
    scored = []
    for other, found in items.items():
        if other == document:
            continue
        shared = mine & found
        score = sum(weight[i] for i in shared)
        if score > 0:
            scored.append((score, other, shared))
    scored.sort(key=lambda x: (-x[0], x[1]))
    index = entity_index(store)
    d = schema.document
    out = []
    with store.read() as conn:
        for score, other, shared in scored[:limit]:
            row = conn.execute(sa.select(d.c.title, d.c.published).where(d.c.id == other)).one()
            listed = sorted(({"id": i, "name": _label(index, i), "weight": round(weight[i], 3)}
                             for i in shared), key=lambda x: -x["weight"])
            out.append(RelatedDocument(other, row.title, row.published, round(score, 3), tuple(listed)))
    return out


def _label(index: Any, item: str) -> str:
    if item.startswith("event:"):
        _, plover, subject, obj = item.split(":", 3)
        return f"{plover} {subject} → {obj}"
    ref = index.entities.get(item)
    return ref.name if ref else item.removeprefix("new:")
