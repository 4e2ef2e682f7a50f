"""Deadline rules of the step catalog: relative to arrival, or fixed calendar dates."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.profile import Child


@dataclass(frozen=True)
class Deadline:
    """A step's due date and, for kindergarten, when the child's right to a place starts."""

    due: date | None
    place_from: date | None = None
    place_by_end_of_month: bool = False


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


def compute_deadline(
    rule: dict[str, Any] | None, arrival: date | None, reference: date, child: Child | None
) -> Deadline:
    """Apply one catalog deadline rule. Without an arrival date, arrival-relative steps have none."""
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
    if kind == "kindergarten_intake":
        if child is None:
            raise ValueError("kindergarten_intake needs a child")
        return kindergarten_intake(rule, child, reference)
    raise ValueError(f"unknown deadline rule {kind!r}")


def kindergarten_intake(rule: dict[str, Any], child: Child, reference: date) -> Deadline:
    """Main intake: apply by 1 March for August. A child who turns 1 by the end of November of the
    intake year has a right to a place: from August if 1 by August, else by the end of the birth
    month (barnehageloven § 16). A younger child waits for the next year's intake."""
    apply_by = rule["apply_by"]
    starts, cutoff = rule["starts_month"], rule["cutoff_month"]
    deadline = next_annual_date(apply_by["month"], apply_by["day"], reference)
    year = deadline.year
    born = (child.birth_year, child.birth_month)
    if born > (year - 1, cutoff):
        year = child.birth_year + 1 if child.birth_month <= cutoff else child.birth_year + 2
        deadline = date(year, apply_by["month"], apply_by["day"])
    if born <= (year - 1, starts):
        return Deadline(deadline, place_from=date(year, starts, 1))
    last_day = calendar.monthrange(year, child.birth_month)[1]
    return Deadline(deadline, place_from=date(year, child.birth_month, last_day), place_by_end_of_month=True)
