"""Households looking for a host: their matching profile, suggestions on demand, and rounds.

The profile holds only what matching needs (first name, municipality, languages, interests,
occupation, children as age bands, party size, availability): never employer or arrival date."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, update

from server.auth import DeviceContext, require_household
from server.errors import ApiError
from server.matching.host_cache import host_directory
from server.matching.round import solve_round
from server.matching.score import Host, Rules, Seeker, fit, is_allowed, top_hosts
from server.matching.suggest import HostColumns, rank_hosts
from server.matching.vector import Vocab
from server.superhost.common import as_utc, cancel_open_visits, join_codes, split_codes, today
from server.superhost.group_events import events_for
from server.superhost.hosts import (
    active_hosts_in,
    check_municipality,
    clean_interests,
    clean_languages,
    host_loads,
    public_host,
)
from server.superhost.inbox import notify_host, notify_household
from server.tables import (
    declined_pairs,
    host_blocks,
    host_seekers,
    hosts,
    neighbour_allowances,
    visit_requests,
)
from services import host_wire as wire
from services import visit_lifecycle as life
from services.wire import ErrorCode

log = logging.getLogger(__name__)

WAITING, MATCHED, WAITLISTED = "waiting", "matched", "waitlisted"


MAX_MOVES, MOVE_WINDOW = 2, timedelta(days=30)


def save_seeker(conn: Connection, ctx: DeviceContext, profile: dict[str, Any], now: datetime) -> dict:
    """Create or update the household's host-seeking profile (any member may)."""
    household_id = require_household(ctx)
    first_name = profile["first_name"].strip()
    if not first_name:
        raise ApiError(422, ErrorCode.FIRST_NAME_REQUIRED, "Write a first name the host can greet.")
    values = {
        "first_name": first_name,
        "municipality": check_municipality(profile["municipality"]),
        "languages": join_codes(clean_languages(profile["languages"])),
        "interests": join_codes(clean_interests(profile.get("interests", []))),
        "occupation": profile.get("occupation", "").strip(),
        "child_bands": wire.bands_mask(profile.get("children_ages", [])),
        "party_size": profile["party_size"],
        "availability": profile.get("availability", 0),
        "updated_at": now,
    }
    if profile.get("consent") is not True:
        raise ApiError(422, ErrorCode.CONSENT_REQUIRED, "Agree to the matching purpose to save the profile.")
    exists = conn.execute(
        select(
            host_seekers.c.municipality,
            host_seekers.c.municipality_changes,
            host_seekers.c.municipality_changed_at,
        ).where(host_seekers.c.household_id == household_id)
    ).first()
    if exists:
        if exists.municipality != values["municipality"]:
            values.update(_count_move(exists, now))
        conn.execute(update(host_seekers).where(host_seekers.c.household_id == household_id).values(**values))
    else:
        conn.execute(
            insert(host_seekers).values(household_id=household_id, status=WAITING, consented_at=now, **values)
        )
    return seeker_row_dict(require_seeker(conn, household_id))


def _count_move(row: Any, now: datetime) -> dict[str, Any]:
    """A municipality change, at most MAX_MOVES per MOVE_WINDOW (429 `too_many_moves` beyond):
    families move rarely, and free changes would let one family reach every host in the county."""
    since = as_utc(row.municipality_changed_at)
    changes = row.municipality_changes if since is not None and now - since < MOVE_WINDOW else 0
    if changes >= MAX_MOVES:
        retry = int((since + MOVE_WINDOW - now).total_seconds()) + 1
        raise ApiError(
            429,
            ErrorCode.TOO_MANY_MOVES,
            "The municipality was changed too often; ask a coordinator if you moved again.",
            headers={"Retry-After": str(retry)},
        )
    return {
        "municipality_changes": changes + 1,
        "municipality_changed_at": now if changes == 0 else since,
        "assigned_host_id": None,
    }


def withdraw_seeker(conn: Connection, ctx: DeviceContext, now: datetime) -> None:
    """Withdraw consent to matching: the profile is deleted; open requests are cancelled and the
    hosts see the visit without the family's details."""
    household_id = require_household(ctx)
    require_seeker(conn, household_id)
    forget_seeker(conn, household_id, now)


def forget_seeker(conn: Connection, household_id: str, now: datetime) -> None:
    """Delete a household's matching profile and cancel its open requests (hosts are told)."""
    mine = visit_requests.c.household_id == household_id
    for visit in cancel_open_visits(conn, mine, now):
        notify_host(conn, visit.host_id, visit.id, "visit_cancelled", now)
    conn.execute(update(visit_requests).where(mine).values(message=""))
    conn.execute(delete(host_seekers).where(host_seekers.c.household_id == household_id))


def require_seeker(conn: Connection, household_id: str) -> Any:
    row = conn.execute(select(host_seekers).where(host_seekers.c.household_id == household_id)).first()
    if row is None:
        raise ApiError(409, ErrorCode.NO_SEEKER_PROFILE, "Tell us a little about your family first.")
    return row


def seeker_row_dict(row: Any) -> dict[str, Any]:
    return {
        "first_name": row.first_name,
        "municipality": row.municipality,
        "languages": split_codes(row.languages),
        "interests": split_codes(row.interests),
        "occupation": row.occupation,
        "child_bands": row.child_bands,
        "party_size": row.party_size,
        "availability": row.availability,
        "status": row.status,
        "assigned_host_id": row.assigned_host_id,
    }


def as_seeker(row: Any) -> Seeker:
    return Seeker(
        id=row.household_id,
        municipality=row.municipality,
        languages=tuple(split_codes(row.languages)),
        child_bands=row.child_bands,
        interests=frozenset(split_codes(row.interests)),
        occupation=row.occupation,
        availability=row.availability,
    )


def as_host(row: Any, load: int) -> Host:
    ages = [int(a) for a in split_codes(row.children_ages)]
    return Host(
        id=row.id,
        municipality=row.municipality,
        languages=frozenset(split_codes(row.languages)),
        child_bands=wire.bands_mask(ages),
        has_children=bool(ages),
        interests=frozenset(split_codes(row.interests)),
        occupation=row.occupation,
        availability=row.availability,
        capacity_left=row.visits_per_month - load,
        load=load,
        active=True,  # rows come from active_hosts_in
    )


def neighbours(conn: Connection) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    for m, n in conn.execute(select(neighbour_allowances.c.municipality, neighbour_allowances.c.neighbour)):
        found.setdefault(m, set()).add(n)
    return {m: frozenset(ns) for m, ns in found.items()}


def set_neighbours(conn: Connection, municipality: int, allowed: list[int]) -> None:
    """The coordinator allows hosts of `allowed` for `municipality`'s families (and vice versa)."""
    check_municipality(municipality)
    for n in allowed:
        check_municipality(n)
    conn.execute(
        delete(neighbour_allowances).where(
            (neighbour_allowances.c.municipality == municipality)
            | (neighbour_allowances.c.neighbour == municipality)
        )
    )
    rows = [{"municipality": municipality, "neighbour": n} for n in set(allowed) - {municipality}]
    rows += [{"municipality": r["neighbour"], "neighbour": municipality} for r in rows]
    if rows:
        conn.execute(insert(neighbour_allowances), rows)


def excluded_pairs(conn: Connection, household_id: str | None = None) -> frozenset[tuple[str, str]]:
    """Blocked pairs (either side), pairs a host declined or let expire, and open requests."""
    pairs: set[tuple[str, str]] = set()
    for table in (host_blocks, declined_pairs):
        query = select(table.c.household_id, table.c.host_id)
        if household_id is not None:
            query = query.where(table.c.household_id == household_id)
        pairs.update(tuple(r) for r in conn.execute(query))
    query = select(visit_requests.c.household_id, visit_requests.c.host_id).where(
        visit_requests.c.state.in_(sorted(life.OPEN_STATES))
    )
    if household_id is not None:
        query = query.where(visit_requests.c.household_id == household_id)
    pairs.update(tuple(r) for r in conn.execute(query))
    return frozenset(pairs)


def candidate_hosts(
    conn: Connection, municipality: int, now: datetime, near: dict
) -> tuple[list[Host], dict[str, Any]]:
    """Active hosts who could meet a family of `municipality`, for matching and by id."""
    areas = {municipality, *near.get(municipality, frozenset())}
    rows = active_hosts_in(conn, areas, now)
    loads = host_loads(conn, [r.id for r in rows], now) if rows else {}
    return [as_host(r, loads.get(r.id, 0)) for r in rows], {r.id: r for r in rows}


def suggestions(conn: Connection, ctx: DeviceContext, now: datetime) -> dict[str, Any]:
    """The top 5 hosts for the caller's household with why each fits; the round's pick first when
    it still fits. None available: the waitlist and the municipality's group events instead."""
    household_id = require_household(ctx)
    row = require_seeker(conn, household_id)
    seeker = as_seeker(row)
    near = neighbours(conn)
    areas = {seeker.municipality, *near.get(seeker.municipality, frozenset())}
    vocab = Vocab.fixed()
    active = host_directory(conn).active_in(conn, areas, today(now), wire.language_mask(seeker.languages))
    loads = host_loads(conn, None, now)
    ids = list(active.ids) if active is not None else []
    load = [loads.get(i, 0) for i in ids]
    if active is None:
        candidates = HostColumns([], [], [], [], [], [], [], [], [], [], vocab)
    else:
        candidates = HostColumns(
            ids, active.municipality, active.language_mask, active.interest_mask, active.child_bands,
            active.child_bands != 0, list(active.occupation), active.availability,
            active.visits_per_month - np.asarray(load, dtype=np.int64), load, vocab,
        )  # fmt: skip
    excluded = {h for _household, h in excluded_pairs(conn, household_id)}
    chosen = rank_hosts(seeker, candidates, excluded, wire.SUGGESTIONS + 1, vocab)
    pick = row.assigned_host_id
    if pick in ids and pick not in excluded and candidates.capacity_left[ids.index(pick)] > 0:
        if pick in chosen:
            chosen.remove(pick)
        chosen.insert(0, pick)  # the round's pick first while it still fits
    chosen = chosen[: wire.SUGGESTIONS]
    full = (
        {r.id: r for r in conn.execute(select(hosts).where(hosts.c.id.in_(chosen))).all()} if chosen else {}
    )
    rules = Rules(neighbours=near)
    answer: dict[str, Any] = {"status": row.status, "seeker": seeker_row_dict(row), "hosts": []}
    for host_id in chosen:
        host = as_host(full[host_id], loads.get(host_id, 0))
        if not is_allowed(seeker, host, rules):  # the query and rank_hosts already ensure it
            log.error("suggested host %s breaks a hard constraint; left out", host_id)
            continue
        points, reasons = fit(seeker, host)
        answer["hosts"].append(
            {
                **public_host(full[host_id]),
                "points": points,
                "reasons": reasons,
                "recommended": host_id == pick,
            }
        )
    # Hosts the family has already asked are not suggested again; with an open request and no
    # one else free, the family is waiting for that answer, not on the waiting list.
    asked = conn.execute(
        select(func.count()).where(
            visit_requests.c.household_id == household_id,
            visit_requests.c.state.in_(sorted(life.OPEN_STATES)),
        )
    ).scalar_one()
    answer["open_requests"] = asked
    if not chosen and not asked:
        answer["waitlist"] = {"events": events_for(conn, seeker.municipality)}
        if row.status != WAITLISTED:
            conn.execute(
                update(host_seekers)
                .where(host_seekers.c.household_id == household_id)
                .values(status=WAITLISTED)
            )
            answer["status"] = WAITLISTED
    return answer


def resolve_for_household(conn: Connection, household_id: str, now: datetime) -> str | None:
    """After a decline or an expiry: the next best host for this one household (or the waitlist)."""
    row = conn.execute(select(host_seekers).where(host_seekers.c.household_id == household_id)).first()
    if row is None:
        return None
    near = neighbours(conn)
    hosts, _rows = candidate_hosts(conn, row.municipality, now, near)
    best = top_hosts(as_seeker(row), hosts, Rules(near, excluded_pairs(conn, household_id)), 1)
    host_id = best[0][0].id if best else None
    conn.execute(
        update(host_seekers)
        .where(host_seekers.c.household_id == household_id)
        .values(assigned_host_id=host_id, status=MATCHED if host_id else WAITLISTED, updated_at=now)
    )
    notify_household(conn, household_id, None, "new_suggestion" if host_id else "waitlisted", now)
    return host_id


def run_round(conn: Connection, now: datetime) -> dict[str, Any]:
    """Assign every waiting household without an open request to a host, optimally (min-cost flow)."""
    busy = set(
        conn.execute(
            select(visit_requests.c.household_id).where(visit_requests.c.state.in_(sorted(life.OPEN_STATES)))
        ).scalars()
    )
    rows = [r for r in conn.execute(select(host_seekers)).all() if r.household_id not in busy]
    host_rows = active_hosts_in(conn, None, now)
    loads = host_loads(conn, None, now)
    seekers = [as_seeker(r) for r in rows]
    hosts = [as_host(h, loads.get(h.id, 0)) for h in host_rows]
    started = time.perf_counter()
    result = solve_round(seekers, hosts, Rules(neighbours(conn), excluded_pairs(conn)))
    seconds = time.perf_counter() - started
    before = {r.household_id: (r.assigned_host_id, r.status) for r in rows}
    for household_id, host_id in result.assignment.items():
        status = MATCHED if host_id else WAITLISTED
        if before[household_id] == (host_id, status):
            continue  # unchanged: no update, no message
        conn.execute(
            update(host_seekers)
            .where(host_seekers.c.household_id == household_id)
            .values(assigned_host_id=host_id, status=status, updated_at=now)
        )
        notify_household(conn, household_id, None, "new_suggestion" if host_id else "waitlisted", now)
    assigned = sum(1 for h in result.assignment.values() if h)
    return {
        "households": len(seekers),
        "hosts": len(hosts),
        "assigned": assigned,
        "waitlisted": len(seekers) - assigned,
        "objective": result.objective,
        "solve_seconds": round(seconds, 3),
    }
