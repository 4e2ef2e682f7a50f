"""Households: creating one, reading its members, leaving or removing a member."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from pydantic import BaseModel, Field

from server.abuse import CREATE_HOUSEHOLD
from server.deps import Db, Device, abuse_limit, stamped, utc_now
from server.fields import Text
from server.households import create_household, describe_household, remove_member
from server.live import members_changed

router = APIRouter(prefix="/v1", tags=["households"])


class HouseholdRequest(BaseModel):
    display_name: Text = Field("", max_length=40, description="The owner's first name (optional).")


class HouseholdCreated(BaseModel):
    household_id: str
    member_id: str
    role: str
    server_time: int


@router.post("/households", status_code=201, response_model=HouseholdCreated)
def post_household(
    _limit: Annotated[None, abuse_limit(CREATE_HOUSEHOLD)], body: HouseholdRequest, conn: Db, ctx: Device
) -> dict[str, Any]:
    """Create a household; the calling device's member becomes its owner. Limited per client
    address and in total (429 with Retry-After)."""
    return stamped(create_household(conn, ctx, body.display_name.strip()))


@router.get("/household")
def get_household(conn: Db, ctx: Device) -> dict[str, Any]:
    """Your household's members and their devices (never another household's)."""
    return stamped(describe_household(conn, ctx))


@router.delete("/household/members/{member_id}", status_code=204)
def delete_member(
    member_id: str, request: Request, background: BackgroundTasks, conn: Db, ctx: Device
) -> Response:
    """Leave (your own member id) or remove a member (owner). Their phones answer 410 on next sync;
    the invites they made stop working."""
    remove_member(conn, ctx, member_id, utc_now())
    members_changed(request.app.state.live_hub, conn, background, ctx.household_id)  # streams end
    return Response(status_code=204)
