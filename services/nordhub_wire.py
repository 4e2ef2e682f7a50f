"""Nordhub's shared protocol: the milestones a newcomer may show their employer, the steps of the
newcomer's checklist each one stands for, the staff roles and the case fields' limits. The server
and the app both read it, so what the employer may see is defined once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STAFF_ROLES = ("admin", "hr")
GROUPS = ("nordic", "eea", "non_eu")  # as services/profile.py GROUPS
CHILD_BANDS = ("0-5", "6-12", "13-17")  # the employer learns age bands, never ages
MAX_CHILDREN = 10
MAX_NAME = 60
MAX_ROLE_TITLE = 80
MAX_START_DAYS_AHEAD = 730  # a start date more than two years ahead is a typing error

# Messages to the newcomer: a template the app words in the family's own language, and an
# optional note in the employer's words (shown as written, marked as not translated).
MESSAGE_TEMPLATES = ("welcome", "documents", "id_check", "housing", "first_day", "contact_us")
MAX_MESSAGE_NOTE = 500
MAX_MESSAGES_PER_DAY = 10  # per case: an inbox, not a chat
EMPLOYER_MESSAGE = "employer_message"  # the inbox kind

# What the employer may be shown, each only with the family's consent, and the checklist steps it
# stands for (a per-child step counts by its prefix, "kindergarten:<child>").
MILESTONES = ("permit", "id_number", "tax_card", "bank_account", "gp", "childcare_school")
MILESTONE_STEPS: dict[str, tuple[str, ...]] = {
    "permit": ("residence_permit", "eea_registration"),
    "id_number": ("identity_number", "id_check_d_number"),
    "tax_card": ("tax_deduction_card",),
    "bank_account": ("bank_account",),
    "gp": ("gp_fastlege",),
    "childcare_school": ("kindergarten", "school"),
}
# What must come first (the newcomer's catalog: the ID number needs the permit or registration;
# tax card, bank account and GP need the ID number).
MILESTONE_NEEDS: dict[str, tuple[str, ...]] = {
    "permit": (),
    "id_number": ("permit",),
    "tax_card": ("id_number",),
    "bank_account": ("id_number",),
    "gp": ("id_number",),
    "childcare_school": (),
}
DONE, OPEN, BLOCKED, NOT_NEEDED = "done", "open", "blocked", "not_needed"


def step_milestone(row_key: str) -> str | None:
    """The milestone a checklist row belongs to (None: the employer never learns of it)."""
    step = row_key.split(":", 1)[0]
    for milestone, steps in MILESTONE_STEPS.items():
        if step in steps:
            return milestone
    return None


def milestone_states(statuses: Mapping[str, Any], consented: Iterable[str]) -> dict[str, dict[str, Any]]:
    """What the employer sees: for each consented milestone, done / open / blocked, and what it
    waits for only when that is consented too (a blocked reason would otherwise tell the employer
    about a milestone the family did not share). `statuses` maps checklist rows to their status."""
    shown = [m for m in MILESTONES if m in set(consented)]
    marks: dict[str, set[str]] = {m: set() for m in MILESTONES}
    for row_key, status in statuses.items():
        milestone = step_milestone(row_key)
        if milestone is not None and isinstance(status, str):
            marks[milestone].add(status)
    # A place for one child counts; "not relevant" everywhere means the family does not need it.
    done = {m: "done" in marks[m] for m in MILESTONES}
    not_needed = {m: marks[m] == {"not_relevant"} for m in MILESTONES}
    states: dict[str, dict[str, Any]] = {}
    for milestone in shown:
        if done[milestone] or not_needed[milestone]:
            states[milestone] = {"state": DONE if done[milestone] else NOT_NEEDED}
            continue
        waiting = [n for n in MILESTONE_NEEDS[milestone] if n in shown and not (done[n] or not_needed[n])]
        states[milestone] = {"state": BLOCKED, "waits_for": waiting} if waiting else {"state": OPEN}
    return states
