"""The languages the app ships, in one place (UI catalogs, content packs, fonts, Babel trimming)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One shipped language."""

    code: str  # gettext / content-pack code
    native_name: str  # shown in the language picker, always in its own script
    rtl: bool = False
    font_family: str | None = None  # bundled font needed to render the script offline
    # Machine-drafted translations are labelled in the app until a person reviews them.
    reviewed: bool = False
    babel_locale: str | None = None  # CLDR locale for dates and numbers when not `code`

    @property
    def cldr(self) -> str:
        return self.babel_locale or self.code


LANGUAGES: tuple[Language, ...] = (
    Language("nb", "Norsk bokmål"),
    # British English formats ("1 March 2027") read naturally to Europeans.
    Language("en", "English", reviewed=True, babel_locale="en_GB"),
    Language("pl", "Polski"),
    Language("lt", "Lietuvių"),
    Language("uk", "Українська"),
    Language("ar", "العربية", rtl=True, font_family="Noto Sans Arabic"),
)

SOURCE_LANGUAGE = "en"
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}

# Babel locale files each shipped language needs, including CLDR parents (nb inherits from no).
BABEL_LOCALE_DATA: dict[str, tuple[str, ...]] = {
    "nb": ("nb", "no"),
    "en": ("en_GB", "en_001", "en"),
    "pl": ("pl",),
    "lt": ("lt",),
    "uk": ("uk",),
    "ar": ("ar",),
}


def get_language(code: str | None) -> Language:
    """Return the shipped language for a code such as 'nb', 'nb_NO' or 'ar-EG'; English otherwise."""
    if code:
        base = code.replace("-", "_").split("_")[0].lower()
        if base in ("no", "nn"):
            base = "nb"
        if base in BY_CODE:
            return BY_CODE[base]
    return BY_CODE[SOURCE_LANGUAGE]
