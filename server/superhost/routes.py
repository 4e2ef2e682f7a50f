"""HTTP endpoints for hosts, coordinators, host-seeking families and visits (/v1/...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy import Connection

from server.auth import DeviceContext
from server.clock import server_time_ms
from server.errors import ApiError
from server.superhost import coordinators, hosts, reports, seekers, visits
from server.superhost.group_events import events_for
from server.superhost.hosts import check_municipality
from server.superhost.inbox import mark_read, read_inbox
from services import host_wire as wire
from services.ics import visit_ics

ChildAge = Annotated[int, Field(ge=0, le=17)]


class _PersonProfile(BaseModel, extra="forbid"):
    """What both a host and a family say about themselves for matching."""

    first_name: str = Field(min_length=1, max_length=wire.MAX_FIRST_NAME)
    municipality: int
    languages: list[str] = Field(min_length=1, max_length=len(wire.SPOKEN_LANGUAGES))
    interests: list[str] = Field(default=[], max_length=len(wire.INTERESTS))
    occupation: str = Field(default="", max_length=wire.MAX_OCCUPATION)
    children_ages: list[ChildAge] = Field(default=[], max_length=12)
    availability: int = Field(default=0, ge=0, le=wire.ALL_SLOTS)


class HostProfile(_PersonProfile):
    visits_per_month: int = Field(ge=1, le=wire.MAX_VISITS_PER_MONTH)
    introduction: str = Field(default="", max_length=wire.MAX_INTRODUCTION)


class SeekerProfile(_PersonProfile):
    """Languages with the preferred one first; children only as ages (stored as age bands)."""

    party_size: int = Field(ge=1, le=wire.MAX_PARTY)


class VisitRequestBody(BaseModel, extra="forbid"):
    host_id: str = Field(min_length=1, max_length=32)
    message: str = Field(default="", max_length=wire.MAX_MESSAGE)
    party_size: int | None = Field(default=None, ge=1, le=wire.MAX_PARTY)


class VisitAction(BaseModel, extra="forbid"):
    starts_at: AwareDatetime | None = None
    meeting_place: str | None = Field(default=None, max_length=wire.MAX_PLACE)
    reason: str | None = Field(default=None, max_length=wire.MAX_REASON)


class Feedback(BaseModel, extra="forbid"):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=wire.MAX_MESSAGE)


class Report(BaseModel, extra="forbid"):
    reason: Literal["no_show", "inappropriate", "unsafe", "spam", "other"]
    text: str = Field(default="", max_length=wire.MAX_MESSAGE)


class Certification(BaseModel, extra="forbid"):
    interviewed_on: date
    trained_on: date
    code_of_conduct_version: str = Field(min_length=1, max_length=20)
    police_certificate_seen_on: date
    valid_until: date


class Suspension(BaseModel, extra="forbid"):
    reason: str = Field(min_length=1, max_length=wire.MAX_REASON)


class Enrolment(BaseModel, extra="forbid"):
    code: str = Field(min_length=1, max_length=40)


class Neighbours(BaseModel, extra="forbid"):
    neighbours: list[int] = Field(max_length=41)


class ReadUpTo(BaseModel, extra="forbid"):
    up_to: int = Field(ge=0)


def superhost_router(connection: Callable, device: Callable, request_ttl_days: int) -> APIRouter:
    """The Superhost endpoints, on the app's own connection and device dependencies."""
    router = APIRouter(prefix="/v1")
    db = Depends(connection, scope="function")
    me = Depends(device)

    def now() -> datetime:
        return datetime.now(UTC)

    def stamped(body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "server_time": server_time_ms()}

    # ---- host mode ----------------------------------------------------------------------------
    @router.put("/host", tags=["hosts"])
    def put_host(profile: HostProfile, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Create or update this phone's host profile. A new host waits for certification."""
        return stamped(hosts.save_host_profile(conn, ctx, profile.model_dump(), now()))

    @router.get("/host", tags=["hosts"])
    def get_host(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """This phone's host profile and status (pending, certified, expired, suspended)."""
        return stamped(hosts.describe_own_host(conn, ctx, now()))

    @router.get("/host/requests", tags=["hosts"])
    def get_host_requests(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Requests to this host, newest first. 403 `not_certified` until certified (and when
        suspended or expired): an uncertified host receives nothing."""
        host = hosts.require_host(conn, ctx, now())
        return stamped({"requests": visits.list_for_host(conn, host.id, now())})

    # ---- families looking for a host -------------------------------------------------------------
    @router.put("/seeker", tags=["matching"])
    def put_seeker(profile: SeekerProfile, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """The household's host-seeking profile (children as age bands only)."""
        return stamped(seekers.save_seeker(conn, ctx, profile.model_dump(), now()))

    @router.get("/seeker/suggestions", tags=["matching"])
    def get_suggestions(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """The top 5 hosts for the household, each with the reasons it fits; none available →
        `waitlist` with the municipality's theme evenings and language cafés."""
        return stamped(seekers.suggestions(conn, ctx, now()))

    @router.get("/group-events", tags=["matching"])
    def get_group_events(
        municipality: int = Query(...), conn: Connection = db, ctx: DeviceContext = me
    ) -> dict:
        """Theme evenings and language cafés for a municipality (then county-wide ones)."""
        return stamped({"events": events_for(conn, check_municipality(municipality))})

    # ---- visits --------------------------------------------------------------------------------
    @router.post("/visits", status_code=201, tags=["visits"])
    def post_visit(
        body: VisitRequestBody,
        response: Response,
        idempotency_key: str = Header("", alias="Idempotency-Key"),
        conn: Connection = db,
        ctx: DeviceContext = me,
    ) -> dict:
        """Ask a host for a visit (at most 3 waiting per household). Repeating a request with the
        same `Idempotency-Key` returns the first one (200) instead of a second request."""
        visit, created = visits.create_request(
            conn, ctx, body.model_dump(), idempotency_key, now(), timedelta(days=request_ttl_days)
        )
        if not created:
            response.status_code = 200
        return stamped(visit)

    @router.get("/visits", tags=["visits"])
    def get_visits(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """The household's visit requests, newest first."""
        return stamped({"requests": visits.list_for_household(conn, ctx, now())})

    @router.get("/visits/{request_id}", tags=["visits"])
    def get_visit(request_id: str, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """One visit as the caller's side sees it (404 for anyone else)."""
        view, side = visits.visit_for(conn, ctx, request_id)
        return stamped({**view, "side": side})

    @router.post("/visits/{request_id}/feedback", status_code=204, tags=["visits"])
    def post_feedback(
        request_id: str, body: Feedback, conn: Connection = db, ctx: DeviceContext = me
    ) -> Response:
        """Short feedback after a completed visit, once per side."""
        visits.leave_feedback(conn, ctx, request_id, body.rating, body.comment, now())
        return Response(status_code=204)

    @router.get("/visits/{request_id}/ics", tags=["visits"], response_class=Response)
    def get_ics(request_id: str, conn: Connection = db, ctx: DeviceContext = me) -> Response:
        """A confirmed visit as an .ics calendar file."""
        view, side = visits.visit_for(conn, ctx, request_id)
        if view["state"] not in {"confirmed", "completed"} or view["starts_at"] is None:
            raise ApiError(409, "not_confirmed", "Only a confirmed visit goes into a calendar.")
        other = view["host"]["first_name"] if side == "newcomer" else view["family"]["first_name"]
        text = visit_ics(
            request_id, view["starts_at"], f"Ny i Nordland: {other}", view["meeting_place"], "", now()
        )
        return Response(
            text,
            media_type="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="visit-{request_id[:8]}.ics"'},
        )

    @router.post("/visits/{request_id}/report", status_code=201, tags=["visits"])
    def post_report(request_id: str, body: Report, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Report the other side of a visit to the county's coordinators."""
        return stamped({"report_id": visits.report(conn, ctx, request_id, body.reason, body.text, now())})

    @router.post("/visits/{request_id}/block", status_code=204, tags=["visits"])
    def post_block(request_id: str, conn: Connection = db, ctx: DeviceContext = me) -> Response:
        """Block the other side: never matched again; open requests between you are cancelled."""
        visits.block(conn, ctx, request_id, now())
        return Response(status_code=204)

    # After the fixed sub-paths above: FastAPI matches routes in order.
    @router.post("/visits/{request_id}/{action}", tags=["visits"])
    def post_visit_action(
        request_id: str,
        action: Literal["accept", "propose", "decline", "confirm", "complete", "cancel"],
        body: VisitAction | None = None,
        conn: Connection = db,
        ctx: DeviceContext = me,
    ) -> dict:
        """Move a visit on. Host: accept or propose (both with `starts_at` and a public
        `meeting_place`), decline (optional `reason`). Family: confirm. Either: complete (after the
        time), cancel. Anything else answers 409 `invalid_transition`."""
        payload = body.model_dump() if body else {}
        return stamped(visits.act(conn, ctx, request_id, action, payload, now()))

    # ---- inbox ---------------------------------------------------------------------------------
    @router.get("/inbox", tags=["inbox"])
    def get_inbox(since: int = Query(0, ge=0), conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Messages for the caller's household and host profile after `since`, with the unread count."""
        host = hosts.host_of_device(conn, ctx)
        household = ctx.household_id if not ctx.removed else None
        return stamped(read_inbox(conn, household, host.id if host else None, since))

    @router.post("/inbox/read", tags=["inbox"])
    def post_inbox_read(body: ReadUpTo, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Mark messages up to an id as read."""
        host = hosts.host_of_device(conn, ctx)
        household = ctx.household_id if not ctx.removed else None
        return stamped({"marked": mark_read(conn, household, host.id if host else None, body.up_to, now())})

    # ---- coordinators --------------------------------------------------------------------------
    @router.post("/coordinator/enrol", tags=["coordinators"])
    def post_enrol(body: Enrolment, conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Bind this phone to a coordinator with the one-time code from the command line."""
        return stamped(coordinators.enrol_device(conn, ctx, body.code, now()))

    @router.get("/coordinator/me", tags=["coordinators"])
    def get_coordinator_me(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Whether this phone is a coordinator's (403 otherwise)."""
        return stamped({"coordinator_id": coordinators.require_coordinator(conn, ctx)})

    @router.get("/coordinator/hosts", tags=["coordinators"])
    def get_coordinator_hosts(
        status: Literal["pending", "certified", "expired", "suspended", "all"] = "pending",
        conn: Connection = db,
        ctx: DeviceContext = me,
    ) -> dict:
        """Hosts by status; `pending` is the queue waiting for certification."""
        coordinators.require_coordinator(conn, ctx)
        return stamped({"hosts": hosts.list_hosts_for_coordinator(conn, status, now())})

    @router.post("/coordinator/hosts/{host_id}/certification", status_code=201, tags=["coordinators"])
    def post_certification(
        host_id: str, body: Certification, conn: Connection = db, ctx: DeviceContext = me
    ) -> dict:
        """Record who checked what and when; valid until at most 3 years ahead."""
        coordinator_id = coordinators.require_coordinator(conn, ctx)
        return stamped(hosts.certify_host(conn, coordinator_id, host_id, body.model_dump(), now()))

    @router.post("/coordinator/hosts/{host_id}/suspend", status_code=204, tags=["coordinators"])
    def post_suspend(
        host_id: str, body: Suspension, conn: Connection = db, ctx: DeviceContext = me
    ) -> Response:
        """Suspend at once: out of suggestions and rounds, open visits cancelled, families told."""
        coordinators.require_coordinator(conn, ctx)
        hosts.suspend_host(conn, host_id, body.reason, now())
        return Response(status_code=204)

    @router.get("/coordinator/reports", tags=["coordinators"])
    def get_reports(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Open reports, oldest first."""
        coordinators.require_coordinator(conn, ctx)
        return stamped({"reports": reports.open_reports(conn)})

    @router.post("/coordinator/reports/{report_id}/handled", status_code=204, tags=["coordinators"])
    def post_report_handled(report_id: str, conn: Connection = db, ctx: DeviceContext = me) -> Response:
        coordinator_id = coordinators.require_coordinator(conn, ctx)
        reports.mark_handled(conn, coordinator_id, report_id, now())
        return Response(status_code=204)

    @router.put("/coordinator/municipalities/{municipality}/neighbours", tags=["coordinators"])
    def put_neighbours(
        municipality: int, body: Neighbours, conn: Connection = db, ctx: DeviceContext = me
    ) -> dict:
        """Allow hosts of these municipalities for this one's families (and the other way round)."""
        coordinators.require_coordinator(conn, ctx)
        seekers.set_neighbours(conn, municipality, body.neighbours)
        return stamped(
            {"municipality": municipality, "neighbours": sorted(set(body.neighbours) - {municipality})}
        )

    @router.post("/coordinator/rounds", tags=["coordinators"])
    def post_round(conn: Connection = db, ctx: DeviceContext = me) -> dict:
        """Run a matching round now: an optimal assignment of every waiting family."""
        coordinators.require_coordinator(conn, ctx)
        return stamped(seekers.run_round(conn, now()))

    return router
