"""The step catalog: official steps as data (assets/catalog/steps.json), loaded and checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.dates import as_date
from services.paths import CATALOG_FILE

PHASES = ("before_arrival", "first_week", "first_month", "first_three_months", "first_year")


class CatalogError(ValueError):
    """The catalog file is malformed: a packaging bug, never a user error."""


@dataclass(frozen=True)
class Prerequisite:
    step: str
    when: dict[str, Any] | None = None  # a condition; None = always


@dataclass(frozen=True)
class Step:
    """One official step with its rules. Texts live in the per-language content packs."""

    id: str
    phase: str
    agency: str | None
    source_url: str
    last_checked: date | None  # the day someone read the source; None: not yet checked
    uncertain: bool
    per_child: bool
    applies: dict[str, Any]
    deadline: dict[str, Any] | None
    requires: tuple[Prerequisite, ...]


@dataclass(frozen=True)
class Catalog:
    steps: tuple[Step, ...]

    def by_id(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}


def parse_catalog(data: dict[str, Any]) -> Catalog:
    """Build a Catalog from its JSON form, rejecting unknown phases and dangling prerequisites."""
    try:
        steps = tuple(
            Step(
                id=raw["id"],
                phase=raw["phase"],
                agency=raw.get("agency"),
                source_url=raw["source_url"],
                last_checked=as_date(raw["last_checked"]) if raw.get("last_checked") else None,
                uncertain=bool(raw.get("uncertain", False)),
                per_child=bool(raw.get("per_child", False)),
                applies=raw["applies"],
                deadline=raw.get("deadline"),
                requires=tuple(Prerequisite(r["step"], r.get("when")) for r in raw.get("requires", ())),
            )
            for raw in data["steps"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"malformed step catalog: {exc!r}") from exc
    ids = [s.id for s in steps]
    if len(ids) != len(set(ids)):
        raise CatalogError("duplicate step ids")
    for step in steps:
        if step.phase not in PHASES:
            raise CatalogError(f"{step.id}: unknown phase {step.phase}")
        if not step.source_url.startswith("https://"):
            raise CatalogError(f"{step.id}: source must be an https URL")
        for req in step.requires:
            if req.step not in ids:
                raise CatalogError(f"{step.id}: unknown prerequisite {req.step}")
    return Catalog(steps)


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    """The shipped catalog (cached: it is read-only)."""
    return parse_catalog(json.loads(path.read_text(encoding="utf-8")))
