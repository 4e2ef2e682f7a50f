"""The screen tree: which views are on the stack (from the route and a few gates), the bottom tabs,
and page-wide settings (language, direction, fonts)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
from pathlib import Path

import flet as ft

from app import theme
from app.secure_tokens import open_token_store
from app.settings import data_dir, server_url
from app.state import AppState
from app.state.employer_case import EmployerCaseState
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from services.languages import LANGUAGES, get_language
from services.routes import parse_route
from views.common import SETTINGS, NoticeBar, readable, use_t
from views.employer import EmployerTab
from views.family import FamilyTab, JoinView
from views.hosts import HostsTab
from views.recovery import Recovery
from views.settings import SettingsTab
from views.step_detail import StepDetail
from views.steps import StepsTab
from views.sync_status import RejectedBanner, SyncStatusLine
from views.wizard import CaseCodeView, Wizard

log = logging.getLogger(__name__)

TAB_ICONS = {
    "steps": ft.Icons.CHECKLIST,
    "family": ft.Icons.GROUP,
    "hosts": ft.Icons.WAVING_HAND,
    "settings": ft.Icons.SETTINGS,
    "employer": ft.Icons.BUSINESS_CENTER,
}


@ft.component
def MainView(state: AppState, nav: Navigation, hosts: HostsState) -> ft.View:
    """The tabs: My steps, Family, Hosts, Settings (Hosts and Settings for a local who only hosts)."""
    t = use_t()
    unread = hosts.inbox_unread
    _ = t.gettext
    tab = nav.tab

    async def refresh_tab() -> None:
        # Opening a tab fetches what it shows (in the background; the cached copy shows meanwhile).
        if tab == "family":
            await state.family.refresh()
            if state.family.household_id:
                await state.employer_case.refresh()
                if state.employer_case.case:
                    await state.hosts.refresh_inbox()  # the employer's messages show there
        elif tab == "hosts":
            await state.hosts.refresh()
        elif tab == "employer":
            await state.employer.refresh()

    ft.use_effect(refresh_tab, dependencies=[tab])
    if tab == "steps":
        content: ft.Control = StepsTab(state.steps, state.profile, state.family, state.settings, nav)
        top: list[ft.Control] = [SyncStatusLine(state.family), RejectedBanner(state.steps, state.profile)]
    elif tab == "family":
        content, top = FamilyTab(state.family, state.employer_case, state.hosts), []
    elif tab == "hosts":
        content, top = HostsTab(state.hosts, state.family, nav), []
    elif tab == "employer":
        content, top = EmployerTab(state.employer, nav), []
    else:
        content, top = SettingsTab(state.settings, state.profile, nav, state.erase_everything), []
    labels = {
        "steps": _("My steps"),
        "family": _("Family"),
        "hosts": _("Hosts"),
        "settings": _("Settings"),
        "employer": _("Employer"),
    }
    destinations = [
        ft.NavigationBarDestination(
            # The inbox's unread count (the reliable channel for visit news) on the Hosts tab.
            icon=ft.Icon(TAB_ICONS[name], badge=str(unread) if name == "hosts" and unread else None),
            label=labels[name],
        )
        for name in nav.tabs
    ]
    return ft.View(
        route=f"/{tab}",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Ny i Nordland")), bgcolor=theme.SEED, color=theme.ON_PRIMARY),
        navigation_bar=ft.NavigationBar(
            selected_index=nav.tabs.index(tab),
            destinations=destinations,
            on_change=lambda e: nav.open_tab(nav.tabs[int(e.control.selected_index)]),
        ),
        controls=[readable(ft.Column([NoticeBar(nav), *top, content], expand=True))],
        padding=16,
    )


@ft.component
def App(
    state: AppState, nav: Navigation, profile: object, settings: object, cases: EmployerCaseState
) -> list[ft.View]:
    """Views on the stack, derived from the route and the gates (damaged data, first run,
    joining a family); Android back, iOS swipe and the browser's back button pop the step view."""
    page = ft.context.page
    code = state.settings.language
    ft.use_effect(lambda: apply_language(page, code), dependencies=[code])

    def views() -> list[ft.View]:
        if state.corrupt:
            return [Recovery(state)]
        if nav.joining:
            return [JoinView(state.family, nav)]
        if cases.entering_code and state.profile.needs_wizard:
            return [CaseCodeView(state)]
        if state.profile.needs_wizard:
            return [Wizard(state, state.profile)]
        stack = [MainView(state, nav, state.hosts)]
        if nav.step_key:
            stack.append(
                StepDetail(nav.step_key, state.steps, state.profile, state.family, nav, key=nav.step_key)
            )
        return stack

    return SETTINGS(state.settings, views)


@ft.component
def Root(state: AppState) -> list[ft.View]:
    """Subscribes the screen tree to the slices that decide which views exist."""
    return App(state, state.nav, state.profile, state.settings, state.employer_case)


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
    if not state.runtime.server_url:
        state.runtime.server_url = server_url()
    nav = state.nav
    location = parse_route(page.route)
    if location.case_code and state.profile.profile is None and not nav.employer_only:
        state.employer_case.start_code_entry(location.case_code)  # the questions get pre-filled
    elif location.join_code:  # opened from an invitation link
        if state.profile.profile is None:
            state.family.start_joining(location.join_code)
        else:
            state.family.join_code = location.join_code
            nav.route = "/family"
    elif page.route not in ("", "/"):
        follow(state, page.route)  # a deep link, or a reload in the browser
    nav._push = lambda route: page.run_task(page.push_route, route)
    page.on_route_change = lambda e: follow(state, e.route)
    page.on_view_pop = lambda e: nav.back()
    page.on_locale_change = lambda e: state.settings.adopt_device_language(
        e.locales[0].language_code if e.locales else None
    )
    page.on_app_lifecycle_state_change = lambda e: state.app_lifecycle(
        e.state in (ft.AppLifecycleState.RESUME, ft.AppLifecycleState.SHOW)
    )
    page.render_views(Root, state)
    page.run_task(begin_sync, page, state)
    if detect_device_locale and state.profile.profile is None:
        page.run_task(adopt_device_locale, page, state)


def follow(state: AppState, route: str) -> None:
    """Show what a route or link points at; an employer's case link offers its code."""
    location = parse_route(route)
    if location.case_code:
        state.employer_case.offer_code(location.case_code)
    state.nav.follow(route)


async def begin_sync(page: ft.Page, state: AppState) -> None:
    """Find the device token's home (secure storage on a phone), then start syncing and
    watching the inbox."""
    runtime = state.runtime
    if runtime.store is not None:
        runtime.secure_tokens = await open_token_store(page, runtime.local_tokens)
        runtime.forget_client()
    state.start_sync()
    page.run_task(state.hosts.watch_inbox)


async def adopt_device_locale(page: ft.Page, state: AppState) -> None:
    """First run: start in the phone's (or browser's) language. Best effort: the client may not
    answer, and the wizard lets the user choose anyway."""
    try:
        info = await asyncio.wait_for(page.get_device_info(), timeout=5)
    except Exception:  # noqa: BLE001 - any failure just keeps the default language
        log.info("device locale not available")
        return
    if info and info.locales:
        state.settings.adopt_device_language(info.locales[0].language_code)
