"""The phone's local database: SQLite (the standard library's), durable and migration-managed.

Every user action is one transaction that writes the field, its clock stamp and an outbox entry
(the outbox is what the sync client pushes, issue #3).
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.hlc import HybridClock, Stamp
from services.migrations import MIGRATIONS
from services.profile import Profile
from services.timeline import STATUSES
from services.wire import ENTITIES, MAX_FUTURE_MS, MAX_VALUE_BYTES, value_size

log = logging.getLogger(__name__)

DB_FILE_NAME = "ny-i-nordland.db"
MAX_NOTE_LENGTH = 2000
MAX_KEY_LENGTH = 100
SYNCED_STEP_FIELDS = ("status", "note")  # columns of step_state that the household shares
HOUSEHOLD_PROFILE = ("household", "main", "profile")  # the family's shared profile, one field
MAX_NAME_LENGTH = 40


class StoreError(Exception):
    """Base of storage errors. `code` names the message the views show (views/messages.py)."""

    code = "save_failed"


class StoreCorruptError(StoreError):
    code = "store_corrupt"


class InvalidInputError(StoreError, ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def shared_profile(data: dict[str, Any]) -> dict[str, Any]:
    """The part of a profile the family shares: everything but this phone's language."""
    return {k: v for k, v in data.items() if k != "language"}


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
        # The sync thread and the UI share this connection; one transaction at a time.
        self._lock = threading.RLock()
        self.device_id = self._meta("device_id") or self._init_device_id()
        last = self._meta("clock")
        self.clock = HybridClock(self.device_id, Stamp.decode(last) if last else None)

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable unit of work."""
        with self._lock:
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
            raise InvalidInputError(getattr(exc, "code", "invalid_profile")) from exc
        data = profile.to_json()
        with self.transaction() as tx:
            row = tx.execute("SELECT data, stamp FROM profile WHERE id = 1").fetchone()
            if row is not None and shared_profile(json.loads(row[0])) == shared_profile(data):
                # Only this phone's language changed: nothing for the family, keep the stamp.
                tx.execute(
                    "UPDATE profile SET data = ?, updated_at = ? WHERE id = 1", (json.dumps(data), _now_iso())
                )
                return
            stamp = self._write_field(tx, *HOUSEHOLD_PROFILE, shared_profile(data))
            tx.execute(
                "INSERT INTO profile (id, data, stamp, updated_at) VALUES (1, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data, stamp = excluded.stamp,"
                " updated_at = excluded.updated_at",
                (json.dumps(data), stamp, _now_iso()),
            )

    def share_profile(self) -> None:
        """Queue the current profile for the household (when this phone creates one)."""
        row = self.conn.execute("SELECT data FROM profile WHERE id = 1").fetchone()
        if row is None:
            return
        with self.transaction() as tx:
            stamp = self._write_field(tx, *HOUSEHOLD_PROFILE, shared_profile(json.loads(row[0])))
            tx.execute("UPDATE profile SET stamp = ? WHERE id = 1", (stamp,))

    def yield_profile_to_household(self) -> None:
        """Joining a family: the household's profile replaces this phone's own answers on the next
        pull (our stamp drops below any other), and our unsent profile is not pushed over it."""
        with self.transaction() as tx:
            tx.execute("UPDATE profile SET stamp = '' WHERE id = 1")
            tx.execute("DELETE FROM outbox WHERE entity = ? AND row_key = ? AND field = ?", HOUSEHOLD_PROFILE)

    # --- step state -------------------------------------------------------------------------

    _NOT_DELETED = (
        " AND item_key NOT IN (SELECT row_key FROM shared_field WHERE entity = 'step_state'"
        " AND field = 'deleted' AND value = 'true')"
    )

    def statuses(self) -> dict[str, str]:
        """Item key → done / not_relevant (items still to do, and deleted ones, are left out)."""
        rows = self.conn.execute(
            "SELECT item_key, status FROM step_state WHERE status != 'todo'" + self._NOT_DELETED
        )
        return dict(rows.fetchall())

    def notes(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT item_key, note FROM step_state WHERE note != ''" + self._NOT_DELETED)
        return dict(rows.fetchall())

    def status_stamps(self) -> dict[str, Stamp]:
        """Item key → the stamp of its status (who set it, when), for items done or not relevant."""
        rows = self.conn.execute(
            "SELECT item_key, status_stamp FROM step_state"
            " WHERE status != 'todo' AND status_stamp IS NOT NULL"
        )
        return {key: Stamp.decode(stamp) for key, stamp in rows.fetchall() if stamp}

    def assignees(self) -> dict[str, str]:
        """Item key → member id of who does it."""
        return {k: v for k, v in self._shared_values("step_state", "assignee").items() if v}

    def device_names(self) -> dict[str, str]:
        """Local device id → the name its owner gave (to say who ticked a step)."""
        return self._shared_values("device", "name")

    def assign_step(self, item_key: str, member_id: str) -> None:
        """Say who in the family does a step ('' for nobody)."""
        self._check_key(item_key)
        if len(member_id) > MAX_KEY_LENGTH:
            raise InvalidInputError("unknown_member")
        with self.transaction() as tx:
            self._write_shared(tx, "step_state", item_key, "assignee", member_id)

    def set_step_deleted(self, item_key: str, deleted: bool) -> None:
        """Delete an item's shared state (its status and note stop counting) or undo that delete."""
        self._check_key(item_key)
        with self.transaction() as tx:
            self._write_shared(tx, "step_state", item_key, "deleted", deleted)

    def set_device_name(self, name: str) -> None:
        """The name the family sees next to this phone's ticks."""
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInputError("name_too_long")
        with self.transaction() as tx:
            self._write_shared(tx, "device", self.device_id, "name", name)

    def _shared_values(self, entity: str, field: str) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT row_key, value FROM shared_field WHERE entity = ? AND field = ?", (entity, field)
        )
        return {key: json.loads(value) for key, value in rows.fetchall()}

    def _write_shared(
        self, tx: sqlite3.Connection, entity: str, row_key: str, field: str, value: Any
    ) -> None:
        stamp = self._write_field(tx, entity, row_key, field, value)
        self._upsert_shared(tx, entity, row_key, field, value, stamp)

    @staticmethod
    def _upsert_shared(
        tx: sqlite3.Connection, entity: str, row_key: str, field: str, value: Any, stamp: str
    ) -> None:
        tx.execute(
            "INSERT INTO shared_field (entity, row_key, field, value, stamp, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, row_key, field) DO UPDATE SET"
            " value = excluded.value, stamp = excluded.stamp, updated_at = excluded.updated_at",
            (entity, row_key, field, json.dumps(value), stamp, _now_iso()),
        )

    def set_step_status(self, item_key: str, status: str) -> None:
        """Mark an item done / not relevant / to do again: one durable transaction with its outbox entry."""
        if status not in STATUSES:
            raise InvalidInputError("unknown_status")
        self._check_key(item_key)
        self._set_step_field(item_key, "status", status)

    def set_step_note(self, item_key: str, note: str) -> None:
        """Store the user's note on an item."""
        self._check_key(item_key)
        if len(note) > MAX_NOTE_LENGTH or value_size(note) > MAX_VALUE_BYTES:
            raise InvalidInputError("note_too_long")
        self._set_step_field(item_key, "note", note)

    def _check_key(self, item_key: str) -> None:
        if not item_key or len(item_key) > MAX_KEY_LENGTH:
            raise InvalidInputError("unknown_step")

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

    def delete_meta(self, key: str) -> None:
        with self.transaction() as tx:
            tx.execute("DELETE FROM meta WHERE key = ?", (key,))

    def acknowledge(self, counter: int) -> None:
        """The server applied every op up to `counter`: drop them from the outbox."""
        with self.transaction() as tx:
            # What the server accepted also bounds a later clock rewind (see rewind_clock).
            tx.execute(
                "INSERT INTO meta (key, value) SELECT 'clock_floor', MAX(stamp) FROM outbox"
                " WHERE counter <= ? AND stamp IS NOT NULL HAVING MAX(stamp) IS NOT NULL"
                " ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)",
                (counter,),
            )
            tx.execute("DELETE FROM outbox WHERE counter <= ?", (counter,))
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('acked_counter', ?) ON CONFLICT(key) DO UPDATE"
                " SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (str(counter),),
            )

    def _restamp(
        self, tx: sqlite3.Connection, counter: int, entity: str, row_key: str, field: str, old: str
    ) -> None:
        new = self.clock.now().encode()
        tx.execute("UPDATE outbox SET stamp = ? WHERE counter = ?", (new, counter))
        if entity == "step_state" and field in SYNCED_STEP_FIELDS:
            tx.execute(
                f"UPDATE step_state SET {field}_stamp = ? WHERE item_key = ? AND {field}_stamp = ?",
                (new, row_key, old),
            )
        elif (entity, row_key, field) == HOUSEHOLD_PROFILE:
            tx.execute("UPDATE profile SET stamp = ? WHERE id = 1 AND stamp = ?", (new, old))
        else:
            tx.execute(
                "UPDATE shared_field SET stamp = ? WHERE entity = ? AND row_key = ? AND field = ?"
                " AND stamp = ?",
                (new, entity, row_key, field, old),
            )

    def sync_cursor(self) -> int:
        return int(self._meta("cursor") or 0)

    def apply_remote(self, changes: list[dict[str, Any]], cursor: int) -> int:
        """Apply pulled field values where their stamp is later than ours (per-field last writer
        wins), and move the cursor, in one transaction. Returns how many fields changed. A value
        this app version cannot use is skipped (logged), never allowed to block the pull."""
        changed = 0
        floor = self._meta("clock_floor") or ""
        with self.transaction() as tx:
            for change in changes:
                entity, row_key, field = change["entity"], change["row_key"], change["field"]
                stamp, value = change["stamp"], change["value"]
                if entity not in ENTITIES or field not in ENTITIES[entity]:
                    continue
                self.clock.observe(Stamp.decode(stamp))
                floor = max(floor, stamp)
                if entity == "step_state" and field in SYNCED_STEP_FIELDS:
                    changed += self._apply_step_field(tx, row_key, field, value, stamp)
                elif (entity, row_key, field) == HOUSEHOLD_PROFILE:
                    changed += self._apply_household_profile(tx, value, stamp)
                else:
                    row = tx.execute(
                        "SELECT stamp FROM shared_field WHERE entity = ? AND row_key = ? AND field = ?",
                        (entity, row_key, field),
                    ).fetchone()
                    if row is None or row[0] < stamp:
                        self._upsert_shared(tx, entity, row_key, field, value, stamp)
                        changed += 1
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?)", (str(cursor),))
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (self.clock.last.encode(),)
            )
            if floor:  # the latest stamp the server accepted: the clock never rewinds below it
                tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_floor', ?)", (floor,))
        return changed

    def rewind_clock(self) -> None:
        """The server refused our stamps as too far ahead although our clock is now corrected:
        the clock ran ahead before. Waiting writes stamped beyond what the server can accept get
        fresh stamps from the corrected time, after everything the family has and after our own
        writes that keep their stamps (they may already be applied, with a lost acknowledgement)."""
        limit = self.clock.physical() + self.clock.offset_ms + MAX_FUTURE_MS
        floor = self._meta("clock_floor") or ""
        with self.transaction() as tx:
            rows = tx.execute("SELECT counter, entity, row_key, field, stamp FROM outbox ORDER BY counter")
            rows = rows.fetchall()
            kept = [r[4] for r in rows if Stamp.decode(r[4]).wall_ms <= limit]
            floor = max([floor, *kept])
            self.clock.rewind(Stamp.decode(floor) if floor else Stamp(0, 0, self.device_id))
            for counter, entity, row_key, field, old in rows:
                if Stamp.decode(old).wall_ms > limit:
                    self._restamp(tx, counter, entity, row_key, field, old)
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (self.clock.last.encode(),)
            )

    @staticmethod
    def _apply_step_field(tx: sqlite3.Connection, row_key: str, field: str, value: Any, stamp: str) -> int:
        valid = value in STATUSES if field == "status" else isinstance(value, str)
        if not valid or len(row_key) > MAX_KEY_LENGTH:
            log.warning("sync: skipped an unusable %s value", field)
            return 0
        row = tx.execute(f"SELECT {field}_stamp FROM step_state WHERE item_key = ?", (row_key,)).fetchone()
        if row is not None and row[0] is not None and row[0] >= stamp:
            return 0
        # `field` is one of SYNCED_STEP_FIELDS, never remote input.
        tx.execute(
            f"INSERT INTO step_state (item_key, {field}, {field}_stamp, updated_at)"
            f" VALUES (?, ?, ?, ?) ON CONFLICT(item_key) DO UPDATE SET"
            f" {field} = excluded.{field}, {field}_stamp = excluded.{field}_stamp,"
            " updated_at = excluded.updated_at",
            (row_key, value, stamp, _now_iso()),
        )
        return 1

    @staticmethod
    def _apply_household_profile(tx: sqlite3.Connection, value: Any, stamp: str) -> int:
        row = tx.execute("SELECT data, stamp FROM profile WHERE id = 1").fetchone()
        if row is not None and row[1] >= stamp:
            return 0
        language = json.loads(row[0]).get("language") if row else None
        try:
            profile = Profile.from_json({**value, "language": language})
            profile.validate()
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("sync: skipped an unusable household profile")
            return 0
        tx.execute(
            "INSERT INTO profile (id, data, stamp, updated_at) VALUES (1, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET data = excluded.data, stamp = excluded.stamp,"
            " updated_at = excluded.updated_at",
            (json.dumps(profile.to_json()), stamp, _now_iso()),
        )
        return 1

    def pending_count(self) -> int:
        """How many of this phone's changes wait to reach the family."""
        return sum(
            1
            for entity, field in self.conn.execute("SELECT entity, field FROM outbox").fetchall()
            if entity in ENTITIES and field in ENTITIES[entity]
        )

    def reject_op(self, counter: int, code: str) -> None:
        """The server refused this write for its content: take it out of the queue and remember it
        so the app can say which change was undone and why."""
        with self.transaction() as tx:
            row = tx.execute(
                "SELECT entity, row_key, field FROM outbox WHERE counter = ?", (counter,)
            ).fetchone()
            if row is None:
                return
            tx.execute("DELETE FROM outbox WHERE counter = ?", (counter,))
            rejected = json.loads(self._meta("rejections") or "[]")
            rejected.append({"entity": row[0], "row_key": row[1], "field": row[2], "code": code})
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('rejections', ?)",
                (json.dumps(rejected[-20:]),),
            )
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('acked_counter', ?) ON CONFLICT(key) DO UPDATE"
                " SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (str(counter),),
            )

    def rejections(self) -> list[dict[str, str]]:
        """Changes the server refused and this phone undid (newest last)."""
        return json.loads(self._meta("rejections") or "[]")

    def clear_rejections(self) -> None:
        with self.transaction() as tx:
            tx.execute("DELETE FROM meta WHERE key = 'rejections'")

    def reset_for_redownload(self) -> None:
        """Forget the household's state and cursor so the next pull downloads everything again;
        this phone's unsent writes are replayed on top and stay queued (nothing local is lost)."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM step_state")
            tx.execute("DELETE FROM shared_field")
            tx.execute("DELETE FROM meta WHERE key = 'cursor'")
            outbox = tx.execute("SELECT entity, row_key, field, value, stamp FROM outbox ORDER BY counter")
            for entity, row_key, field, value, stamp in outbox.fetchall():
                if entity == "step_state" and field in SYNCED_STEP_FIELDS:
                    self._apply_step_field(tx, row_key, field, json.loads(value), stamp)
                elif entity in ENTITIES and (entity, row_key, field) != HOUSEHOLD_PROFILE:
                    self._upsert_shared(tx, entity, row_key, field, json.loads(value), stamp)

    def wipe_household_data(self) -> None:
        """This phone left or was removed from the household: drop the shared checklist, the
        family's names and assignments, and the household's profile if it came from another phone."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM step_state")
            tx.execute("DELETE FROM shared_field")
            tx.execute("DELETE FROM outbox WHERE entity != 'profile'")
            tx.execute("DELETE FROM meta WHERE key = 'cursor'")
            row = tx.execute("SELECT stamp FROM profile WHERE id = 1").fetchone()
            if row is not None and row[0] and Stamp.decode(row[0]).device != self.device_id:
                tx.execute("DELETE FROM profile WHERE id = 1")

    # --- outbox and export ------------------------------------------------------------------

    def pending_outbox(self, limit: int = -1) -> list[dict[str, Any]]:
        """Unsent writes, oldest first (all of them, or the first `limit`)."""
        return rows_as_dicts(self.conn, "SELECT * FROM outbox ORDER BY counter LIMIT ?", (limit,))

    def export_data(self) -> dict[str, Any]:
        """Everything this phone stores about the user, as plain JSON-ready data."""
        return export_tables(self.conn)


def rows_as_dicts(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    """A query's rows as {column: value} dicts."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def export_tables(conn: sqlite3.Connection) -> dict[str, Any]:
    """Read every readable row of every table; unreadable tables are reported, not fatal."""
    out: dict[str, Any] = {"format": "ny-i-nordland-export", "version": 1, "tables": {}}
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in names:
        if name.startswith("sqlite_"):
            continue
        try:
            rows = rows_as_dicts(conn, 'SELECT * FROM "{}"'.format(name.replace('"', '""')))
            if name == "meta":  # the device token is a secret, not the user's data
                rows = [r for r in rows if r.get("key") != "device_token"]
            out["tables"][name] = rows
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
            return export_tables(conn)
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


def erase_local_data(data_dir: Path) -> int:
    """Delete this phone's database, its journal files and any damaged copies recovery kept aside
    (the person asked for all their data to go). Close the store first. Returns files deleted."""
    deleted = 0
    for path in data_dir.glob(f"{DB_FILE_NAME}*"):
        if path.is_file():
            path.unlink()
            deleted += 1
    return deleted
