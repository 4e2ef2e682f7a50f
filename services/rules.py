"""Applicability conditions of the step catalog: a tiny, data-only rule language.

A condition is one of:
  {"always": true}
  {"all": [cond, ...]} / {"any": [cond, ...]} / {"not": cond}
  {"field": name, "eq": value} / {"field": name, "in": [values]} / {"field": name, "between": [lo, hi]}
Facts come from the profile (group, reason, stay, long_stay, partner, has_children, profession,
licence, tb_status) and, for per-child steps, from the child
(child_age_this_year, child_age_months).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.profile import Child, Profile
from services.tuberculosis import tb_status

Facts = dict[str, Any]


class RuleError(ValueError):
    """A condition in the catalog is malformed."""


def profile_facts(profile: Profile) -> Facts:
    """The facts about the household that catalog conditions may test."""
    return {
        "group": profile.group,
        "reason": profile.reason,
        "stay": profile.stay,
        "long_stay": profile.long_stay,
        "tb_status": tb_status(profile.citizenship),
        "partner": profile.partner,
        "has_children": bool(profile.children),
        "profession": profile.profession,
        "licence": profile.licence,
    }


def child_facts(child: Child, reference: date) -> Facts:
    """Facts about one child: the age the child turns in the reference year drives school rules;
    the age in whole months (at the reference date) drives benefits counted in months."""
    months = (reference.year - child.birth_year) * 12 + reference.month - child.birth_month
    return {"child_age_this_year": reference.year - child.birth_year, "child_age_months": months}


def evaluate(condition: dict[str, Any] | None, facts: Facts) -> bool:
    """True when the condition holds for the facts. A missing fact never matches."""
    if condition is None:
        return True
    if "always" in condition:
        return bool(condition["always"])
    if "all" in condition:
        return all(evaluate(c, facts) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, facts) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], facts)
    if "field" in condition:
        name = condition["field"]
        if name not in facts:
            return False
        value = facts[name]
        if "eq" in condition:
            return value == condition["eq"]
        if "in" in condition:
            return value in condition["in"]
        if "between" in condition:
            low, high = condition["between"]
            return low <= value <= high
    raise RuleError(f"unknown condition {condition!r}")


def fields_used(condition: dict[str, Any] | None) -> set[str]:
    """Every fact name a condition reads (used to check the catalog against the known facts)."""
    if not condition:
        return set()
    found: set[str] = set()
    for key in ("all", "any"):
        for sub in condition.get(key, ()):
            found |= fields_used(sub)
    if "not" in condition:
        found |= fields_used(condition["not"])
    if "field" in condition:
        found.add(condition["field"])
    return found
