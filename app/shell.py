"""The screen tree: which views are on the stack, the bottom tabs, and page-wide settings."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
from pathlib import Path

import flet as ft

from app import theme
from app.settings import data_dir, server_url
from app.state import TABS, AppState
from services.i18n import get_translator
from services.invite_link import code_from_route
from services.languages import LANGUAGES, get_language
from views.common import icon_button, readable, tagged
from views.family import FamilyTab, JoinView
from views.hosts import HostsTab
from views.recovery import Recovery
from views.settings import SettingsTab
from views.step_detail import StepDetail
from views.sync_status import RejectedBanner, SyncStatusLine
from views.timeline import TimelineTab
from views.wizard import Wizard

log = logging.getLogger(__name__)


def notice_bar(state: AppState) -> ft.Control:
    """Confirmation after an action ('Saved on this phone'), dismissible, read by screen readers."""
    if not state.notice:
        return ft.Container(height=0)
    t = get_translator(state.language)
    text = t.gettext(state.notice).format(path=state.notice_arg)
    return tagged(
        "notice",
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.DONE_TEXT),
                    ft.Text(text, color=theme.ON_SURFACE, expand=True, selectable=True),
                    icon_button("notice-close", ft.Icons.CLOSE, t.gettext("Close"), state.clear_notice),
                ]
            ),
            bgcolor=theme.NOTICE_BG,
            padding=ft.Padding.only(left=12),
            border_radius=8,
        ),
        label=text,
    )


@ft.component
def MainView(state: AppState) -> ft.View:
    t = get_translator(state.language)
    _ = t.gettext
    content = {"timeline": TimelineTab, "family": FamilyTab, "hosts": HostsTab, "settings": SettingsTab}[
        state.tab
    ](state)
    status = (
        ft.Column([SyncStatusLine(state), RejectedBanner(state)], spacing=4)
        if state.tab == "timeline"
        else ft.Container(height=0)
    )

    tabs = ("hosts", "settings") if state.host_only else TABS
    destinations = {
        "timeline": ft.NavigationBarDestination(icon=ft.Icons.CHECKLIST, label=_("My steps")),
        "family": ft.NavigationBarDestination(icon=ft.Icons.GROUP, label=_("Family")),
        "hosts": ft.NavigationBarDestination(
            # The unread count of the inbox (the reliable channel for visit news).
            icon=ft.Icon(ft.Icons.WAVING_HAND, badge=str(state.inbox_unread) if state.inbox_unread else None),
            label=_("Hosts"),
        ),
        "settings": ft.NavigationBarDestination(icon=ft.Icons.SETTINGS, label=_("Settings")),
    }

    async def select_tab(e: ft.Event[ft.NavigationBar]) -> None:
        state.select_tab(tabs[int(e.control.selected_index)])
        if state.tab == "family":
            await state.refresh_family()
        elif state.tab == "hosts":
            await state.refresh_hosts()

    return ft.View(
        route="/",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Ny i Nordland")), bgcolor=theme.SEED, color=theme.ON_PRIMARY),
        navigation_bar=ft.NavigationBar(
            selected_index=tabs.index(state.tab) if state.tab in tabs else 0,
            destinations=[destinations[tab] for tab in tabs],
            on_change=select_tab,
        ),
        controls=[readable(ft.Column([notice_bar(state), status, content], expand=True))],
        padding=16,
    )


@ft.component
def App(state: AppState) -> list[ft.View]:
    """Views on the stack, derived from state (Android back and iOS swipe pop the step view)."""
    page = ft.context.page
    lang = state.lang
    ft.use_effect(lambda: apply_language(page, lang.code), dependencies=[lang.code])
    if state.corrupt:
        return [Recovery(state)]
    if state.joining:
        return [JoinView(state)]
    if state.needs_wizard:
        return [Wizard(state)]
    views = [MainView(state)]
    if state.open_item:
        views.append(StepDetail(state, state.open_item, key=state.open_item))
    return views


def apply_language(page: ft.Page, code: str) -> None:
    """Direction, font and Material localizations for a language (only when it changes, since
    every page change re-renders)."""
    lang = get_language(code)
    page.rtl = lang.rtl
    page.theme = theme.build_theme(lang)
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale(x.code) for x in LANGUAGES],
        current_locale=ft.Locale(lang.code),
    )
    page.update()


def main(page: ft.Page, state: AppState | None = None, detect_device_locale: bool = True) -> None:
    """Flet entry: build the state from local storage and render the screen tree."""
    page.title = "Ny i Nordland"
    page.fonts = theme.FONTS
    page.theme_mode = ft.ThemeMode.LIGHT
    if state is None and page.web:
        page.run_task(start_in_browser, page, detect_device_locale)
        return
    show(page, state or load_state(data_dir()), detect_device_locale)


def load_state(folder: Path) -> AppState:
    state = AppState(data_dir=folder, server_url=server_url())
    state.load(device_language=os.environ.get("LANG") or None)
    return state


BROWSER_KEY = "nyin.browser"


async def start_in_browser(page: ft.Page, detect_device_locale: bool) -> None:
    """In a browser, each browser profile is its own phone (so two people can share one server),
    found again after a reload by a random id kept in the browser's storage."""
    prefs = ft.SharedPreferences()
    try:
        browser = await asyncio.wait_for(prefs.get(BROWSER_KEY), timeout=10)
    except Exception:  # noqa: BLE001 - no storage: this visit gets a fresh id
        browser = None
    if not (isinstance(browser, str) and re.fullmatch(r"[0-9a-f]{32}", browser)):
        browser = secrets.token_hex(16)
        try:
            await asyncio.wait_for(prefs.set(BROWSER_KEY, browser), timeout=10)
        except Exception:  # noqa: BLE001
            log.info("browser storage not available")
    show(page, load_state(data_dir() / "browsers" / browser), detect_device_locale)


def show(page: ft.Page, state: AppState, detect_device_locale: bool) -> None:
    """Render the app for `state` and start syncing in the background."""
    if not state.server_url:
        state.server_url = server_url()
    page.on_view_pop = lambda e: state.close_step()
    page.on_locale_change = lambda e: state.adopt_device_language(
        e.locales[0].language_code if e.locales else None
    )
    page.on_app_lifecycle_state_change = lambda e: state.app_lifecycle(
        e.state in (ft.AppLifecycleState.RESUME, ft.AppLifecycleState.SHOW)
    )
    if code := code_from_route(page.route):  # opened from an invitation link
        if state.profile is None:
            state.start_joining(code)
        else:
            state.join_code, state.tab = code, "family"
    page.render_views(App, state)
    page.run_task(begin_sync, state)
    page.run_task(state.watch_inbox)
    if detect_device_locale and state.profile is None:
        page.run_task(adopt_device_locale, page, state)


async def begin_sync(state: AppState) -> None:
    state.start_sync()


async def adopt_device_locale(page: ft.Page, state: AppState) -> None:
    """First run: start in the phone's (or browser's) language. Best effort: the client may not
    answer, and the wizard lets the user choose anyway."""
    try:
        info = await asyncio.wait_for(page.get_device_info(), timeout=5)
    except Exception:  # noqa: BLE001 - any failure just keeps the default language
        log.info("device locale not available")
        return
    if info and info.locales:
        state.adopt_device_language(info.locales[0].language_code)
