"""Nordland's 41 municipalities (reference data) and a forgiving search over them."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.paths import MUNICIPALITIES_FILE


@dataclass(frozen=True)
class Municipality:
    number: int
    name: str
    region: str
    sami_name: str | None = None
    sami_name_uncertain: bool = False
    region_uncertain: bool = False

    @property
    def official_sami_name(self) -> str | None:
        """A Sámi name shown as official; unconfirmed ones are not presented as official."""
        return self.sami_name if self.sami_name and not self.sami_name_uncertain else None


@lru_cache(maxsize=2)
def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> tuple[Municipality, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Municipality(**m) for m in data["municipalities"])


def get_municipality(number: int | None) -> Municipality | None:
    return next((m for m in load_municipalities() if m.number == number), None)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so 'bodo' finds Bodø and 'aahkan' finds Áhkánjárga."""
    text = text.casefold().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_municipalities(query: str) -> list[Municipality]:
    """Municipalities whose name, Sámi name, region or number contains the query; all when empty."""
    needle = _fold(query.strip())
    if not needle:
        return list(load_municipalities())
    return [
        m
        for m in load_municipalities()
        if needle in _fold(m.name)
        or needle in _fold(m.sami_name or "")
        or needle in _fold(m.region)
        or needle in str(m.number)
    ]
