"""Is this database whole? Integrity, schema, reference data, orphaned rows, counts.

``doctor(store)`` only reads. What it checks:

- the database engine's own check (``PRAGMA integrity_check`` on SQLite, a
  trivial query on PostgreSQL);
- the schema: every migration blocwatch knows is applied, none it does not know;
- the reference data: the bundled files still validate, and the digest the
  database recorded when it loaded them is theirs;
- orphaned rows: rows pointing at a page, document, meeting or entity that is
  not there, and documents or pages no sighting ties together (an ingest that
  half-wrote would leave these);
- counts of what the database holds.

``check(location)`` does the same for a database that may not even open (a
truncated file, a migration from a newer blocwatch): what stops it opening
becomes the report's problem.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from blocwatch.errors import BlocwatchError, StoreError
from blocwatch.store import schema
from blocwatch.store.db import MIGRATIONS, Store, open_store
from blocwatch.store.reference import DIGEST_KEY

__all__ = ["DoctorReport", "check", "doctor"]

# Counted tables, by the name the report uses.
COUNTS: dict[str, sa.Table] = {
    "pages": schema.page,
    "documents": schema.document,
    "sightings": schema.sighting,
    "failures": schema.failure,
    "entities": schema.entity,
    "aliases": schema.alias,
    "memberships": schema.membership,
    "office_holdings": schema.office_holding,
    "mentions": schema.mention,
    "statements": schema.statement,
    "meetings": schema.meeting,
    "participants": schema.participant,
}


@dataclass
class DoctorReport:
    """What ``doctor`` found: ``ok`` when ``problems`` is empty."""

    location: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)  # migrations applied, in order

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"database": self.location, "ok": self.ok, "counts": self.counts,
                "problems": list(self.problems), "schema": list(self.schema)}


def _orphans(column: sa.Column[Any], target: sa.Column[Any]) -> sa.Select[Any]:
    """Rows whose COLUMN names a TARGET row that does not exist (NULL is not an orphan)."""
    exists = sa.select(target).where(target == column).exists()
    return sa.select(sa.func.count()).select_from(column.table).where(
        column.is_not(None), ~exists)


def _unreferenced(target: sa.Column[Any], column: sa.Column[Any]) -> sa.Select[Any]:
    """TARGET rows no COLUMN row points at."""
    used = sa.select(column).where(column == target).exists()
    return sa.select(sa.func.count()).select_from(target.table).where(~used)


s, d, e = schema.sighting, schema.document, schema.entity
ORPHAN_CHECKS: list[tuple[str, sa.Select[Any]]] = [
    ("sightings without their page", _orphans(s.c.page_id, schema.page.c.id)),
    ("sightings without their document", _orphans(s.c.document_id, d.c.id)),
    ("document bands without their document", _orphans(schema.document_band.c.document_id, d.c.id)),
    ("extractions without their document", _orphans(schema.extraction.c.document_id, d.c.id)),
    ("mentions without their document", _orphans(schema.mention.c.document_id, d.c.id)),
    ("statements without their document", _orphans(schema.statement.c.document_id, d.c.id)),
    ("meetings without their document", _orphans(schema.meeting.c.document_id, d.c.id)),
    ("participants without their meeting",
     _orphans(schema.participant.c.meeting_id, schema.meeting.c.id)),
    ("documents seen on no page", _unreferenced(d.c.id, s.c.document_id)),
    ("pages with no document", _unreferenced(schema.page.c.id, s.c.page_id)),
    ("aliases of missing entities", _orphans(schema.alias.c.entity_id, e.c.id)),
    ("memberships of missing states", _orphans(schema.membership.c.state, e.c.id)),
    ("memberships in missing organisations", _orphans(schema.membership.c.organisation, e.c.id)),
    ("group members of missing groups", _orphans(schema.group_member.c.group_id, e.c.id)),
    ("group members that are missing states", _orphans(schema.group_member.c.state, e.c.id)),
    ("office holdings of missing offices", _orphans(schema.office_holding.c.office, e.c.id)),
    ("office holdings by missing persons", _orphans(schema.office_holding.c.person, e.c.id)),
    ("rules of missing organisations", _orphans(schema.rule.c.organisation, e.c.id)),
    ("mentions of missing entities", _orphans(schema.mention.c.entity_id, e.c.id)),
]
del s, d, e


def doctor(store: Store) -> DoctorReport:
    """Check STORE and report every problem found; never writes."""
    report = DoctorReport(store.location)
    try:
        with store.read() as conn:
            if not _integrity(conn, store, report):
                return report  # a damaged file answers nothing else reliably
            if not _schema(conn, report):
                return report  # tables may be missing or of another shape
            _reference(conn, report)
            for what, query in ORPHAN_CHECKS:
                n = conn.execute(query).scalar_one()
                if n:
                    report.problems.append(f"{n} {what}")
            for name, table in COUNTS.items():
                report.counts[name] = conn.execute(
                    sa.select(sa.func.count()).select_from(table)).scalar_one()
    except sa.exc.DatabaseError as exc:
        report.problems.append(f"database cannot be read: {_first_line(exc)}")
    except StoreError as exc:
        report.problems.append(str(exc))
    return report


def check(location: str) -> DoctorReport:
    """Run ``doctor`` on the database at LOCATION, which must exist.

    A database that cannot be opened is a report with that one problem, not
    an exception; a file that is not a blocwatch database is reported, never
    given blocwatch's tables.
    """
    if "://" not in location and location != ":memory:":
        if not os.path.isfile(location):
            raise StoreError(f"database {location}: no such file")
        problem = _probe_sqlite(location)
        if problem:
            return DoctorReport(location, problems=[problem])
    try:
        store = open_store(location)
    except StoreError as exc:
        return DoctorReport(location, problems=[str(exc)])
    try:
        return doctor(store)
    finally:
        store.close()


def _probe_sqlite(path: str) -> str | None:
    """Why PATH is not a blocwatch SQLite database, if it is not; reads only."""
    try:
        conn = sqlite3.connect(path, timeout=30)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"database {path}: not a blocwatch database or corrupt ({exc})"
    if found is None:
        return f"database {path}: not a blocwatch database (it has no migration table)"
    return None


def _integrity(conn: sa.Connection, store: Store, report: DoctorReport) -> bool:
    if store.is_sqlite:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
        if rows != ["ok"]:
            report.problems.extend(f"integrity check: {r}" for r in rows)
            return False
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if fk:
            tables = sorted({row[0] for row in fk})
            report.problems.append(
                f"foreign key check: {len(fk)} row(s) point at missing rows in {', '.join(tables)}")
    else:
        conn.execute(sa.text("SELECT 1")).scalar_one()
    return True


def _schema(conn: sa.Connection, report: DoctorReport) -> bool:
    known = [name for name, _ in MIGRATIONS]
    applied = list(conn.execute(
        sa.select(schema.migration.c.name).order_by(schema.migration.c.name)).scalars())
    report.schema = applied
    for name in applied:
        if name not in known:
            report.problems.append(
                f"schema: unknown migration {name} (written by a newer blocwatch; upgrade blocwatch)")
    missing = [name for name in known if name not in applied]
    for name in missing:
        report.problems.append(f"schema: migration {name} is not applied")
    return set(applied) == set(known)


def _reference(conn: sa.Connection, report: DoctorReport) -> None:
    from blocwatch.reference import load_reference

    stored = conn.execute(
        sa.select(schema.meta.c.value).where(schema.meta.c.key == DIGEST_KEY)).scalar_one_or_none()
    try:
        base = load_reference()
    except BlocwatchError as exc:
        report.problems.append(f"reference data: {exc}")
        return
    if stored is None:
        report.problems.append("reference data: not loaded (run `blocwatch init`)")
    elif stored != base.digest:
        report.problems.append(
            "reference data: the database holds another version than the bundled files "
            "(run `blocwatch init --reload`)")


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
