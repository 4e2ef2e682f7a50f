"""Households: created by their first member, who becomes the owner."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from server.auth import DeviceContext, new_id, require_household
from server.errors import ApiError
from server.invites import invites_by, open_invites, revoke_invites_by
from server.tables import devices, households, members
from services.wire import ErrorCode


def create_household(conn: Connection, ctx: DeviceContext, display_name: str) -> dict[str, str]:
    """A new household with this device's member as owner; a device belongs to one household."""
    if ctx.household_id is not None:
        raise ApiError(409, ErrorCode.ALREADY_IN_HOUSEHOLD, "This device already belongs to a household.")
    now = datetime.now(UTC)
    household_id, member_id = new_id(), new_id()
    conn.execute(insert(households).values(id=household_id, seq=0, created_at=now))
    conn.execute(
        insert(members).values(
            id=member_id, household_id=household_id, role="owner", display_name=display_name, joined_at=now
        )
    )
    conn.execute(update(devices).where(devices.c.id == ctx.device_id).values(member_id=member_id))
    return {"household_id": household_id, "member_id": member_id, "role": "owner"}


def describe_household(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
    """Members (current ones), their devices and the open invites; only the caller's own household."""
    household_id = require_household(ctx)
    rows = conn.execute(
        select(members.c.id, members.c.display_name, members.c.role, members.c.joined_at)
        .where(members.c.household_id == household_id, members.c.removed_at.is_(None))
        .order_by(members.c.joined_at)
    ).all()
    device_rows = conn.execute(
        select(devices.c.id, devices.c.member_id, devices.c.created_at, devices.c.revoked_at).where(
            devices.c.member_id.in_([r.id for r in rows])
        )
    ).all()
    return {
        "household_id": household_id,
        "members": [
            {
                "member_id": r.id,
                "display_name": r.display_name,
                "role": r.role,
                "joined_at": r.joined_at,
                "devices": [
                    {"device_id": d.id, "created_at": d.created_at, "revoked": d.revoked_at is not None}
                    for d in device_rows
                    if d.member_id == r.id
                ],
            }
            for r in rows
        ],
        "open_invites": open_invites(conn, household_id, datetime.now(UTC)),
        "invites_by": invites_by(conn, household_id),
    }


def remove_member(conn: Connection, ctx: DeviceContext, member_id: str, now: datetime) -> None:
    """Leave (your own member id) or, as owner, remove someone. The owner's role passes to the
    longest-standing member when the owner leaves. Another household's member answers 404."""
    household_id = require_household(ctx)
    target = conn.execute(
        select(members.c.id, members.c.role).where(
            members.c.id == member_id, members.c.household_id == household_id, members.c.removed_at.is_(None)
        )
    ).first()
    if target is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "No such member in your household.")
    if target.id != ctx.member_id and ctx.role != "owner":
        raise ApiError(403, ErrorCode.OWNER_ONLY, "Only the household's owner can remove other members.")
    conn.execute(update(members).where(members.c.id == target.id).values(removed_at=now))
    revoke_invites_by(conn, target.id, now)
    if target.role == "owner":
        heir = conn.execute(
            select(members.c.id)
            .where(members.c.household_id == household_id, members.c.removed_at.is_(None))
            .order_by(members.c.joined_at)
            .limit(1)
        ).scalar_one_or_none()
        if heir is not None:
            conn.execute(update(members).where(members.c.id == heir).values(role="owner"))


def revoke_device(conn: Connection, ctx: DeviceContext, device_id: str, now: datetime) -> None:
    """Revoke a phone's token at once: your own devices, or any device in the household as owner."""
    household_id = require_household(ctx)
    row = conn.execute(
        select(devices.c.id, devices.c.member_id)
        .select_from(devices.join(members, devices.c.member_id == members.c.id))
        .where(devices.c.id == device_id, members.c.household_id == household_id)
    ).first()
    if row is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "No such device in your household.")
    if row.member_id != ctx.member_id and ctx.role != "owner":
        raise ApiError(
            403, ErrorCode.OWNER_ONLY, "Only the household's owner can revoke other members' devices."
        )
    conn.execute(update(devices).where(devices.c.id == device_id).values(revoked_at=now))
