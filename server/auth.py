"""Device tokens: opaque, 256 random bits, only their sha256 stored; sent as a Bearer header."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from fastapi import Request
from sqlalchemy import Connection, insert, select, update

from server.db import driver_sql
from server.errors import ApiError
from server.tables import devices
from services.wire import ErrorCode


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_id() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class DeviceContext:
    """The authenticated device and, when it has joined one, its member and household."""

    device_id: str
    member_id: str | None
    household_id: str | None
    role: str | None
    last_counter: int
    removed: bool = False  # was a member, then left or was removed: the phone wipes local data
    token_issued_at: datetime | None = None
    used_token_hash: str | None = None


def require_household(ctx: DeviceContext) -> str:
    if ctx.removed:
        raise ApiError(
            410,
            ErrorCode.REMOVED_FROM_HOUSEHOLD,
            "This phone is no longer part of the household; its data is removed.",
        )
    if ctx.household_id is None:
        raise ApiError(409, ErrorCode.NO_HOUSEHOLD, "This device has not joined a household yet.")
    return ctx.household_id


def register_device(conn: Connection) -> tuple[str, str]:
    """Create a device; returns (device_id, token). The token is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    device_id = new_id()
    now = datetime.now(UTC)
    conn.execute(
        insert(devices).values(
            id=device_id, token_hash=hash_token(token), created_at=now, token_issued_at=now
        )
    )
    return device_id, token


def rotate_token(conn: Connection, ctx: DeviceContext) -> str:
    """A new token for this device. The one used for this call stays valid until the new one is
    first used (so a lost answer does not lock the phone out); any older one stops working."""
    token = secrets.token_urlsafe(32)
    current = conn.execute(select(devices.c.token_hash).where(devices.c.id == ctx.device_id)).scalar_one()
    used = ctx.used_token_hash or current
    conn.execute(
        update(devices)
        .where(devices.c.id == ctx.device_id)
        .values(token_hash=hash_token(token), prev_token_hash=used, token_issued_at=datetime.now(UTC))
    )
    return token


_DEVICE_BY_TOKEN = (
    "SELECT d.id, d.token_hash, d.prev_token_hash, d.token_issued_at, d.revoked_at IS NOT NULL, "
    "d.last_counter, d.member_id, m.household_id, m.role, m.removed_at IS NOT NULL "
    "FROM devices d LEFT JOIN members m ON d.member_id = m.id "
    "WHERE d.token_hash = ? OR d.prev_token_hash = ?"
)


class _TokenRow(NamedTuple):
    id: str
    token_hash: str
    prev_token_hash: str | None
    token_issued_at: datetime | str | None
    revoked: bool
    last_counter: int
    member_id: str | None
    household_id: str | None
    role: str | None
    removed: bool | None


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp as the driver returns it: psycopg gives datetimes, sqlite3 the text
    SQLAlchemy stored (UTC, without an offset)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def authenticate(conn: Connection, request: Request) -> DeviceContext:
    """The device behind the Authorization header, or 401 (missing, unknown or revoked token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401, ErrorCode.UNAUTHENTICATED, "Send the device token as 'Authorization: Bearer <token>'."
        )
    token_hash = hash_token(token)
    # On the DBAPI cursor: every request authenticates, and SQLAlchemy's per-statement work cost
    # several times the lookup itself.
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(driver_sql(conn, _DEVICE_BY_TOKEN), (token_hash, token_hash))
        found = cursor.fetchone()
    finally:
        cursor.close()
    row = _TokenRow(*found) if found is not None else None
    if row is None or row.revoked:
        raise ApiError(401, ErrorCode.UNAUTHENTICATED, "This device token is not valid.")
    if row.token_hash == token_hash and row.prev_token_hash is not None:
        # The newest token is in use: the previous one has served its purpose.
        conn.execute(update(devices).where(devices.c.id == row.id).values(prev_token_hash=None))
    in_household = row.member_id is not None and not row.removed
    return DeviceContext(
        device_id=row.id,
        member_id=row.member_id if in_household else None,
        household_id=row.household_id if in_household else None,
        role=row.role if in_household else None,
        last_counter=row.last_counter,
        removed=row.member_id is not None and bool(row.removed),
        token_issued_at=_as_datetime(row.token_issued_at),
        used_token_hash=token_hash,
    )
