"""JSON views of what the store holds, shared by the CLI and the HTTP API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from blocwatch.store import schema


def document_json(conn: Connection, document_id: int, *, role: str | None = None) -> dict[str, Any]:
    """A stored document as `analyze --json` shows it."""
    d = schema.document
    row = conn.execute(sa.select(d).where(d.c.id == document_id)).one()
    sightings = conn.execute(
        sa.select(sa.func.count()).select_from(schema.sighting)
        .where(schema.sighting.c.document_id == document_id)
    ).scalar()
    return {
        "id": row.id,
        "role": role or row.role,
        "title": row.title,
        "published": row.published,
        "outlet": row.outlet,
        "author": row.author,
        "url": row.url,
        "text": row.text,
        "metadata": row.metadata,
        "links": row.links,
        "sightings": sightings,
    }


def page_json(conn: Connection, page_id: int, path: str, duplicates_removed: int) -> dict[str, Any]:
    """A page with the documents found on it, main first."""
    s = schema.sighting
    rows = conn.execute(
        sa.select(s.c.document_id, s.c.role).where(s.c.page_id == page_id).order_by(s.c.position)
    ).all()
    return {
        "path": path,
        "documents": [document_json(conn, r.document_id, role=r.role) for r in rows],
        "duplicates_removed": duplicates_removed,
    }
