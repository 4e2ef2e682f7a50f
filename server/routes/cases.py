"""Nordhub for the family: joining the employer's relocation case with its code, choosing what
the employer sees (milestone by milestone, withdrawable) and leaving the case."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.abuse import REDEEM
from server.deps import Db, Device, Household, abuse_limit, stamped, utc_now
from server.fields import Text
from server.nordhub import cases
from services import nordhub_wire as wire

router = APIRouter(prefix="/v1", tags=["employers"])


class CaseJoin(BaseModel, extra="forbid"):
    code: Text = Field(min_length=1, max_length=40)


class Consents(BaseModel, extra="forbid"):
    milestones: list[Annotated[str, Field(max_length=20)]] = Field(max_length=len(wire.MILESTONES))


@router.post("/case/join")
def post_case_join(
    _limit: Annotated[None, abuse_limit(REDEEM)], body: CaseJoin, conn: Db, household_id: Household
) -> dict[str, Any]:
    """Link the family to the employer's case; the answer pre-fills the family's answers, which
    the newcomer confirms or corrects. The employer sees nothing until the family consents."""
    return stamped(cases.join_case(conn, household_id, body.code, utc_now()))


@router.post("/case/preview")
def post_case_preview(
    _limit: Annotated[None, abuse_limit(REDEEM)], body: CaseJoin, conn: Db, _ctx: Device
) -> dict[str, Any]:
    """What the case pre-fills in the newcomer's first answers; the code stays unused (limited
    per client address like every code)."""
    return stamped(cases.preview_case(conn, body.code, utc_now()))


@router.get("/case")
def get_case(conn: Db, household_id: Household) -> dict[str, Any]:
    """The family's case and what it lets the employer see (404 `no_case` when none)."""
    return stamped(cases.household_case(conn, household_id))


@router.put("/case/consents")
def put_consents(body: Consents, conn: Db, household_id: Household) -> dict[str, Any]:
    """Exactly these milestones are shown to the employer from now on; [] withdraws all."""
    return stamped(cases.set_consents(conn, household_id, body.milestones, utc_now()))


@router.delete("/case", status_code=204)
def delete_case(conn: Db, household_id: Household) -> Response:
    """Leave the case: the employer sees nothing of the family any more."""
    cases.leave_case(conn, household_id)
    return Response(status_code=204)
