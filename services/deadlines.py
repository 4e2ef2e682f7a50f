"""Deadline rules of the step catalog: relative to arrival, fixed calendar dates, the kindergarten
intake (whose deadline each municipality sets) and the start of school."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.municipal import MunicipalData, MunicipalLayer
from services.profile import Child

SCHOOL_YEAR_STARTS = 8  # August
FIRST_GRADE_AGE = 6  # school starts in August of the calendar year the child turns 6
# Municipal offices and schools are mostly closed in July; an enrolment date there is moved to
# the first of August (our guidance, not a legal deadline).
SUMMER_MONTH = 7

# Who set a deadline: the municipality (its own page), the national rule, or a common date used
# where the municipality's own is not known (shown as uncertain: "check with your municipality").
SET_BY_MUNICIPALITY, SET_BY_LAW, COMMON_DATE = "municipality", "law", "common_date"


@dataclass(frozen=True)
class Deadline:
    """A step's due date, whose rule it is and, for kindergarten and school, when the place starts."""

    due: date | None
    place_from: date | None = None
    place_by_end_of_month: bool = False
    set_by: str = SET_BY_LAW
    uncertain: bool = False
    rolling: bool = False  # kindergarten outside the main intake: a place if one is free, no right
    school_year: int | None = None  # the August this place is for (kindergarten / school / upper sec.)


NO_DEADLINE = Deadline(None)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_annual_date(month: int, day: int, on_or_after: date) -> date:
    """The first `day`.`month` on or after a date (1 March 2027 for any day from 2 March 2026)."""
    candidate = date(on_or_after.year, month, day)
    return candidate if candidate >= on_or_after else date(on_or_after.year + 1, month, day)


def school_year_of(day: date) -> int:
    """The August that opened the school year ``day`` belongs to (July counts with the coming year,
    since nothing starts in the summer holiday)."""
    return day.year if day.month >= SUMMER_MONTH else day.year - 1


def grade_in(child: Child, school_year: int) -> int:
    """The child's grade in the school year opening in August ``school_year`` (1–10 primary and lower
    secondary, 11–13 upper secondary; 0 and below: before school)."""
    return school_year - (child.birth_year + FIRST_GRADE_AGE) + 1


def outside_summer(day: date) -> date:
    """``day``, or 1 August when it falls in July."""
    return date(day.year, SCHOOL_YEAR_STARTS, 1) if day.month == SUMMER_MONTH else day


def compute_deadline(
    rule: dict[str, Any] | None,
    arrival: date | None,
    reference: date,
    child: Child | None,
    municipal: MunicipalLayer | None = None,
    defaults: MunicipalData | None = None,
) -> Deadline | None:
    """Apply one catalog deadline rule. Without an arrival date, arrival-relative steps have none.

    None means the step does not apply after all (a kindergarten place that would start when the
    child already starts school)."""
    if rule is None:
        return NO_DEADLINE
    kind = rule["type"]
    if kind == "before_arrival":
        return Deadline(arrival)
    if kind == "after_arrival":
        if arrival is None:
            return NO_DEADLINE
        due = arrival + timedelta(days=rule.get("days", 0))
        return Deadline(add_months(due, rule.get("months", 0)))
    if kind == "next_year_date":  # e.g. the first tax return: 30 April of the year after arrival
        return Deadline(date(arrival.year + 1, rule["month"], rule["day"])) if arrival else NO_DEADLINE
    if child is None:
        raise ValueError(f"{kind} needs a child")
    if kind == "kindergarten_intake":
        return kindergarten_intake(rule, child, reference, arrival, municipal, defaults)
    if kind == "school_start":
        return school_start(rule, child, reference, arrival)
    raise ValueError(f"unknown deadline rule {kind!r}")


def _apply_by(
    rule: dict[str, Any], municipal: MunicipalLayer | None, defaults: MunicipalData | None
) -> tuple[int, int, str, bool]:
    """(month, day, set_by, uncertain): the municipality's own deadline, else the common date."""
    own = municipal.kindergarten_apply_by if municipal else None
    if own is not None:
        month, day = own.value
        return month, day, SET_BY_MUNICIPALITY, own.uncertain
    if defaults is not None:
        month, day = defaults.kindergarten_default.value
    else:
        month, day = rule["apply_by"]["month"], rule["apply_by"]["day"]
    return month, day, COMMON_DATE, True


def kindergarten_intake(
    rule: dict[str, Any],
    child: Child,
    reference: date,
    arrival: date | None,
    municipal: MunicipalLayer | None = None,
    defaults: MunicipalData | None = None,
) -> Deadline | None:
    """Main intake: apply by the municipality's deadline for a place from August. A child who turns 1
    by the end of November of the intake year has a right to a place: from August if 1 by August,
    else by the end of the birth month (barnehageloven § 16). A younger child waits for the next
    intake. A main-intake place that would start when the child starts school is no place at all:
    until then the child can only get a place if one is free (rolling intake, no right), and from two
    months before school not even that."""
    month, day, set_by, uncertain = _apply_by(rule, municipal, defaults)
    starts, cutoff = rule["starts_month"], rule["cutoff_month"]
    deadline = next_annual_date(month, day, reference)
    year = deadline.year
    born = (child.birth_year, child.birth_month)
    if born > (year - 1, cutoff):
        year = child.birth_year + 1 if child.birth_month <= cutoff else child.birth_year + 2
        deadline = date(year, month, day)
    school_starts = date(child.birth_year + FIRST_GRADE_AGE, SCHOOL_YEAR_STARTS, 1)
    if date(year, starts, 1) >= school_starts:
        if (school_starts - reference).days < 62:  # school (nearly) started: no kindergarten left
            return None
        due = outside_summer((arrival if arrival and arrival > reference else reference) + timedelta(days=14))
        return Deadline(due, set_by=SET_BY_LAW, rolling=True, school_year=school_year_of(reference))
    common = {"set_by": set_by, "uncertain": uncertain, "school_year": year}
    if born <= (year - 1, starts):
        return Deadline(deadline, place_from=date(year, starts, 1), **common)
    last_day = calendar.monthrange(year, child.birth_month)[1]
    return Deadline(
        deadline, place_from=date(year, child.birth_month, last_day), place_by_end_of_month=True, **common
    )


def school_start(
    rule: dict[str, Any], child: Child, reference: date, arrival: date | None
) -> Deadline | None:
    """Primary and lower secondary (grades 1–10) or upper secondary (11–13), by the rule's grades.

    A child of school age starts as soon as possible and at the latest within one month of arrival
    (udir); enrolment is due a week after arrival. A child who starts school next August is enrolled
    soon after arrival (two weeks, never in July) for that August. Upper secondary takes applications
    by the county's deadline (``apply_by``) for the next August; a young person of that age who
    arrives during the year contacts the county at once."""
    first, last = rule["grades"]
    year_now = school_year_of(reference)
    grade_now = grade_in(child, year_now)
    base = arrival  # enrolment counts from arrival; without an arrival date there is no due date
    if first <= grade_now <= last:
        due = outside_summer(base + timedelta(days=rule.get("days_now", 7))) if base else None
        return Deadline(due, school_year=year_now)
    if grade_now == first - 1:  # starts with the next school year
        next_august = date(year_now + 1, SCHOOL_YEAR_STARTS, 1)
        if "apply_by" in rule:
            apply_by = rule["apply_by"]
            due: date | None = date(year_now + 1, apply_by["month"], apply_by["day"])
            if base is not None and due < base:  # arrived after the deadline: apply at once
                due = outside_summer(base + timedelta(days=rule.get("days_now", 7)))
        else:
            due = outside_summer(base + timedelta(days=rule.get("days_next", 14))) if base else None
        return Deadline(due, place_from=next_august, school_year=year_now + 1)
    return None
