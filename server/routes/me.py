"""The person's own rights: a copy of what the server holds about them, erasure, and withdrawing
consent to the host profile or the matching profile (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response

from server.deps import Db, Device, stamped, utc_now
from server.live import members_changed
from server.privacy import erase_person, export_person
from server.superhost.hosts import withdraw_host
from server.superhost.seekers import withdraw_seeker

router = APIRouter(prefix="/v1", tags=["privacy"])


@router.get("/me/export")
def get_export(conn: Db, ctx: Device) -> dict[str, Any]:
    """Everything the server holds about this phone's person (GDPR Art. 15 and 20), as JSON:
    device, membership, the household's shared checklist, matching profile, visits, host profile,
    certifications and inbox. The phone's own data is exported on the phone."""
    return stamped({"export": export_person(conn, ctx)})


@router.delete("/me")
def delete_me(request: Request, background: BackgroundTasks, conn: Db, ctx: Device) -> dict[str, Any]:
    """Erase this person's data (GDPR Art. 17): host profile, membership (the household too when
    they were its last member), the notes and phone name they wrote; this phone's token stops
    working. Reports they made are kept only while the safety process needs them."""
    erased = erase_person(conn, ctx, utc_now())
    if ctx.household_id is not None:
        members_changed(request.app.state.live_hub, conn, background, ctx.household_id)
    return stamped({"erased": erased})


@router.delete("/host", tags=["hosts"], status_code=204)
def delete_host(conn: Db, ctx: Device) -> Response:
    """Withdraw consent to the host profile: its details are erased at once and it leaves
    matching; open visits are cancelled and the families told."""
    withdraw_host(conn, ctx, utc_now())
    return Response(status_code=204)


@router.delete("/seeker", tags=["matching"], status_code=204)
def delete_seeker(conn: Db, ctx: Device) -> Response:
    """Withdraw consent to the matching profile (any member): the profile is deleted and open
    requests are cancelled; the hosts no longer see the family's details."""
    withdraw_seeker(conn, ctx, utc_now())
    return Response(status_code=204)
