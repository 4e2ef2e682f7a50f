"""Who may meet whom (hard constraints) and how well they fit (a score with its reasons).

Pure functions over plain facts, no database: the suggestions endpoint, the matching round and
the tests all use these, so "why this host" and the round's optimum rank by the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Points; a pair's score is their sum (see docs/superhost.md for the reasoning).
PREFERRED_LANGUAGE = 30  # the host speaks the family's preferred language
OTHER_LANGUAGE = 10  # per further shared language, at most two counted
SAME_MUNICIPALITY = 10  # rather than an allowed neighbour
CHILDREN_SAME_AGE = 20  # the host's children are in an age band of the family's children
HOST_HAS_CHILDREN = 5  # the family has children and so does the host, of other ages
SHARED_INTEREST = 6  # per shared interest, at most three counted
SAME_OCCUPATION = 10
AVAILABILITY_SLOT = 2  # per weekly slot both have free, at most five counted
MAX_SCORE = (
    PREFERRED_LANGUAGE + 2 * OTHER_LANGUAGE + SAME_MUNICIPALITY + CHILDREN_SAME_AGE
    + 3 * SHARED_INTEREST + SAME_OCCUPATION + 5 * AVAILABILITY_SLOT
)  # fmt: skip
# Load spreading: each visit a host already has this month (or is given in a round) costs this much.
LOAD_STEP = 4


@dataclass(frozen=True)
class Seeker:
    """A household looking for a host, as matching sees it."""

    id: str
    municipality: int
    languages: tuple[str, ...]  # preferred first
    child_bands: int = 0  # bit per age band (services.host_wire.AGE_BANDS)
    interests: frozenset[str] = frozenset()
    occupation: str = ""
    availability: int = 0


@dataclass(frozen=True)
class Host:
    """A host as matching sees it; `active` = certified, in date and not suspended."""

    id: str
    municipality: int
    languages: frozenset[str]
    child_bands: int = 0
    has_children: bool = False
    interests: frozenset[str] = frozenset()
    occupation: str = ""
    availability: int = 0
    capacity_left: int = 1
    load: int = 0  # visits already taken this month
    active: bool = True


@dataclass(frozen=True)
class Rules:
    """What the coordinator and the people themselves decided."""

    neighbours: dict[int, frozenset[int]] = field(default_factory=dict)  # allowed, both ways
    excluded: frozenset[tuple[str, str]] = frozenset()  # (household, host): blocked or declined


def is_allowed(seeker: Seeker, host: Host, rules: Rules) -> bool:
    """The hard constraints: every one must hold for the pair to be suggested or assigned."""
    return (
        host.active
        and host.capacity_left > 0
        and (
            host.municipality == seeker.municipality
            or host.municipality in rules.neighbours.get(seeker.municipality, frozenset())
        )
        and not host.languages.isdisjoint(seeker.languages)
        and (seeker.id, host.id) not in rules.excluded
    )


def norm_occupation(text: str) -> str:
    return " ".join(text.casefold().split())


def fit(seeker: Seeker, host: Host) -> tuple[int, list[dict]]:
    """How well an allowed pair fits: points and the reasons behind them (codes the app translates)."""
    points, reasons = 0, []
    preferred = seeker.languages[0] if seeker.languages else None
    others = [lang for lang in seeker.languages[1:] if lang in host.languages]
    if preferred in host.languages:
        points += PREFERRED_LANGUAGE
        reasons.append({"code": "preferred_language", "language": preferred})
    if others:
        points += OTHER_LANGUAGE * min(2, len(others))
        reasons.append({"code": "shared_languages", "languages": others})
    if host.municipality == seeker.municipality:
        points += SAME_MUNICIPALITY
    else:
        reasons.append({"code": "nearby", "municipality": host.municipality})
    if seeker.child_bands:
        if host.child_bands & seeker.child_bands:
            points += CHILDREN_SAME_AGE
            reasons.append({"code": "children_same_age"})
        elif host.has_children:
            points += HOST_HAS_CHILDREN
            reasons.append({"code": "host_has_children"})
    shared = sorted(seeker.interests & host.interests)
    if shared:
        points += SHARED_INTEREST * min(3, len(shared))
        reasons.append({"code": "shared_interests", "interests": shared})
    if seeker.occupation and norm_occupation(seeker.occupation) == norm_occupation(host.occupation):
        points += SAME_OCCUPATION
        reasons.append({"code": "same_occupation"})
    slots = (seeker.availability & host.availability).bit_count()
    if slots:
        points += AVAILABILITY_SLOT * min(5, slots)
        reasons.append({"code": "availability", "slots": slots})
    return points, reasons


def top_hosts(seeker: Seeker, hosts: list[Host], rules: Rules, count: int) -> list[tuple[Host, int, list]]:
    """The best `count` allowed hosts for one household, best first (ties by host id, stable)."""
    ranked = []
    for host in hosts:
        if is_allowed(seeker, host, rules):
            points, reasons = fit(seeker, host)
            ranked.append((points - LOAD_STEP * host.load, host.id, host, points, reasons))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [(host, points, reasons) for _rank, _id, host, points, reasons in ranked[:count]]
