"""Small shared reads for the analyses: a document's date, an actor's state."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.store import schema


def document_dates(conn: Connection, document_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each document: published, the event date the text pins, and the tenure window."""
    if not document_ids:
        return {}
    d, e = schema.document, schema.extraction
    rows = conn.execute(
        sa.select(d.c.id, d.c.title, d.c.published, e.c.document_date, e.c.date_from, e.c.date_to)
        .select_from(d.outerjoin(e, e.c.document_id == d.c.id))
        .where(d.c.id.in_(document_ids))
    ).all()
    return {
        r.id: {"title": r.title, "published": r.published, "document_date": r.document_date,
               "date_from": r.date_from, "date_to": r.date_to,
               "best": r.published or r.document_date or r.date_from}
        for r in rows
    }
