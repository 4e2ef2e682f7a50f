"""Employers in Nordhub: registered by a staff member's phone with the organisation number (check
digit validated), verified by a county coordinator before any newcomer can join their cases;
staff (admin, HR) invited by a single-use code like family invites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.auth import DeviceContext, hash_token, new_id
from server.errors import ApiError
from server.invites import format_code, new_code, normalize_code
from server.tables import employer_staff, employers, staff_invites
from services.org_number import is_valid_org_number, normalize_org_number
from services.wire import ErrorCode

STAFF_INVITE_TTL = timedelta(hours=72)
ADMIN, HR = "admin", "hr"
INVALID_STAFF_CODE = ApiError(
    404, ErrorCode.STAFF_CODE_INVALID, "This code is not valid. Ask your organisation for a new one."
)


@dataclass(frozen=True)
class Staff:
    """The employer staff member behind the calling phone."""

    staff_id: str
    employer_id: str
    role: str
    verified: bool


def staff_of(conn: Connection, ctx: DeviceContext) -> Staff | None:
    row = conn.execute(
        select(
            employer_staff.c.id, employer_staff.c.employer_id, employer_staff.c.role, employers.c.verified_at
        )
        .join(employers, employers.c.id == employer_staff.c.employer_id)
        .where(employer_staff.c.device_id == ctx.device_id, employer_staff.c.removed_at.is_(None))
    ).first()
    if row is None:
        return None
    return Staff(row.id, row.employer_id, row.role, row.verified_at is not None)


def require_staff(conn: Connection, ctx: DeviceContext) -> Staff:
    """The caller's staff membership, or 403: only an employer's staff see its cases."""
    staff = staff_of(conn, ctx)
    if staff is None:
        raise ApiError(403, ErrorCode.NOT_EMPLOYER_STAFF, "Only an employer's staff can do this.")
    return staff


def require_admin(staff: Staff) -> None:
    if staff.role != ADMIN:
        raise ApiError(403, ErrorCode.ADMIN_ONLY, "Only the organisation's administrators can do this.")


def _not_staff_yet(conn: Connection, ctx: DeviceContext) -> None:
    taken = conn.execute(
        select(employer_staff.c.id).where(employer_staff.c.device_id == ctx.device_id)
    ).first()
    if taken is not None:
        raise ApiError(
            409, ErrorCode.ALREADY_EMPLOYER_STAFF, "This phone already belongs to an employer's staff."
        )


def register_employer(
    conn: Connection,
    ctx: DeviceContext,
    org_number: str,
    name: str,
    municipality: int,
    staff_name: str,
    now: datetime,
) -> dict[str, Any]:
    """A new, unverified employer with the caller as its first administrator."""
    number = normalize_org_number(org_number)
    if not is_valid_org_number(number):
        raise ApiError(
            422, ErrorCode.INVALID_ORG_NUMBER, "This is not a valid organisation number (nine digits)."
        )
    _not_staff_yet(conn, ctx)
    employer_id, staff_id = new_id(), new_id()
    try:
        with conn.begin_nested():
            conn.execute(
                insert(employers).values(
                    id=employer_id, org_number=number, name=name, municipality=municipality, created_at=now
                )
            )
    except IntegrityError as exc:
        raise ApiError(
            409,
            ErrorCode.EMPLOYER_EXISTS,
            "This organisation is registered already: ask its administrator for a staff code.",
        ) from exc
    conn.execute(
        insert(employer_staff).values(
            id=staff_id,
            employer_id=employer_id,
            device_id=ctx.device_id,
            name=staff_name,
            role=ADMIN,
            created_at=now,
        )
    )
    return {"employer_id": employer_id, "staff_id": staff_id, "role": ADMIN, "verified": False}


def describe_employer(conn: Connection, staff: Staff) -> dict[str, Any]:
    """The caller's organisation and its current staff."""
    employer = conn.execute(select(employers).where(employers.c.id == staff.employer_id)).one()
    people = conn.execute(
        select(employer_staff.c.id, employer_staff.c.name, employer_staff.c.role)
        .where(employer_staff.c.employer_id == staff.employer_id, employer_staff.c.removed_at.is_(None))
        .order_by(employer_staff.c.created_at)
    ).all()
    return {
        "employer": {
            "id": employer.id,
            "org_number": employer.org_number,
            "name": employer.name,
            "municipality": employer.municipality,
            "verified": employer.verified_at is not None,
        },
        "me": {"staff_id": staff.staff_id, "role": staff.role},
        "staff": [{"staff_id": p.id, "name": p.name, "role": p.role} for p in people],
    }


def create_staff_invite(conn: Connection, staff: Staff, role: str, now: datetime) -> dict[str, Any]:
    """A single-use code that makes another phone a staff member with `role` (admins only)."""
    require_admin(staff)
    code = new_code()
    expires = now + STAFF_INVITE_TTL
    conn.execute(
        insert(staff_invites).values(
            id=new_id(),
            employer_id=staff.employer_id,
            role=role,
            code_hash=hash_token(code),
            created_by=staff.staff_id,
            created_at=now,
            expires_at=expires,
        )
    )
    return {"code": format_code(code), "role": role, "expires_at": expires}


def redeem_staff_invite(
    conn: Connection, ctx: DeviceContext, code: str, name: str, now: datetime
) -> dict[str, Any]:
    """Join an employer's staff with a code (invalid, expired and used codes answer alike)."""
    _not_staff_yet(conn, ctx)
    claimed = conn.execute(
        update(staff_invites)
        .where(
            staff_invites.c.code_hash == hash_token(normalize_code(code)),
            staff_invites.c.used_at.is_(None),
            staff_invites.c.expires_at > now,
        )
        .values(used_at=now)
        .returning(staff_invites.c.employer_id, staff_invites.c.role)
    ).first()
    if claimed is None:
        raise INVALID_STAFF_CODE
    staff_id = new_id()
    conn.execute(
        insert(employer_staff).values(
            id=staff_id,
            employer_id=claimed.employer_id,
            device_id=ctx.device_id,
            name=name,
            role=claimed.role,
            created_at=now,
        )
    )
    return {"employer_id": claimed.employer_id, "staff_id": staff_id, "role": claimed.role}


def remove_staff(conn: Connection, staff: Staff, staff_id: str, now: datetime) -> None:
    """An administrator ends a staff member's access (another organisation's staff: 404)."""
    require_admin(staff)
    removed = conn.execute(
        update(employer_staff)
        .where(
            employer_staff.c.id == staff_id,
            employer_staff.c.employer_id == staff.employer_id,
            employer_staff.c.removed_at.is_(None),
        )
        .values(removed_at=now)
    )
    if removed.rowcount != 1:
        raise ApiError(404, ErrorCode.NOT_FOUND, "No such staff member.")


def list_employers(conn: Connection) -> list[dict[str, Any]]:
    """For coordinators: every registered organisation, unverified first."""
    rows = conn.execute(
        select(employers).order_by(employers.c.verified_at.is_not(None), employers.c.name)
    ).all()
    return [
        {
            "id": r.id,
            "org_number": r.org_number,
            "name": r.name,
            "municipality": r.municipality,
            "verified": r.verified_at is not None,
        }
        for r in rows
    ]


def verify_employer(
    conn: Connection, ctx: DeviceContext, coordinator_id: str, employer_id: str, now: datetime
) -> None:
    """A coordinator confirms the organisation is who it says (its cases can then be joined)."""
    staff = staff_of(conn, ctx)
    if staff is not None and staff.employer_id == employer_id:
        raise ApiError(403, ErrorCode.OWN_EMPLOYER, "Another coordinator must verify your own organisation.")
    done = conn.execute(
        update(employers)
        .where(employers.c.id == employer_id)
        .values(verified_at=now, verified_by=coordinator_id)
    )
    if done.rowcount != 1:
        raise ApiError(404, ErrorCode.NOT_FOUND, "No such employer.")
