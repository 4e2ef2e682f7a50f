"""Who the newcomer is: the answers from the first-run wizard, validated."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from services.countries import is_country
from services.dates import as_date

GROUPS = ("nordic", "eea", "non_eu")
REASONS = ("work", "family", "family_eea")  # family_eea: joining an EU/EEA citizen
PROFESSIONS = ("none", "health", "recognition")
LICENCES = ("none", "eea", "uk", "non_eea")
# How long the stay is expected to last: the bands where Norwegian rules change (UDI registration
# over 3 months, resident and national identity number from 6, child benefit from 12).
STAYS = ("under_3", "3_6", "6_12", "over_12")


class ProfileError(ValueError):
    """A profile value is invalid. `code` names the message the views show (views/messages.py)."""

    def __init__(self, field_name: str, code: str) -> None:
        super().__init__(f"{field_name}: {code}")
        self.field_name = field_name
        self.code = code


@dataclass(frozen=True)
class Child:
    """A child in the household: no account, no name needed (an empty label is shown as "Child 2",
    by position, in the reader's language); birth year and month drive the rules."""

    id: str
    label: str
    birth_year: int
    birth_month: int

    @staticmethod
    def new(label: str, birth_year: int, birth_month: int) -> Child:
        return Child(uuid.uuid4().hex[:12], label, birth_year, birth_month)


@dataclass(frozen=True)
class Profile:
    """The newcomer's answers. Every field has a safe default so each wizard step can be skipped."""

    language: str = "en"
    group: str = "eea"
    reason: str = "work"
    municipality: int | None = None
    arrival_date: date | None = None
    stay: str = "over_12"
    citizenship: str | None = None  # ISO 3166 code; optional (TB check advice needs it)
    partner: bool = False
    children: tuple[Child, ...] = field(default_factory=tuple)
    profession: str = "none"
    licence: str = "none"

    @property
    def long_stay(self) -> bool:
        """Six months or more: the person is registered as resident and gets a national identity number."""
        return self.stay in ("6_12", "over_12")

    def with_changes(self, **changes: Any) -> Profile:
        """A validated copy with some fields changed."""
        updated = replace(self, **changes)
        updated.validate()
        return updated

    def validate(self, today: date | None = None) -> None:
        """Raise ProfileError for the first invalid field."""
        if self.group not in GROUPS:
            raise ProfileError("group", "choose_option")
        if self.reason not in REASONS:
            raise ProfileError("reason", "choose_option")
        if self.profession not in PROFESSIONS:
            raise ProfileError("profession", "choose_option")
        if self.licence not in LICENCES:
            raise ProfileError("licence", "choose_option")
        if self.stay not in STAYS:
            raise ProfileError("stay", "choose_option")
        if self.citizenship is not None and not is_country(self.citizenship):
            raise ProfileError("citizenship", "choose_option")
        if self.municipality is not None and not 1804 <= self.municipality <= 1875:
            raise ProfileError("municipality", "municipality_outside")
        if self.arrival_date is not None and not 2000 <= self.arrival_date.year <= 2100:
            raise ProfileError("arrival_date", "date_out_of_range")
        for child in self.children:
            validate_child(child, today or date.today())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["arrival_date"] = self.arrival_date.isoformat() if self.arrival_date else None
        data["children"] = [asdict(c) for c in self.children]
        data["long_stay"] = self.long_stay  # still read by apps from before the stay bands
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Profile:
        """Read a stored profile; unknown keys are ignored so older apps can read newer rows."""
        known = {f for f in Profile.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        if "stay" not in values and "long_stay" in data:  # written before stays came in bands
            values["stay"] = "over_12" if data["long_stay"] else "3_6"
        if values.get("arrival_date"):
            values["arrival_date"] = as_date(values["arrival_date"])
        values["children"] = tuple(Child(**c) for c in values.get("children", ()))
        return Profile(**values)


def validate_child(child: Child, today: date) -> None:
    """A child's birth month must be real, not in the future and under 18 years ago."""
    if len(child.label) > 40:
        raise ProfileError("child_label", "child_label_too_long")
    if not 1 <= child.birth_month <= 12:
        raise ProfileError("birth_month", "bad_month")
    if (child.birth_year, child.birth_month) > (today.year, today.month):
        raise ProfileError("birth_year", "birth_in_future")
    if today.year - child.birth_year > 18:
        raise ProfileError("birth_year", "child_too_old")
