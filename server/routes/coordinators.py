"""The county's service coordinators: enrolment, certifying and suspending hosts, reports,
neighbouring municipalities and matching rounds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from server.deps import Coordinator, Db, Device, stamped, utc_now
from server.fields import Municipality, Text
from server.superhost import coordinators, hosts, reports, seekers
from services import host_wire as wire

router = APIRouter(prefix="/v1/coordinator", tags=["coordinators"])


class Certification(BaseModel, extra="forbid"):
    interviewed_on: date
    trained_on: date
    code_of_conduct_version: Text = Field(min_length=1, max_length=20)
    police_certificate_seen_on: date
    valid_until: date


class Suspension(BaseModel, extra="forbid"):
    reason: Text = Field(min_length=1, max_length=wire.MAX_REASON)


class Enrolment(BaseModel, extra="forbid"):
    code: Text = Field(min_length=1, max_length=40)


class Neighbours(BaseModel, extra="forbid"):
    neighbours: list[Municipality] = Field(max_length=41)


@router.post("/enrol")
def post_enrol(body: Enrolment, conn: Db, ctx: Device) -> dict[str, Any]:
    """Bind this phone to a coordinator with the one-time code from the command line."""
    return stamped(coordinators.enrol_device(conn, ctx, body.code, utc_now()))


@router.get("/me")
def get_coordinator_me(coordinator_id: Coordinator) -> dict[str, Any]:
    """Whether this phone is a coordinator's (403 otherwise)."""
    return stamped({"coordinator_id": coordinator_id})


@router.get("/hosts")
def get_coordinator_hosts(
    conn: Db,
    _coordinator: Coordinator,
    status: Literal["pending", "certified", "expired", "suspended", "all"] = "pending",
) -> dict[str, Any]:
    """Hosts by status; `pending` is the queue waiting for certification."""
    return stamped({"hosts": hosts.list_hosts_for_coordinator(conn, status, utc_now())})


@router.post("/hosts/{host_id}/certification", status_code=201)
def post_certification(
    host_id: str, body: Certification, conn: Db, coordinator_id: Coordinator
) -> dict[str, Any]:
    """Record who checked what and when; valid until at most 3 years ahead."""
    return stamped(hosts.certify_host(conn, coordinator_id, host_id, body.model_dump(), utc_now()))


@router.post("/hosts/{host_id}/suspend", status_code=204)
def post_suspend(host_id: str, body: Suspension, conn: Db, _coordinator: Coordinator) -> Response:
    """Suspend at once: out of suggestions and rounds, open visits cancelled, families told."""
    hosts.suspend_host(conn, host_id, body.reason, utc_now())
    return Response(status_code=204)


@router.get("/reports")
def get_reports(conn: Db, _coordinator: Coordinator) -> dict[str, Any]:
    """Open reports, oldest first."""
    return stamped({"reports": reports.open_reports(conn)})


@router.post("/reports/{report_id}/handled", status_code=204)
def post_report_handled(report_id: str, conn: Db, coordinator_id: Coordinator) -> Response:
    """Close a report once the safety process is done."""
    reports.mark_handled(conn, coordinator_id, report_id, utc_now())
    return Response(status_code=204)


@router.put("/municipalities/{municipality}/neighbours")
def put_neighbours(
    municipality: Annotated[int, Path(ge=0, le=9999)], body: Neighbours, conn: Db, _coordinator: Coordinator
) -> dict[str, Any]:
    """Allow hosts of these municipalities for this one's families (and the other way round)."""
    seekers.set_neighbours(conn, municipality, body.neighbours)
    return stamped(
        {"municipality": municipality, "neighbours": sorted(set(body.neighbours) - {municipality})}
    )


@router.post("/rounds")
def post_round(conn: Db, _coordinator: Coordinator) -> dict[str, Any]:
    """Run a matching round now: an optimal assignment of every waiting family."""
    return stamped(seekers.run_round(conn, utc_now()))
