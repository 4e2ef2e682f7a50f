"""Host profiles (host mode in the app), their certification by a coordinator, and suspension.

A host receives nothing until certified; `certified_until` mirrors the latest certification, and
a suspension takes effect at once: suggestions and rounds read both on every request."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from server.auth import DeviceContext, new_id
from server.errors import ApiError
from server.superhost.common import (
    as_utc,
    cancel_open_visits,
    invalid,
    join_codes,
    not_found,
    split_codes,
    today,
)
from server.superhost.inbox import notify_household
from server.tables import coordinators, host_certifications, hosts, visit_requests
from services import host_wire as wire
from services import visit_lifecycle as life
from services.wire import ErrorCode

LOAD_WINDOW = timedelta(days=30)  # "visits per month" counts requests of the last 30 days

PENDING, CERTIFIED, EXPIRED, SUSPENDED = "pending", "certified", "expired", "suspended"


def clean_languages(codes: list[str]) -> list[str]:
    """Known language codes, each once, in the order given (the first is the preferred one)."""
    seen: list[str] = []
    for code in codes:
        if code not in wire.SPOKEN_LANGUAGES:
            raise invalid(ErrorCode.UNKNOWN_LANGUAGE, f"Unknown language code: {code[:10]!r}.")
        if code not in seen:
            seen.append(code)
    if not seen:
        raise invalid(ErrorCode.NO_LANGUAGE, "Name at least one language.")
    return seen


def clean_interests(codes: list[str]) -> list[str]:
    for code in codes:
        if code not in wire.INTERESTS:
            raise invalid(ErrorCode.UNKNOWN_INTEREST, f"Unknown interest: {code[:20]!r}.")
    return sorted(set(codes))


def check_municipality(number: int) -> int:
    if number not in wire.MUNICIPALITY_NUMBERS:
        raise invalid(ErrorCode.UNKNOWN_MUNICIPALITY, "That is not a municipality in Nordland.")
    return number


def save_host_profile(conn: Connection, ctx: DeviceContext, profile: dict[str, Any], now: datetime) -> dict:
    """Create or update the calling phone's host profile; a new host waits for certification."""
    languages = clean_languages(profile["languages"])
    interests = clean_interests(profile.get("interests", []))
    ages = sorted(profile.get("children_ages", []))
    values = {
        "first_name": profile["first_name"].strip(),
        "municipality": check_municipality(profile["municipality"]),
        "languages": join_codes(languages),
        "interests": join_codes(interests),
        "language_mask": wire.language_mask(languages),
        "interest_mask": wire.interest_mask(interests),
        "child_bands": wire.bands_mask(ages),
        "occupation": profile.get("occupation", "").strip(),
        "children_ages": join_codes(str(a) for a in ages),
        "visits_per_month": profile["visits_per_month"],
        "availability": profile.get("availability", 0),
        "introduction": profile.get("introduction", "").strip(),
        "show_details": bool(profile.get("show_details", False)),
        "updated_at": now,
    }
    if profile.get("consent") is not True:
        raise invalid(ErrorCode.CONSENT_REQUIRED, "Agree to the host-profile purpose to save the profile.")
    if not values["first_name"]:
        raise invalid(ErrorCode.FIRST_NAME_REQUIRED, "Write your first name.")
    existing = conn.execute(
        select(hosts.c.id, hosts.c.first_name, hosts.c.municipality, hosts.c.consented_at).where(
            hosts.c.device_id == ctx.device_id
        )
    ).first()
    if existing is None:
        new = {"id": new_id(), "device_id": ctx.device_id, "created_at": now, "consented_at": now}
        conn.execute(insert(hosts).values(**new, **values))
    else:
        # The coordinator certified a named person in a municipality: a new name or place is a
        # new host to check (the certification history stays).
        if (existing.first_name, existing.municipality) != (values["first_name"], values["municipality"]):
            values["certified_until"] = None
        if existing.consented_at is None:  # a withdrawn profile starts again, unchecked
            values.update(consented_at=now, certified_until=None, suspended_at=None, suspension_reason=None)
        conn.execute(update(hosts).where(hosts.c.id == existing.id).values(**values))
    return describe_own_host(conn, ctx, now)


def host_status(row: Any, now: datetime) -> str:
    if row.suspended_at is not None:
        return SUSPENDED
    if row.certified_until is None:
        return PENDING
    return CERTIFIED if row.certified_until >= today(now) else EXPIRED


def host_of_device(conn: Connection, ctx: DeviceContext) -> Any | None:
    return conn.execute(select(hosts).where(hosts.c.device_id == ctx.device_id)).first()


def require_host(conn: Connection, ctx: DeviceContext, now: datetime, certified: bool = True) -> Any:
    """The caller's host row; 404 without a profile, 403 unless certified and active."""
    row = host_of_device(conn, ctx)
    if row is None or row.consented_at is None:  # none, or withdrawn (an anonymous row)
        raise ApiError(404, ErrorCode.NOT_A_HOST, "This phone has no host profile.")
    if certified and host_status(row, now) != CERTIFIED:
        raise ApiError(
            403, ErrorCode.NOT_CERTIFIED, "Hosts receive requests once a coordinator has certified them."
        )
    return row


def public_host(row: Any, accepted: bool = False) -> dict[str, Any]:
    """What a newcomer may see of a host: no surname, no address, no contact details; children
    as age bands only; occupation and introduction once the host accepted the family's request,
    or before if the host chose to show them."""
    details = accepted or bool(row.show_details)
    return {
        "host_id": row.id,
        "first_name": row.first_name,
        "municipality": row.municipality,
        "languages": split_codes(row.languages),
        "interests": split_codes(row.interests),
        "occupation": row.occupation if details else "",
        "has_children": bool(row.child_bands),
        "child_bands": row.child_bands,
        "introduction": row.introduction if details else "",
        "demo": bool(row.demo),
    }


def describe_own_host(conn: Connection, ctx: DeviceContext, now: datetime) -> dict[str, Any]:
    """The host's own profile, all of it (exact children's ages included: only the host sees them)."""
    row = require_host(conn, ctx, now, certified=False)
    return {
        **public_host(row, accepted=True),
        "children_ages": [int(a) for a in split_codes(row.children_ages)],
        "show_details": bool(row.show_details),
        "visits_per_month": row.visits_per_month,
        "availability": row.availability,
        "status": host_status(row, now),
        "certified_until": row.certified_until,
    }


def host_loads(conn: Connection, host_ids: list[str] | None, now: datetime) -> dict[str, int]:
    """Visits each host has taken (or been asked for) in the last 30 days."""
    query = (
        select(visit_requests.c.host_id, func.count())
        .where(
            visit_requests.c.state.in_(sorted(life.LOAD_STATES)),
            visit_requests.c.created_at > now - LOAD_WINDOW,
        )
        .group_by(visit_requests.c.host_id)
    )
    if host_ids is not None:
        query = query.where(visit_requests.c.host_id.in_(host_ids))
    return dict(conn.execute(query).all())


def active_hosts_in(conn: Connection, municipalities: set[int] | None, now: datetime) -> list[Any]:
    """Certified, in date, not suspended; in the given municipalities (None: all)."""
    query = select(hosts).where(hosts.c.certified_until >= today(now), hosts.c.suspended_at.is_(None))
    if municipalities is not None:
        query = query.where(hosts.c.municipality.in_(sorted(municipalities)))
    return list(conn.execute(query).all())


# ---- coordinator side -------------------------------------------------------------------------


def list_hosts_for_coordinator(conn: Connection, status: str, now: datetime) -> list[dict[str, Any]]:
    """Hosts by status (pending = waiting for certification), with their latest certification."""
    rows = conn.execute(select(hosts).order_by(hosts.c.created_at)).all()
    latest = {
        r.host_id: r
        for r in conn.execute(select(host_certifications).order_by(host_certifications.c.created_at)).all()
    }
    out = []
    for row in rows:
        current = host_status(row, now)
        if status != "all" and current != status:
            continue
        cert = latest.get(row.id)
        out.append(
            {
                **public_host(row, accepted=True),  # the coordinator checks the whole profile
                "visits_per_month": row.visits_per_month,
                "status": current,
                "certified_until": row.certified_until,
                "suspension_reason": row.suspension_reason,
                "certification": None
                if cert is None
                else {
                    "interviewed_on": cert.interviewed_on,
                    "trained_on": cert.trained_on,
                    "code_of_conduct_version": cert.code_of_conduct_version,
                    "police_certificate_seen_on": cert.police_certificate_seen_on,
                    "valid_until": cert.valid_until,
                    "recorded_at": as_utc(cert.created_at),
                },
            }
        )
    return out


def add_years(day: date, years: int) -> date:
    """The same date `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certify_host(
    conn: Connection, coordinator_id: str, host_id: str, facts: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Record a certification (who checked what, when) and make the host active until `valid_until`
    (at most 3 years ahead). A police certificate is seen, never stored. Lifts a suspension."""
    row = conn.execute(select(hosts.c.id, hosts.c.device_id).where(hosts.c.id == host_id)).first()
    if row is None:
        raise not_found(ErrorCode.HOST_NOT_FOUND)
    own_device = conn.execute(
        select(coordinators.c.device_id).where(coordinators.c.id == coordinator_id)
    ).scalar_one_or_none()
    if own_device is not None and own_device == row.device_id:
        raise ApiError(
            403, ErrorCode.OWN_HOST_PROFILE, "Another coordinator must certify your own host profile."
        )
    day = today(now)
    for key in ("interviewed_on", "trained_on", "police_certificate_seen_on"):
        if facts[key] > day:
            raise invalid(ErrorCode.DATE_IN_FUTURE, f"{key} cannot be in the future.")
    valid_until: date = facts["valid_until"]
    if valid_until <= day:
        raise invalid(ErrorCode.VALID_UNTIL_PAST, "A certification must be valid after today.")
    if valid_until > add_years(day, wire.CERTIFICATION_MAX_YEARS):
        raise invalid(ErrorCode.VALID_TOO_LONG, "A certification is valid for at most 3 years.")
    version = facts["code_of_conduct_version"].strip()
    if not version:
        raise invalid(ErrorCode.CODE_OF_CONDUCT_REQUIRED, "Name the version of the code of conduct signed.")
    conn.execute(
        insert(host_certifications).values(
            id=new_id(),
            host_id=host_id,
            coordinator_id=coordinator_id,
            interviewed_on=facts["interviewed_on"],
            trained_on=facts["trained_on"],
            code_of_conduct_version=version,
            police_certificate_seen_on=facts["police_certificate_seen_on"],
            valid_until=valid_until,
            created_at=now,
        )
    )
    conn.execute(
        update(hosts)
        .where(hosts.c.id == host_id)
        .values(certified_until=valid_until, suspended_at=None, suspension_reason=None, updated_at=now)
    )
    return {"host_id": host_id, "status": CERTIFIED, "certified_until": valid_until}


def withdraw_host(conn: Connection, ctx: DeviceContext, now: datetime) -> None:
    """Withdraw consent to the host profile: its personal details are erased at once and it
    leaves matching; open visits are cancelled and the families told. The anonymous row stays so
    the families' visit history still points somewhere (it shows no name)."""
    row = require_host(conn, ctx, now, certified=False)
    forget_host(conn, row.id, now)


def forget_host(conn: Connection, host_id: str, now: datetime) -> None:
    """Erase a host's personal details and take it out of matching (see `withdraw_host`)."""
    suspend_host(conn, host_id, "withdrawn", now)
    conn.execute(
        update(hosts)
        .where(hosts.c.id == host_id)
        .values(
            first_name="",
            languages="",
            interests="",
            occupation="",
            children_ages="",
            introduction="",
            language_mask=0,
            interest_mask=0,
            child_bands=0,
            availability=0,
            show_details=False,
            certified_until=None,
            consented_at=None,
            updated_at=now,
        )  # fmt: skip
    )


def suspend_host(conn: Connection, host_id: str, reason: str, now: datetime) -> None:
    """Suspend at once: gone from suggestions and rounds, open visits cancelled, families told."""
    changed = conn.execute(
        update(hosts)
        .where(hosts.c.id == host_id)
        .values(suspended_at=now, suspension_reason=reason.strip()[: wire.MAX_REASON], updated_at=now)
    )
    if changed.rowcount == 0:
        raise not_found(ErrorCode.HOST_NOT_FOUND)
    for visit in cancel_open_visits(conn, visit_requests.c.host_id == host_id, now):
        notify_household(conn, visit.household_id, visit.id, "host_unavailable", now)
