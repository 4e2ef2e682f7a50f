"""Invites to a household: minting a code, listing and withdrawing open ones, who may invite,
and joining with a code."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from server.abuse import REDEEM, check_abuse_limit
from server.auth import authenticate, require_household
from server.deps import Db, Device, stamped, utc_now
from server.fields import Text
from server.invites import (
    create_invite,
    invites_by,
    open_invites,
    record_attempt,
    redeem_invite,
    revoke_invite,
    set_invites_by,
)

router = APIRouter(prefix="/v1", tags=["households"])


class InviteCreated(BaseModel):
    invite_id: str = Field(description="Listed under the household's open_invites until it is used.")
    code: str = Field(description="12 base32 characters in groups of 4, for typing.")
    link: str = Field(description="Deep link the app shows as a QR code.")
    expires_at: datetime
    server_time: int


class RedeemRequest(BaseModel):
    code: Text = Field(max_length=40)
    display_name: Text = Field("", max_length=40)


class Joined(BaseModel):
    household_id: str
    member_id: str
    role: str
    server_time: int


@router.post("/invites", status_code=201, response_model=InviteCreated)
def post_invite(conn: Db, ctx: Device) -> dict[str, Any]:
    """A single-use invite to this household, valid 72 hours (at most 5 open at once)."""
    return stamped(create_invite(conn, ctx, utc_now()))


@router.post("/invites/redeem", response_model=Joined)
def post_redeem(body: RedeemRequest, request: Request) -> dict[str, Any]:
    """Join a household with a typed code or a link. Invalid, expired and used codes get the same
    404; attempts are limited per device, per client address and in total (429 with Retry-After),
    so new devices do not buy new attempts."""
    engine, now = request.app.state.engine, utc_now()
    check_abuse_limit(engine, request, REDEEM)
    with engine.begin() as conn:  # the attempt counts even when the redemption fails
        record_attempt(conn, authenticate(conn, request), now)
    with engine.begin() as conn:
        joined = redeem_invite(conn, authenticate(conn, request), body.code, body.display_name.strip(), now)
    return stamped(joined)


class InvitePolicy(BaseModel, extra="forbid"):
    invites_by: Literal["members", "owner"] = Field(
        description='"members": everyone in the household may invite; "owner": only the owner.'
    )


@router.get("/invites")
def get_invites(conn: Db, ctx: Device) -> dict[str, Any]:
    """The household's open invites (not used, withdrawn or expired), and who may invite."""
    household_id = require_household(ctx)
    return stamped({"open_invites": open_invites(conn, household_id, utc_now()),
                    "invites_by": invites_by(conn, household_id)})  # fmt: skip


@router.delete("/invites/{invite_id}", status_code=204)
def delete_invite(invite_id: str, conn: Db, ctx: Device) -> Response:
    """Withdraw an open invite: your own, or any as owner. Its code stops working at once."""
    revoke_invite(conn, ctx, invite_id, utc_now())
    return Response(status_code=204)


@router.put("/household/invites-by")
def put_invite_policy(body: InvitePolicy, conn: Db, ctx: Device) -> dict[str, Any]:
    """Owner only: who may invite. "owner" also withdraws the other members' open invites."""
    set_invites_by(conn, ctx, body.invites_by, utc_now())
    return stamped({"invites_by": body.invites_by})
