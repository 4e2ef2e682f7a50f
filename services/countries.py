"""Countries of citizenship: ISO 3166 codes, names in the reader's language (CLDR via Babel), the
group each belongs to for Norwegian immigration rules, and a forgiving search."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from services.places import fold

# CLDR "territories" that nobody holds a passport of (regions, pseudo-locales, uninhabited places).
_NOT_CITIZENSHIPS = frozenset(
    {
        "AC",
        "AQ",
        "BV",
        "CP",
        "DG",
        "EA",
        "EU",
        "EZ",
        "HM",
        "IC",
        "IO",
        "QO",
        "TA",
        "TF",
        "UM",
        "UN",
        "XA",
        "XB",
        "ZZ",
    }
)
# Nordic citizens have their own rules (no registration with UDI; the Nordic agreement).
NORDIC = frozenset({"DK", "FI", "IS", "SE", "AX", "FO", "GL"})
# The EU's 27 members plus the EEA's Iceland and Liechtenstein. Swiss citizens follow the same
# rules in Norway (the EFTA Convention), so the app treats them as EU/EEA.
EEA = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DE", "EE", "ES", "FR", "GR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SI", "SK", "LI", "CH",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2 (Kosovo: XK, as CLDR has it)
    name: str  # in the reader's language


def group_of(code: str) -> str:
    """The wizard's citizenship group for a country: nordic, eea or non_eu."""
    if code in NORDIC:
        return "nordic"
    return "eea" if code in EEA else "non_eu"


@lru_cache(maxsize=8)
def countries(language: str) -> tuple[Country, ...]:
    """Every country of citizenship, named and sorted in ``language`` (CLDR names)."""
    names = Locale.parse(language).territories
    english = Locale.parse("en").territories
    found = [
        Country(code, names.get(code) or english[code])
        for code in english
        if len(code) == 2 and code.isalpha() and code not in _NOT_CITIZENSHIPS and code != "NO"
    ]
    return tuple(sorted(found, key=lambda c: fold(c.name)))


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Code → folded English name, for searching in English whatever the reader's language."""
    return {c.code: fold(c.name) for c in countries("en")}


def is_country(code: str) -> bool:
    """True for a code the wizard offers."""
    return code in _english_names()


def country_name(code: str, language: str) -> str:
    """The country's name in ``language``, or the code itself when CLDR has none."""
    return next((c.name for c in countries(language) if c.code == code), code)


def find_countries(query: str, language: str, limit: int = 8) -> list[Country]:
    """Countries whose name (in the reader's language or in English) or code matches ``query``:
    names that start with it first, then names containing it; accent- and case-insensitive."""
    wanted = fold(query)
    if not wanted:
        return []
    english = _english_names()
    starts, inside = [], []
    for c in countries(language):
        names = (fold(c.name), english[c.code], c.code.lower())
        if any(n.startswith(wanted) or f" {wanted}" in f" {n}" for n in names):
            starts.append(c)
        elif any(wanted in n for n in names[:2]):
            inside.append(c)
    return (starts + inside)[:limit]
