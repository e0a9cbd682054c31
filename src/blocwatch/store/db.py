"""Open a store, apply its migrations, and keep SQLite in WAL mode.

The store owns its schema: every migration is a named function, applied in
order inside a transaction and recorded in the ``migration`` table.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from blocwatch.errors import StoreError
from blocwatch.store import schema

log = logging.getLogger(__name__)

DB_ENV = "BLOCWATCH_DB"


def _create_reference_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.REFERENCE_TABLES))


def _create_ingest_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.INGEST_TABLES))


def _create_fact_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.FACT_TABLES))


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_reference_tables", _create_reference_tables),
    ("0002_ingest_tables", _create_ingest_tables),
    ("0003_fact_tables", _create_fact_tables),
]


def default_db_location() -> str:
    """Where the database lives without --db: BLOCWATCH_DB, else the platform's user data dir."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return str(Path(platformdirs.user_data_dir("blocwatch")) / "blocwatch.sqlite")


# The PostgreSQL driver blocwatch speaks through: psycopg 3. ``postgresql://`` and
# ``postgres://`` (what libpq, Heroku and docker-compose files write) mean it too.
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")
PG_DRIVER = "postgresql+psycopg://"


def _url(location: str) -> str:
    for scheme in _POSTGRES_SCHEMES:
        if location.startswith(scheme):
            return PG_DRIVER + location.removeprefix(scheme)
    if "://" in location:
        return location
    if location == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(location).expanduser()}"


def _shown(location: str) -> str:
    """LOCATION as messages may print it: a URL's password masked."""
    if "://" not in location:
        return location
    try:
        parsed = sa.engine.make_url(location)
    except sa.exc.ArgumentError:
        return location
    if parsed.password is None:
        return location
    return parsed.render_as_string(hide_password=True)


class Store:
    """A blocwatch database: an SQLAlchemy engine plus what blocwatch knows about it."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        self.cache: dict[str, object] = {}
        self._seen_revision: str | None = None
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget in-memory indexes after a write that changes entities."""
        self.cache.clear()

    def sync(self) -> None:
        """Forget in-memory indexes if any process changed entities since they were built.

        Writes that may change entities bump the ``revision`` row of ``meta``; a
        long-lived reader (the web server) calls this before answering, so an
        ``init --reload`` or ``import`` run from another shell is seen at once.
        """
        revision = self._revision()
        if revision != self._seen_revision:
            self.cache.clear()
            self._seen_revision = revision

    def _revision(self) -> str | None:
        if self._watch is None and self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            # A connection of its own, outside the pool: a bare SELECT on it costs
            # microseconds, where a pooled SQLAlchemy round trip costs a tenth of a ms.
            self._watch = sqlite3.connect(self.engine.url.database, check_same_thread=False,
                                          isolation_level=None)
        if self._watch is not None:
            with self._watch_lock:
                try:
                    found = self._watch.execute(_REVISION_SQL).fetchone()
                except sqlite3.DatabaseError as exc:
                    raise StoreError(f"database {self.location}: {exc}") from exc
            return found[0] if found else None
        with self.read() as conn:
            return conn.exec_driver_sql(_REVISION_SQL).scalar_one_or_none()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.DatabaseError as exc:
            raise StoreError(f"database {self.location}: {_reason(exc)}") from exc

    @contextmanager
    def write(self, *, keep_cache: bool = False) -> Iterator[Connection]:
        """One transaction: everything inside lands, or nothing does.

        Writes may change entities, so in-memory indexes are dropped unless the
        caller knows the write leaves the reference snapshot alone (KEEP_CACHE).
        """
        if not keep_cache:
            self.invalidate()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(blocwatch_writer=True)
                with conn.begin():
                    if self.engine.dialect.name == "postgresql":
                        # One writer at a time, as on SQLite: check-then-insert stays atomic.
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": WRITER_LOCK})
                    yield conn
                    if not keep_cache:
                        _bump_revision(conn)
        except sa.exc.DatabaseError as exc:
            raise StoreError(f"database {self.location}: {_reason(exc)}") from exc

    def get_meta(self, key: str) -> str | None:
        with self.read() as conn:
            return conn.execute(
                sa.select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar_one_or_none()

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self.engine.dispose()


def _reason(exc: sa.exc.DatabaseError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip().splitlines()[0]
    if "file is not a database" in text or "malformed" in text:
        return f"not a blocwatch database or corrupt ({text})"
    return text


_REVISION_SQL = "SELECT value FROM meta WHERE key = 'revision'"


def _bump_revision(conn: Connection) -> None:
    """Count a write that may change entities (see ``Store.sync``)."""
    m = schema.meta
    current = conn.execute(sa.select(m.c.value).where(m.c.key == "revision")).scalar_one_or_none()
    if current is None:
        conn.execute(sa.insert(m).values(key="revision", value="1"))
    else:
        conn.execute(sa.update(m).where(m.c.key == "revision").values(value=str(int(current) + 1)))


def set_meta(conn: Connection, key: str, value: object) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    conn.execute(sa.delete(schema.meta).where(schema.meta.c.key == key))
    conn.execute(sa.insert(schema.meta).values(key=key, value=text))


WRITER_LOCK = 0x626C6F63  # "bloc": the advisory lock every PostgreSQL writer takes


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy, not the driver, say when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the database lock up front (BEGIN IMMEDIATE), so a page's
    check-then-insert cannot race another process; readers begin deferred and
    never wait for a writer (WAL)."""
    immediate = conn.get_execution_options().get("blocwatch_writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_store(location: str | None = None) -> Store:
    """Open (creating if needed) the database at LOCATION and bring its schema up to date."""
    location = location or default_db_location()
    url = _url(location)
    shown = _shown(location)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.is_dir():
            raise StoreError(f"database {location}: is a directory, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"database {location}: cannot create its folder ({exc.strerror})") from exc
    try:
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared connection, or every checkout would see a new empty database.
            engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        else:
            engine = sa.create_engine(url)
    except ImportError as exc:
        hint = " (pip install 'psycopg[binary]')" if url.startswith("postgresql") else ""
        raise StoreError(f"database {shown}: cannot open, driver missing: {exc}{hint}") from exc
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"database {shown}: cannot open ({exc})") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    store = Store(engine, shown)
    try:
        migrate(store)
    except BaseException:
        engine.dispose()
        raise
    return store


def migrate(store: Store) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    known = [name for name, _ in MIGRATIONS]
    with store.write(keep_cache=True) as conn:  # tables only: no entity changes
        schema.metadata.create_all(conn, tables=[schema.migration, schema.meta])
        applied = set(conn.execute(sa.select(schema.migration.c.name)).scalars())
        unknown = sorted(applied - set(known))
        if unknown:
            raise StoreError(
                f"database {store.location}: written by a newer blocwatch "
                f"(unknown migration {unknown[0]}); upgrade blocwatch"
            )
        done = []
        for name, step in MIGRATIONS:
            if name in applied:
                continue
            log.info("applying migration %s", name)
            step(conn)
            conn.execute(
                sa.insert(schema.migration).values(
                    name=name, applied_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                )
            )
            done.append(name)
    return done


def schema_version(store: Store) -> list[str]:
    with store.read() as conn:
        return list(conn.execute(sa.select(schema.migration.c.name).order_by(schema.migration.c.name)).scalars())
