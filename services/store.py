"""The phone's local database: SQLite through sqlite-utils, durable and migration-managed.

Every user action is one transaction that writes the field, its clock stamp and an outbox entry
(the outbox is what the sync client pushes, issue #3).
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from services.hlc import HybridClock, Stamp
from services.i18n import N_
from services.migrations import MIGRATIONS
from services.profile import Profile
from services.timeline import STATUSES

log = logging.getLogger(__name__)

DB_FILE_NAME = "ny-i-nordland.db"
MAX_NOTE_LENGTH = 2000
MAX_KEY_LENGTH = 100
SYNCED_STEP_FIELDS = ("status", "note")  # columns of step_state that the household shares


class StoreError(Exception):
    """Base of storage errors. `message` is an English msgid the views translate."""

    message = N_("Something went wrong while saving.")


class StoreCorruptError(StoreError):
    message = N_("The data on this phone cannot be read.")


class InvalidInputError(StoreError, ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) so that DDL in
    # migrations is transactional too.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class LocalStore:
    """The local database of one device. Open it with `open_store`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.device_id = self._meta("device_id") or self._init_device_id()
        last = self._meta("clock")
        self.clock = HybridClock(self.device_id, Stamp.decode(last) if last else None)

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable unit of work."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _init_device_id(self) -> str:
        device = secrets.token_hex(8)
        with self.transaction() as tx:
            tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", (device,))
        return self._meta("device_id") or device

    def _write_field(self, tx: sqlite3.Connection, entity: str, row_key: str, field: str, value: Any) -> str:
        """Stamp a field write and queue it in the outbox; returns the stamp."""
        stamp = self.clock.now().encode()
        # The per-device counter continues after the highest acknowledged one (acknowledged rows are
        # deleted), taken in the same statement: MAX over the unique index.
        tx.execute(
            "INSERT INTO outbox (device, counter, entity, row_key, field, value, stamp, created_at)"
            " VALUES (?, 1 + MAX(COALESCE((SELECT MAX(counter) FROM outbox), 0),"
            " COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'acked_counter'), 0)),"
            " ?, ?, ?, ?, ?, ?)",
            (self.device_id, entity, row_key, field, json.dumps(value), stamp, _now_iso()),
        )
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (stamp,))
        return stamp

    # --- profile ----------------------------------------------------------------------------

    def load_profile(self) -> Profile | None:
        row = self.conn.execute("SELECT data FROM profile WHERE id = 1").fetchone()
        return Profile.from_json(json.loads(row[0])) if row else None

    def save_profile(self, profile: Profile) -> None:
        """Validate and store the profile (one transaction, with its outbox entry)."""
        try:
            profile.validate()
        except ValueError as exc:
            raise InvalidInputError(getattr(exc, "message", str(exc))) from exc
        data = profile.to_json()
        with self.transaction() as tx:
            stamp = self._write_field(tx, "profile", "me", "data", data)
            tx.execute(
                "INSERT INTO profile (id, data, stamp, updated_at) VALUES (1, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data, stamp = excluded.stamp,"
                " updated_at = excluded.updated_at",
                (json.dumps(data), stamp, _now_iso()),
            )

    # --- step state -------------------------------------------------------------------------

    def statuses(self) -> dict[str, str]:
        """Item key → done / not_relevant (items still to do are left out)."""
        rows = self.conn.execute("SELECT item_key, status FROM step_state WHERE status != 'todo'")
        return dict(rows.fetchall())

    def notes(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT item_key, note FROM step_state WHERE note != ''")
        return dict(rows.fetchall())

    def set_step_status(self, item_key: str, status: str) -> None:
        """Mark an item done / not relevant / to do again: one durable transaction with its outbox entry."""
        if status not in STATUSES:
            raise InvalidInputError(N_("Unknown status."))
        self._check_key(item_key)
        self._set_step_field(item_key, "status", status)

    def set_step_note(self, item_key: str, note: str) -> None:
        """Store the user's note on an item."""
        self._check_key(item_key)
        if len(note) > MAX_NOTE_LENGTH:
            raise InvalidInputError(N_("The note is too long (at most 2000 characters)."))
        self._set_step_field(item_key, "note", note)

    def _check_key(self, item_key: str) -> None:
        if not item_key or len(item_key) > MAX_KEY_LENGTH:
            raise InvalidInputError(N_("Unknown step."))

    def _set_step_field(self, item_key: str, field: str, value: str) -> None:
        with self.transaction() as tx:
            stamp = self._write_field(tx, "step_state", item_key, field, value)
            # `field` is one of two literals chosen above, never user input.
            tx.execute(
                f"INSERT INTO step_state (item_key, {field}, {field}_stamp, updated_at)"
                f" VALUES (?, ?, ?, ?) ON CONFLICT(item_key) DO UPDATE SET"
                f" {field} = excluded.{field}, {field}_stamp = excluded.{field}_stamp,"
                " updated_at = excluded.updated_at",
                (item_key, value, stamp, _now_iso()),
            )

    # --- sync (issue #3) ---------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        return self._meta(key)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def acknowledge(self, counter: int) -> None:
        """The server applied every op up to `counter`: drop them from the outbox."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM outbox WHERE counter <= ?", (counter,))
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('acked_counter', ?) ON CONFLICT(key) DO UPDATE"
                " SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (str(counter),),
            )

    def restamp_pending(self) -> None:
        """Give every waiting write a fresh stamp from the (now corrected) clock, keeping each
        field's local stamp in step. Used when the server refused stamps as too far ahead."""
        with self.transaction() as tx:
            rows = tx.execute("SELECT counter, entity, row_key, field, stamp FROM outbox ORDER BY counter")
            for counter, entity, row_key, field, old in rows.fetchall():
                new = self.clock.now().encode()
                tx.execute("UPDATE outbox SET stamp = ? WHERE counter = ?", (new, counter))
                if entity == "step_state" and field in SYNCED_STEP_FIELDS:
                    tx.execute(
                        f"UPDATE step_state SET {field}_stamp = ? WHERE item_key = ? AND {field}_stamp = ?",
                        (new, row_key, old),
                    )
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (self.clock.last.encode(),)
            )

    def sync_cursor(self) -> int:
        return int(self._meta("cursor") or 0)

    def apply_remote(self, changes: list[dict[str, Any]], cursor: int) -> int:
        """Apply pulled field values where their stamp is later than ours (per-field last writer
        wins), and move the cursor, in one transaction. Returns how many fields changed."""
        changed = 0
        with self.transaction() as tx:
            for change in changes:
                field = change["field"]
                if change["entity"] != "step_state" or field not in SYNCED_STEP_FIELDS:
                    continue
                stamp = change["stamp"]
                self.clock.observe(Stamp.decode(stamp))
                row = tx.execute(
                    f"SELECT {field}_stamp FROM step_state WHERE item_key = ?", (change["row_key"],)
                ).fetchone()
                if row is not None and row[0] is not None and row[0] >= stamp:
                    continue
                tx.execute(
                    f"INSERT INTO step_state (item_key, {field}, {field}_stamp, updated_at)"
                    f" VALUES (?, ?, ?, ?) ON CONFLICT(item_key) DO UPDATE SET"
                    f" {field} = excluded.{field}, {field}_stamp = excluded.{field}_stamp,"
                    " updated_at = excluded.updated_at",
                    (change["row_key"], change["value"], stamp, _now_iso()),
                )
                changed += 1
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?)", (str(cursor),))
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (self.clock.last.encode(),)
            )
        return changed

    def wipe_household_data(self) -> None:
        """This phone left or was removed from the household: drop the shared checklist."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM step_state")
            tx.execute("DELETE FROM outbox WHERE entity = 'step_state'")
            tx.execute("DELETE FROM meta WHERE key = 'cursor'")

    # --- outbox and export ------------------------------------------------------------------

    def pending_outbox(self, limit: int = -1) -> list[dict[str, Any]]:
        """Unsent writes, oldest first (all of them, or the first `limit`)."""
        return list(self.db.query("SELECT * FROM outbox ORDER BY counter LIMIT ?", [limit]))

    def export_data(self) -> dict[str, Any]:
        """Everything this phone stores about the user, as plain JSON-ready data."""
        return export_tables(self.db)


def export_tables(db: sqlite_utils.Database) -> dict[str, Any]:
    """Read every readable row of every table; unreadable tables are reported, not fatal."""
    out: dict[str, Any] = {"format": "ny-i-nordland-export", "version": 1, "tables": {}}
    for name in db.table_names():
        if name.startswith("sqlite_"):
            continue
        try:
            out["tables"][name] = list(db[name].rows)
        except sqlite3.DatabaseError:
            out.setdefault("unreadable_tables", []).append(name)
    return out


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations that have not run yet, each in its own transaction. Safe to re-run."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, statements in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, _now_iso()))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("applied migration %s", name)
        applied.append(name)
    return applied


def open_store(data_dir: Path) -> LocalStore:
    """Open (creating if needed) and migrate the database; StoreCorruptError if it cannot be read."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILE_NAME
    try:
        conn = _connect(path)
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            conn.close()
            raise StoreCorruptError()
        migrate(conn)
        return LocalStore(path, conn)
    except sqlite3.DatabaseError as exc:
        log.warning("local database unreadable: %s", type(exc).__name__)
        raise StoreCorruptError() from exc


def salvage_export(data_dir: Path) -> dict[str, Any]:
    """Best-effort export from a damaged database, for the recovery screen."""
    path = data_dir / DB_FILE_NAME
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return export_tables(sqlite_utils.Database(conn))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {"format": "ny-i-nordland-export", "version": 1, "tables": {}, "unreadable": True}


def start_fresh(data_dir: Path) -> Path | None:
    """Move a damaged database aside (never delete it) so a new one can be created."""
    path = data_dir / DB_FILE_NAME
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
