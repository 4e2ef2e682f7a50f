"""County service coordinators: created on the command line with a one-time enrolment code that
the coordinator types into the app, which binds their phone to the role."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from server.auth import DeviceContext, hash_token, new_id
from server.errors import ApiError
from server.invites import new_code, normalize_code
from server.tables import coordinators
from services.wire import ErrorCode

ENROL_TTL = timedelta(hours=72)
ENROL_CODE_LENGTH = 12
INVALID_CODE = ApiError(
    404, ErrorCode.ENROLMENT_INVALID, "This enrolment code is not valid. Ask for a new one."
)


def create_coordinator(conn: Connection, name: str, now: datetime) -> tuple[str, str]:
    """A new coordinator and its one-time enrolment code (only the code's hash is kept)."""

    code = new_code(ENROL_CODE_LENGTH)
    coordinator_id = new_id()
    conn.execute(
        insert(coordinators).values(
            id=coordinator_id,
            name=name,
            code_hash=hash_token(code),
            code_expires_at=now + ENROL_TTL,
            created_at=now,
        )
    )
    return coordinator_id, code


def enrol_device(conn: Connection, ctx: DeviceContext, code: str, now: datetime) -> dict[str, Any]:
    """Bind the calling phone to the coordinator whose code this is (single use, 72 hours)."""
    if coordinator_of(conn, ctx) is not None:
        raise ApiError(409, ErrorCode.ALREADY_COORDINATOR, "This phone already belongs to a coordinator.")
    claimed = conn.execute(
        update(coordinators)
        .where(
            coordinators.c.code_hash == hash_token(normalize_code(code)),
            coordinators.c.code_expires_at > now,
            coordinators.c.revoked_at.is_(None),
            coordinators.c.device_id.is_(None),
        )
        .values(device_id=ctx.device_id, code_hash=None, code_expires_at=None)
        .returning(coordinators.c.id, coordinators.c.name)
    ).first()
    if claimed is None:
        raise INVALID_CODE
    return {"coordinator_id": claimed.id, "name": claimed.name}


def coordinator_of(conn: Connection, ctx: DeviceContext) -> str | None:
    return conn.execute(
        select(coordinators.c.id).where(
            coordinators.c.device_id == ctx.device_id, coordinators.c.revoked_at.is_(None)
        )
    ).scalar()


def require_coordinator(conn: Connection, ctx: DeviceContext) -> str:
    """The caller's coordinator id, or 403: only coordinators certify, suspend and see reports."""
    coordinator_id = coordinator_of(conn, ctx)
    if coordinator_id is None:
        raise ApiError(403, ErrorCode.NOT_COORDINATOR, "Only a county service coordinator can do this.")
    return coordinator_id


def revoke_coordinator(conn: Connection, coordinator_id: str, now: datetime) -> bool:
    result = conn.execute(
        update(coordinators)
        .where(coordinators.c.id == coordinator_id, coordinators.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1


def list_coordinators(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(coordinators).order_by(coordinators.c.created_at)).all()
    return [
        {"id": r.id, "name": r.name, "enrolled": r.device_id is not None, "revoked": r.revoked_at is not None}
        for r in rows
    ]
