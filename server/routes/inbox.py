"""The in-app inbox of a household and of a host profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from server.deps import Db, Device, stamped, utc_now
from server.fields import BigInt
from server.superhost import hosts
from server.superhost.inbox import mark_read, read_inbox
from services.wire import MAX_SQL_INT

router = APIRouter(prefix="/v1", tags=["inbox"])


class ReadUpTo(BaseModel, extra="forbid"):
    up_to: BigInt


@router.get("/inbox")
def get_inbox(
    conn: Db, ctx: Device, since: Annotated[int, Query(ge=0, le=MAX_SQL_INT)] = 0
) -> dict[str, Any]:
    """Messages for the caller's household and host profile after `since`, with the unread count."""
    host = hosts.host_of_device(conn, ctx)
    household = ctx.household_id if not ctx.removed else None
    return stamped(read_inbox(conn, household, host.id if host else None, since))


@router.post("/inbox/read")
def post_inbox_read(body: ReadUpTo, conn: Db, ctx: Device) -> dict[str, Any]:
    """Mark messages up to an id as read."""
    host = hosts.host_of_device(conn, ctx)
    household = ctx.household_id if not ctx.removed else None
    marked = mark_read(conn, household, host.id if host else None, body.up_to, utc_now())
    return stamped({"marked": marked})
