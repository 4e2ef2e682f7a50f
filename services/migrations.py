"""Named schema migrations of the phone's SQLite database. Each runs once, in a transaction."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "0001_initial",
        (
            """CREATE TABLE IF NOT EXISTS meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS profile (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                data TEXT NOT NULL,
                stamp TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            # One row per timeline item; every field carries its own clock stamp so that
            # edits to different fields of one item merge (per-field last-writer-wins).
            """CREATE TABLE IF NOT EXISTS step_state (
                item_key TEXT PRIMARY KEY,
                status TEXT NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo', 'done', 'not_relevant')),
                status_stamp TEXT,
                note TEXT NOT NULL DEFAULT '',
                note_stamp TEXT,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                device TEXT NOT NULL,
                counter INTEGER NOT NULL UNIQUE,
                entity TEXT NOT NULL,
                row_key TEXT NOT NULL,
                field TEXT NOT NULL,
                value TEXT NOT NULL,
                stamp TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
        ),
    ),
    (
        "0002_shared_fields",
        (
            # Household-shared fields other than a step's status and note: who a step is assigned
            # to, deletes, the household profile and the family's device names. One row per field,
            # each with its own stamp (per-field last-writer-wins).
            """CREATE TABLE IF NOT EXISTS shared_field (
                entity TEXT NOT NULL,
                row_key TEXT NOT NULL,
                field TEXT NOT NULL,
                value TEXT NOT NULL,
                stamp TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (entity, row_key, field)
            )""",
        ),
    ),
)
