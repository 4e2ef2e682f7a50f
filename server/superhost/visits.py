"""Visit requests from request to feedback (states and moves in services/visit_lifecycle.py).

Privacy by default: until a host accepts, they see only the family's first name, municipality,
languages, party size and message. Meeting places are public places, never a home address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from server.auth import DeviceContext, new_id, require_household
from server.errors import ApiError
from server.superhost.common import as_utc, cancel_open_visits, invalid, not_found, split_codes
from server.superhost.hosts import CERTIFIED, host_loads, host_of_device, host_status, public_host
from server.superhost.inbox import notify_host, notify_household
from server.superhost.seekers import excluded_pairs, require_seeker, resolve_for_household
from server.tables import (
    declined_pairs,
    host_blocks,
    host_seekers,
    hosts,
    households,
    reports,
    visit_feedback,
    visit_requests,
)
from services import host_wire as wire
from services import visit_lifecycle as life
from services.meeting_place import looks_like_home_address
from services.wire import ErrorCode

MAX_NEW_REQUESTS_PER_HOST_DAY = 5  # a host is not flooded by many new households at once
MAX_REPORTS_PER_SIDE_DAY = 5
REQUEST_TTL = timedelta(days=5)  # unanswered requests expire (NYIN_REQUEST_EXPIRY_DAYS)
MAX_AHEAD = timedelta(days=180)
REPORT_REASONS = ("no_show", "inappropriate", "unsafe", "spam", "other")


def _participant(conn: Connection, ctx: DeviceContext, request_id: str) -> tuple[Any, str]:
    """The request and the caller's side; 404 when the caller is on neither side."""
    visit = conn.execute(select(visit_requests).where(visit_requests.c.id == request_id)).first()
    if visit is None:
        raise not_found()
    if ctx.household_id is not None and not ctx.removed and visit.household_id == ctx.household_id:
        return visit, life.NEWCOMER
    host = host_of_device(conn, ctx)
    if host is not None and host.id == visit.host_id:
        return visit, life.HOST
    raise not_found()


def expire_due(conn: Connection, now: datetime, *, household_id: str | None = None,
               host_id: str | None = None) -> int:  # fmt: skip
    """Unanswered requests past their expiry become `expired`; the family is offered the next host."""
    query = select(visit_requests.c.id, visit_requests.c.household_id, visit_requests.c.host_id).where(
        visit_requests.c.state.in_([life.REQUESTED, life.PROPOSED]), visit_requests.c.expires_at < now
    )
    if household_id is not None:
        query = query.where(visit_requests.c.household_id == household_id)
    if host_id is not None:
        query = query.where(visit_requests.c.host_id == host_id)
    due = conn.execute(query).all()
    for visit in due:
        conn.execute(
            update(visit_requests)
            .where(
                visit_requests.c.id == visit.id, visit_requests.c.state.in_([life.REQUESTED, life.PROPOSED])
            )
            .values(state=life.EXPIRED, updated_at=now)
        )
        _remember_declined(conn, visit.household_id, visit.host_id, now)
        notify_household(conn, visit.household_id, visit.id, "expired", now)
        notify_host(conn, visit.host_id, visit.id, "expired", now)
        resolve_for_household(conn, visit.household_id, now)
    return len(due)


def _remember_declined(conn: Connection, household_id: str, host_id: str, now: datetime) -> None:
    seen = conn.execute(
        select(declined_pairs.c.host_id).where(
            declined_pairs.c.household_id == household_id, declined_pairs.c.host_id == host_id
        )
    ).first()
    if seen is None:
        conn.execute(
            insert(declined_pairs).values(household_id=household_id, host_id=host_id, created_at=now)
        )


def create_request(conn: Connection, ctx: DeviceContext, body: dict[str, Any], idempotency_key: str,
                   now: datetime, ttl: timedelta = REQUEST_TTL) -> tuple[dict[str, Any], bool]:  # fmt: skip
    """A visit request from the caller's household; the same Idempotency-Key returns the same request.
    Returns (request, created)."""
    household_id = require_household(ctx)
    if not 8 <= len(idempotency_key) <= 64:
        raise invalid(
            ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "Send an Idempotency-Key header of 8 to 64 characters.", 400
        )
    # One request at a time per household: the pending limit and the key hold under concurrency.
    conn.execute(select(households.c.id).where(households.c.id == household_id).with_for_update())
    earlier = conn.execute(
        select(visit_requests).where(
            visit_requests.c.household_id == household_id, visit_requests.c.idempotency_key == idempotency_key
        )
    ).first()
    if earlier is not None:
        if earlier.host_id != body["host_id"]:
            raise ApiError(
                409, ErrorCode.IDEMPOTENCY_CONFLICT, "This Idempotency-Key was used for another request."
            )
        return newcomer_view(conn, earlier), False
    seeker = require_seeker(conn, household_id)
    expire_due(conn, now, household_id=household_id)
    # The host row is locked too: many households asking at once cannot pass its capacity.
    host = conn.execute(select(hosts).where(hosts.c.id == body["host_id"]).with_for_update()).first()
    if host is None or host_status(host, now) != CERTIFIED:
        raise not_found(ErrorCode.HOST_NOT_FOUND)
    if (household_id, host.id) in excluded_pairs(conn, household_id):
        open_to_host = conn.execute(
            select(func.count()).where(
                visit_requests.c.household_id == household_id,
                visit_requests.c.host_id == host.id,
                visit_requests.c.state.in_(sorted(life.OPEN_STATES)),
            )
        ).scalar_one()
        if open_to_host:
            raise ApiError(409, ErrorCode.DUPLICATE_REQUEST, "You already have an open request to this host.")
        raise not_found(ErrorCode.HOST_NOT_FOUND)  # blocked or declined: the same answer as an unknown host
    if not set(split_codes(host.languages)) & set(split_codes(seeker.languages)):
        raise ApiError(422, ErrorCode.NO_SHARED_LANGUAGE, "This host does not speak any of your languages.")
    _check_host_capacity(conn, host, now)
    pending = conn.execute(
        select(func.count()).where(
            visit_requests.c.household_id == household_id,
            visit_requests.c.state.in_(sorted(life.PENDING_STATES)),
        )
    ).scalar_one()
    if pending >= wire.MAX_PENDING_REQUESTS:
        raise ApiError(
            409,
            ErrorCode.TOO_MANY_PENDING,
            "You can have 3 requests waiting for an answer; wait or cancel one.",
        )
    message = body.get("message", "").strip()
    party = body.get("party_size") or seeker.party_size
    request_id = new_id()
    conn.execute(
        insert(visit_requests).values(
            id=request_id,
            household_id=household_id,
            host_id=host.id,
            state=life.REQUESTED,
            message=message,
            party_size=party,
            idempotency_key=idempotency_key,
            created_at=now,
            updated_at=now,
            expires_at=now + ttl,
        )
    )
    notify_host(conn, host.id, request_id, "new_request", now)
    visit = conn.execute(select(visit_requests).where(visit_requests.c.id == request_id)).one()
    return newcomer_view(conn, visit), True


def _check_host_capacity(conn: Connection, host: Any, now: datetime) -> None:
    """409 `host_full` when the host has as many visits (asked or taken, last 30 days) as they
    offer a month, or has had MAX_NEW_REQUESTS_PER_HOST_DAY new requests in the last 24 hours."""
    load = host_loads(conn, [host.id], now).get(host.id, 0)
    today_count = conn.execute(
        select(func.count()).where(
            visit_requests.c.host_id == host.id, visit_requests.c.created_at > now - timedelta(days=1)
        )
    ).scalar_one()
    if load >= host.visits_per_month or today_count >= MAX_NEW_REQUESTS_PER_HOST_DAY:
        raise ApiError(409, ErrorCode.HOST_FULL, "This host has no room for more visits now.")


def act(conn: Connection, ctx: DeviceContext, request_id: str, action: str, body: dict[str, Any],
        now: datetime) -> dict[str, Any]:  # fmt: skip
    """Move a request on (accept, propose, decline, confirm, complete, cancel) as the caller's side."""
    visit, side = _participant(conn, ctx, request_id)
    if side == life.HOST:
        host = conn.execute(select(hosts).where(hosts.c.id == visit.host_id)).one()
        if host_status(host, now) != CERTIFIED:
            raise ApiError(403, ErrorCode.NOT_CERTIFIED, "Hosts act on requests only while certified.")
    expire_due(conn, now, household_id=visit.household_id)
    visit = conn.execute(select(visit_requests).where(visit_requests.c.id == request_id)).one()
    try:
        transition = life.find_transition(visit.state, action, side)
    except life.TransitionRefused as exc:
        raise ApiError(
            409, ErrorCode.INVALID_TRANSITION, f"This visit is {visit.state}: {action!r} is not possible now."
        ) from exc
    values: dict[str, Any] = {"state": transition.target, "updated_at": now}
    if transition.needs_time:
        values.update(_meeting(body, now))
        if action == "propose":
            values["expires_at"] = now + REQUEST_TTL  # the family gets as long to answer
    if action == "decline":
        values["decline_reason"] = (body.get("reason") or "").strip()[: wire.MAX_REASON] or None
    if action == "complete":
        starts = as_utc(visit.starts_at)
        if starts is None or starts > now:
            raise ApiError(409, ErrorCode.NOT_YET, "A visit can be marked as done once its time has come.")
    changed = conn.execute(
        update(visit_requests)
        .where(visit_requests.c.id == request_id, visit_requests.c.state == visit.state)
        .values(**values)
    )
    if changed.rowcount != 1:  # the other side moved first
        raise ApiError(409, ErrorCode.INVALID_TRANSITION, "This visit changed meanwhile; look again.")
    kind = f"visit_{transition.target}"
    if side == life.HOST:
        notify_household(conn, visit.household_id, request_id, kind, now)
    else:
        notify_host(conn, visit.host_id, request_id, kind, now)
    if action == "decline":
        _remember_declined(conn, visit.household_id, visit.host_id, now)
        resolve_for_household(conn, visit.household_id, now)
    updated = conn.execute(select(visit_requests).where(visit_requests.c.id == request_id)).one()
    return host_view(conn, updated) if side == life.HOST else newcomer_view(conn, updated)


def _meeting(body: dict[str, Any], now: datetime) -> dict[str, Any]:
    starts = body.get("starts_at")
    place = (body.get("meeting_place") or "").strip()
    if starts is None or not place:
        raise invalid(ErrorCode.TIME_AND_PLACE_REQUIRED, "Give a time and a public meeting place.")
    starts = as_utc(starts).astimezone(UTC)  # stored as UTC (SQLite keeps no offset)
    if starts <= now:
        raise invalid(ErrorCode.TIME_IN_PAST, "The meeting time must be in the future.")
    if starts > now + MAX_AHEAD:
        raise invalid(ErrorCode.TIME_TOO_FAR, "Choose a time within the next six months.")
    if len(place) > wire.MAX_PLACE:
        raise invalid(ErrorCode.PLACE_TOO_LONG, "Describe the meeting place in at most 120 characters.")
    if looks_like_home_address(place):
        raise invalid(
            ErrorCode.NOT_PUBLIC_PLACE,
            "Meet at a public place such as a library or a café; no home addresses.",
        )
    return {"starts_at": starts, "meeting_place": place}


def leave_feedback(conn: Connection, ctx: DeviceContext, request_id: str, rating: int, comment: str,
                   now: datetime) -> None:  # fmt: skip
    visit, side = _participant(conn, ctx, request_id)
    if not life.can_leave_feedback(visit.state):
        raise ApiError(409, ErrorCode.NOT_COMPLETED, "Feedback is for visits that took place.")
    done = conn.execute(
        select(visit_feedback.c.side).where(
            visit_feedback.c.request_id == request_id, visit_feedback.c.side == side
        )
    ).first()
    if done is not None:
        raise ApiError(409, ErrorCode.FEEDBACK_GIVEN, "You already left feedback for this visit.")
    conn.execute(
        insert(visit_feedback).values(
            request_id=request_id, side=side, rating=rating, comment=comment.strip(), created_at=now
        )
    )
    if side == life.HOST:
        notify_household(conn, visit.household_id, request_id, "feedback_received", now)
    else:
        notify_host(conn, visit.host_id, request_id, "feedback_received", now)


def _feedback_sides(conn: Connection, request_id: str) -> list[str]:
    return list(
        conn.execute(select(visit_feedback.c.side).where(visit_feedback.c.request_id == request_id)).scalars()
    )


def _common(visit: Any) -> dict[str, Any]:
    return {
        "request_id": visit.id,
        "state": visit.state,
        "party_size": visit.party_size,
        "message": visit.message,
        "starts_at": as_utc(visit.starts_at),
        "meeting_place": visit.meeting_place,
        "decline_reason": visit.decline_reason,
        "created_at": as_utc(visit.created_at),
        "expires_at": as_utc(visit.expires_at),
    }


def newcomer_view(conn: Connection, visit: Any) -> dict[str, Any]:
    host = conn.execute(select(hosts).where(hosts.c.id == visit.host_id)).one()
    return {
        **_common(visit),
        # Occupation and introduction once the host said yes (or if they chose to show them).
        "host": public_host(host, accepted=visit.state in _HOST_SAID_YES),
        "actions": life.allowed_actions(visit.state, life.NEWCOMER),
        "feedback_given": life.NEWCOMER in _feedback_sides(conn, visit.id),
    }


_HOST_SAID_YES = frozenset({life.PROPOSED, life.ACCEPTED, life.CONFIRMED, life.COMPLETED})


def host_view(conn: Connection, visit: Any) -> dict[str, Any]:
    """What the host sees: before accepting, first name, municipality, languages, party size and
    the message only; after accepting, also interests and the children's age bands."""
    family = conn.execute(
        select(host_seekers).where(host_seekers.c.household_id == visit.household_id)
    ).first()
    if family is None:  # the family withdrew its profile or deleted its data: nothing to show
        return {**_common(visit), "family": {"first_name": "", "municipality": None, "languages": []},
                "actions": [], "feedback_given": True}  # fmt: skip
    view = {
        **_common(visit),
        "family": {
            "first_name": family.first_name,
            "municipality": family.municipality,
            "languages": split_codes(family.languages),
        },
        "actions": life.allowed_actions(visit.state, life.HOST),
        "feedback_given": life.HOST in _feedback_sides(conn, visit.id),
    }
    if visit.state in {life.ACCEPTED, life.CONFIRMED, life.COMPLETED}:
        view["family"]["interests"] = split_codes(family.interests)
        view["family"]["child_bands"] = family.child_bands
    return view


def _newest_first(conn: Connection, condition: Any) -> list[Any]:
    return list(
        conn.execute(select(visit_requests).where(condition).order_by(visit_requests.c.created_at.desc()))
    )


def list_for_household(conn: Connection, ctx: DeviceContext, now: datetime) -> list[dict[str, Any]]:
    household_id = require_household(ctx)
    expire_due(conn, now, household_id=household_id)
    return [
        newcomer_view(conn, r) for r in _newest_first(conn, visit_requests.c.household_id == household_id)
    ]


def list_for_host(conn: Connection, host_id: str, now: datetime) -> list[dict[str, Any]]:
    expire_due(conn, now, host_id=host_id)
    return [host_view(conn, r) for r in _newest_first(conn, visit_requests.c.host_id == host_id)]


def visit_for(conn: Connection, ctx: DeviceContext, request_id: str) -> tuple[dict[str, Any], str]:
    visit, side = _participant(conn, ctx, request_id)
    return (host_view(conn, visit) if side == life.HOST else newcomer_view(conn, visit)), side


def report(
    conn: Connection, ctx: DeviceContext, request_id: str, reason: str, text: str, now: datetime
) -> str:
    """A report about the other side of a visit; it reaches the coordinator's queue. One open
    report per side per visit, and at most MAX_REPORTS_PER_SIDE_DAY a day from one household or host."""
    visit, side = _participant(conn, ctx, request_id)
    if reason not in REPORT_REASONS:
        raise invalid(ErrorCode.UNKNOWN_REASON, "Choose one of the reasons offered.")
    open_report = conn.execute(
        select(reports.c.id).where(
            reports.c.request_id == request_id, reports.c.reported_by == side, reports.c.handled_at.is_(None)
        )
    ).first()
    if open_report is not None:
        raise ApiError(409, ErrorCode.REPORT_OPEN, "You already reported this visit; a coordinator has it.")
    mine = (
        visit_requests.c.household_id == visit.household_id
        if side == life.NEWCOMER
        else visit_requests.c.host_id == visit.host_id
    )
    recent = conn.execute(
        select(func.count())
        .select_from(reports.join(visit_requests, reports.c.request_id == visit_requests.c.id))
        .where(mine, reports.c.reported_by == side, reports.c.created_at > now - timedelta(days=1))
    ).scalar_one()
    if recent >= MAX_REPORTS_PER_SIDE_DAY:
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            "Too many reports today; a coordinator will contact you.",
            headers={"Retry-After": "3600"},
        )
    report_id = new_id()
    conn.execute(
        insert(reports).values(
            id=report_id,
            request_id=request_id,
            reported_by=side,
            reason=reason,
            text=text.strip(),
            created_at=now,
        )
    )
    return report_id


def block(conn: Connection, ctx: DeviceContext, request_id: str, now: datetime) -> None:
    """Block the other side of a visit: never matched again; open requests between them cancelled."""
    visit, side = _participant(conn, ctx, request_id)
    exists = conn.execute(
        select(host_blocks.c.host_id).where(
            host_blocks.c.household_id == visit.household_id, host_blocks.c.host_id == visit.host_id
        )
    ).first()
    if exists is None:
        conn.execute(
            insert(host_blocks).values(
                household_id=visit.household_id, host_id=visit.host_id, blocked_by=side, created_at=now
            )
        )
    pair = (visit_requests.c.household_id == visit.household_id) & (visit_requests.c.host_id == visit.host_id)
    cancel_open_visits(conn, pair, now)
    if side == life.HOST:
        resolve_for_household(conn, visit.household_id, now)
