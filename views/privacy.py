"""Privacy in Settings: the privacy notice (what is kept where, who sees what, for how long, and
the person's rights), a copy of what the server holds, and erasure of everything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app import theme
from app.state.navigation import Navigation
from app.state.settings import SettingsState
from services.i18n import N_
from views.common import button, confirm_buttons, disclosure, error_banner, heading, tagged, use_t
from views.downloads import offer_file

SERVER_EXPORTED = N_("What the server holds about you was saved as {name}.")
# The notice, one paragraph per purpose (docs/privacy.md is the same in English, with the periods).
NOTICE = (
    N_(
        "On this phone: your answers, your checklist and your notes. They stay here unless you "
        "share the checklist with your family."
    ),
    N_(
        "Family sharing: the server keeps your family's shared checklist, the first names you give "
        "and which phones belong to the family, so that every phone shows the same. Only your "
        "family sees it."
    ),
    N_(
        "Meeting a host (only with your consent): hosts see your first name, municipality, "
        "languages, how many you are and your message; after they accept, also your interests and "
        "your children's age groups. Never your children's names or exact ages, your employer or "
        "your arrival date."
    ),
    N_(
        "Being a host (only with your consent): families see your first name, municipality, "
        "languages, interests and your children's age groups; your line of work and introduction "
        "once you accept, or before if you choose. A county coordinator checks and certifies hosts; "
        "a police certificate is seen, never stored."
    ),
    N_(
        "How long: invitations 30 days after use, messages 6 months, finished visits 1 year, "
        "handled reports 2 years, a phone that is no longer used 90 days. A report about a visit "
        "is kept while the county's safety process needs it, even after you delete your data."
    ),
    N_(
        "Your rights: get a copy of what the server holds, delete it, and withdraw a consent at any "
        "time (in the Hosts tab). You can complain to the Norwegian Data Protection Authority "
        "(Datatilsynet)."
    ),
)


@ft.component
def PrivacySection(
    settings: SettingsState, nav: Navigation, erase: Callable[[], Awaitable[bool]]
) -> ft.Control:
    t = use_t()
    _ = t.gettext
    notice_open, set_notice_open = ft.use_state(False)
    confirming, set_confirming = ft.use_state(False)

    async def server_copy(_e: object = None) -> None:
        file = await settings.server_export_file()
        if file is not None:
            await offer_file(nav, file[0], file[1], SERVER_EXPORTED)

    async def erase_all(_e: object = None) -> None:
        if await erase():
            set_confirming(False)

    rows: list[ft.Control] = [
        heading(_("Privacy")),
        disclosure(
            "privacy-notice-toggle",
            _("Privacy notice"),
            notice_open,
            lambda: set_notice_open(not notice_open),
        ),
    ]
    if notice_open:
        rows.append(
            tagged(
                "privacy-notice",
                ft.Column([ft.Text(_(p), color=theme.ON_SURFACE) for p in NOTICE], spacing=8),
            )
        )
    rows += [
        error_banner(t, settings.error),
        # Explanations go in text, buttons stay short: a button's label is one line, even at 200 %.
        ft.Text(_("Get a copy of what the server holds about you."), color=theme.ON_SURFACE),
        button(
            "privacy-server-copy",
            _("Download copy"),
            None if settings.busy else server_copy,
            icon=ft.Icons.CLOUD_DOWNLOAD,
            kind="outlined",
        ),
    ]
    if confirming:
        rows += [
            ft.Text(
                _(
                    "Delete everything? Your answers, checklist and notes go from this phone, and what "
                    "the server holds about you goes too. This cannot be undone."
                ),
                color=theme.OVERDUE_TEXT,
            ),
            confirm_buttons(
                "privacy-erase",
                _("Delete everything"),
                None if settings.busy else erase_all,
                lambda: set_confirming(False),
                t,
            ),
        ]
    else:
        rows.append(
            button(
                "privacy-erase",
                _("Delete all my data"),
                lambda: set_confirming(True),
                icon=ft.Icons.DELETE_FOREVER,
                kind="text",
            )
        )
    return ft.Column(rows, spacing=10)
