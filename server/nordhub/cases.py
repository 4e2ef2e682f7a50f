"""Relocation cases: HR pre-registers an incoming employee and gets a single-use code (the family
invite rules); the newcomer's household joins with it and chooses, milestone by milestone, what the
employer sees. The employer's view is built from the household's checklist by
`services.nordhub_wire.milestone_states`, for consented milestones only."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from server.auth import hash_token, new_id
from server.errors import ApiError
from server.invites import INVITE_TTL, format_code, new_code, normalize_code
from server.nordhub.employers import Staff
from server.tables import case_consents, case_tasks, employers, field_values, relocation_cases
from services.employer_tasks import case_facts, load_employer_tasks, tasks_for_case
from services.nordhub_wire import MAX_START_DAYS_AHEAD, MILESTONE_STEPS, MILESTONES, milestone_states
from services.wire import ErrorCode

CASE_NOT_FOUND = ApiError(404, ErrorCode.CASE_NOT_FOUND, "No such relocation case.")
INVALID_CASE_CODE = ApiError(
    404, ErrorCode.CASE_CODE_INVALID, "This code is not valid. Ask your employer for a new one."
)
_MILESTONE_STEPS = sorted({step for steps in MILESTONE_STEPS.values() for step in steps})


def _new_code() -> tuple[str, str]:
    code = new_code()
    return code, hash_token(code)


def _code_answer(case_id: str, code: str, expires: datetime) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "code": format_code(code),
        "link": f"nyinordland://case?code={code}",
        "expires_at": expires,
    }


def check_start_date(start: date, today: date) -> None:
    if start < today:
        raise ApiError(422, ErrorCode.START_DATE_PAST, "The start date is in the past.")
    if start > today + timedelta(days=MAX_START_DAYS_AHEAD):
        raise ApiError(422, ErrorCode.START_DATE_TOO_FAR, "The start date is more than two years ahead.")


def create_case(
    conn: Connection, staff: Staff, fields: dict[str, Any], today: date, now: datetime
) -> dict[str, Any]:
    """A new case and its code. Only a verified employer pre-registers newcomers."""
    if not staff.verified:
        raise ApiError(
            403,
            ErrorCode.EMPLOYER_NOT_VERIFIED,
            "The county coordinator has not verified this organisation yet.",
        )
    check_start_date(fields["start_date"], today)
    code, code_hash = _new_code()
    case_id, expires = new_id(), now + INVITE_TTL
    conn.execute(
        insert(relocation_cases).values(
            id=case_id,
            employer_id=staff.employer_id,
            created_by=staff.staff_id,
            first_name=fields["first_name"],
            role_title=fields["role_title"],
            start_date=fields["start_date"],
            municipality=fields["municipality"],
            citizenship_group=fields["citizenship_group"],
            partner=fields["partner"],
            child_bands=json.dumps(fields["child_bands"]),
            needs_approval=fields["needs_approval"],
            code_hash=code_hash,
            code_expires_at=expires,
            created_at=now,
        )
    )
    return _code_answer(case_id, code, expires)


def own_case(conn: Connection, staff: Staff, case_id: str) -> Any:
    """The case if it is the caller's organisation's; 404 otherwise (never "forbidden")."""
    row = conn.execute(
        select(relocation_cases).where(
            relocation_cases.c.id == case_id, relocation_cases.c.employer_id == staff.employer_id
        )
    ).first()
    if row is None:  # another organisation's case is not there for this one
        raise CASE_NOT_FOUND
    return row


def renew_code(conn: Connection, staff: Staff, case_id: str, now: datetime) -> dict[str, Any]:
    """A fresh code for a case nobody has joined yet (the old one stops working)."""
    case = own_case(conn, staff, case_id)
    if case.household_id is not None:
        raise ApiError(409, ErrorCode.CASE_ALREADY_JOINED, "The newcomer has joined this case already.")
    code, code_hash = _new_code()
    expires = now + INVITE_TTL
    conn.execute(
        update(relocation_cases)
        .where(relocation_cases.c.id == case_id)
        .values(code_hash=code_hash, code_expires_at=expires)
    )
    return _code_answer(case_id, code, expires)


def _prefill(case: Any, employer_name: str) -> dict[str, Any]:
    """What the newcomer's wizard opens with (they confirm or correct every answer)."""
    return {
        "case_id": case.id,
        "employer": employer_name,
        "first_name": case.first_name,
        "role_title": case.role_title,
        "start_date": case.start_date,
        "municipality": case.municipality,
        "citizenship_group": case.citizenship_group,
        "partner": case.partner,
        "child_bands": json.loads(case.child_bands),
        "needs_approval": case.needs_approval,
    }


def preview_case(conn: Connection, code: str, now: datetime) -> dict[str, Any]:
    """What a valid, unused code's case pre-fills in the newcomer's first answers, without using
    the code (the family joins with it once the answers are confirmed)."""
    row = conn.execute(
        select(relocation_cases, employers.c.name.label("employer_name"))
        .join(employers, employers.c.id == relocation_cases.c.employer_id)
        .where(
            relocation_cases.c.code_hash == hash_token(normalize_code(code)),
            relocation_cases.c.code_expires_at > now,
            relocation_cases.c.household_id.is_(None),
        )
    ).first()
    if row is None:
        raise INVALID_CASE_CODE
    return _prefill(row, row.employer_name)


def join_case(conn: Connection, household_id: str, code: str, now: datetime) -> dict[str, Any]:
    """Link the caller's household to the case whose code this is (single use)."""
    if conn.execute(
        select(relocation_cases.c.id).where(relocation_cases.c.household_id == household_id)
    ).first():
        raise ApiError(409, ErrorCode.ALREADY_IN_CASE, "Your family is linked to an employer already.")
    try:
        with conn.begin_nested():
            claimed = conn.execute(
                update(relocation_cases)
                .where(
                    relocation_cases.c.code_hash == hash_token(normalize_code(code)),
                    relocation_cases.c.code_expires_at > now,
                    relocation_cases.c.household_id.is_(None),
                )
                .values(household_id=household_id, joined_at=now, code_hash=None, code_expires_at=None)
                .returning(relocation_cases.c.id)
            ).first()
    except IntegrityError as exc:  # a second phone of the family joined a case at the same moment
        raise ApiError(
            409, ErrorCode.ALREADY_IN_CASE, "Your family is linked to an employer already."
        ) from exc
    if claimed is None:
        raise INVALID_CASE_CODE
    return household_case(conn, household_id)


def household_case(conn: Connection, household_id: str) -> dict[str, Any]:
    """The family's case as the family sees it: the employer, the case and its consents."""
    row = conn.execute(
        select(relocation_cases, employers.c.name.label("employer_name"))
        .join(employers, employers.c.id == relocation_cases.c.employer_id)
        .where(relocation_cases.c.household_id == household_id)
    ).first()
    if row is None:
        raise ApiError(404, ErrorCode.NO_CASE, "Your family is not linked to an employer.")
    consented = conn.execute(
        select(case_consents.c.milestone).where(case_consents.c.case_id == row.id)
    ).scalars()
    return {**_prefill(row, row.employer_name), "consents": sorted(consented, key=MILESTONES.index)}


def set_consents(conn: Connection, household_id: str, milestones: list[str], now: datetime) -> dict[str, Any]:
    """Exactly these milestones are shown to the employer from now on (an empty list: none)."""
    unknown = sorted(set(milestones) - set(MILESTONES))
    if unknown:
        raise ApiError(422, ErrorCode.UNKNOWN_MILESTONE, f"Unknown milestone: {unknown[0]}.")
    case = household_case(conn, household_id)
    conn.execute(delete(case_consents).where(case_consents.c.case_id == case["case_id"]))
    if milestones:
        conn.execute(
            insert(case_consents),
            [
                {"case_id": case["case_id"], "milestone": m, "granted_at": now}
                for m in sorted(set(milestones))
            ],
        )
    return household_case(conn, household_id)


def leave_case(conn: Connection, household_id: str) -> bool:
    """Unlink the household: the employer sees nothing of it any more (consents go too)."""
    case_id = conn.execute(
        select(relocation_cases.c.id).where(relocation_cases.c.household_id == household_id)
    ).scalar()
    if case_id is None:
        return False
    conn.execute(delete(case_consents).where(case_consents.c.case_id == case_id))
    conn.execute(update(relocation_cases).where(relocation_cases.c.id == case_id).values(household_id=None))
    return True


def _statuses(conn: Connection, household_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Checklist statuses of the milestone steps, per household (nothing else is read)."""
    if not household_ids:
        return {}
    prefixes = [field_values.c.row_key == step for step in _MILESTONE_STEPS] + [
        field_values.c.row_key.startswith(f"{step}:") for step in MILESTONE_STEPS["childcare_school"]
    ]
    rows = conn.execute(
        select(field_values.c.household_id, field_values.c.row_key, field_values.c.value).where(
            field_values.c.household_id.in_(household_ids),
            field_values.c.entity == "step_state",
            field_values.c.field == "status",
            or_(*prefixes),
        )
    ).all()
    found: dict[str, dict[str, Any]] = {h: {} for h in household_ids}
    for row in rows:
        found[row.household_id][row.row_key] = orjson.loads(row.value)
    return found


def list_cases(conn: Connection, staff: Staff, today: date) -> list[dict[str, Any]]:
    """The employer's dashboard: every case with the milestones the family shows, the employer's
    own tasks (due, done, overdue) and the days to the start."""
    cases = conn.execute(
        select(relocation_cases)
        .where(relocation_cases.c.employer_id == staff.employer_id)
        .order_by(relocation_cases.c.start_date, relocation_cases.c.first_name)
    ).all()
    ids = [c.id for c in cases]
    consents: dict[str, list[str]] = {i: [] for i in ids}
    done_tasks: dict[str, set[str]] = {i: set() for i in ids}
    if ids:
        for row in conn.execute(select(case_consents).where(case_consents.c.case_id.in_(ids))):
            consents[row.case_id].append(row.milestone)
        for row in conn.execute(select(case_tasks).where(case_tasks.c.case_id.in_(ids))):
            done_tasks[row.case_id].add(row.task_id)
    # Only households that consented to something are read at all.
    statuses = _statuses(conn, [c.household_id for c in cases if c.household_id and consents[c.id]])
    return [_dashboard_row(c, consents[c.id], done_tasks[c.id], statuses, today) for c in cases]


def _dashboard_row(
    case: Any, consented: list[str], done: set[str], statuses: dict[str, dict[str, Any]], today: date
) -> dict[str, Any]:
    bands = json.loads(case.child_bands)
    facts = case_facts(case.citizenship_group, case.partner, bands, case.needs_approval)
    # What a task is (its milestone, whether its date is official, whether it is certain) the app
    # reads from the same catalog it ships with; the answer carries only what changes per case.
    tasks = [
        {"id": task.id, "due": due, "done": task.id in done, "overdue": task.id not in done and due < today}
        for task, due in tasks_for_case(facts, case.start_date)
    ]
    joined = case.household_id is not None
    shown = milestone_states(statuses.get(case.household_id, {}), consented) if joined else {}
    return {
        "case_id": case.id,
        "first_name": case.first_name,
        "role_title": case.role_title,
        "start_date": case.start_date,
        "days_to_start": (case.start_date - today).days,
        "municipality": case.municipality,
        "citizenship_group": case.citizenship_group,
        "partner": case.partner,
        "child_bands": bands,
        "needs_approval": case.needs_approval,
        "joined": joined,
        "milestones": [{"id": m, **state} for m, state in shown.items()],
        "tasks": tasks,
        "overdue_tasks": sum(t["overdue"] for t in tasks),
    }


def set_task(conn: Connection, staff: Staff, case_id: str, task_id: str, done: bool, now: datetime) -> None:
    """Tick or untick one of the employer's own tasks for a case."""
    own_case(conn, staff, case_id)
    if task_id not in {t.id for t in load_employer_tasks()}:
        raise ApiError(422, ErrorCode.UNKNOWN_TASK, f"Unknown task: {task_id}.")
    mine = and_(case_tasks.c.case_id == case_id, case_tasks.c.task_id == task_id)
    conn.execute(delete(case_tasks).where(mine))
    if done:
        conn.execute(
            insert(case_tasks).values(case_id=case_id, task_id=task_id, done_at=now, done_by=staff.staff_id)
        )


CSV_COLUMNS = (
    "first_name",
    "role_title",
    "start_date",
    "days_to_start",
    "joined",
    "overdue_tasks",
    "milestones",
)


def cases_csv(conn: Connection, staff: Staff, today: date) -> str:
    """The employer's own case list as CSV (the same rows as the dashboard, consented milestones
    only). Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in list_cases(conn, staff, today):
        milestones = "; ".join(f"{m['id']}={m['state']}" for m in row["milestones"])
        values = [row[c] for c in CSV_COLUMNS[:-1]] + [milestones]
        writer.writerow([_safe_cell(v) for v in values])
    return out.getvalue()


def _safe_cell(value: object) -> str:
    if not isinstance(value, str):  # numbers, dates and flags are the server's own
        return str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
