"""Nordland's 41 municipalities (reference data) and a forgiving search over them that also knows towns.

People know their town, not their municipality: the search matches municipality names, Sámi names,
regions and numbers, and the postal places of ``services.places`` (Mo i Rana → Rana, Svolvær → Vågan),
ignoring case, accents, Norwegian/Sámi letters and hyphens, and matching the start of each word.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.paths import MUNICIPALITIES_FILE
from services.places import fold, searchable_places, words


@dataclass(frozen=True)
class Municipality:
    """One of Nordland's municipalities, as listed in ``assets/catalog/municipalities.json``."""

    number: int
    name: str
    region: str
    sami_name: str | None = None
    sami_name_uncertain: bool = False
    region_uncertain: bool = False
    sami_name_source: str | None = None  # the government decision that made the Sámi name official
    sami_name_checked: str | None = None  # the day that source was read

    @property
    def official_sami_name(self) -> str | None:
        """A Sámi name shown as official; unconfirmed ones are not presented as official."""
        return self.sami_name if self.sami_name and not self.sami_name_uncertain else None


@dataclass(frozen=True)
class MunicipalityMatch:
    """One search result: the municipality, and the place through which it matched (if any).

    ``via_place`` is None when the query matched the municipality itself (its name, Sámi name, region
    or number); otherwise it is the place name that matched, so the UI can show "Rana — Mo i Rana".
    """

    municipality: Municipality
    via_place: str | None = None


@lru_cache(maxsize=2)
def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> tuple[Municipality, ...]:
    """All 41 municipalities in file order (by number), read once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Municipality(**m) for m in data["municipalities"])


def get_municipality(number: int | None) -> Municipality | None:
    """The municipality with this number, or None."""
    return next((m for m in load_municipalities() if m.number == number), None)


# Result tiers, best first: exact name, exact place (or postcode), start of a municipality's name, start
# of a region, start of a place name, a later word of a name, a later word of a place, anywhere in a name.
_EXACT, _PLACE_EXACT, _PREFIX, _REGION, _PLACE_PREFIX, _INNER, _PLACE_INNER, _SUBSTRING = range(8)


@dataclass(frozen=True)
class _Key:
    """A searchable name, folded once: its words and the words run together."""

    words: tuple[str, ...]
    joined: str

    @classmethod
    def of(cls, text: str) -> _Key:
        folded = words(text)
        return cls(folded, "".join(folded))


def _starts_words(query: tuple[str, ...], name: tuple[str, ...], anchored: bool) -> bool:
    """Each query word starts a word of ``name``, in order (words may be skipped: "mo rana" → Mo i Rana).

    ``anchored``: the first query word must start the first word of the name.
    """
    i = 0
    for k, q in enumerate(query):
        if k == 0 and anchored:
            if not name or not name[0].startswith(q):
                return False
            i = 1
            continue
        while i < len(name) and not name[i].startswith(q):
            i += 1
        if i == len(name):
            return False
        i += 1
    return True


def _level(query: _Key, key: _Key) -> int | None:
    """0 exact, 1 prefix (start of the name), 2 a later word; None when it does not match."""
    if query.words == key.words or query.joined == key.joined:
        return 0
    if _starts_words(query.words, key.words, anchored=True) or key.joined.startswith(query.joined):
        return 1
    if _starts_words(query.words, key.words, anchored=False):
        return 2
    return None


@dataclass(frozen=True)
class _Index:
    """Everything the search compares against, folded once."""

    municipalities: tuple[Municipality, ...]
    names: tuple[tuple[_Key, ...], ...]  # per municipality: name and Sámi name
    regions: tuple[_Key, ...]
    places: tuple[tuple[int, str, _Key, int], ...]  # (municipality position, place name, key, rank)
    postcodes: dict[str, tuple[int, str]]  # postcode → (municipality position, place name)


@lru_cache(maxsize=1)
def _index() -> _Index:
    municipalities = load_municipalities()
    by_number = {m.number: i for i, m in enumerate(municipalities)}
    names = tuple(tuple(_Key.of(n) for n in (m.name, m.sami_name) if n) for m in municipalities)
    regions = tuple(_Key.of(m.region) for m in municipalities)
    places = []
    postcodes: dict[str, tuple[int, str]] = {}
    # Places with more postcodes (bigger towns) come first among equally good place matches.
    for p in sorted(searchable_places(), key=lambda p: (-len(p.postcodes), fold(p.name))):
        position = by_number.get(p.municipality)
        if position is None:  # not one of the 41 (a test checks the data never does this)
            continue
        for name in p.names:
            places.append((position, name, _Key.of(name), len(places)))
        for code in p.postcodes:
            postcodes[code] = (position, p.name)
    return _Index(municipalities, names, regions, tuple(places), postcodes)


@lru_cache(maxsize=128)
def _find(folded_query: str) -> tuple[MunicipalityMatch, ...]:
    """The ranked matches for an already folded, non-empty query (cached: the UI asks on every render)."""
    index = _index()
    query = _Key(tuple(folded_query.split()), folded_query.replace(" ", ""))
    best: dict[int, tuple[int, int, str | None]] = {}  # position → (tier, order within tier, via place)

    def offer(position: int, tier: int, order: int, via: str | None) -> None:
        if position not in best or (tier, order) < best[position][:2]:
            best[position] = (tier, order, via)

    for position, m in enumerate(index.municipalities):
        number = str(m.number)
        if query.joined == number:
            offer(position, _EXACT, position, None)
        elif number.startswith(query.joined):
            offer(position, _PREFIX, position, None)
        for key in index.names[position]:
            level = _level(query, key)
            if level is not None:
                offer(position, (_EXACT, _PREFIX, _INNER)[level], position, None)
            elif query.joined in key.joined:
                offer(position, _SUBSTRING, position, None)
        level = _level(query, index.regions[position])
        if level is not None:
            offer(position, _REGION if level < 2 else _INNER, position, None)
        elif query.joined in index.regions[position].joined:
            offer(position, _SUBSTRING, position, None)

    if query.joined in index.postcodes:
        position, place = index.postcodes[query.joined]
        offer(position, _PLACE_EXACT, -1, place)
    for position, name, key, rank in index.places:
        level = _level(query, key)
        if level is not None:
            offer(position, (_PLACE_EXACT, _PLACE_PREFIX, _PLACE_INNER)[level], rank, name)

    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
    return tuple(MunicipalityMatch(index.municipalities[pos], via) for pos, (_t, _o, via) in ranked)


def find_municipalities(query: str) -> list[MunicipalityMatch]:
    """Municipalities matching ``query``, best first, each with the place it matched through (if any).

    Order: exact matches of a name (municipality name, Sámi name, number), then exact place names or
    postcodes, then municipalities whose name starts with the query, regions, places whose name starts
    with the query, later words, and last any municipality name containing the query. An empty query
    gives all 41 in their usual order.
    """
    folded = fold(query)
    if not folded:
        return [MunicipalityMatch(m) for m in load_municipalities()]
    return list(_find(folded))


def search_municipalities(query: str) -> list[Municipality]:
    """The municipalities of :func:`find_municipalities`, in the same order (all 41 when empty)."""
    return [match.municipality for match in find_municipalities(query)]
