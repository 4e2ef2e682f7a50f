"""Colours and fonts. Every text/background pair here is checked for WCAG AA contrast by a test."""

from __future__ import annotations

import flet as ft

from services.languages import LANGUAGES, Language

SEED = "#0B4F8A"
ON_SURFACE = "#1B1B1F"
MUTED_TEXT = "#44474E"
SURFACE = "#FFFFFF"
OVERDUE_TEXT = "#B3261E"
OVERDUE_BG = "#FDECEA"
SOON_TEXT = "#6B4600"
SOON_BG = "#FFF4E0"
DONE_TEXT = "#1E5E2E"
UNCERTAIN_TEXT = "#5C3B00"
UNCERTAIN_BG = "#FFF8E1"
LINK_TEXT = SEED
ON_PRIMARY = "#FFFFFF"
NEXT_BG = "#EEF3FA"
NOTICE_BG = "#E8F5E9"
OUTLINE = "#74777F"  # card borders (non-text: 3:1 is enough)

# (text, background) pairs the views use; tests assert a contrast ratio of at least 4.5:1.
TEXT_PAIRS = (
    (ON_SURFACE, SURFACE),
    (MUTED_TEXT, SURFACE),
    (OVERDUE_TEXT, SURFACE),
    (OVERDUE_TEXT, OVERDUE_BG),
    (SOON_TEXT, SOON_BG),
    (DONE_TEXT, SURFACE),
    (UNCERTAIN_TEXT, UNCERTAIN_BG),
    (LINK_TEXT, SURFACE),
    (ON_PRIMARY, SEED),
    (ON_SURFACE, NEXT_BG),
    (MUTED_TEXT, NEXT_BG),
    (OVERDUE_TEXT, NEXT_BG),
    (ON_SURFACE, NOTICE_BG),
)

MIN_TAP = 48

FONTS = {
    lang.font_family: "fonts/NotoSansArabic-Regular.ttf"
    for lang in LANGUAGES
    if lang.font_family == "Noto Sans Arabic"
}


def build_theme(language: Language) -> ft.Theme:
    """Material theme for a language (its bundled font where the script needs one)."""
    return ft.Theme(
        color_scheme_seed=SEED,
        font_family=language.font_family,
        color_scheme=ft.ColorScheme(primary=SEED, on_surface=ON_SURFACE, surface=SURFACE),
    )
