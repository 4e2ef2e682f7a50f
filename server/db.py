"""Engine creation and migrations. Nothing connects at import time."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
READ_ONLY = "nyin_read_only"  # execution option: this transaction only reads
# Requests run their database work in worker threads (anyio's, up to 40, and the sync executor,
# one per pooled connection). SQLAlchemy's default pool keeps 5 connections and closes any
# further one on return, so under load most requests opened a new connection (a new PostgreSQL
# backend).
POOL_SIZE = {"pool_size": 20, "max_overflow": 20}
BUSY_TIMEOUT_S = 30  # how long a SQLite connection waits for a lock before giving up


def _retry_while_locked(execute: Callable[[str], object], sql: str, pause_s: float) -> None:
    """Run `sql`, trying again after `pause_s` while SQLite answers "database is locked"
    (for up to BUSY_TIMEOUT_S, like every other wait for the database)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            execute(sql)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause_s)


def _use_wal(cur: sqlite3.Cursor) -> None:
    """Switch a new database file to WAL. The switch needs the file to itself and SQLite does not
    wait for that (workers starting together on a fresh file collide), so retry for a while."""
    _retry_while_locked(cur.execute, "PRAGMA journal_mode=WAL", pause_s=0.05)


def _begin_write(dbapi_conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retried after short pauses while another process writes. (SQLite's own
    busy handler sleeps 1, 2, 5, 10… ms between tries, leaving the lock idle while writers wait.)"""
    dbapi_conn.execute("PRAGMA busy_timeout=0")
    try:
        _retry_while_locked(dbapi_conn.execute, "BEGIN IMMEDIATE", pause_s=0.0002)
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, FK, immediate transactions) or PostgreSQL."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}, **POOL_SIZE
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
            cur = dbapi_conn.cursor()
            _use_wal(cur)
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        # One writer at a time: SQLite's stand-in for the household row lock. This process's
        # threads queue for it here, in order and without polling; other processes are polled.
        writer = threading.Lock()

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn) -> None:  # noqa: ANN001
            # Take the write lock up front. Pure reads (pull) begin deferred, so they do not
            # queue behind each other.
            if conn.get_execution_options().get(READ_ONLY, False):
                conn.exec_driver_sql("BEGIN")
                return
            if not writer.acquire(timeout=BUSY_TIMEOUT_S):
                raise sqlite3.OperationalError("database is locked")
            try:
                _begin_write(conn.connection.dbapi_connection)
            except BaseException:
                writer.release()
                raise
            conn.info["nyin_writer"] = True

        @event.listens_for(engine, "commit")
        @event.listens_for(engine, "rollback")
        def _end(conn) -> None:  # noqa: ANN001
            if conn.info.pop("nyin_writer", False):
                writer.release()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **POOL_SIZE)


def driver_sql(conn: Connection, text: str) -> str:
    """SQL written with `?` placeholders, in the form this connection's driver takes (qmark for
    sqlite3, %s for psycopg). For the hot paths that run on the DBAPI cursor; write only SQL
    that SQLite and PostgreSQL both read the same way."""
    return text if conn.dialect.paramstyle == "qmark" else text.replace("?", "%s")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (safe to re-run)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several workers start at once: one migrates, the others wait and find it done.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7461)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that only reads: a consistent snapshot, without SQLite's write lock."""
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        with conn.begin():
            yield conn
