"""FHI's list of countries with a high incidence of tuberculosis, kept as dated data
(``assets/catalog/tb_countries.json``): people from these countries who stay more than three months
have a duty to a TB check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from services.countries import country_name
from services.dates import as_date
from services.paths import ASSETS_DIR
from services.places import fold

TB_FILE = ASSETS_DIR / "catalog" / "tb_countries.json"


@dataclass(frozen=True)
class TbList:
    countries: frozenset[str]  # ISO 3166 codes
    source_url: str
    checked: date | None
    complete: bool  # False when only part of FHI's list could be read
    covered_through: str  # folded English name: countries sorting up to it were read


@lru_cache(maxsize=2)
def load_tb_list(path: Path = TB_FILE) -> TbList:
    """The shipped list (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return TbList(
        countries=frozenset(c["code"] for c in data["countries"]),
        source_url=data["source"]["url"],
        checked=as_date(data["checked"]) if data.get("checked") else None,
        complete=bool(data["complete"]),
        covered_through=data.get("covered_through", "") if not data["complete"] else "~",
    )


LISTED, NOT_LISTED, UNKNOWN, NO_COUNTRY = "listed", "not_listed", "unknown", "no_country"


def tb_status(code: str | None) -> str:
    """Whether FHI lists the country: listed, not_listed, unknown (the part of the list that could not
    be read) or no_country (the person did not say)."""
    if code is None:
        return NO_COUNTRY
    tb = load_tb_list()
    if code in tb.countries:
        return LISTED
    if tb.complete or fold(country_name(code, "en")) <= tb.covered_through:
        return NOT_LISTED
    return UNKNOWN
