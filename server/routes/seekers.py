"""Families looking for a host: their profile, suggestions, and the group events meanwhile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from server.deps import Db, Device, stamped, utc_now
from server.routes.person_profile import PersonProfile
from server.superhost import seekers
from server.superhost.group_events import events_for
from server.superhost.hosts import check_municipality
from services import host_wire as wire

router = APIRouter(prefix="/v1", tags=["matching"])


class SeekerProfile(PersonProfile):
    """Languages with the preferred one first; children only as ages (stored as age bands)."""

    party_size: int = Field(ge=1, le=wire.MAX_PARTY)


@router.put("/seeker")
def put_seeker(profile: SeekerProfile, conn: Db, ctx: Device) -> dict[str, Any]:
    """The household's host-seeking profile (children as age bands only)."""
    return stamped(seekers.save_seeker(conn, ctx, profile.model_dump(), utc_now()))


@router.get("/seeker/suggestions")
def get_suggestions(conn: Db, ctx: Device) -> dict[str, Any]:
    """The top 5 hosts for the household, each with the reasons it fits; none available →
    `waitlist` with the municipality's theme evenings and language cafés."""
    return stamped(seekers.suggestions(conn, ctx, utc_now()))


@router.get("/group-events")
def get_group_events(
    conn: Db, ctx: Device, municipality: Annotated[int, Query(ge=0, le=9999)]
) -> dict[str, Any]:
    """Theme evenings and language cafés for a municipality (then county-wide ones)."""
    return stamped({"events": events_for(conn, check_municipality(municipality))})
