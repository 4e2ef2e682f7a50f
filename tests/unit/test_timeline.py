"""The timeline engine: who gets which step, when it is due, and what it waits for."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from services.catalog import PHASES, load_catalog
from services.municipalities import load_municipalities
from services.profile import LICENCES, REASONS, STAYS, Child, Profile
from services.rules import child_facts, evaluate, fields_used, profile_facts
from services.timeline import DONE, NOT_RELEVANT, applicable_instances, build_timeline, prerequisite_keys
from tests.conftest import make_child, make_profile

CATALOG = load_catalog()
TODAY = date(2026, 11, 25)
MUNICIPALITY_NUMBERS = [m.number for m in load_municipalities()]


def step_ids(profile: Profile, today: date = TODAY) -> set[str]:
    return {s.id for s, _c, _d in applicable_instances(CATALOG, profile, today)}


def test_non_eu_worker_reports_to_police_within_7_days_and_skips_tax_office():
    tl = build_timeline(CATALOG, make_profile(group="non_eu"), {}, TODAY)
    police = tl.items["police_residence_card"]
    assert police.due == date(2026, 11, 27)
    assert "id_check_tax_office" not in tl.items
    assert tl.items["police_residence_card"].blocked_by == ("residence_permit",)


def test_eea_long_stay_has_id_check_within_8_days_and_registration_within_3_months():
    tl = build_timeline(CATALOG, make_profile(), {}, TODAY)
    assert tl.items["id_check_tax_office"].due == date(2026, 11, 28)
    assert tl.items["eea_registration"].due == date(2027, 2, 20)
    assert "police_residence_card" not in tl.items


def test_short_stay_gets_health_without_gp_and_reregistration_instead_of_gp():
    ids = step_ids(make_profile(stay="3_6"))
    assert {"health_without_gp", "reregister_longer_stay"} <= ids
    assert "gp_fastlege" not in ids and "id_check_tax_office" not in ids


def test_kindergarten_deadline_is_the_municipalitys_and_place_from_august():
    tl = build_timeline(CATALOG, make_profile(children=(make_child("Ada", 2023, 5),)), {}, TODAY)
    item = tl.items["kindergarten:c-ada"]
    assert item.due == date(2027, 2, 15)  # Bodø's own deadline (bodo.kommune.no)
    assert item.deadline.place_from == date(2027, 8, 1)


def test_child_born_in_october_has_right_by_end_of_birth_month():
    tl = build_timeline(CATALOG, make_profile(children=(make_child("Bo", 2026, 10),)), {}, TODAY)
    item = tl.items["kindergarten:c-bo"]
    assert item.due == date(2027, 2, 15)
    assert item.deadline.place_from == date(2027, 10, 31) and item.deadline.place_by_end_of_month


def test_child_born_in_december_waits_for_the_next_intake():
    today = date(2026, 12, 20)
    profile = make_profile(municipality=1806, children=(make_child("Cy", 2026, 12),))  # Narvik: 1 March
    item = build_timeline(CATALOG, profile, {}, today).items["kindergarten:c-cy"]
    assert item.due == date(2028, 3, 1) and item.deadline.place_from == date(2028, 8, 1)


def test_school_from_the_year_the_child_turns_6_and_per_child_items_named_by_label():
    kids = (make_child("Ada", 2020, 9), make_child("Eli", 2021, 3))
    tl = build_timeline(CATALOG, make_profile(children=kids), {}, TODAY)
    assert "school:c-ada" in tl.items and "kindergarten:c-ada" not in tl.items
    # Eli turns 6 next year: school from August 2027, enrolled soon after arrival; until then only a
    # kindergarten place if one is free (the main intake's place would start with school).
    assert tl.items["school:c-eli"].deadline.place_from == date(2027, 8, 1)
    assert tl.items["kindergarten:c-eli"].deadline.rolling


def test_done_prerequisite_unblocks_and_overdue_and_next_actions():
    profile = make_profile(arrival_date=date(2026, 11, 1))
    tl = build_timeline(CATALOG, profile, {}, TODAY)
    assert tl.items["id_check_tax_office"].overdue
    assert tl.next_actions[0].overdue
    assert len(tl.next_actions) == 3
    assert tl.items["tax_deduction_card"].state == "blocked"
    tl2 = build_timeline(CATALOG, profile, {"id_check_tax_office": DONE}, TODAY)
    assert tl2.items["tax_deduction_card"].state == "todo"
    assert not tl2.items["id_check_tax_office"].overdue


def test_changing_the_profile_keeps_what_was_done():
    statuses = {"letterbox_name": DONE, "kindergarten:c-ada": NOT_RELEVANT}
    before = make_profile(children=(make_child("Ada", 2023, 5),))
    after = make_profile(group="non_eu", children=before.children)
    tl = build_timeline(CATALOG, after, statuses, TODAY)
    assert tl.items["letterbox_name"].status == DONE
    assert tl.items["kindergarten:c-ada"].status == NOT_RELEVANT


def test_every_catalog_rule_reads_only_known_facts():
    known = set(profile_facts(make_profile())) | set(child_facts(make_child(), TODAY))
    for step in CATALOG.steps:
        assert fields_used(step.applies) <= known, step.id
        for req in step.requires:
            assert fields_used(req.when) <= known, step.id


# --- properties --------------------------------------------------------------------------------

children = st.lists(
    st.builds(
        Child,
        id=st.uuids().map(lambda u: u.hex[:12]),
        label=st.sampled_from(["Ada", "Bo", "Cy"]),
        birth_year=st.integers(2009, 2026),
        birth_month=st.integers(1, 12),
    ),
    max_size=3,
).map(tuple)

profiles = st.builds(
    Profile,
    language=st.just("en"),
    group=st.sampled_from(["nordic", "eea", "non_eu"]),
    reason=st.sampled_from(REASONS),
    municipality=st.sampled_from(MUNICIPALITY_NUMBERS),
    arrival_date=st.none() | st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    stay=st.sampled_from(STAYS),
    citizenship=st.none() | st.sampled_from(["AF", "PH", "PL", "DK", "UA", "CN", "SE", "BR"]),
    partner=st.booleans(),
    children=children,
    profession=st.sampled_from(["none", "health", "recognition"]),
    licence=st.sampled_from(LICENCES),
)
todays = st.dates(date(2026, 1, 1), date(2027, 12, 31))


@settings(max_examples=300)
@given(profiles, todays)
def test_prerequisites_of_an_applicable_step_are_applicable(profile, today):
    instances = applicable_instances(CATALOG, profile, today)
    keys = {f"{s.id}:{c.id}" if c else s.id for s, c, _d in instances}
    for step, child, _deadline in instances:
        for key in prerequisite_keys(step, child, CATALOG, profile):
            assert key in keys, (step.id, key)


@settings(max_examples=200)
@given(profiles, todays, st.data())
def test_deterministic_and_every_item_in_exactly_one_phase(profile, today, data):
    keys = sorted(build_timeline(CATALOG, profile, {}, today).items)
    statuses = {k: data.draw(st.sampled_from([DONE, NOT_RELEVANT])) for k in keys[: len(keys) // 2]}
    a = build_timeline(CATALOG, profile, statuses, today)
    b = build_timeline(CATALOG, profile, dict(reversed(statuses.items())), today)
    assert a == b
    assert sorted(i.key for p in a.phases for i in p.items) == keys
    assert [p.id for p in a.phases] == list(PHASES)
    assert all(i.state == "todo" for i in a.next_actions)


def test_prerequisite_graph_has_no_cycles():
    graph = {s.id: {r.step for r in s.requires} for s in CATALOG.steps}
    visiting, done = set(), set()

    def visit(node: str) -> None:
        assert node not in visiting, f"cycle through {node}"
        if node in done:
            return
        visiting.add(node)
        for nxt in graph[node]:
            visit(nxt)
        visiting.discard(node)
        done.add(node)

    for node in graph:
        visit(node)


def test_every_catalog_step_is_reachable_by_explicit_profiles():
    # Each step has at least one concrete profile that reaches it (no dead data).
    probes = [
        make_profile(
            group=g,
            reason=r,
            stay=stay,
            partner=True,
            profession=p,
            licence=lic,
            citizenship=country,
            children=(
                make_child("A", 2025, 10),
                make_child("B", 2019, 1),
                make_child("C", 2012, 1),
                make_child("D", 2010, 1),
            ),
        )
        for g in ("nordic", "eea", "non_eu")
        for r in REASONS
        for stay in STAYS
        for p in ("health", "recognition")
        for lic in LICENCES
        for country in (None, "AF")
    ]
    reached = set().union(*(step_ids(p) for p in probes))
    assert reached == {s.id for s in CATALOG.steps}


def test_rule_language_rejects_unknown_conditions():
    import pytest

    from services.rules import RuleError

    with pytest.raises(RuleError):
        evaluate({"bogus": 1}, {})


def test_agencies_are_proper_names_or_translatable_words():
    from views.common import AGENCY_WORDS

    proper = {
        "UDI",
        "Skatteetaten",
        "NAV",
        "Helsenorge",
        "HK-dir",
        "Helsedirektoratet",
        "IMDi",
        "Statens vegvesen",
        "Posten",
        "Nordland fylkeskommune",
    }
    for step in CATALOG.steps:
        for part in (step.agency or "").split(" / "):
            assert not part or part in proper or part in AGENCY_WORDS, (step.id, part)


def test_a_due_date_moves_a_step_to_the_phase_it_falls_in_and_phases_are_ordered_by_due_date():
    """Arriving in January, kindergarten (apply by 1 March) sits with the first three months, before
    the EU registration due in April, not after it in "first year"."""
    profile = make_profile(
        municipality=1833,
        arrival_date=date(2027, 1, 10),
        children=(make_child(birth_year=2024, birth_month=2),),
    )
    timeline = build_timeline(load_catalog(), profile, {}, date(2027, 1, 10))
    three_months = next(p for p in timeline.phases if p.id == "first_three_months")
    keys = [i.key for i in three_months.items]
    assert keys.index("kindergarten:c-ada") < keys.index("eea_registration"), keys
    for phase in timeline.phases:
        dues = [i.due for i in phase.items if i.due is not None]
        assert dues == sorted(dues), phase.id
        assert all(i.due is not None for i in phase.items[: len(dues)]), "undated steps come last"
    # A step never moves later than the catalog puts it.
    week = next(p for p in timeline.phases if p.id == "first_week")
    assert "id_check_tax_office" in [i.key for i in week.items]
