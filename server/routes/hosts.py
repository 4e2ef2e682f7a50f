"""Host mode: a phone's host profile and the requests it receives once certified."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from server.deps import Db, Device, stamped, utc_now
from server.fields import Text
from server.routes.person_profile import PersonProfile
from server.superhost import hosts, visits
from services import host_wire as wire

router = APIRouter(prefix="/v1", tags=["hosts"])


class HostProfile(PersonProfile):
    visits_per_month: int = Field(ge=1, le=wire.MAX_VISITS_PER_MONTH)
    introduction: Text = Field(default="", max_length=wire.MAX_INTRODUCTION)
    show_details: bool = Field(
        default=False, description="Show occupation and introduction before accepting a request."
    )


@router.put("/host")
def put_host(profile: HostProfile, conn: Db, ctx: Device) -> dict[str, Any]:
    """Create or update this phone's host profile. A new host waits for certification."""
    return stamped(hosts.save_host_profile(conn, ctx, profile.model_dump(), utc_now()))


@router.get("/host")
def get_host(conn: Db, ctx: Device) -> dict[str, Any]:
    """This phone's host profile and status (pending, certified, expired, suspended)."""
    return stamped(hosts.describe_own_host(conn, ctx, utc_now()))


@router.get("/host/requests")
def get_host_requests(conn: Db, ctx: Device) -> dict[str, Any]:
    """Requests to this host, newest first. 403 `not_certified` until certified (and when
    suspended or expired): an uncertified host receives nothing."""
    now = utc_now()
    host = hosts.require_host(conn, ctx, now)
    return stamped({"requests": visits.list_for_host(conn, host.id, now)})
