"""Phones: registration (no account, the token is the identity), token rotation, revocation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from pydantic import BaseModel, Field

from server.abuse import REGISTER
from server.auth import register_device, rotate_token
from server.deps import Db, Device, abuse_limit, stamped, utc_now
from server.households import revoke_device
from server.live import members_changed

router = APIRouter(prefix="/v1", tags=["devices"])


class TokenRotated(BaseModel):
    token: str = Field(description="The new token; the one used for this call works until this is used.")
    server_time: int


class DeviceCreated(BaseModel):
    device_id: str
    token: str = Field(description="Shown once; send it as 'Authorization: Bearer <token>'.")
    server_time: int


@router.post("/devices", status_code=201, response_model=DeviceCreated)
def post_device(_limit: Annotated[None, abuse_limit(REGISTER)], conn: Db) -> dict[str, Any]:
    """Register this phone. No account, no password: the token is its identity. Limited per
    client address and in total (429 with Retry-After)."""
    device_id, token = register_device(conn)
    return stamped({"device_id": device_id, "token": token})


@router.post("/devices/token", response_model=TokenRotated)
def post_token(conn: Db, ctx: Device) -> dict[str, Any]:
    """Rotate this device's token (the app does it when a response carries X-Token-Refresh)."""
    return stamped({"token": rotate_token(conn, ctx)})


@router.post("/devices/{device_id}/revoke", status_code=204)
def post_revoke(
    device_id: str, request: Request, background: BackgroundTasks, conn: Db, ctx: Device
) -> Response:
    """Revoke a device's token at once (your own, or any in the household as owner)."""
    revoke_device(conn, ctx, device_id, utc_now())
    members_changed(request.app.state.live_hub, conn, background, ctx.household_id)  # streams end
    return Response(status_code=204)
