"""Languages: complete catalogs and content packs, visible fallbacks, CLDR formatting."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from services.content import step_text
from services.i18n import Translator, get_translator
from services.languages import LANGUAGES, get_language
from services.paths import CONTENT_DIR, LOCALES_DIR

PLACEHOLDER = re.compile(r"\{\w+\}")
CODES = [lang.code for lang in LANGUAGES]
# Plural forms whose word says the number itself, so they may leave the count out: Arabic's
# "one" and "two" forms (طفل واحد, طفلان), in the order of its catalog's Plural-Forms.
COUNT_IN_THE_WORD = {"ar": (1, 2)}
COUNTS = {"{n}", "{count}"}


def load_po(code: str):
    with open(LOCALES_DIR / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_template_and_catalogs_have_the_same_keys():
    with open(LOCALES_DIR / "messages.pot", "rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    for code in CODES:
        assert {m.id for m in load_po(code) if m.id} == template, code


@pytest.mark.parametrize("code", CODES)
def test_every_translation_is_filled_and_keeps_placeholders(code):
    for message in load_po(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for form, text in enumerate(strings):
            assert text.strip(), (code, message.id)
            found = set(PLACEHOLDER.findall(text))
            if len(strings) > 1 and form in COUNT_IN_THE_WORD.get(code, ()):
                found |= expected & COUNTS
            assert found == expected, (code, message.id, text)
        assert not message.fuzzy, (code, message.id)


def _norm(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("code", CODES)
def test_compiled_catalog_matches_its_po(code):
    with open(LOCALES_DIR / code / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {_norm(m.id): _norm(m.string) for m in read_mo(f) if m.id}
    source = {_norm(m.id): _norm(m.string) for m in load_po(code) if m.id}
    assert compiled == source, f"run: bash scripts/i18n.sh ({code} .mo is stale)"


@pytest.mark.parametrize("code", CODES)
def test_content_pack_complete_with_same_structure_and_numbers(code):
    source = json.loads((CONTENT_DIR / "en" / "steps.json").read_text("utf-8"))["steps"]
    pack = json.loads((CONTENT_DIR / code / "steps.json").read_text("utf-8"))
    assert pack["language"] == code
    assert pack["machine_drafted"] == (not get_language(code).reviewed)
    assert pack["steps"].keys() == source.keys()
    for step_id, en in source.items():
        text = pack["steps"][step_id]
        assert text["title"].strip() and text["why"].strip() and text["where"].strip(), (code, step_id)
        assert len(text["bring"]) == len(en["bring"]), (code, step_id)
        assert bool(text["uncertain_note"]) == bool(en["uncertain_note"]), (code, step_id)
        for number in re.findall(r"\d+", en["why"] + en["where"]):
            assert number in text["why"] + text["where"], (code, step_id, number)


def test_missing_text_falls_back_to_english_visibly(tmp_path: Path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "steps.json").write_text(
        json.dumps({"language": "en", "steps": {"x": {"title": "T", "why": "W"}}}), "utf-8"
    )
    text = step_text("x", "pl", content_dir=tmp_path)
    assert text.title == "T" and text.is_fallback("pl")


def test_untranslated_ui_string_shows_english_not_a_key(tmp_path: Path):
    t = Translator(get_language("pl"), locales_dir=tmp_path)  # no catalogs at all
    assert t.gettext("Next steps") == "Next steps"


def test_dates_and_relative_days_in_the_users_language():
    assert get_translator("en").format_date(date(2027, 3, 1)) == "1 March 2027"
    assert get_translator("nb").format_date(date(2027, 3, 1)) == "1. mars 2027"
    assert get_translator("en").format_relative(date(2026, 11, 28), date(2026, 11, 25)) == "in 3 days"
    assert get_translator("pl").format_relative(date(2026, 11, 28), date(2026, 11, 25)) == "za 3 dni"
    assert get_translator("ar").rtl and not get_translator("uk").rtl


def test_device_locales_map_to_shipped_languages():
    assert get_language("nb_NO").code == "nb"
    assert get_language("nn").code == "nb"
    assert get_language("ar-EG").code == "ar"
    assert get_language("ti").code == "en"
    assert get_language(None).code == "en"
