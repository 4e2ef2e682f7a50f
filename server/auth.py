"""Device tokens: opaque, 256 random bits, only their sha256 stored; sent as a Bearer header."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import Connection, insert, select

from server.errors import ApiError
from server.tables import devices, members


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


def register_device(conn: Connection) -> tuple[str, str]:
    """Create a device; returns (device_id, token). The token is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    device_id = new_id()
    conn.execute(
        insert(devices).values(id=device_id, token_hash=hash_token(token), created_at=datetime.now(UTC))
    )
    return device_id, token


def authenticate(conn: Connection, request: Request) -> DeviceContext:
    """The device behind the Authorization header, or 401 (missing, unknown or revoked token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthenticated", "Send the device token as 'Authorization: Bearer <token>'.")
    row = conn.execute(
        select(
            devices.c.id,
            devices.c.revoked_at,
            devices.c.last_counter,
            devices.c.member_id,
            members.c.household_id,
            members.c.role,
            members.c.removed_at,
        )
        .select_from(devices.outerjoin(members, devices.c.member_id == members.c.id))
        .where(devices.c.token_hash == hash_token(token))
    ).first()
    if row is None or row.revoked_at is not None:
        raise ApiError(401, "unauthenticated", "This device token is not valid.")
    in_household = row.member_id is not None and row.removed_at is None
    return DeviceContext(
        device_id=row.id,
        member_id=row.member_id if in_household else None,
        household_id=row.household_id if in_household else None,
        role=row.role if in_household else None,
        last_counter=row.last_counter,
        removed=row.member_id is not None and row.removed_at is not None,
    )
