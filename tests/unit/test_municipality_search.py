"""Municipality search that knows towns (issue 8, item 3), and the place list it uses."""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.municipalities import (
    Municipality,
    MunicipalityMatch,
    find_municipalities,
    load_municipalities,
    search_municipalities,
)
from services.places import PLACES_FILE, SETTLEMENTS_FILE, fold, load_places, load_settlements

ROOT = Path(__file__).resolve().parents[2]
PLACES_DOC = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
NUMBERS = {m.number: m for m in load_municipalities()}


def _builder():
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _first(query: str) -> MunicipalityMatch:
    found = find_municipalities(query)
    assert found, f"nothing found for {query!r}"
    return found[0]


# --- the examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "municipality", "place"),
    [
        ("Mo i Rana", "Rana", "Mo i Rana"),
        ("Mosjøen", "Vefsn", "Mosjøen"),
        ("Svolvær", "Vågan", "Svolvær"),
        ("Leknes", "Vestvågøy", "Leknes"),
        ("Sandnessjøen", "Alstahaug", "Sandnessjøen"),
        ("Brønnøysund", "Brønnøy", "Brønnøysund"),
        ("Stokmarknes", "Hadsel", "Stokmarknes"),
        ("Andenes", "Andøy", "Andenes"),
        ("Ballangen", "Narvik", "Ballangen"),  # merged into Narvik (1806) in 2020
        ("Kjøpsvik", "Narvik", "Kjøpsvik"),  # the part of Tysfjord that joined Narvik
        ("Drag", "Hamarøy", "Drag"),  # the part of Tysfjord that joined Hamarøy (1875)
    ],
)
def test_a_town_finds_its_municipality_first_and_says_which_place_matched(query, municipality, place):
    match = _first(query)
    assert (match.municipality.name, match.via_place) == (municipality, place)


def test_mo_offers_both_rana_via_mo_i_rana_and_moskenes():
    found = find_municipalities("Mo")
    names = [m.municipality.name for m in found]
    assert "Moskenes" in names and "Rana" in names
    assert next(m for m in found if m.municipality.name == "Rana").via_place == "Mo i Rana"
    assert next(m for m in found if m.municipality.name == "Moskenes").via_place is None
    # The order the issue asks for: a municipality's own name before a place-name match.
    assert names.index("Moskenes") < names.index("Rana")


@pytest.mark.parametrize("query", ["Mo i", "mo i r", "mo rana", "MO-I-RANA", "  mo   i  rana  ", "moirana"])
def test_partial_and_spaced_forms_of_mo_i_rana_find_rana_first(query):
    found = find_municipalities(query)
    assert (found[0].municipality.name, found[0].via_place) == ("Rana", "Mo i Rana")
    names = [m.municipality.name for m in found]
    if "Moskenes" in names:
        assert names.index("Rana") < names.index("Moskenes")


@pytest.mark.parametrize(
    ("query", "municipality"),
    [
        ("mosjoen", "Vefsn"),
        ("BRONNOYSUND", "Brønnøy"),
        ("broennoeysund", "Brønnøy"),
        ("svolvaer", "Vågan"),
        ("svolvar", "Vågan"),
        ("SANDNESSJOEN", "Alstahaug"),
        ("vestvagoy", "Vestvågøy"),
        ("vestvaagoey", "Vestvågøy"),
        ("bodo", "Bodø"),
    ],
)
def test_case_accents_and_spellings_without_norwegian_letters(query, municipality):
    assert _first(query).municipality.name == municipality


@pytest.mark.parametrize(
    ("query", "municipality"),
    [
        ("Ahkanjarga", "Narvik"),
        ("ahkan", "Narvik"),
        ("Evenassi", "Evenes"),
        ("Vaapste", "Vefsn"),
        ("Gaaltije", "Grane"),
        ("Lodegat", "Lødingen"),
        ("Suorta", "Sortland"),
        ("Habmer", "Hamarøy"),
        ("Badaddjo", "Bodø"),
        ("Aarborte", "Hattfjelldal"),
        ("Arborte", "Hattfjelldal"),
        ("Raane", "Rana"),
    ],
)
def test_sami_names_match_without_diacritics(query, municipality):
    assert _first(query) == MunicipalityMatch(NUMBERS[_number(municipality)], None)


_PLAIN = str.maketrans("áčđŋšŧžåøæÁČĐŊŠŦŽÅØÆ", "acdnstzaoaACDNSTZAOA")


def test_every_sami_name_in_the_data_is_found_typed_in_plain_letters():
    for m in load_municipalities():
        if m.sami_name:
            assert _first(m.sami_name.translate(_PLAIN)).municipality == m, m.sami_name


def test_fold_drops_case_accents_sami_letters_and_hyphens():
    assert fold("Áhkánjárga") == "ahkanjarga"
    assert fold("Evenášši") == "evenassi"
    assert fold("ČĐŊŠŦŽ čđŋšŧž") == "cdnstz cdnstz"
    assert fold("Nord-Solvær") == fold("nord solvaer") == "nord solvar"
    assert fold("Bø i Vesterålen") == fold("BOE I VESTERAALEN")
    assert fold("  ") == ""


# --- order and compatibility ------------------------------------------------------------------


def test_empty_query_gives_all_41_in_the_usual_order():
    everything = list(load_municipalities())
    assert len(everything) == 41
    for query in ("", "   ", "-"):
        assert search_municipalities(query) == everything
        assert find_municipalities(query) == [MunicipalityMatch(m) for m in everything]


def test_exact_municipality_name_comes_first_and_is_not_shown_via_a_place():
    for m in load_municipalities():
        assert _first(m.name) == MunicipalityMatch(m, None), m.name
    # Sortland is also a postal place, and has one postcode in Øksnes: still only Sortland, itself.
    assert [(x.municipality.name, x.via_place) for x in find_municipalities("Sortland")] == [
        ("Sortland", None)
    ]


def test_search_municipalities_keeps_working_for_existing_callers():
    found = search_municipalities("Mo")
    assert all(isinstance(m, Municipality) for m in found)
    assert found == [m.municipality for m in find_municipalities("Mo")]
    assert [m.name for m in search_municipalities("Lofoten")] == [
        "Røst",
        "Værøy",
        "Flakstad",
        "Vestvågøy",
        "Vågan",
        "Moskenes",
    ]
    assert search_municipalities("1833")[0].name == "Rana"
    assert len(search_municipalities("18")) == 41
    assert search_municipalities("ana")[0].name == "Rana"  # anywhere in a name, as before
    assert search_municipalities("no such place zzz") == []


def test_a_postcode_finds_its_municipality():
    assert _first("8622") == MunicipalityMatch(NUMBERS[1833], "Mo i Rana")


def test_renamed_postal_places_are_found_by_old_and_new_name():
    assert _first("Storjorda i Tysfjorden") == MunicipalityMatch(NUMBERS[1875], "Storjorda i Tysfjorden")
    assert _first("Storjord i Tysfjord") == MunicipalityMatch(NUMBERS[1875], "Storjord i Tysfjord")


def test_urban_settlements_without_a_postal_place_are_found():
    # Løding is a part of Bodø with its own SSB settlement but no postal place; it must not be
    # mistaken for Lødingen, which is still offered after it.
    assert [m.municipality.name for m in find_municipalities("Løding")][:2] == ["Bodø", "Lødingen"]
    assert _first("loding") == MunicipalityMatch(NUMBERS[1804], "Løding")
    assert _first("Løpsmarka") == MunicipalityMatch(NUMBERS[1804], "Løpsmarka")
    assert _first("HAUKNES") == MunicipalityMatch(NUMBERS[1833], "Hauknes")
    assert _first("Gravdal") == MunicipalityMatch(NUMBERS[1860], "Gravdal")


def test_results_never_repeat_a_municipality():
    for query in ("mo", "s", "b", "øy", "lofoten", "i", "8"):
        numbers = [m.municipality.number for m in find_municipalities(query)]
        assert len(numbers) == len(set(numbers)), query


# --- the data ---------------------------------------------------------------------------------


def _number(name: str) -> int:
    return next(m.number for m in load_municipalities() if m.name == name)


def test_places_json_says_where_it_comes_from_and_when():
    sources = PLACES_DOC["source"]
    assert sources and all(s["url"].startswith("https://") and s["name"] and s["licence"] for s in sources)
    assert all(re.fullmatch(r"[0-9a-f]{64}", s["sha256"]) for s in sources)
    assert "bring.no" in sources[0]["url"]
    for field in ("retrieved", "checked"):
        assert date.fromisoformat(PLACES_DOC[field]) <= date(2026, 11, 30)
    assert isinstance(PLACES_DOC["complete"], bool)
    if not PLACES_DOC["complete"]:
        assert len(PLACES_DOC["completeness_note"]) > 40
    assert PLACES_DOC["attribution"]


def test_every_place_maps_to_one_of_the_41_municipalities():
    places = load_places()
    assert len(places) > 150
    for p in places:
        assert p.municipality in NUMBERS, p
        assert all(n in NUMBERS for n in p.also_in_municipalities), p
    assert {p.municipality for p in places} == set(NUMBERS)  # every municipality has a postal place


def test_settlements_json_says_where_it_comes_from_and_is_not_a_postal_place():
    doc = json.loads(SETTLEMENTS_FILE.read_text(encoding="utf-8"))
    assert doc["source"]["url"].startswith("https://www.ssb.no/")
    assert doc["source"]["licence"] and doc["source"]["read_via_note"]
    assert date.fromisoformat(doc["checked"]) <= date(2026, 11, 30)
    assert doc["complete"] is False and len(doc["completeness_note"]) > 40
    postal = {fold(name) for p in load_places() for name in p.names}
    for s in load_settlements():
        assert s.municipality in NUMBERS and not s.postcodes, s
        assert fold(s.name) not in postal, f"{s.name} is a postal place already"
    assert all(re.fullmatch(r"7[5-8][0-9]{2}", s["ssb_number"]) for s in doc["settlements"])


def test_places_have_no_duplicates():
    places = load_places()
    assert len({fold(p.name) for p in places}) == len(places)
    codes = [c for p in places for c in p.postcodes]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"79\d\d|8\d{3}", c) for c in codes)  # Nordland: 8xxx, and 79xx in Bindal


def test_places_json_is_exactly_what_the_builder_writes():
    assert _builder().dump(PLACES_DOC) == PLACES_FILE.read_text(encoding="utf-8")


def test_builder_casing_rule():
    display = _builder().display_name
    assert display("MO I RANA") == "Mo i Rana"
    assert display("NORD-SOLVÆR") == "Nord-Solvær"
    assert display("BØ I VESTERÅLEN") == "Bø i Vesterålen"
    assert display("STORJORDA I TYSFJORDEN") == "Storjorda i Tysfjorden"


def test_builder_merges_renames_and_picks_the_main_municipality():
    builder = _builder()
    register = {
        "8400": ("SORTLAND", 1870, "G"),
        "8401": ("SORTLAND", 1870, "P"),
        "8408": ("SORTLAND", 1868, "G"),
        "8275": ("STORJORD I TYSFJORD", 1875, "G"),
        "8128": ("YTRE BEIARN", 1839, "G"),
    }
    newer = {
        "8400": ("Sortland", 1870),
        "8401": ("Sortland", 1870),
        "8408": ("Sortland", 1868),
        "8275": ("Storjorda i Tysfjorden", 1875),
    }
    doc = builder.build(register, newer)
    by_name = {p["name"]: p for p in doc["places"]}
    assert by_name["Sortland"]["municipality"] == 1870
    assert by_name["Sortland"]["also_in_municipalities"] == [1868]
    assert by_name["Storjorda i Tysfjorden"]["former_names"] == ["Storjord i Tysfjord"]
    assert by_name["Ytre Beiarn"]["seen_in"] == [builder.SOURCES["register"]["id"]]
    assert builder.build(register, newer) == doc  # deterministic
    with pytest.raises(builder.BuildError):
        builder.build({"9000": ("TROMSØ", 5501, "G")}, None)


def test_builder_refuses_a_raw_file_that_sources_do_not_describe(tmp_path):
    builder = _builder()
    raw = tmp_path / "Postnummerregister-ansi.txt"
    raw.write_bytes("8622\tMO I RANA\t1833\tRANA\tG\r\n".encode("cp1252"))
    with pytest.raises(builder.BuildError, match="SHA-256"):
        builder.read_register(raw)


# --- properties -------------------------------------------------------------------------------


_PLACE_NAMES = [
    (name, p.municipality, p.names) for p in load_places() + load_settlements() for name in p.names
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_PLACE_NAMES), st.sampled_from([str, str.upper, str.lower, str.title]))
def test_searching_any_place_by_its_name_finds_its_municipality(item, case):
    name, number, all_names = item
    found = find_municipalities(case(name))
    assert number in [m.municipality.number for m in found]
    match = next(m for m in found if m.municipality.number == number)
    # Found through the place (by this name or its other spelling: Nord-Solvær is now Nordsolvær), or
    # because the place has the municipality's own name (Bodø).
    assert match.via_place in all_names or (
        match.via_place is None and fold(name) == fold(match.municipality.name)
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_gives_distinct_known_municipalities(query):
    found = find_municipalities(query)
    numbers = [m.municipality.number for m in found]
    assert len(numbers) == len(set(numbers))
    assert set(numbers) <= set(NUMBERS)
    assert all(m.via_place is None or isinstance(m.via_place, str) for m in found)
