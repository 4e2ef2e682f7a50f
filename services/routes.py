"""The app's screens as routes, and links into them: `/steps`, `/steps/<item key>`, `/family`,
`/hosts`, `/settings` (`/employer` in employer mode); a deep link `nyinordland://steps/<item key>`,
an invitation link `nyinordland://join?code=…` (in a browser `/join?code=…`) or an employer's
relocation-case link `nyinordland://case?code=…` opens the right screen."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from services.invite_link import code_from_route

TABS = ("steps", "family", "hosts", "settings")
HOST_TABS = ("hosts", "settings")  # a local who only hosts has no timeline
EMPLOYER_TABS = ("employer", "settings")  # an employer's HR person (Nordhub) has no timeline
ALL_TABS = (*TABS, "employer")
SCHEME = "nyinordland"


@dataclass(frozen=True)
class Location:
    """Where a route points: a tab, maybe a step on top of it, maybe an invitation code."""

    tab: str = "steps"
    step_key: str | None = None
    join_code: str | None = None  # a family invitation
    case_code: str | None = None  # an employer's relocation case (Nordhub)

    @property
    def route(self) -> str:
        if self.step_key:
            return step_route(self.step_key)
        return tab_route(self.tab)


def tab_route(tab: str) -> str:
    return f"/{tab}" if tab in ALL_TABS else "/steps"


def step_route(item_key: str) -> str:
    return f"/steps/{item_key}"


def parse_route(route: str | None) -> Location:
    """Any route or link → a Location; anything unknown is the steps tab (never an error)."""
    if not route:
        return Location()
    code = code_from_route(route)
    parts = urlsplit(route.strip())
    # nyinordland://steps/x carries the first segment as the link's host.
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if parts.scheme == SCHEME and parts.netloc:
        segments = [parts.netloc, *segments]
    if code and segments[:1] == ["case"]:
        return Location(tab="family", case_code=code)
    if code:
        return Location(tab="family", join_code=code)
    if not segments or segments[0] not in ALL_TABS:
        return Location()
    if segments[0] == "steps" and len(segments) >= 2 and 0 < len(segments[1]) <= 100:
        return Location(tab="steps", step_key=segments[1])
    return Location(tab=segments[0])
