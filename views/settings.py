"""Settings: language, profile, data export, about and licences."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from services.i18n import get_translator
from services.languages import LANGUAGES
from services.municipalities import get_municipality
from views.common import button, tagged

# Names and SPDX identifiers only (proper nouns, not sentences to translate).
LICENCES = (
    ("Ny i Nordland", "MIT"),
    ("Noto Sans Arabic", "OFL-1.1"),
    ("Flet", "Apache-2.0"),
    ("Babel", "BSD-3-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("sqlite-utils", "Apache-2.0"),
    ("segno", "BSD-3-Clause"),
)


def _heading(text: str) -> ft.Control:
    return ft.Text(text, size=20, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)


@ft.component
def SettingsTab(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    about_open, set_about_open = ft.use_state(False)
    rows: list[ft.Control] = [_heading(_("Language"))]
    for lang in LANGUAGES:
        note = "" if lang.reviewed else _("Machine-translated, not yet reviewed.")
        rows.append(
            tagged(
                f"settings-lang-{lang.code}",
                ft.ListTile(
                    title=ft.Text(lang.native_name, font_family=lang.font_family),
                    subtitle=ft.Text(note, color=theme.MUTED_TEXT) if note else None,
                    leading=ft.Icon(
                        ft.Icons.RADIO_BUTTON_CHECKED
                        if lang.code == state.language
                        else ft.Icons.RADIO_BUTTON_UNCHECKED,
                        color=theme.SEED,
                    ),
                    selected=lang.code == state.language,
                    min_height=theme.MIN_TAP,
                    on_click=lambda _e, c=lang.code: state.set_language(c),
                ),
                label=lang.native_name,
            )
        )
    profile = state.profile
    rows.append(_heading(_("Your profile")))
    if profile:
        place = get_municipality(profile.municipality)
        facts = [
            _("Municipality: {name}").format(name=place.name if place else _("not chosen")),
            _("Arrival: {date}").format(
                date=t.format_date(profile.arrival_date) if profile.arrival_date else _("not set")
            ),
            t.ngettext("{n} child", "{n} children", len(profile.children)).format(n=len(profile.children)),
        ]
        rows += [ft.Text(f, color=theme.ON_SURFACE) for f in facts]
    rows.append(
        button(
            "settings-edit-profile",
            _("Change your answers"),
            state.edit_profile,
            icon=ft.Icons.EDIT,
            kind="outlined",
        )
    )
    rows += [
        _heading(_("Your data")),
        ft.Text(
            _("Everything is stored on this phone. Export it as a JSON file at any time."),
            color=theme.MUTED_TEXT,
        ),
        button(
            "settings-export",
            _("Export my data"),
            state.export_data,
            icon=ft.Icons.DOWNLOAD,
            kind="outlined",
        ),
        _heading(_("About")),
        ft.Text(
            _(
                "Ny i Nordland helps newcomers with the official steps of their first year in "
                "Nordland. Facts come from official sources; check the source of each step."
            ),
            color=theme.ON_SURFACE,
        ),
        button(
            "settings-about",
            _("Licences"),
            lambda: set_about_open(not about_open),
            icon=ft.Icons.INFO_OUTLINE,
            kind="text",
        ),
    ]
    if about_open:
        rows.append(
            tagged(
                "licences",
                ft.Column(
                    [ft.Text(f"{name}: {spdx}", color=theme.ON_SURFACE, size=13) for name, spdx in LICENCES]
                ),
            )
        )
    return tagged("settings", ft.Column(rows, spacing=10, scroll=ft.ScrollMode.AUTO, expand=True))
