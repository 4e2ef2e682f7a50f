"""Visits between a family and a host, from request to feedback, report and block."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from fastapi import APIRouter, Header, Response
from pydantic import AwareDatetime, BaseModel, Field

from server.deps import AppSettings, Db, Device, stamped, utc_now
from server.errors import ApiError
from server.fields import Text
from server.superhost import visits
from services import host_wire as wire
from services.ics import visit_ics
from services.wire import ErrorCode

router = APIRouter(prefix="/v1", tags=["visits"])


class VisitRequestBody(BaseModel, extra="forbid"):
    host_id: Text = Field(min_length=1, max_length=32)
    message: Text = Field(default="", max_length=wire.MAX_MESSAGE)
    party_size: int | None = Field(default=None, ge=1, le=wire.MAX_PARTY)


class VisitAction(BaseModel, extra="forbid"):
    starts_at: AwareDatetime | None = None
    meeting_place: Text | None = Field(default=None, max_length=wire.MAX_PLACE)
    reason: Text | None = Field(default=None, max_length=wire.MAX_REASON)


class Feedback(BaseModel, extra="forbid"):
    rating: int = Field(ge=1, le=5)
    comment: Text = Field(default="", max_length=wire.MAX_MESSAGE)


class Report(BaseModel, extra="forbid"):
    reason: Literal["no_show", "inappropriate", "unsafe", "spam", "other"]
    text: Text = Field(default="", max_length=wire.MAX_MESSAGE)


@router.post("/visits", status_code=201)
def post_visit(
    body: VisitRequestBody,
    response: Response,
    conn: Db,
    ctx: Device,
    settings: AppSettings,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> dict[str, Any]:
    """Ask a host for a visit (at most 3 waiting per household). Repeating a request with the
    same `Idempotency-Key` returns the first one (200) instead of a second request."""
    ttl = timedelta(days=settings.request_expiry_days)
    visit, created = visits.create_request(conn, ctx, body.model_dump(), idempotency_key, utc_now(), ttl)
    if not created:
        response.status_code = 200
    return stamped(visit)


@router.get("/visits")
def get_visits(conn: Db, ctx: Device) -> dict[str, Any]:
    """The household's visit requests, newest first."""
    return stamped({"requests": visits.list_for_household(conn, ctx, utc_now())})


@router.get("/visits/{request_id}")
def get_visit(request_id: str, conn: Db, ctx: Device) -> dict[str, Any]:
    """One visit as the caller's side sees it (404 for anyone else)."""
    view, side = visits.visit_for(conn, ctx, request_id)
    return stamped({**view, "side": side})


@router.post("/visits/{request_id}/feedback", status_code=204)
def post_feedback(request_id: str, body: Feedback, conn: Db, ctx: Device) -> Response:
    """Short feedback after a completed visit, once per side."""
    visits.leave_feedback(conn, ctx, request_id, body.rating, body.comment, utc_now())
    return Response(status_code=204)


@router.get("/visits/{request_id}/ics", response_class=Response)
def get_ics(request_id: str, conn: Db, ctx: Device) -> Response:
    """A confirmed visit as an .ics calendar file."""
    view, side = visits.visit_for(conn, ctx, request_id)
    if view["state"] not in {"confirmed", "completed"} or view["starts_at"] is None:
        raise ApiError(409, ErrorCode.NOT_CONFIRMED, "Only a confirmed visit goes into a calendar.")
    other = view["host"]["first_name"] if side == "newcomer" else view["family"]["first_name"]
    title = f"Ny i Nordland: {other}"
    text = visit_ics(request_id, view["starts_at"], title, view["meeting_place"], "", utc_now())
    return Response(
        text,
        media_type="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="visit-{request_id[:8]}.ics"'},
    )


@router.post("/visits/{request_id}/report", status_code=201)
def post_report(request_id: str, body: Report, conn: Db, ctx: Device) -> dict[str, Any]:
    """Report the other side of a visit to the county's coordinators."""
    return stamped({"report_id": visits.report(conn, ctx, request_id, body.reason, body.text, utc_now())})


@router.post("/visits/{request_id}/block", status_code=204)
def post_block(request_id: str, conn: Db, ctx: Device) -> Response:
    """Block the other side: never matched again; open requests between you are cancelled."""
    visits.block(conn, ctx, request_id, utc_now())
    return Response(status_code=204)


@router.post("/visits/{request_id}/ics", include_in_schema=False)
def post_ics(request_id: str) -> None:
    """The calendar file is only read: without this, POST would reach the action route below."""
    raise ApiError(405, ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed", headers={"Allow": "GET"})


# After the fixed sub-paths above: FastAPI matches routes in order.
@router.post("/visits/{request_id}/{action}")
def post_visit_action(
    request_id: str,
    action: Literal["accept", "propose", "decline", "confirm", "complete", "cancel"],
    conn: Db,
    ctx: Device,
    body: VisitAction | None = None,
) -> dict[str, Any]:
    """Move a visit on. Host: accept or propose (both with `starts_at` and a public
    `meeting_place`), decline (optional `reason`). Family: confirm. Either: complete (after the
    time), cancel. Anything else answers 409 `invalid_transition`."""
    payload = body.model_dump() if body else {}
    return stamped(visits.act(conn, ctx, request_id, action, payload, utc_now()))
