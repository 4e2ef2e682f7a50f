"""The municipal layer: rules and pages that each municipality sets, beside the national catalog.

Every value carries its source, the day someone read that source and whether it is uncertain
(``assets/catalog/municipal.json``). The engine prefers a municipality's own value over the national
default and says whose rule it applied; a default is never presented as certain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.dates import as_date
from services.paths import ASSETS_DIR

MUNICIPAL_FILE = ASSETS_DIR / "catalog" / "municipal.json"
PAGE_KINDS = ("newcomer", "kindergarten", "school", "language_training")


class MunicipalDataError(ValueError):
    """The municipal layer file is malformed: a packaging bug, never a user error."""


@dataclass(frozen=True)
class Sourced:
    """One value with where it comes from. ``checked`` is None when nobody has read the source yet."""

    value: Any
    source_url: str | None
    checked: date | None
    uncertain: bool
    note: str = ""


@dataclass(frozen=True)
class MunicipalLayer:
    """What one municipality sets (missing values fall back to national defaults)."""

    number: int
    kindergarten_apply_by: Sourced | None = None  # value: (month, day)
    pages: dict[str, Sourced] = field(default_factory=dict)  # value: https URL
    sami_admin_area: Sourced | None = None  # value: True when in the Sámi language administrative area


@dataclass(frozen=True)
class MunicipalData:
    layers: dict[int, MunicipalLayer]
    kindergarten_default: Sourced  # the common date used where a municipality's own is not known

    def layer(self, number: int | None) -> MunicipalLayer | None:
        return self.layers.get(number) if number is not None else None


def _sourced(raw: dict[str, Any], value: Any) -> Sourced:
    url = raw.get("source_url")
    # Some municipal pages are only served over http; the link still names the official source.
    if url is not None and not str(url).startswith(("https://", "http://")):
        raise MunicipalDataError(f"source must be a web address: {url!r}")
    checked = raw.get("checked")
    if raw.get("uncertain") is None:
        raise MunicipalDataError(f"every value says whether it is uncertain: {raw!r}")
    if checked is None and not raw["uncertain"]:
        raise MunicipalDataError(f"a value nobody has checked must be uncertain: {raw!r}")
    return Sourced(
        value, url, as_date(checked) if checked else None, bool(raw["uncertain"]), raw.get("note", "")
    )


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2028, month, day)  # a real day (2028: 29 February allowed)
    return month, day


def parse_municipal(data: dict[str, Any]) -> MunicipalData:
    """Build the layer from its JSON form, refusing values without a source or honesty flag."""
    try:
        sami = data["sami_admin_area"]
        sami_numbers = {int(n) for n in sami["municipalities"]}
        layers: dict[int, MunicipalLayer] = {}
        for key, raw in data["municipalities"].items():
            number = int(key)
            apply_by = raw.get("kindergarten_apply_by")
            if apply_by and not apply_by.get("checked"):  # it is here because someone read the page
                raise MunicipalDataError(f"{number}: a municipality's own deadline needs its check date")
            pages = {kind: _sourced(p, p["url"]) for kind, p in raw.get("pages", {}).items()}
            if set(pages) - set(PAGE_KINDS):
                raise MunicipalDataError(f"{number}: unknown page kind {set(pages) - set(PAGE_KINDS)}")
            if any(not p.value.startswith("https://") for p in pages.values()):
                raise MunicipalDataError(f"{number}: pages must be https URLs")
            layers[number] = MunicipalLayer(
                number=number,
                kindergarten_apply_by=_sourced(apply_by, _month_day(apply_by["value"])) if apply_by else None,
                pages=pages,
                sami_admin_area=_sourced(sami, True) if number in sami_numbers else None,
            )
        for number in sami_numbers - set(layers):
            layers[number] = MunicipalLayer(number, sami_admin_area=_sourced(sami, True))
        default = data["national_defaults"]["kindergarten_apply_by"]
        return MunicipalData(
            layers=layers, kindergarten_default=_sourced(default, _month_day(default["value"]))
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MunicipalDataError):
            raise
        raise MunicipalDataError(f"malformed municipal layer: {exc!r}") from exc


@lru_cache(maxsize=2)
def load_municipal(path: Path = MUNICIPAL_FILE) -> MunicipalData:
    """The shipped municipal layer (cached: it is read-only)."""
    return parse_municipal(json.loads(path.read_text(encoding="utf-8")))
