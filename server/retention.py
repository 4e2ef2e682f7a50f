"""The retention schedule: how long each kind of record is kept, and the one purge that applies it
(run at start-up and by `python -m server.maintenance purge`, e.g. nightly from cron). The periods
and the reasons for them are in docs/privacy.md; change both together."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, exists, not_, or_, select, update

from server.nordhub.cases import leave_case
from server.tables import (
    coordinators,
    declined_pairs,
    devices,
    employer_staff,
    field_values,
    host_blocks,
    host_certifications,
    host_seekers,
    hosts,
    households,
    inbox,
    invites,
    members,
    redemption_attempts,
    reports,
    visit_feedback,
    visit_requests,
)
from services import visit_lifecycle as life

REDEMPTION_ATTEMPTS = timedelta(days=1)  # the limit counts 10 minutes
SPENT_INVITES = timedelta(days=30)  # used, withdrawn or expired
INBOX = timedelta(days=180)
ENDED_VISITS = timedelta(days=365)  # with their feedback; a visit with a kept report stays
HANDLED_REPORTS = timedelta(days=730)  # the safety process: repeated concerns about one person
REMOVED_MEMBERS = timedelta(days=30)
UNUSED_DEVICES = timedelta(days=90)  # no household, host or coordinator role; token not renewed
PREVIOUS_TOKENS = timedelta(days=30)  # the old token after a rotation
ENDED_STATES = sorted(set(life.STATES) - life.OPEN_STATES)


def purge_expired(conn: Connection, now: datetime) -> dict[str, int]:
    """Delete what has outlived its period; returns how many rows of each kind went."""
    gone: dict[str, int] = {}
    gone["redemption_attempts"] = conn.execute(
        delete(redemption_attempts).where(redemption_attempts.c.attempted_at < now - REDEMPTION_ATTEMPTS)
    ).rowcount
    spent = now - SPENT_INVITES
    gone["invites"] = conn.execute(
        delete(invites).where(
            or_(invites.c.used_at < spent, invites.c.revoked_at < spent, invites.c.expires_at < spent)
        )
    ).rowcount
    gone["inbox"] = conn.execute(delete(inbox).where(inbox.c.created_at < now - INBOX)).rowcount
    gone["reports"] = conn.execute(
        delete(reports).where(reports.c.handled_at < now - HANDLED_REPORTS)
    ).rowcount
    gone["visits"] = _purge_ended_visits(conn, now)
    gone["removed_members"] = _purge_removed_members(conn, now)
    gone["devices"] = _purge_unused_devices(conn, now)
    gone["withdrawn_hosts"] = _purge_withdrawn_hosts(conn)
    gone["empty_households"] = _purge_empty_households(conn)
    conn.execute(
        update(devices)
        .where(devices.c.prev_token_hash.is_not(None), devices.c.token_issued_at < now - PREVIOUS_TOKENS)
        .values(prev_token_hash=None)
    )
    return gone


def _purge_ended_visits(conn: Connection, now: datetime) -> int:
    old = and_(
        visit_requests.c.state.in_(ENDED_STATES),
        visit_requests.c.updated_at < now - ENDED_VISITS,
        not_(exists().where(reports.c.request_id == visit_requests.c.id)),
    )
    ids = [r.id for r in conn.execute(select(visit_requests.c.id).where(old)).all()]
    if not ids:
        return 0
    conn.execute(delete(visit_feedback).where(visit_feedback.c.request_id.in_(ids)))
    conn.execute(delete(inbox).where(inbox.c.request_id.in_(ids)))
    return conn.execute(delete(visit_requests).where(visit_requests.c.id.in_(ids))).rowcount


def _purge_removed_members(conn: Connection, now: datetime) -> int:
    old = [
        r.id for r in conn.execute(select(members.c.id).where(members.c.removed_at < now - REMOVED_MEMBERS))
    ]
    if not old:
        return 0
    conn.execute(update(devices).where(devices.c.member_id.in_(old)).values(member_id=None))
    conn.execute(update(invites).where(invites.c.used_by.in_(old)).values(used_by=None))
    conn.execute(delete(invites).where(invites.c.created_by.in_(old)))
    return conn.execute(delete(members).where(members.c.id.in_(old))).rowcount


def _purge_unused_devices(conn: Connection, now: datetime) -> int:
    idle = now - UNUSED_DEVICES
    unused = and_(
        devices.c.member_id.is_(None),
        or_(devices.c.revoked_at < now - REMOVED_MEMBERS, devices.c.token_issued_at < idle),
        not_(exists().where(hosts.c.device_id == devices.c.id)),
        not_(exists().where(coordinators.c.device_id == devices.c.id)),
        not_(exists().where(employer_staff.c.device_id == devices.c.id)),
    )
    return conn.execute(delete(devices).where(unused)).rowcount


def _purge_withdrawn_hosts(conn: Connection) -> int:
    """Anonymous rows of withdrawn or erased host profiles, once no visit points at them."""
    withdrawn = and_(
        hosts.c.consented_at.is_(None),
        hosts.c.first_name == "",
        not_(exists().where(visit_requests.c.host_id == hosts.c.id)),
    )
    ids = [r.id for r in conn.execute(select(hosts.c.id).where(withdrawn))]
    if not ids:
        return 0
    for table in (host_blocks, declined_pairs):
        conn.execute(delete(table).where(table.c.host_id.in_(ids)))
    conn.execute(delete(host_certifications).where(host_certifications.c.host_id.in_(ids)))
    conn.execute(delete(inbox).where(inbox.c.host_id.in_(ids)))
    conn.execute(
        update(host_seekers).where(host_seekers.c.assigned_host_id.in_(ids)).values(assigned_host_id=None)
    )
    return conn.execute(delete(hosts).where(hosts.c.id.in_(ids))).rowcount


def _purge_empty_households(conn: Connection) -> int:
    """Households whose every member is gone, once no visit points at them."""
    empty = and_(
        not_(exists().where(members.c.household_id == households.c.id)),
        not_(exists().where(visit_requests.c.household_id == households.c.id)),
    )
    ids = [r.id for r in conn.execute(select(households.c.id).where(empty))]
    if not ids:
        return 0
    for household_id in ids:
        leave_case(conn, household_id)
    for table in (field_values, host_seekers, host_blocks, declined_pairs, invites, inbox):
        conn.execute(delete(table).where(table.c.household_id.in_(ids)))
    return conn.execute(delete(households).where(households.c.id.in_(ids))).rowcount
