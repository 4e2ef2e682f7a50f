"""Matching: hard constraints, fit, and the optimal round against the exhaustive reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from server.matching.reference import solve_by_exhaustion
from server.matching.round import allowed_pairs, is_feasible, objective, solve_round
from server.matching.score import Host, Rules, Seeker, fit, is_allowed, top_hosts
from services.host_wire import INTERESTS

LANGS = ("nb", "en", "pl", "ar", "uk")
MUNIS = (1804, 1833, 1806)
langs = st.lists(st.sampled_from(LANGS), min_size=1, max_size=3, unique=True)
interests = st.frozensets(st.sampled_from(INTERESTS[:5]), max_size=3)
occupation = st.sampled_from(["", "nurse", "Nurse ", "welder"])
slots = st.integers(0, (1 << 21) - 1)


def seekers_strategy(count: tuple[int, int]) -> st.SearchStrategy[list[Seeker]]:
    one = st.builds(
        Seeker,
        id=st.just(""),
        municipality=st.sampled_from(MUNIS),
        languages=langs.map(tuple),
        child_bands=st.integers(0, 15),
        interests=interests,
        occupation=occupation,
        availability=slots,
    )
    return st.lists(one, min_size=count[0], max_size=count[1]).map(
        lambda xs: [Seeker(**{**x.__dict__, "id": f"s{i}"}) for i, x in enumerate(xs)]
    )


def hosts_strategy(count: tuple[int, int]) -> st.SearchStrategy[list[Host]]:
    one = st.builds(
        Host,
        id=st.just(""),
        municipality=st.sampled_from(MUNIS),
        languages=langs.map(frozenset),
        child_bands=st.integers(0, 15),
        has_children=st.booleans(),
        interests=interests,
        occupation=occupation,
        availability=slots,
        capacity_left=st.integers(0, 2),
        load=st.integers(0, 3),
        active=st.booleans(),
    )
    return st.lists(one, min_size=count[0], max_size=count[1]).map(
        lambda xs: [Host(**{**x.__dict__, "id": f"h{i}"}) for i, x in enumerate(xs)]
    )


@st.composite
def rules_for(draw, seekers: list[Seeker], hosts: list[Host]) -> Rules:
    neighbours: dict[int, frozenset[int]] = {}
    if draw(st.booleans()):
        neighbours = {1804: frozenset({1833}), 1833: frozenset({1804})}
    pairs = [(s.id, h.id) for s in seekers for h in hosts]
    excluded = draw(st.frozensets(st.sampled_from(pairs), max_size=3)) if pairs else frozenset()
    return Rules(neighbours=neighbours, excluded=excluded)


@st.composite
def instances(draw, seekers=(1, 6), hosts=(1, 4)):
    s = draw(seekers_strategy(seekers))
    h = draw(hosts_strategy(hosts))
    return s, h, draw(rules_for(s, h))


def test_hard_constraints_each_remove_a_pair():
    seeker = Seeker("s", 1804, ("pl", "en"))
    host = Host("h", 1804, frozenset({"nb", "en"}), capacity_left=2)
    assert is_allowed(seeker, host, Rules())
    assert not is_allowed(
        seeker, Host("h", 1804, frozenset({"nb", "en"}), capacity_left=2, active=False), Rules()
    )
    assert not is_allowed(seeker, Host("h", 1804, frozenset({"nb", "en"}), capacity_left=0), Rules())
    assert not is_allowed(seeker, Host("h", 1833, frozenset({"nb", "en"}), capacity_left=2), Rules())
    assert is_allowed(seeker, Host("h", 1833, frozenset({"en"})), Rules(neighbours={1804: frozenset({1833})}))
    assert not is_allowed(seeker, Host("h", 1804, frozenset({"nb", "ar"})), Rules())
    assert not is_allowed(seeker, host, Rules(excluded=frozenset({("s", "h")})))


def test_the_preferred_language_outranks_a_shared_hobby_and_reasons_say_why():
    family = Seeker("s", 1833, ("pl", "en"), child_bands=0b010, interests=frozenset({"fishing"}))
    polish = Host("a", 1833, frozenset({"nb", "pl"}), child_bands=0b010, has_children=True)
    english = Host("b", 1833, frozenset({"nb", "en"}), interests=frozenset({"fishing"}))
    ranked = top_hosts(family, [english, polish], Rules(), 5)
    assert [h.id for h, _points, _reasons in ranked] == ["a", "b"]
    codes = {r["code"] for r in ranked[0][2]}
    assert codes == {"preferred_language", "children_same_age"}
    assert {"code": "shared_interests", "interests": ["fishing"]} in ranked[1][2]


def test_load_spreads_suggestions_across_equally_good_hosts():
    family = Seeker("s", 1804, ("en",))
    busy = Host("a", 1804, frozenset({"en"}), capacity_left=3, load=2)
    free = Host("b", 1804, frozenset({"en"}), capacity_left=3, load=0)
    assert [h.id for h, *_ in top_hosts(family, [busy, free], Rules(), 5)] == ["b", "a"]


@settings(max_examples=150, deadline=None)
@given(instances(seekers=(1, 12), hosts=(1, 8)))
def test_round_scores_equal_the_pure_fit_for_every_allowed_pair(instance):
    seekers, hosts, rules = instance
    rows, cols, scores = allowed_pairs(seekers, hosts, rules)
    # Pruning may drop pairs, never add one: every pair listed is allowed and scored as fit() does.
    for i, j, score in zip(rows, cols, scores, strict=True):
        assert is_allowed(seekers[i], hosts[j], rules)
        assert score == fit(seekers[i], hosts[j])[0]


@settings(max_examples=300, deadline=None)
@given(instances())
def test_round_is_feasible_and_as_good_as_the_exhaustive_reference(instance):
    seekers, hosts, rules = instance
    result = solve_round(seekers, hosts, rules)
    assert is_feasible(seekers, hosts, rules, result.assignment)  # constraints, capacity
    assert result.objective == objective(seekers, hosts, result.assignment)
    _best, best_cost = solve_by_exhaustion(seekers, hosts, rules)
    assert result.objective == best_cost


def test_pruning_keeps_the_optimum_when_a_host_has_many_candidates():
    """Eight families, one host with two free visits: the two best-fitting families get it."""
    rng = np.random.default_rng(3)
    seekers = [Seeker(f"s{i}", 1804, ("en",), availability=int(rng.integers(0, 1 << 21))) for i in range(8)]
    host = Host("h", 1804, frozenset({"en"}), availability=(1 << 21) - 1, capacity_left=2)
    result = solve_round(seekers, [host], Rules())
    _best, best_cost = solve_by_exhaustion(seekers, [host], Rules())
    assert result.objective == best_cost
    assert sum(1 for v in result.assignment.values() if v) == 2


def test_an_empty_round_and_a_round_without_hosts_leave_everyone_waitlisted():
    assert solve_round([], [], Rules()).assignment == {}
    result = solve_round([Seeker("s", 1804, ("pl",))], [], Rules())
    assert result.assignment == {"s": None}


@settings(max_examples=200, deadline=None)
@given(instances(seekers=(1, 1), hosts=(0, 12)))
def test_bulk_suggestions_rank_exactly_as_top_hosts(instance):
    from server.matching.suggest import HostColumns, rank_hosts
    from server.matching.vector import Vocab
    from services.host_wire import interest_mask, language_mask

    (seeker,), hosts, rules = instance
    # The database has already kept active hosts of the allowed municipalities.
    rules = Rules(excluded=rules.excluded)
    hosts = [
        Host(**{**h.__dict__, "municipality": seeker.municipality, "active": True}) for h in hosts if h.active
    ]
    vocab = Vocab.fixed()
    columns = HostColumns(
        [h.id for h in hosts],
        [h.municipality for h in hosts],
        [language_mask(sorted(h.languages)) for h in hosts],
        [interest_mask(sorted(h.interests)) for h in hosts],
        [h.child_bands for h in hosts],
        [h.has_children for h in hosts],
        [h.occupation for h in hosts],
        [h.availability for h in hosts],
        [h.capacity_left for h in hosts],
        [h.load for h in hosts],
        vocab,
    )
    excluded = {host for household, host in rules.excluded if household == seeker.id}
    expected = [h.id for h, _p, _r in top_hosts(seeker, hosts, rules, 5)]
    assert rank_hosts(seeker, columns, excluded, 5, vocab) == expected
