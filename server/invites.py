"""Family invites: a typed code (12 Crockford base32 characters, 60 bits), a link and a QR code of
that link; single use, valid 72 hours, bound to one household, at most 5 live per household.
Invalid, expired and used codes all get the same answer."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select, update

from server.auth import DeviceContext, hash_token, new_id, require_household
from server.errors import ApiError
from server.tables import devices, households, invites, members, redemption_attempts
from services.wire import ErrorCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 12
INVITE_TTL = timedelta(hours=72)
MAX_LIVE_INVITES = 5
MEMBER_INVITES, OWNER_INVITES = "members", "owner"  # who may invite (households.invites_by)
RATE_WINDOW = timedelta(minutes=10)
RATE_MAX_ATTEMPTS = 10
INVALID = ApiError(404, ErrorCode.INVITE_INVALID, "This code is not valid. Ask your family for a new code.")


def normalize_code(text: str) -> str:
    """What a person typed → the canonical code (case, spaces, dashes and look-alikes forgiven)."""
    cleaned = text.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def new_code(length: int = CODE_LENGTH) -> str:
    """A fresh random code (family invites, staff codes, relocation cases, coordinator enrolment)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _usable(now: datetime) -> ColumnElement[bool]:
    """An invite that can still be redeemed: not used, not withdrawn, not expired."""
    return and_(invites.c.used_at.is_(None), invites.c.revoked_at.is_(None), invites.c.expires_at > now)


def create_invite(conn: Connection, ctx: DeviceContext, now: datetime) -> dict[str, Any]:
    """A new code for the caller's household (members may invite unless the owner chose
    "only me")."""
    household_id = require_household(ctx)
    if ctx.role != "owner" and invites_by(conn, household_id) == OWNER_INVITES:
        raise ApiError(403, ErrorCode.OWNER_ONLY, "In this household only the owner can invite.")
    live = conn.execute(
        select(func.count()).select_from(invites).where(invites.c.household_id == household_id, _usable(now))
    ).scalar_one()
    if live >= MAX_LIVE_INVITES:
        raise ApiError(
            409, ErrorCode.TOO_MANY_INVITES, f"At most {MAX_LIVE_INVITES} open invites per household."
        )
    code = new_code()
    expires, invite_id = now + INVITE_TTL, new_id()
    conn.execute(
        insert(invites).values(
            id=invite_id,
            household_id=household_id,
            code_hash=hash_token(code),
            created_by=ctx.member_id,
            created_at=now,
            expires_at=expires,
        )
    )
    return {
        "invite_id": invite_id,
        "code": format_code(code),
        "link": f"nyinordland://join?code={code}",
        "expires_at": expires,
    }


def open_invites(conn: Connection, household_id: str, now: datetime) -> list[dict[str, Any]]:
    """The household's invites that can still be used (so a phone stops showing a used code)."""
    rows = conn.execute(
        select(invites.c.id, invites.c.created_by, invites.c.created_at, invites.c.expires_at)
        .where(invites.c.household_id == household_id, _usable(now))
        .order_by(invites.c.created_at)
    ).all()
    return [
        {
            "invite_id": r.id,
            "created_by": r.created_by,
            "created_at": r.created_at,
            "expires_at": r.expires_at,
        }
        for r in rows
    ]


def revoke_invite(conn: Connection, ctx: DeviceContext, invite_id: str, now: datetime) -> None:
    """Withdraw an open invite: your own, or any in the household as owner. Another household's
    invite, or one already used, withdrawn or expired, answers 404."""
    household_id = require_household(ctx)
    invite = conn.execute(
        select(invites.c.created_by).where(
            invites.c.id == invite_id, invites.c.household_id == household_id, _usable(now)
        )
    ).first()
    if invite is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "No such open invite in your household.")
    if invite.created_by != ctx.member_id and ctx.role != "owner":
        raise ApiError(403, ErrorCode.OWNER_ONLY, "Only the owner can withdraw another member's invite.")
    conn.execute(update(invites).where(invites.c.id == invite_id).values(revoked_at=now))


def revoke_invites_by(conn: Connection, member_id: str, now: datetime) -> int:
    """Withdraw every open invite a member made (when they leave or are removed): a removed
    member must not be able to come back with a code they minted."""
    return conn.execute(
        update(invites).where(invites.c.created_by == member_id, _usable(now)).values(revoked_at=now)
    ).rowcount


def invites_by(conn: Connection, household_id: str) -> str:
    """Who may invite in a household: MEMBER_INVITES or OWNER_INVITES."""
    return conn.execute(select(households.c.invites_by).where(households.c.id == household_id)).scalar_one()


def set_invites_by(conn: Connection, ctx: DeviceContext, who: str, now: datetime) -> None:
    """The owner chooses who may invite; choosing "owner" withdraws the members' open invites."""
    household_id = require_household(ctx)
    if ctx.role != "owner":
        raise ApiError(403, ErrorCode.OWNER_ONLY, "Only the owner chooses who may invite.")
    conn.execute(update(households).where(households.c.id == household_id).values(invites_by=who))
    if who == OWNER_INVITES:
        others = select(members.c.id).where(members.c.household_id == household_id, members.c.role != "owner")
        conn.execute(
            update(invites).where(invites.c.created_by.in_(others), _usable(now)).values(revoked_at=now)
        )


def record_attempt(conn: Connection, ctx: DeviceContext, now: datetime) -> None:
    """Count this redemption attempt; call it in its own transaction so it sticks when the
    redemption fails."""
    recent = conn.execute(
        select(func.count())
        .select_from(redemption_attempts)
        .where(
            redemption_attempts.c.device_id == ctx.device_id,
            redemption_attempts.c.attempted_at > now - RATE_WINDOW,
        )
    ).scalar_one()
    if recent >= RATE_MAX_ATTEMPTS:
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            "Too many attempts. Wait a few minutes and try again.",
            headers={"Retry-After": str(int(RATE_WINDOW.total_seconds()))},
        )
    conn.execute(insert(redemption_attempts).values(device_id=ctx.device_id, attempted_at=now))


def redeem_invite(conn: Connection, ctx: DeviceContext, code: str, display_name: str, now: datetime) -> dict:
    """Join the invite's household as a member. Exactly one of many simultaneous redemptions wins:
    the claim is a single conditional UPDATE."""
    if ctx.household_id is not None:
        raise ApiError(409, ErrorCode.ALREADY_IN_HOUSEHOLD, "This device already belongs to a household.")
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH or any(c not in ALPHABET for c in normalized):
        raise INVALID
    code_hash = hash_token(normalized)
    household_id = conn.execute(
        select(invites.c.household_id).where(invites.c.code_hash == code_hash)
    ).scalar_one_or_none()
    if household_id is None:
        raise INVALID
    member_id = new_id()
    conn.execute(
        insert(members).values(
            id=member_id, household_id=household_id, role="member", display_name=display_name, joined_at=now
        )
    )
    claimed = conn.execute(
        update(invites)
        .where(invites.c.code_hash == code_hash, _usable(now))
        .values(used_at=now, used_by=member_id)
    ).rowcount
    if claimed != 1:
        raise INVALID  # used or expired: the transaction rolls the new member back
    conn.execute(update(devices).where(devices.c.id == ctx.device_id).values(member_id=member_id))
    return {"household_id": household_id, "member_id": member_id, "role": "member"}
