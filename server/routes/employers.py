"""Nordhub for employers: registering the organisation, its staff, relocation cases with their
codes, the dashboard of consented milestones and the employer's own tasks, and a CSV export."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from server.abuse import CREATE_HOUSEHOLD, REDEEM
from server.deps import Db, Device, EmployerStaff, abuse_limit, stamped, utc_now
from server.fields import Municipality, Text
from server.nordhub import cases, employers, messages
from server.superhost.hosts import check_municipality
from services import nordhub_wire as wire

router = APIRouter(prefix="/v1", tags=["employers"])

Name = Annotated[Text, Field(min_length=1, max_length=wire.MAX_NAME)]
Id = Annotated[str, Path(max_length=32, pattern=r"^[0-9a-f]{1,32}$")]
TaskId = Annotated[str, Path(max_length=40, pattern=r"^[a-z0-9_]{1,40}$")]


class Registration(BaseModel, extra="forbid"):
    org_number: Text = Field(min_length=1, max_length=30, description="Nine digits (spaces allowed).")
    name: Text = Field(min_length=1, max_length=120)
    municipality: Municipality
    staff_name: Name


class StaffInvite(BaseModel, extra="forbid"):
    role: Literal["admin", "hr"] = "hr"


class StaffJoin(BaseModel, extra="forbid"):
    code: Text = Field(min_length=1, max_length=40)
    name: Name


class Case(BaseModel, extra="forbid"):
    first_name: Name
    role_title: Text = Field(min_length=1, max_length=wire.MAX_ROLE_TITLE)
    start_date: date
    municipality: Municipality
    citizenship_group: Literal["nordic", "eea", "non_eu"]
    partner: bool = False
    child_bands: list[Literal["0-5", "6-12", "13-17"]] = Field(default=[], max_length=wire.MAX_CHILDREN)
    needs_approval: bool = False


class Message(BaseModel, extra="forbid"):
    template: Literal[wire.MESSAGE_TEMPLATES]  # type: ignore[valid-type]
    note: Text = Field(default="", max_length=wire.MAX_MESSAGE_NOTE)


class TaskDone(BaseModel, extra="forbid"):
    done: bool


@router.post("/employers", status_code=201)
def post_employer(
    _limit: Annotated[None, abuse_limit(CREATE_HOUSEHOLD)], body: Registration, conn: Db, ctx: Device
) -> dict[str, Any]:
    """Register an organisation with the caller as its administrator. It stays unverified (no
    case can be created) until a county coordinator verifies it."""
    check_municipality(body.municipality)
    return stamped(
        employers.register_employer(
            conn, ctx, body.org_number, body.name, body.municipality, body.staff_name, utc_now()
        )
    )


@router.get("/employer")
def get_employer(conn: Db, staff: EmployerStaff) -> dict[str, Any]:
    """The caller's organisation, whether it is verified, and its staff."""
    return stamped(employers.describe_employer(conn, staff))


@router.post("/employer/staff-invites", status_code=201)
def post_staff_invite(body: StaffInvite, conn: Db, staff: EmployerStaff) -> dict[str, Any]:
    """Administrators: a single-use code (72 hours) for a colleague's phone."""
    return stamped(employers.create_staff_invite(conn, staff, body.role, utc_now()))


@router.post("/employer/staff-invites/redeem")
def post_staff_join(
    _limit: Annotated[None, abuse_limit(REDEEM)], body: StaffJoin, conn: Db, ctx: Device
) -> dict[str, Any]:
    """Join an organisation's staff with a code (limited per client address)."""
    return stamped(employers.redeem_staff_invite(conn, ctx, body.code, body.name, utc_now()))


@router.delete("/employer/staff/{staff_id}", status_code=204)
def delete_staff(staff_id: Id, conn: Db, staff: EmployerStaff) -> Response:
    """Administrators: end a colleague's access."""
    employers.remove_staff(conn, staff, staff_id, utc_now())
    return Response(status_code=204)


@router.post("/employer/cases", status_code=201)
def post_case(body: Case, conn: Db, staff: EmployerStaff) -> dict[str, Any]:
    """Pre-register an incoming employee; the answer's code (single use, 72 hours) is for them."""
    check_municipality(body.municipality)
    now = utc_now()
    return stamped(cases.create_case(conn, staff, body.model_dump(), now.date(), now))


@router.get("/employer/cases", response_class=Response)
def get_cases(conn: Db, staff: EmployerStaff) -> Response:
    """The dashboard: every case, the milestones each family chose to show, the employer's tasks
    (due, done, overdue) and days to the start."""
    # orjson, not FastAPI's encoder: hundreds of cases with their tasks (bench/employer_dashboard.py).
    body = stamped({"cases": cases.list_cases(conn, staff, utc_now().date())})
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/employer/cases.csv")
def get_cases_csv(conn: Db, staff: EmployerStaff) -> Response:
    """The same list as CSV, for the employer's own records."""
    text = cases.cases_csv(conn, staff, utc_now().date())
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="relocation-cases.csv"'},
    )


@router.post("/employer/cases/{case_id}/code")
def post_case_code(case_id: Id, conn: Db, staff: EmployerStaff) -> dict[str, Any]:
    """A new code for a case nobody joined yet (the previous one stops working)."""
    return stamped(cases.renew_code(conn, staff, case_id, utc_now()))


@router.put("/employer/cases/{case_id}/tasks/{task_id}")
def put_case_task(
    case_id: Id, task_id: TaskId, body: TaskDone, conn: Db, staff: EmployerStaff
) -> dict[str, Any]:
    """Tick or untick one of the employer's own tasks for the case."""
    cases.set_task(conn, staff, case_id, task_id, body.done, utc_now())
    return stamped({"case_id": case_id, "task_id": task_id, "done": body.done})


@router.post("/employer/cases/{case_id}/messages", status_code=201)
def post_case_message(case_id: Id, body: Message, conn: Db, staff: EmployerStaff) -> dict[str, Any]:
    """A message to the newcomer's family inbox: a template the app words in the family's
    language, and an optional note in the employer's words (at most 10 a day per case)."""
    return stamped(messages.send_message(conn, staff, case_id, body.template, body.note, utc_now()))
