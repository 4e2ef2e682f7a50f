"""An employer's messages to the newcomer of a joined case, through the family's in-app inbox.

A message is a template (the app words it in the family's language, so a newcomer who reads no
Norwegian or English still understands) with an optional short note in the employer's own words.
The employer learns nothing back: not whether or when the family read it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select

from server.errors import ApiError
from server.nordhub.cases import own_case
from server.nordhub.employers import Staff
from server.tables import employers, inbox
from services.nordhub_wire import EMPLOYER_MESSAGE, MAX_MESSAGES_PER_DAY
from services.wire import ErrorCode


def send_message(
    conn: Connection, staff: Staff, case_id: str, template: str, note: str, now: datetime
) -> dict[str, object]:
    """Put a message in the inbox of the family that joined the case (409 before it joined)."""
    case = own_case(conn, staff, case_id)
    if case.household_id is None:
        raise ApiError(
            409, ErrorCode.CASE_NOT_JOINED, "The newcomer has not joined this case yet: give them the code."
        )
    mine = (inbox.c.household_id == case.household_id) & (inbox.c.kind == EMPLOYER_MESSAGE)
    sent_today = conn.execute(
        select(func.count()).where(mine, inbox.c.created_at > now - timedelta(days=1))
    ).scalar_one()
    if sent_today >= MAX_MESSAGES_PER_DAY:
        raise ApiError(
            429, ErrorCode.TOO_MANY_MESSAGES, "Enough messages for today; the family can read them first."
        )
    employer = conn.execute(select(employers.c.name).where(employers.c.id == staff.employer_id)).scalar_one()
    body = {"template": template, "employer": employer, "note": note.strip() or None}
    conn.execute(
        insert(inbox).values(
            household_id=case.household_id, kind=EMPLOYER_MESSAGE, body=json.dumps(body), created_at=now
        )
    )
    return {"case_id": case_id, "sent_at": now}
