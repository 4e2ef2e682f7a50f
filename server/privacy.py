"""A person's rights over what the server holds (GDPR Art. 15, 17, 20; the Norwegian personal data
act): a copy of it, and erasure. What is kept after erasure, and for how long, is in
docs/privacy.md; the retention purge is `server/maintenance.py`.

A "person" here is the phone that asks: its device, its membership of a household, its host
profile, and the household's matching profile and visits once the last member leaves."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from server.auth import DeviceContext, hash_token
from server.errors import ApiError
from server.households import remove_member
from server.nordhub.cases import household_case, leave_case
from server.nordhub.employers import staff_of
from server.superhost.common import as_utc, split_codes
from server.superhost.hosts import forget_host, host_of_device
from server.superhost.seekers import forget_seeker
from server.tables import (
    coordinators,
    devices,
    employer_staff,
    field_values,
    host_certifications,
    host_seekers,
    households,
    inbox,
    invites,
    members,
    redemption_attempts,
    reports,
    request_counts,
    visit_feedback,
    visit_requests,
)
from services.hlc import Stamp

# Shared-checklist fields that carry what a person wrote or is called: cleared on erasure.
_PERSONAL_FIELDS = (("step_state", "note"), ("device", "name"))
ERASED_DEVICE = "erased"  # the stamp's device part for the server's clearing writes


def export_person(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
    """Everything the server holds about the caller, as plain JSON-ready data."""
    device = conn.execute(select(devices).where(devices.c.id == ctx.device_id)).one()
    out: dict[str, Any] = {
        "device": {
            "device_id": device.id,
            "registered_at": as_utc(device.created_at),
            "token_issued_at": as_utc(device.token_issued_at),
        }
    }
    if ctx.member_id is not None and not ctx.removed:
        out["household"] = _export_household(conn, ctx)
        case = _export_case(conn, ctx.household_id)
        if case is not None:
            out["employer_case"] = case
    staff = staff_of(conn, ctx)
    if staff is not None:
        out["employer_staff"] = {"employer_id": staff.employer_id, "role": staff.role}
    host = host_of_device(conn, ctx)
    if host is not None and host.consented_at is not None:
        out["host"] = _export_host(conn, host)
    coordinator = conn.execute(
        select(coordinators.c.name, coordinators.c.created_at).where(
            coordinators.c.device_id == ctx.device_id
        )
    ).first()
    if coordinator is not None:
        out["coordinator"] = {"name": coordinator.name, "since": as_utc(coordinator.created_at)}
    return out


def _export_household(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
    household_id = ctx.household_id
    me = conn.execute(select(members).where(members.c.id == ctx.member_id)).one()
    others = conn.execute(
        select(members.c.display_name, members.c.role).where(
            members.c.household_id == household_id, members.c.removed_at.is_(None), members.c.id != me.id
        )
    ).all()
    values = conn.execute(
        select(field_values.c.entity, field_values.c.row_key, field_values.c.field, field_values.c.value)
        .where(field_values.c.household_id == household_id)
        .order_by(field_values.c.seq)
    ).all()
    seeker = conn.execute(select(host_seekers).where(host_seekers.c.household_id == household_id)).first()
    visits = conn.execute(select(visit_requests).where(visit_requests.c.household_id == household_id)).all()
    return {
        "member": {"display_name": me.display_name, "role": me.role, "joined_at": as_utc(me.joined_at)},
        "other_members": [{"display_name": o.display_name, "role": o.role} for o in others],
        "shared_checklist": [
            {"entity": v.entity, "row_key": v.row_key, "field": v.field, "value": json.loads(v.value)}
            for v in values
        ],
        "invites_made": [
            {
                "created_at": as_utc(r.created_at),
                "expires_at": as_utc(r.expires_at),
                "used": r.used_at is not None,
            }
            for r in conn.execute(select(invites).where(invites.c.created_by == me.id)).all()
        ],
        "matching_profile": None
        if seeker is None
        else {
            "first_name": seeker.first_name,
            "municipality": seeker.municipality,
            "languages": split_codes(seeker.languages),
            "interests": split_codes(seeker.interests),
            "occupation": seeker.occupation,
            "child_bands": seeker.child_bands,
            "party_size": seeker.party_size,
            "availability": seeker.availability,
            "consented_at": as_utc(seeker.consented_at),
        },
        "visits": [_export_visit(conn, v, "newcomer") for v in visits],
        "inbox": _export_inbox(conn, inbox.c.household_id == household_id),
    }


def _export_host(conn: Connection, host: Any) -> dict[str, Any]:
    visits = conn.execute(select(visit_requests).where(visit_requests.c.host_id == host.id)).all()
    certifications = conn.execute(
        select(host_certifications).where(host_certifications.c.host_id == host.id)
    ).all()
    return {
        "profile": {
            "first_name": host.first_name,
            "municipality": host.municipality,
            "languages": split_codes(host.languages),
            "interests": split_codes(host.interests),
            "occupation": host.occupation,
            "children_ages": [int(a) for a in split_codes(host.children_ages)],
            "visits_per_month": host.visits_per_month,
            "availability": host.availability,
            "introduction": host.introduction,
            "show_details": bool(host.show_details),
            "consented_at": as_utc(host.consented_at),
        },
        "certifications": [
            {
                "interviewed_on": c.interviewed_on,
                "trained_on": c.trained_on,
                "code_of_conduct_version": c.code_of_conduct_version,
                "police_certificate_seen_on": c.police_certificate_seen_on,
                "valid_until": c.valid_until,
            }
            for c in certifications
        ],
        "visits": [_export_visit(conn, v, "host") for v in visits],
        "inbox": _export_inbox(conn, inbox.c.host_id == host.id),
    }


def _export_visit(conn: Connection, visit: Any, side: str) -> dict[str, Any]:
    feedback = conn.execute(
        select(visit_feedback).where(visit_feedback.c.request_id == visit.id, visit_feedback.c.side == side)
    ).first()
    made = conn.execute(
        select(reports.c.reason, reports.c.text, reports.c.created_at).where(
            reports.c.request_id == visit.id, reports.c.reported_by == side
        )
    ).all()
    return {
        "request_id": visit.id,
        "state": visit.state,
        "message": visit.message if side == "newcomer" else None,
        "party_size": visit.party_size,
        "starts_at": as_utc(visit.starts_at),
        "meeting_place": visit.meeting_place,
        "created_at": as_utc(visit.created_at),
        "feedback_given": None
        if feedback is None
        else {"rating": feedback.rating, "comment": feedback.comment},
        "reports_made": [{"reason": r.reason, "text": r.text, "at": as_utc(r.created_at)} for r in made],
    }


def _export_inbox(conn: Connection, mine: Any) -> list[dict[str, Any]]:
    rows = conn.execute(select(inbox).where(mine).order_by(inbox.c.id)).all()
    return [
        {
            "kind": r.kind,
            "request_id": r.request_id,
            "at": as_utc(r.created_at),
            "message": json.loads(r.body) if r.body else None,
        }
        for r in rows
    ]


def _export_case(conn: Connection, household_id: str | None) -> dict[str, Any] | None:
    """The employer's case the household joined and what it lets the employer see."""
    if household_id is None:
        return None
    try:
        case = household_case(conn, household_id)
    except ApiError:
        return None
    return {**case, "start_date": case["start_date"].isoformat()}


def erase_person(conn: Connection, ctx: DeviceContext, now: datetime) -> dict[str, bool]:
    """Delete what the server holds about the caller, in one transaction, and end this phone's
    access. Returns what was erased. Reports the person made stay until the safety process ends
    (docs/privacy.md); the rest is gone or, where another person's record points at it, emptied."""
    erased = {"host_profile": False, "membership": False, "household": False}
    host = host_of_device(conn, ctx)
    if host is not None and host.consented_at is not None:
        forget_host(conn, host.id, now)
        _clear_visit_texts(conn, visit_requests.c.host_id == host.id, "host")
        conn.execute(delete(inbox).where(inbox.c.host_id == host.id))
        erased["host_profile"] = True
    if ctx.member_id is not None:
        erased["membership"] = True
        if not ctx.removed:
            _clear_own_writes(conn, ctx.household_id, ctx.device_id, now)
            remove_member(conn, ctx, ctx.member_id, now)  # the owner's role passes on; invites withdrawn
            left = conn.execute(
                select(func.count()).where(
                    members.c.household_id == ctx.household_id, members.c.removed_at.is_(None)
                )
            ).scalar_one()
            if left == 0:
                _erase_household(conn, ctx.household_id, now)
                erased["household"] = True
        conn.execute(update(members).where(members.c.id == ctx.member_id).values(display_name=""))
    conn.execute(update(coordinators).where(coordinators.c.device_id == ctx.device_id).values(device_id=None))
    conn.execute(
        update(employer_staff)
        .where(employer_staff.c.device_id == ctx.device_id)
        .values(device_id=None, name="", removed_at=now)
    )
    # The token stops working at once; nothing is left to sign in to.
    conn.execute(
        update(devices)
        .where(devices.c.id == ctx.device_id)
        .values(token_hash=hash_token(secrets.token_urlsafe(32)), prev_token_hash=None, revoked_at=now)
    )
    conn.execute(delete(redemption_attempts).where(redemption_attempts.c.device_id == ctx.device_id))
    conn.execute(delete(request_counts).where(request_counts.c.device_id == ctx.device_id))
    return erased


def _clear_own_writes(conn: Connection, household_id: str, device_id: str, now: datetime) -> None:
    """Clear the notes and the phone name this device wrote in the shared checklist. The clearing is
    itself a write (a newer stamp, a new sequence number), so the family's phones clear them too."""
    rows = conn.execute(
        select(
            field_values.c.entity, field_values.c.row_key, field_values.c.field, field_values.c.stamp
        ).where(
            field_values.c.household_id == household_id,
            field_values.c.device_id == device_id,
            or_(*(and_(field_values.c.entity == e, field_values.c.field == f) for e, f in _PERSONAL_FIELDS)),
        )
    ).all()
    if not rows:
        return
    top = conn.execute(
        update(households)
        .where(households.c.id == household_id)
        .values(seq=households.c.seq + len(rows))
        .returning(households.c.seq)
    ).scalar_one()
    now_ms = int(now.timestamp() * 1000)
    for n, row in enumerate(rows, start=top - len(rows) + 1):
        old = Stamp.decode(row.stamp)
        stamp = Stamp(max(now_ms, old.wall_ms + 1), 0, ERASED_DEVICE).encode()
        cleared = '""' if row.field == "note" else "null"
        conn.execute(
            update(field_values)
            .where(
                field_values.c.household_id == household_id,
                field_values.c.entity == row.entity,
                field_values.c.row_key == row.row_key,
                field_values.c.field == row.field,
            )
            .values(value=cleared, stamp=stamp, seq=n, device_id=ERASED_DEVICE)
        )


def _clear_visit_texts(conn: Connection, condition: Any, side: str) -> None:
    """Empty what one side wrote on its visits (messages, feedback comments); the other side keeps
    the visit's time and state."""
    ids = select(visit_requests.c.id).where(condition)
    if side == "newcomer":
        conn.execute(update(visit_requests).where(condition).values(message=""))
    conn.execute(
        update(visit_feedback)
        .where(visit_feedback.c.request_id.in_(ids), visit_feedback.c.side == side)
        .values(comment="")
    )


def _erase_household(conn: Connection, household_id: str, now: datetime) -> None:
    """The last member left: the shared checklist, invites, matching profile and inbox go; the
    household stays as an empty id only while other people's visit records point at it."""
    forget_seeker(conn, household_id, now)
    leave_case(conn, household_id)  # the employer's case stays the employer's, unlinked
    _clear_visit_texts(conn, visit_requests.c.household_id == household_id, "newcomer")
    conn.execute(delete(field_values).where(field_values.c.household_id == household_id))
    conn.execute(delete(invites).where(invites.c.household_id == household_id))
    conn.execute(delete(inbox).where(inbox.c.household_id == household_id))
