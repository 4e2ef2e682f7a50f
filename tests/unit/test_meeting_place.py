"""Meeting places must be public: street addresses and "at my home" (in the app's languages) are
refused, public places pass, numbers and all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demo.responder import meeting_place
from services import host_wire as wire
from services.meeting_place import looks_like_home_address

ADDRESSES = [
    "Storgaten 12",
    "Storgata 12",
    "Kirkegaten 3, 2. etg",
    "Kirkegata 3B",
    "Sjøgata 21 A",
    "Fjellveien 7",
    "Fjellvegen 7",
    "Nordstrandveien 45",
    "Parkvei 3",
    "Parkveg 3",
    "Skolegt. 4",
    "Storgt.4",
    "Hamsuns vei 12",
    "Hamsuns veg 12",
    "Kongens gate 10",
    "Dronningens gt 5",
    "Nordre gate 3",
    "Jernbanevn. 2",
    "Bygdøy allé 5",
    "Olaf Ryes plass 4",
    "Storgaten12",
    "storgaten 12",
    "STORGATA 12",
    "ＳＴＯＲＧＡＴＡ　１２",  # full-width, as some keyboards type it
    "Storgata 12, 8006 Bodø",
    "Torvet 5",  # a building on the square: an address (the square itself, unnumbered, passes)
    "Stortorget 1",
    "Flyplassvegen 1",  # a street named after the airport is still a street
    "Sandgata 1 leilighet 3",
    "Sandgata, H0201",
    "12 Storgata",
    "221B Baker Street",
    "Baker Street 221b",
    "Meet at Fjellveien 7, by the gate",
]

HOMES = [
    # English
    "at my home", "my home", "my house", "my place", "my flat", "my apartment", "at home",
    "Our place, ring the bell", "AT HOME",
    # Norwegian
    "hjemme hos meg", "hjemme", "hos meg", "min leilighet", "mitt hus", "Hjemme hos oss", "huset mitt",
    # Polish
    "u mnie w domu", "u mnie", "w moim domu", "moje mieszkanie", "w domu", "U MNIE",
    # Lithuanian
    "pas mane namuose", "mano namuose", "pas mane", "namuose", "Pas mus",
    # Ukrainian
    "у мене вдома", "вдома", "у мене", "моя квартира", "У МЕНЕ",
    # Arabic, also with a joined "and" and with vowel signs
    "في بيتي", "عندي في البيت", "منزلي", "في المنزل", "بيتي", "وبيتي", "بَيْتِي",
]  # fmt: skip

PUBLIC = [
    "Gate 4, Bodø lufthavn",
    "Gate 12 Evenes airport",
    "Bodø lufthavn, gate 4",
    "Meet us at gate 4",
    "Bodø bibliotek",
    "Stormen bibliotek, Bodø",
    "Stormyra 2 (Bodø bibliotek)",  # "-myra" is a place name as often as a street: not refused
    "Café Kaffebønna",
    "Café Kafka",
    "Rana library",
    "Narvik stasjon, spor 2",
    "Rådhuset, 2. etasje",
    "Kulturhuset sal 3",
    "Glasshuset",
    "Bryggerigata",  # a street without a house number is not an address
    "Storgata, by the fountain",
    "Torget i Bodø",
    "Kjøpesenteret City Nord, inngang 1",
    "Buss 100 holdeplass",
    "Holdeplass 3",
    "Parkeringsplass 12",
    "Lekeplassen 2",
    "Riksvei 80, rasteplassen",
    "Bodø havn 2",
    "Evenes lufthavn 2. etasje",
    "Møt alle 3 ved biblioteket",
    "Hjemmebakeriet",  # "hjemme" inside a word is no home
    "Homes of Bodø museum",
    "w Domu Kultury",  # Polish for a culture house
    "The public library in Bodø, main entrance",
]


@pytest.mark.parametrize("place", ADDRESSES)
def test_street_addresses_are_refused_in_every_common_spelling(place):
    assert looks_like_home_address(place)


@pytest.mark.parametrize("place", HOMES)
def test_at_my_home_is_refused_in_the_apps_languages(place):
    assert looks_like_home_address(place)


@pytest.mark.parametrize("place", PUBLIC)
def test_public_places_pass_numbers_and_all(place):
    assert not looks_like_home_address(place)


def test_the_demo_meeting_places_are_public():
    for number in wire.MUNICIPALITY_NUMBERS:
        assert not looks_like_home_address(meeting_place(number)), meeting_place(number)


SUFFIXES = [
    "gata", "gaten", "gate", "gt.", "veien", "vegen", "vei", "veg", "vn.", "allé", "alle", "plass",
    "plassen", "torg", "torget", "torvet", "stien", "svingen", "bakken",
]  # fmt: skip
# Stems that make a public place of "-plass" or a highway of "-vei" (Parkeringsplass 12, Riksvei 80).
PUBLIC_STEMS = (
    "parkerings", "leke", "fly", "holde", "sitte", "stå", "camping", "idretts", "bobil", "telt", "sykkel",
    "riks", "fylkes", "europa", "stats",
)  # fmt: skip
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=2, max_size=12).filter(
    lambda name: not name.endswith(PUBLIC_STEMS)
)


@given(
    NAMES,
    st.sampled_from(SUFFIXES),
    st.integers(1, 999),
    st.sampled_from(["", "A", "b", " C"]),
    st.sampled_from([" ", ""]),
)
def test_any_name_with_a_street_suffix_and_a_house_number_is_refused(name, suffix, number, letter, gap):
    assert looks_like_home_address(f"{name.capitalize()}{suffix}{gap}{number}{letter}")
