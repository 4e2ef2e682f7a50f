"""Family invites: a typed code (12 Crockford base32 characters, 60 bits), a link and a QR code of
that link; single use, valid 72 hours, bound to one household, at most 5 live per household.
Invalid, expired and used codes all get the same answer."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from server.auth import DeviceContext, hash_token, new_id
from server.errors import ApiError
from server.sync import require_household
from server.tables import devices, invites, members, redemption_attempts

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 12
INVITE_TTL = timedelta(hours=72)
MAX_LIVE_INVITES = 5
RATE_WINDOW = timedelta(minutes=10)
RATE_MAX_ATTEMPTS = 10
INVALID = ApiError(404, "invite_invalid", "This code is not valid. Ask your family for a new code.")


def normalize_code(text: str) -> str:
    """What a person typed → the canonical code (case, spaces, dashes and look-alikes forgiven)."""
    cleaned = text.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def create_invite(conn: Connection, ctx: DeviceContext, now: datetime) -> dict[str, Any]:
    household_id = require_household(ctx)
    live = conn.execute(
        select(func.count())
        .select_from(invites)
        .where(
            invites.c.household_id == household_id, invites.c.used_at.is_(None), invites.c.expires_at > now
        )
    ).scalar_one()
    if live >= MAX_LIVE_INVITES:
        raise ApiError(409, "too_many_invites", f"At most {MAX_LIVE_INVITES} open invites per household.")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
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
        select(invites.c.id, invites.c.created_by, invites.c.expires_at)
        .where(
            invites.c.household_id == household_id, invites.c.used_at.is_(None), invites.c.expires_at > now
        )
        .order_by(invites.c.created_at)
    ).all()
    return [{"invite_id": r.id, "created_by": r.created_by, "expires_at": r.expires_at} for r in rows]


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
            "rate_limited",
            "Too many attempts. Wait a few minutes and try again.",
            headers={"Retry-After": str(int(RATE_WINDOW.total_seconds()))},
        )
    conn.execute(insert(redemption_attempts).values(device_id=ctx.device_id, attempted_at=now))


def redeem_invite(conn: Connection, ctx: DeviceContext, code: str, display_name: str, now: datetime) -> dict:
    """Join the invite's household as a member. Exactly one of many simultaneous redemptions wins:
    the claim is a single conditional UPDATE."""
    if ctx.household_id is not None:
        raise ApiError(409, "already_in_household", "This device already belongs to a household.")
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
        .where(
            and_(invites.c.code_hash == code_hash, invites.c.used_at.is_(None), invites.c.expires_at > now)
        )
        .values(used_at=now, used_by=member_id)
    ).rowcount
    if claimed != 1:
        raise INVALID  # used or expired: the transaction rolls the new member back
    conn.execute(update(devices).where(devices.c.id == ctx.device_id).values(member_id=member_id))
    return {"household_id": household_id, "member_id": member_id, "role": "member"}
