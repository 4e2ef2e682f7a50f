"""Shown when the local database cannot be read: a clear way out, never a crash loop."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from views.common import NoticeBar, button, screen, use_t
from views.settings import export_data


@ft.component
def Recovery(state: AppState) -> ft.View:
    t = use_t()
    _ = t.gettext

    async def export(_e: object = None) -> None:
        await export_data(state.settings, state.nav)

    return ft.View(
        route="/recovery",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Your data cannot be read"))),
        controls=[
            NoticeBar(state.nav),
            screen(
                "recovery",
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, color=theme.OVERDUE_TEXT, size=48),
                    ft.Text(
                        _("The data on this phone cannot be read. It may be damaged."),
                        size=18,
                        color=theme.ON_SURFACE,
                    ),
                    ft.Text(
                        _(
                            "First save what can still be read. Then start fresh: the damaged file "
                            "is kept aside, not deleted."
                        ),
                        color=theme.MUTED_TEXT,
                    ),
                    button(
                        "recovery-export",
                        _("Save what can be read"),
                        export,
                        icon=ft.Icons.DOWNLOAD,
                        kind="outlined",
                    ),
                    button("recovery-fresh", _("Start fresh"), state.start_fresh, icon=ft.Icons.REFRESH),
                ],
                spacing=16,
            ),
        ],
        padding=24,
    )
