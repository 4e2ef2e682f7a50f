"""The catalog's rules against the official pages they come from: one table row per rule, each
naming its source, and properties over every profile (issue 9)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.catalog import load_catalog
from services.closed_days import holiday_name, last_open_day_before, offices_closed
from services.deadlines import COMMON_DATE, SET_BY_MUNICIPALITY, school_year_of
from services.municipal import load_municipal
from services.paths import CONTENT_DIR
from services.timeline import build_timeline
from tests.conftest import make_child, make_profile
from tests.unit.test_timeline import profiles, todays

CATALOG = load_catalog()
TODAY = date(2026, 11, 25)
MUNICIPAL = load_municipal()


def items(profile, today=TODAY):
    return build_timeline(CATALOG, profile, {}, today).items


# (why, source, profile changes, steps that must be there, steps that must not)
WHO_GETS_WHAT = [
    (
        "EU/EEA stay under 6 months: ID check for a D-number, no move notification",
        "skatteetaten.no/en/forms/rf-1401-report-a-move-to-norway-from-abroad/",
        {"group": "eea", "stay": "3_6"},
        {"id_check_d_number", "eea_registration", "tax_deduction_card", "health_without_gp"},
        {"id_check_tax_office", "gp_fastlege"},
    ),
    (
        "EU/EEA registration only for stays over 3 months",
        "udi.no: what is a proof of registration for EU/EEA nationals",
        {"group": "eea", "stay": "under_3"},
        {"id_check_d_number", "reregister_longer_stay"},
        {"eea_registration"},
    ),
    (
        "Resident (over 6 months): move notification and national identity number",
        "skatteetaten.no/en/forms/rf-1401-report-a-move-to-norway-from-abroad/",
        {"group": "nordic", "stay": "6_12"},
        {"id_check_tax_office", "gp_fastlege"},
        {"id_check_d_number", "reregister_longer_stay", "eea_registration"},
    ),
    (
        "Tax card for every adult who works, a family member joining included",
        "skatteetaten.no: applying for a tax card when you're a foreign employee",
        {"group": "eea", "reason": "family"},
        {"tax_deduction_card", "tax_return_or_paye"},
        set(),
    ),
    (
        "Non-EU family of an EU/EEA citizen: residence card, not a residence permit",
        "udi.no: hva er registreringsordningen for EU/EØS-borgere",
        {"group": "non_eu", "reason": "family_eea"},
        {"residence_card_family"},
        {"residence_permit", "family_immigration", "police_residence_card"},
    ),
    (
        "Non-EU health personnel start authorisation before arrival",
        "helsedirektoratet.no: godkjenning av helsepersonell med utdanning fra utlandet",
        {"group": "non_eu", "profession": "health"},
        {"health_authorisation_non_eea"},
        {"health_authorisation"},
    ),
    (
        "EEA licences need no exchange; UK licences follow EEA rules",
        "vegvesen.no: using an EU/EEA driving licence in Norway; issued outside the EU/EEA",
        {"licence": "uk"},
        {"driving_licence_uk"},
        {"driving_licence_exchange", "driving_licence_eea"},
    ),
    (
        "TB check: a country on FHI's list and a stay over 3 months",
        "fhi.no: tuberkuloseveilederen, grupper med plikt til tuberkuloseundersøkelse",
        {"group": "non_eu", "citizenship": "AF", "stay": "3_6"},
        {"tb_check"},
        set(),
    ),
    (
        "No TB check for a stay under 3 months",
        "fhi.no: tuberkuloseveilederen",
        {"group": "non_eu", "citizenship": "AF", "stay": "under_3"},
        set(),
        {"tb_check"},
    ),
    (
        "No TB check for a country FHI's list does not name (the part that could be read)",
        "fhi.no/en/id/infectious-diseases/TB/countries-tuberculosis/",
        {"group": "eea", "citizenship": "BE"},
        set(),
        {"tb_check"},
    ),
    (
        "Child benefit: an expected stay over 12 months (non-EU), shorter for EEA workers",
        "nav.no: child benefit and cash benefit, foreign employees in Norway",
        {"group": "non_eu", "stay": "6_12", "children": (make_child("Ada", 2020, 5),)},
        set(),
        {"child_benefit:c-ada"},
    ),
    (
        "Child benefit for an EEA worker's child even for a shorter stay",
        "nav.no: child benefit and cash benefit, foreign employees in Norway",
        {"group": "eea", "stay": "3_6", "children": (make_child("Ada", 2020, 5),)},
        {"child_benefit:c-ada"},
        set(),
    ),
    (
        "Cash-for-care for a child of 13 to 19 months; the child health centre until school",
        "nav.no/kontantstotte/en; helsenorge.no: helsestasjon 0–5 år",
        {"children": (make_child("Ada", 2025, 10),)},
        {"cash_for_care:c-ada", "child_health_centre:c-ada", "kindergarten:c-ada"},
        set(),
    ),
    (
        "No cash-for-care for a child past 19 months",
        "nav.no/kontantstotte/en",
        {"children": (make_child("Ada", 2023, 5),)},
        {"child_health_centre:c-ada"},
        {"cash_for_care:c-ada"},
    ),
]


@pytest.mark.parametrize(
    ("why", "source", "changes", "present", "absent"), WHO_GETS_WHAT, ids=[r[0] for r in WHO_GETS_WHAT]
)
def test_who_gets_which_step(why, source, changes, present, absent):
    found = set(items(make_profile(**changes)))
    assert present <= found, (why, source, present - found)
    assert not absent & found, (why, source, absent & found)


def test_gp_is_not_blocked_on_bankid():
    # helsenorge.no: BankID, Buypass or Commfides; banks may refuse BankID to D-number holders.
    gp = items(make_profile())["gp_fastlege"]
    assert "bankid" not in gp.blocked_by and gp.blocked_by == ("identity_number",)


# --- kindergarten: the municipality's deadline --------------------------------------------------


@pytest.mark.parametrize(
    ("municipality", "due", "set_by", "uncertain", "source"),
    [
        (1804, date(2027, 2, 15), SET_BY_MUNICIPALITY, False, "bodo.kommune.no: søknad om barnehageplass"),
        (1806, date(2027, 3, 1), SET_BY_MUNICIPALITY, False, "narvik.kommune.no: søke barnehageplass"),
        (1833, date(2027, 4, 1), SET_BY_MUNICIPALITY, False, "rana.kommune.no: søke barnehageplass"),
        (1853, date(2027, 5, 1), SET_BY_MUNICIPALITY, True, "evenes.kommune.no (2016 page: uncertain)"),
        (1835, date(2027, 3, 1), COMMON_DATE, True, "Træna: no page found: the common date, uncertain"),
    ],
)
def test_kindergarten_deadline_is_set_by_each_municipality(municipality, due, set_by, uncertain, source):
    kid = make_profile(municipality=municipality, children=(make_child("Ada", 2023, 5),))
    deadline = items(kid)["kindergarten:c-ada"].deadline
    assert (deadline.due, deadline.set_by, deadline.uncertain) == (due, set_by, uncertain), source
    assert deadline.place_from == date(2027, 8, 1)


def test_a_national_default_is_never_certain():
    assert MUNICIPAL.kindergarten_default.uncertain and MUNICIPAL.kindergarten_default.checked is None


# --- five- and six-year-olds: kindergarten until school, school from August ----------------------


def test_a_five_year_old_arriving_after_march_gets_school_next_august_not_a_kindergarten_place_then():
    """udir: school starts in the calendar year the child turns 6."""
    profile = make_profile(arrival_date=date(2026, 9, 1), children=(make_child("Ada", 2021, 4),))
    found = items(profile, date(2026, 9, 1))
    school, kindergarten = found["school:c-ada"], found["kindergarten:c-ada"]
    assert school.deadline.place_from == date(2027, 8, 1)
    assert school.due == date(2026, 9, 15)
    assert kindergarten.deadline.rolling and kindergarten.deadline.place_from is None


@pytest.mark.parametrize(
    ("arrival", "school_due", "kindergarten"),
    [
        (date(2027, 2, 10), date(2027, 2, 24), True),  # months until August: a place if one is free
        (date(2027, 6, 20), date(2027, 8, 1), False),  # too close to school; never due in July
    ],
)
def test_a_child_turning_6_this_year_starts_school_in_august(arrival, school_due, kindergarten):
    profile = make_profile(arrival_date=arrival, children=(make_child("Ada", 2021, 4),))
    found = items(profile, arrival)
    assert found["school:c-ada"].deadline.place_from == date(2027, 8, 1)
    assert found["school:c-ada"].due == school_due
    assert ("kindergarten:c-ada" in found) == kindergarten


def test_a_school_age_child_is_enrolled_within_a_week_of_arrival():
    """udir: school starts as soon as possible and at the latest within one month of arrival."""
    profile = make_profile(arrival_date=date(2026, 11, 20), children=(make_child("Ada", 2018, 5),))
    assert items(profile)["school:c-ada"].due == date(2026, 11, 27)


def test_upper_secondary_apply_by_1_february_after_lower_secondary():
    """vilbli.no: newly arrived applicants apply by 1 February."""
    profile = make_profile(children=(make_child("Ada", 2011, 5), make_child("Bo", 2010, 5)))
    found = items(profile)
    assert "school:c-ada" in found  # tenth grade now
    assert found["upper_secondary:c-ada"].due == date(2027, 2, 1)
    assert found["upper_secondary:c-ada"].deadline.place_from == date(2027, 8, 1)
    assert "school:c-bo" not in found and found["upper_secondary:c-bo"].due == date(2026, 11, 27)


def test_the_first_tax_return_is_due_30_april_the_year_after_arrival():
    assert items(make_profile())["tax_return_or_paye"].due == date(2027, 4, 30)


# --- dates people can act on ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "closed", "name"),
    [
        (date(2027, 5, 17), True, "Grunnlovsdag"),
        (date(2027, 3, 26), True, "Langfredag"),
        (date(2026, 12, 25), True, "Første juledag"),
        (date(2027, 2, 27), True, None),  # a Saturday
        (date(2027, 3, 1), False, None),
    ],
)
def test_closed_days_are_weekends_and_norwegian_public_holidays(day, closed, name):
    assert offices_closed(day) == closed
    assert (name in (holiday_name(day) or "")) if name else holiday_name(day) is None


def test_go_on_the_last_open_day_before_a_closed_day():
    assert last_open_day_before(date(2027, 5, 17)) == date(2027, 5, 14)  # Monday 17 May → Friday
    assert last_open_day_before(date(2027, 3, 29)) == date(2027, 3, 24)  # Easter Monday → Wednesday


# --- honesty ----------------------------------------------------------------------------------------


def test_check_dates_are_real_or_absent():
    for step in CATALOG.steps:
        assert step.last_checked is None or date(2026, 11, 30) <= step.last_checked <= date.today(), step.id


# --- properties over every profile --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(profiles, todays)
def test_each_child_has_at_most_one_place_per_school_year(profile, today):
    found = build_timeline(CATALOG, profile, {}, today).items
    for child in profile.children:
        years = [
            found[key].deadline.school_year
            for key in (f"kindergarten:{child.id}", f"school:{child.id}", f"upper_secondary:{child.id}")
            if key in found
        ]
        assert len(years) == len(set(years)), (child, years)
        assert all(y is not None and y >= school_year_of(today) - 1 for y in years)


@settings(max_examples=300, deadline=None)
@given(profiles, todays)
def test_no_due_date_before_arrival_unless_the_step_belongs_before_arrival(profile, today):
    if profile.arrival_date is None:
        return
    for item in build_timeline(CATALOG, profile, {}, today).items.values():
        if item.due is not None and item.step.phase != "before_arrival":
            assert item.due >= profile.arrival_date, item.key


@settings(max_examples=200, deadline=None)
@given(profiles, todays)
def test_a_municipalitys_own_kindergarten_deadline_wins(profile, today):
    layer = MUNICIPAL.layer(profile.municipality)
    own = layer.kindergarten_apply_by if layer else None
    for item in build_timeline(CATALOG, profile, {}, today).items.values():
        if item.step.id == "kindergarten" and not item.deadline.rolling and item.due:
            expected = own.value if own else MUNICIPAL.kindergarten_default.value
            assert (item.due.month, item.due.day) == expected
            assert item.deadline.set_by == (SET_BY_MUNICIPALITY if own else COMMON_DATE)
            assert item.deadline.uncertain == (own.uncertain if own else True)


@given(st.sampled_from(sorted(MUNICIPAL.layers)))
def test_every_municipal_value_has_a_source_and_an_honest_check_date(number):
    layer = MUNICIPAL.layers[number]
    values = [v for v in (layer.kindergarten_apply_by, layer.sami_admin_area, *layer.pages.values()) if v]
    for v in values:
        assert v.source_url and v.source_url.startswith(("https://", "http://"))
        assert v.checked is None or v.checked <= date.today()
        assert v.checked is not None or v.uncertain


def test_the_layer_refuses_a_municipal_deadline_nobody_read_or_without_an_honesty_flag():
    import json

    from services.municipal import MUNICIPAL_FILE, MunicipalDataError, parse_municipal

    data = json.loads(MUNICIPAL_FILE.read_text(encoding="utf-8"))
    unread = json.loads(json.dumps(data))
    unread["municipalities"]["1804"]["kindergarten_apply_by"]["checked"] = None
    unflagged = json.loads(json.dumps(data))
    del unflagged["municipalities"]["1806"]["kindergarten_apply_by"]["uncertain"]
    for bad in (unread, unflagged):
        with pytest.raises(MunicipalDataError):
            parse_municipal(bad)


NORWEGIAN_TERMS = ("fødselsnummer", "D-nummer", "skattekort", "fastlege", "barnehage", "helsestasjon")


@pytest.mark.parametrize("language", ["pl", "lt", "uk", "ar"])
def test_norwegian_terms_stay_recognisable_in_every_language(language):
    """Where the English text names a Norwegian term (in brackets on first use), the translation
    names it too: people meet these words on letters and at the counter."""
    english = json.loads((CONTENT_DIR / "en" / "steps.json").read_text())["steps"]
    other = json.loads((CONTENT_DIR / language / "steps.json").read_text())["steps"]
    checked = 0
    for step_id, text in english.items():
        for term in NORWEGIAN_TERMS:
            if term in json.dumps(text, ensure_ascii=False):
                checked += 1
                assert term in json.dumps(other[step_id], ensure_ascii=False), (language, step_id, term)
    assert checked >= len(NORWEGIAN_TERMS)  # every term is used somewhere
