"""The Superhost wire protocol, shared by the app and the server (no Flet, no server deps):
the vocabularies a host profile and a host-seeking family are described with, and the limits.

Everything here is a code; the app shows each in the user's language (views translate the codes),
the server validates against the same sets.
"""

from __future__ import annotations

# Languages people in Nordland speak (reference/nordland.md), ISO 639-1 codes; "se" is Northern Sámi.
SPOKEN_LANGUAGES: tuple[str, ...] = (
    "nb", "en", "pl", "lt", "uk", "ar", "ti", "so", "ro", "th", "tl", "ru", "lv", "de", "sv", "se",
)  # fmt: skip

# Nordland's 41 municipality numbers (assets/catalog/municipalities.json; a test keeps them equal).
MUNICIPALITY_NUMBERS: frozenset[int] = frozenset({
    1804, 1806, 1811, 1812, 1813, 1815, 1816, 1818, 1820, 1822, 1824, 1825, 1826, 1827, 1828, 1832,
    1833, 1834, 1835, 1836, 1837, 1838, 1839, 1840, 1841, 1845, 1848, 1851, 1853, 1856, 1857, 1859,
    1860, 1865, 1866, 1867, 1868, 1870, 1871, 1874, 1875,
})  # fmt: skip

INTERESTS: tuple[str, ...] = (
    "outdoors", "fishing", "skiing", "football", "music", "cooking", "crafts", "reading",
    "volunteering", "faith", "games", "family_activities",
)  # fmt: skip

# Weekly availability: 7 days × 3 parts of the day, one bit each (Monday morning is bit 0).
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = ("morning", "afternoon", "evening")
ALL_SLOTS = (1 << (len(DAYS) * len(DAY_PARTS))) - 1

# Age bands the matching compares children by (children have no accounts; a band is enough).
AGE_BANDS = ((0, 2), (3, 5), (6, 12), (13, 17))

MAX_FIRST_NAME = 40
MAX_INTRODUCTION = 500
MAX_OCCUPATION = 60
MAX_MESSAGE = 500
MAX_REASON = 300
MAX_PLACE = 120
MAX_PARTY = 12
MAX_VISITS_PER_MONTH = 8
MAX_PENDING_REQUESTS = 3  # open requests per household
SUGGESTIONS = 5
CERTIFICATION_MAX_YEARS = 3


def slot_bit(day: int, part: int) -> int:
    """The availability bit for a day (0 = Monday) and a part of the day (0 = morning)."""
    return 1 << (day * len(DAY_PARTS) + part)


def age_band(age: int) -> int | None:
    """Index of the band an age in years falls in (None for adults)."""
    return next((i for i, (low, high) in enumerate(AGE_BANDS) if low <= age <= high), None)


def bands_mask(ages: list[int]) -> int:
    """One bit per age band present among the ages."""
    mask = 0
    for age in ages:
        band = age_band(age)
        if band is not None:
            mask |= 1 << band
    return mask


def language_mask(codes: list[str] | tuple[str, ...]) -> int:
    """One bit per spoken language, in SPOKEN_LANGUAGES order (stored with host profiles)."""
    return sum(1 << SPOKEN_LANGUAGES.index(c) for c in set(codes) if c in SPOKEN_LANGUAGES)


def interest_mask(codes: list[str] | tuple[str, ...]) -> int:
    return sum(1 << INTERESTS.index(c) for c in set(codes) if c in INTERESTS)
