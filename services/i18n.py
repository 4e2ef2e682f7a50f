"""UI strings (gettext) and locale-aware formatting (Babel/CLDR) for one language."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.lists import format_list
from babel.numbers import format_percent

from services.languages import Language, get_language
from services.paths import LOCALES_DIR

DOMAIN = "messages"


def _noop(message: str) -> str:
    """Mark a string for extraction without translating it (gettext's N_)."""
    return message


N_ = _noop


class Translator:
    """Everything language-specific the views need: gettext lookups and CLDR formatting."""

    def __init__(self, language: Language, locales_dir: Path = LOCALES_DIR) -> None:
        self.language = language
        self.locale = Locale.parse(language.cldr)
        self._translations = gettext.translation(
            DOMAIN, localedir=str(locales_dir), languages=[language.code], fallback=True
        )

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def rtl(self) -> bool:
        return self.language.rtl

    def gettext(self, message: str) -> str:
        """Translate a UI string; an untranslated one shows its English source, never a key."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a UI string whose form depends on a count (CLDR plural rules via gettext)."""
        return self._translations.ngettext(singular, plural, n)

    def format_date(self, value: date, style: str = "long") -> str:
        """'1 March 2027' in the user's language."""
        return format_date(value, format=style, locale=self.locale)

    def format_relative(self, value: date, today: date) -> str:
        """'in 3 days', '2 weeks ago' or 'today' in the user's language."""
        delta = value - today
        if delta.days == 0:
            return self.gettext("today")
        return format_timedelta(
            delta, granularity="day", threshold=1.5, add_direction=True, locale=self.locale
        )

    def format_list(self, items: Sequence[str]) -> str:
        """'a, b and c' in the user's language."""
        return format_list(list(items), locale=self.locale)

    def language_name(self, code: str) -> str:
        """'Polish' / 'polski' / 'البولندية': a language's name in the user's language (CLDR)."""
        return self.locale.languages.get(code) or code

    def format_datetime(self, value: datetime) -> str:
        """'15 January 2027, 15:30' in the user's language and in the value's own time zone."""
        return self.gettext("{date}, {time}").format(
            date=format_date(value.date(), format="long", locale=self.locale),
            time=format_time(value, format="short", locale=self.locale),
        )

    def format_percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.locale)


@lru_cache(maxsize=16)
def get_translator(code: str | None) -> Translator:
    """A cached translator for a language code (device locales such as 'pl_PL' are accepted)."""
    return Translator(get_language(code))
