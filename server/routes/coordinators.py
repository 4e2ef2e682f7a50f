"""The county's service coordinators: enrolment, certifying and suspending hosts, reports,
neighbouring municipalities and matching rounds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from server import audit
from server.abuse import ENROL
from server.deps import Coordinator, Db, Device, abuse_limit, stamped, utc_now
from server.fields import Municipality, Text
from server.nordhub import employers
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
def post_enrol(
    _limit: Annotated[None, abuse_limit(ENROL)], body: Enrolment, conn: Db, ctx: Device
) -> dict[str, Any]:
    """Bind this phone to a coordinator with the one-time code from the command line. Limited
    per client address and in total (429 with Retry-After); a wrong code counts too."""
    now = utc_now()
    enrolled = coordinators.enrol_device(conn, ctx, body.code, now)
    audit.record(conn, enrolled["coordinator_id"], audit.ENROL, now, target=ctx.device_id[:8])
    return stamped(enrolled)


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
    now = utc_now()
    certified = hosts.certify_host(conn, coordinator_id, host_id, body.model_dump(), now)
    audit.record(conn, coordinator_id, audit.CERTIFY, now, target=host_id, detail=f"until {body.valid_until}")
    return stamped(certified)


@router.post("/hosts/{host_id}/suspend", status_code=204)
def post_suspend(host_id: str, body: Suspension, conn: Db, coordinator_id: Coordinator) -> Response:
    """Suspend at once: out of suggestions and rounds, open visits cancelled, families told."""
    now = utc_now()
    hosts.suspend_host(conn, host_id, body.reason, now)
    audit.record(conn, coordinator_id, audit.SUSPEND, now, target=host_id)
    return Response(status_code=204)


@router.get("/reports")
def get_reports(conn: Db, _coordinator: Coordinator) -> dict[str, Any]:
    """Open reports, oldest first."""
    return stamped({"reports": reports.open_reports(conn)})


@router.post("/reports/{report_id}/handled", status_code=204)
def post_report_handled(report_id: str, conn: Db, coordinator_id: Coordinator) -> Response:
    """Close a report once the safety process is done."""
    now = utc_now()
    reports.mark_handled(conn, coordinator_id, report_id, now)
    audit.record(conn, coordinator_id, audit.HANDLE_REPORT, now, target=report_id)
    return Response(status_code=204)


@router.put("/municipalities/{municipality}/neighbours")
def put_neighbours(
    municipality: Annotated[int, Path(ge=0, le=9999)], body: Neighbours, conn: Db, coordinator_id: Coordinator
) -> dict[str, Any]:
    """Allow hosts of these municipalities for this one's families (and the other way round)."""
    seekers.set_neighbours(conn, municipality, body.neighbours)
    detail = ",".join(str(n) for n in sorted(set(body.neighbours)))
    audit.record(conn, coordinator_id, audit.NEIGHBOURS, utc_now(), target=str(municipality), detail=detail)
    return stamped(
        {"municipality": municipality, "neighbours": sorted(set(body.neighbours) - {municipality})}
    )


@router.post("/rounds")
def post_round(conn: Db, coordinator_id: Coordinator) -> dict[str, Any]:
    """Run a matching round now: an optimal assignment of every waiting family."""
    now = utc_now()
    result = seekers.run_round(conn, now)
    audit.record(conn, coordinator_id, audit.ROUND, now)
    return stamped(result)


@router.get("/audit")
def get_audit(conn: Db, _coordinator: Coordinator) -> dict[str, Any]:
    """What coordinators did, newest first (the latest 200 actions)."""
    return stamped({"actions": audit.read(conn)})


@router.get("/employers")
def get_employers(conn: Db, _coordinator: Coordinator) -> dict[str, Any]:
    """Every registered organisation, unverified first (the coordinator checks each one)."""
    return stamped({"employers": employers.list_employers(conn)})


@router.post("/employers/{employer_id}/verify", status_code=204)
def post_verify_employer(
    employer_id: Annotated[str, Path(max_length=32, pattern=r"^[0-9a-f]{1,32}$")],
    conn: Db,
    ctx: Device,
    coordinator_id: Coordinator,
) -> Response:
    """Confirm an organisation is who it says; its cases can then be created and joined. Nobody
    verifies an organisation whose staff they are themselves."""
    now = utc_now()
    employers.verify_employer(conn, ctx, coordinator_id, employer_id, now)
    audit.record(conn, coordinator_id, audit.VERIFY_EMPLOYER, now, target=employer_id[:8])
    return Response(status_code=204)
