"""Settings: language, profile, data export, about and licences."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app import theme
from app.state.navigation import Navigation
from app.state.profile import ProfileState
from app.state.settings import SettingsState
from services.i18n import N_
from services.languages import LANGUAGES
from services.municipalities import get_municipality
from views.common import button, choice, disclosure, heading, screen, tagged, use_t
from views.downloads import offer_file
from views.privacy import PrivacySection

# Names and SPDX identifiers only (proper nouns, not sentences to translate).
LICENCES = (
    ("Ny i Nordland", "MIT"),
    ("Noto Sans Arabic", "OFL-1.1"),
    ("Flet", "Apache-2.0"),
    ("Babel", "BSD-3-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("segno", "BSD-3-Clause"),
)
EXPORTED = N_("Your data was saved as {name}.")


async def export_data(settings: SettingsState, nav: Navigation) -> None:
    """Every piece of data this phone holds, as a JSON file the person downloads or saves."""
    name, data = settings.export_file()
    await offer_file(nav, name, data, EXPORTED)


@ft.component
def SettingsTab(
    settings: SettingsState,
    profile_state: ProfileState,
    nav: Navigation,
    erase: Callable[[], Awaitable[bool]],
) -> ft.Control:
    t = use_t()
    _ = t.gettext
    about_open, set_about_open = ft.use_state(False)
    rows: list[ft.Control] = [heading(_("Language"))]
    rows += [
        choice(
            f"settings-lang-{lang.code}",
            lang.native_name,
            lang.code == settings.language,
            lambda _e, c=lang.code: settings.set_language(c),
            subtitle="" if lang.reviewed else _("Machine-translated, not yet reviewed."),
            font_family=lang.font_family,
        )
        for lang in LANGUAGES
    ]
    profile = profile_state.profile
    rows.append(heading(_("Your profile")))
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
                profile_state.edit,
                icon=ft.Icons.EDIT,
                kind="outlined",
            )
        )

    async def export(_e: object = None) -> None:
        await export_data(settings, nav)

    rows += [
        heading(_("Your data")),
        ft.Text(
            _("Everything is stored on this phone. Export it as a JSON file at any time."),
            color=theme.MUTED_TEXT,
        ),
        button("settings-export", _("Export my data"), export, icon=ft.Icons.DOWNLOAD, kind="outlined"),
        PrivacySection(settings, nav, erase, key="privacy"),
        heading(_("About")),
        ft.Text(
            _(
                "Ny i Nordland helps newcomers with the official steps of their first year in "
                "Nordland. Facts come from official sources; check the source of each step."
            ),
            color=theme.ON_SURFACE,
        ),
        disclosure("settings-about", _("Licences"), about_open, lambda: set_about_open(not about_open)),
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
    return screen("settings", rows, spacing=10)
