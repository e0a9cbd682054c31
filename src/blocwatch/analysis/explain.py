"""The chain behind a verdict: sentence -> extracted fact -> date judged at -> verdict -> sources."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from blocwatch.analysis.common import document_dates
from blocwatch.errors import UnknownEntityError
from blocwatch.report import statement_json
from blocwatch.store import schema
from blocwatch.store.db import Store


def explain(store: Store, statement_id: int) -> dict[str, Any]:
    s = schema.statement
    with store.read() as conn:
        row = conn.execute(sa.select(s).where(s.c.id == statement_id)).first()
        if row is None:
            raise UnknownEntityError(f"unknown statement {statement_id}")
        info = document_dates(conn, [row.document_id])[row.document_id]
        doc = conn.execute(sa.select(schema.document.c.outlet, schema.document.c.url)
                           .where(schema.document.c.id == row.document_id)).one()
    judged = statement_json(store, row, published=info["published"],
                            date_range=(info["date_from"], info["date_to"]),
                            event_date=info["document_date"])
    return {
        "statement": statement_id,
        "document": {"id": row.document_id, "title": info["title"], "outlet": doc.outlet,
                     "url": doc.url, "published": info["published"],
                     "event_date": info["document_date"],
                     "date_range": [info["date_from"], info["date_to"]]},
        "sentence": row.sentence,
        "section": row.section,
        "span": [row.start, row.end],
        "fact": {k: judged[k] for k in ("kind", "subject", "predicate", "object", "negated",
                                        "quantifier", "value", "plover", "cameo", "date")},
        "judged_at": judged["judged_at"],
        "verdict": judged["verdict"],
        "reason": judged["reason"],
        "basis": judged["verdict_basis"],
        "sources": judged["evidence"],
    }
