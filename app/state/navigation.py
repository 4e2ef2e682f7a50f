"""Where the user is (the route) and the confirmation shown there. Screens are driven by routes, so
the phone's back button, the browser's history and deep links all work the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from services.routes import EMPLOYER_TABS, HOST_TABS, TABS, Location, parse_route, step_route, tab_route


@ft.observable
@dataclass
class Navigation:
    """The current route and the one confirmation that belongs to it ('Saved on this phone')."""

    route: str = "/steps"
    notice: str | None = None  # an English msgid; the view translates it
    notice_arg: str = ""
    host_only: bool = False  # a local who only hosts: tabs Hosts and Settings
    employer_only: bool = False  # an employer's staff (Nordhub): tabs Employer and Settings
    joining: bool = False  # first run: "join my family" with a code instead of the questions
    # Tells the client about a route we chose (browser history, URL); set by the shell.
    _push: Callable[[str], None] | None = None

    @property
    def location(self) -> Location:
        return parse_route(self.route)

    @property
    def tabs(self) -> tuple[str, ...]:
        if self.employer_only:
            return EMPLOYER_TABS
        return HOST_TABS if self.host_only else TABS

    @property
    def tab(self) -> str:
        tab = self.location.tab
        return tab if tab in self.tabs else self.tabs[0]

    @property
    def step_key(self) -> str | None:
        return None if self.host_only or self.employer_only else self.location.step_key

    def go(self, route: str) -> None:
        """Show another screen. A confirmation belongs to the screen it was given on: it goes."""
        route = parse_route(route).route
        if route != self.route:
            self.route = route
            self.notice = None
            if self._push is not None:
                self._push(route)

    def follow(self, route: str) -> None:
        """The client moved (browser back or forward, a deep link): show what it points to."""
        location = parse_route(route)
        if location.route != self.route:
            self.route = location.route
            self.notice = None

    def open_tab(self, tab: str) -> None:
        if tab in self.tabs:
            self.go(tab_route(tab))

    def open_step(self, item_key: str) -> None:
        self.go(step_route(item_key))

    def back(self) -> None:
        """The phone's back button or the app bar's arrow: from a step to its list."""
        if self.step_key:
            self.go(tab_route("steps"))

    def say(self, notice: str, arg: str = "") -> None:
        """Confirm an action on the current screen (read out by screen readers)."""
        self.notice, self.notice_arg = notice, arg

    def clear_notice(self) -> None:
        self.notice = None
