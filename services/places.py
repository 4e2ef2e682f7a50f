"""Nordland's places (reference data) and the text folding that the municipality search uses.

Postal places come from Posten's postcode register (see ``assets/catalog/places.json`` for the source,
its date and what it does not cover, and ``scripts/build_places.py`` for how it is built). Urban
settlements without a postal place of their own (Løding, a part of Bodø) come from SSB's list of
urban settlements, kept in ``assets/catalog/settlements.json`` with its source and check date.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.paths import ASSETS_DIR

PLACES_FILE = ASSETS_DIR / "catalog" / "places.json"
SETTLEMENTS_FILE = ASSETS_DIR / "catalog" / "settlements.json"


@dataclass(frozen=True)
class Place:
    """A postal place and the municipality it lies in (most of its postcodes, when it spans two)."""

    name: str
    municipality: int
    postcodes: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    also_in_municipalities: tuple[int, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The current name first, then earlier spellings that people may still use."""
        return (self.name, *self.former_names)


@lru_cache(maxsize=2)
def load_places(path: Path = PLACES_FILE) -> tuple[Place, ...]:
    """All places in the shipped list, in file order (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Place(
            name=p["name"],
            municipality=int(p["municipality"]),
            postcodes=tuple(p.get("postcodes", ())),
            former_names=tuple(p.get("former_names", ())),
            also_in_municipalities=tuple(p.get("also_in_municipalities", ())),
        )
        for p in data["places"]
    )


@lru_cache(maxsize=2)
def load_settlements(path: Path = SETTLEMENTS_FILE) -> tuple[Place, ...]:
    """Urban settlements that are not postal places, as places without postcodes (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Place(name=s["name"], municipality=int(s["municipality"])) for s in data["settlements"])


def searchable_places() -> tuple[Place, ...]:
    """Every place the municipality search knows: postal places, then settlements without one."""
    return load_places() + load_settlements()


# Letters that Unicode does not decompose into a base letter plus accents.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "œ": "o",
        "æ": "a",
        "đ": "d",
        "ð": "d",
        "ŋ": "n",
        "ŧ": "t",
        "ʒ": "z",
        "ß": "ss",
        "ı": "i",
    }
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Spellings without Norwegian letters: "aa" for å, "ae" for æ, "oe" for ø.
_DIGRAPHS = re.compile(r"a[ae]|oe")


def fold(text: str) -> str:
    """A case-, accent- and spelling-insensitive form of ``text`` for matching, words joined by one space.

    'Brønnøysund', 'BRONNOYSUND' and 'Broennoeysund' fold alike, as do 'Svolvær', 'svolvaer' and
    'svolvar'; Sámi letters lose their diacritics (á č đ ŋ š ŧ ž → a c d n s t z) and hyphens count
    as spaces.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)
    text = _NOT_ALNUM.sub(" ", text)
    text = _DIGRAPHS.sub(lambda m: m.group(0)[0], text)
    return " ".join(text.split())


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    return tuple(fold(text).split())
