"""Is a typed meeting place someone's home? Visits happen in public (a library, a café), so the
server refuses a street address or "at my home" in any of the app's languages; the app may ask
the same question before sending. Pure Python: shared by the app and the server.

A guard against the common ways of writing a home, not a proof: a place the rule lets through
is still a public text both sides see, and either side can report the other."""

from __future__ import annotations

import re
import unicodedata

# --- street addresses (Norwegian style: "Storgata 12", "Kongens gate 10") ----------------------

# Street-type endings of one-word street names ("Storgata", "Fjellveien", "Skolegt."), followed
# by a house number. Squares count: "Torvet 5" is a building on the square, while "Torget i Bodø"
# (no number) is a fine place to meet.
_COMPOUND_TYPES = (
    "gata", "gaten", "gate", "gt", "veien", "vegen", "vei", "veg", "vn", "allé", "alle", "alléen",
    "alleen", "plass", "plassen", "torg", "torget", "torv", "torvet", "stien", "stigen", "svingen",
    "bakken", "tunet", "kroken",
)  # fmt: skip
# Words that end like a street but name something else: a parking space or a bus stop is public,
# a riksvei is a highway (the number is the road's).
_NOT_A_STREET = re.compile(
    r"(?:(?:parkerings|leke|fly|holde|sitte|stå|camping|idretts|bobil|telt|sykkel)plass(?:en)?"
    r"|(?:riks|fylkes|europa|stats)ve[ig](?:en)?)$"
)
# Without its dot, "vn"/"gt" may end an ordinary word: "havn 2", "navn", "langt", "sagt".
_NOT_AN_ABBREVIATION = re.compile(r"(?:(?:ha|na|sta|ra|ja)vn|[na]gt)$")
_LETTERS = r"[^\W\d_]"
_COMPOUND = re.compile(
    rf"(?<!{_LETTERS})(?P<word>{_LETTERS}{{2,}}(?:{'|'.join(_COMPOUND_TYPES)}))(?P<dot>\.)?\s*\d"
)
# "Torvet 5": a square's own name is a street name, even as the first word.
_SQUARE = re.compile(rf"(?<!{_LETTERS})(?:torget|torvet|plassen)\s*\d")
# Two-word names: "Kongens gate 10", "Hamsuns vei 12", "Dronningens gt 5".
_WORD_TYPES = ("gata", "gaten", "gt", "veien", "vegen", "vei", "veg", "vn", "allé", "torg")
_WORD = re.compile(rf"(?<!{_LETTERS}){_LETTERS}+\.?\s+(?:{'|'.join(_WORD_TYPES)})\.?\s*\d")
# "gate" is also an airport gate ("Gate 4", "at gate 12") and "alle" means "all" ("alle 3"),
# "plass" a seat: as a separate word they name a street only after a genitive ("Kongens gate",
# "Olaf Ryes plass") or a direction ("Nordre gate").
_AMBIGUOUS = re.compile(rf"(?<!{_LETTERS})(?P<before>{_LETTERS}+)\.?\s+(?:gate|alle|plass)\s*\d")
_DIRECTIONS = frozenset(
    "nordre søndre østre vestre øvre nedre indre ytre midtre store lille gamle nye".split()
)
# Words ending in s that are no genitive ("meet us at gate 4", the airport at Evenes).
_NOT_GENITIVE = frozenset("us is as his its was this yes bus plus evenes andenes".split())
# Number first, as in other countries: "12 Storgata", "221B Baker Street".
_NUMBER_FIRST = re.compile(
    rf"(?<![\d.])\d{{1,4}}[a-z]?,?\s+(?:{_LETTERS}{{2,}}(?:gata|gaten|gate|veien|vegen|vei|veg)"
    rf"|(?:{_LETTERS}+\s+){{1,3}}(?:street|road|avenue|lane))(?!{_LETTERS})"
)
_ENGLISH = re.compile(rf"(?<!{_LETTERS}){_LETTERS}{{2,}}\s+(?:street|road|avenue|lane)\s*\d")
# A flat's number: "leilighet 3", "leil. 3", or the official one, "H0201" (floor 02, flat 01).
_FLAT = re.compile(r"(?<!\w)(?:leil(?:ighet|\.)?\s*\d|[hukl]\d{4}(?!\w))")

# --- "at my home", in the app's languages -------------------------------------------------------

_HOME_PHRASES = (
    # English
    "at home", "at my home", "my home", "my house", "my place", "my flat", "my apartment",
    "our home", "our house", "our place", "our flat", "our apartment",
    # Norwegian (bokmål, and nynorsk's "heime"), possessive before or after
    "hjemme", "heime", "hos meg", "hos oss", "mitt hjem", "vårt hjem", "mitt hus", "vårt hus",
    "min leilighet", "vår leilighet", "huset mitt", "huset vårt", "leiligheten min",
    "leiligheten vår", "leiligheta mi",
    # Polish ("w Domu Kultury" is a culture house, not a home)
    "u mnie", r"w domu(?!\s+(?:kultury|studenta|seniora))", "w moim domu", "w naszym domu",
    "mój dom", "moje mieszkanie", "moim mieszkaniu", "naszym mieszkaniu",
    # Lithuanian
    "pas mane", "pas mus", "namuose", "namie", "mano namai", "mano name", "mano bute",
    # Ukrainian
    "у мене", "в мене", "вдома", "мій дім", "моя квартира", "моїй квартирі", "нашій квартирі",
    # Arabic ("my house", "my home", "my flat", "at mine", "at home")
    "بيتي", "بيتنا", "منزلي", "منزلنا", "شقتي", "شقتنا", "عندي", "في البيت", "في المنزل",
    "بالبيت", "بالمنزل",
)  # fmt: skip


def _phrase(phrase: str) -> str:
    pattern = phrase.replace(" ", r"\s+")
    # Arabic joins "and", "in", "to", "so" to the next word: "وبيتي", "ببيتي".
    return f"[وفبل]?{pattern}" if "\u0600" <= phrase[0] <= "\u06ff" else pattern


_HOME = re.compile(rf"(?<!\w)(?:{'|'.join(_phrase(p) for p in _HOME_PHRASES)})(?!\w)")
# Other spellings of the same Arabic letters (Persian keyboards, Egyptian final ya), and tatweel.
_ARABIC_VARIANTS = str.maketrans({"ى": "ي", "ی": "ي", "ک": "ك", "ـ": None})


def _normalise(text: str) -> str:
    """NFKC (full-width digits, ligatures), casefold, no combining marks (Arabic vowel signs),
    one space between words."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_VARIANTS)
    plain = "".join(char for char in folded if unicodedata.category(char) != "Mn")
    return " ".join(plain.split())


def _street_address(text: str) -> bool:
    for match in _COMPOUND.finditer(text):
        word = match["word"]
        if not _NOT_A_STREET.search(word) and (match["dot"] or not _NOT_AN_ABBREVIATION.search(word)):
            return True
    for match in _AMBIGUOUS.finditer(text):
        before = match["before"]
        if before in _DIRECTIONS or (before.endswith("s") and before not in _NOT_GENITIVE):
            return True
    return any(rule.search(text) for rule in (_SQUARE, _WORD, _NUMBER_FIRST, _ENGLISH, _FLAT))


def looks_like_home_address(place: str) -> bool:
    """True when a meeting place reads like a home rather than a public place.

    Refused: a street with a house number in any common Norwegian spelling ("Storgata 12",
    "Storgaten12", "Kirkegt. 3B", "Fjellvegen 7", "Hamsuns vei 12", "Kongens gate 10",
    "Jernbanevn. 2", "Torvet 5", number first or English style too), a flat's number
    ("leilighet 3", "H0201"), and "at my home" or the like in English, Norwegian, Polish,
    Lithuanian, Ukrainian and Arabic. Matching is case-insensitive on whole words, after NFKC.

    Allowed: public places, with numbers too ("Gate 4, Bodø lufthavn", "Narvik stasjon, spor 2",
    "Kulturhuset sal 3", "Buss 100 holdeplass"), and a street named without a house number
    ("Bryggerigata", "Torget i Bodø").
    """
    text = _normalise(place)
    return bool(_HOME.search(text)) or _street_address(text)
