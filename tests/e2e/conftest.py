"""Serve the real app in web mode and drive it in Debian's Chromium through Playwright."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import require_ci_tool

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
# No background traffic: this machine's network is closed, and tests must not depend on it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise TimeoutError(f"app did not listen on {port}")


def serve_app(data_dir: Path, server_url: str, log: object) -> tuple[subprocess.Popen, str]:
    """Start the app as the README's run command serves it (web mode, no CDN) on a free port with
    its own data folder; returns the process and its address once it listens."""
    port = free_port()
    env = {
        **os.environ,
        "FLET_WEB_NO_CDN": "true",
        "NYIN_WEB": "1",
        "NYIN_PORT": str(port),
        "NYIN_DATA_DIR": str(data_dir),
        "NYIN_SERVER_URL": server_url,
    }
    proc = subprocess.Popen(
        [sys.executable, "main.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    wait_for_port(port, proc)
    return proc, f"http://127.0.0.1:{port}/"


@pytest.fixture
def served_app(tmp_path: Path, live_server: str) -> Iterator[str]:
    """The app as the README's run command serves it, talking to a real sync server."""
    log = open(tmp_path / "app.log", "wb")
    proc, url = serve_app(tmp_path / "data", live_server, log)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def browser() -> Iterator[object]:
    require_ci_tool(CHROMIUM, "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class FletPage:
    """A Flet web page: enables Flutter's semantics tree, then finds controls by identifier."""

    def __init__(self, page: object, name: str) -> None:
        self.page = page
        self.name = name
        self._named: list[str] = []  # naming and state problems seen by `audit`
        self._sizes: dict[str, list[tuple[int, int]]] = {}  # each size a control showed
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    text_scale = 1.0

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.enable_semantics()
        if self.text_scale != 1.0:  # Flutter follows the root font size as the system text size
            self.page.evaluate(
                f"() => {{ document.documentElement.style.fontSize = '{16 * self.text_scale}px'; }}"
            )

    def enable_semantics(self) -> None:
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60000)
        self.page.locator("flt-semantics-placeholder").dispatch_event("click")

    def by_id(self, identifier: str) -> object:
        return self.page.locator(f"[flt-semantics-identifier='{identifier}']")

    def click(self, identifier: str) -> None:
        """Tap a control; one out of sight is first scrolled to, as a person would."""
        self.by_id(identifier).nth(self.reach(identifier)).click()

    def reach(self, identifier: str) -> int:
        """Scroll a control into sight if it is not there already; which of the nodes with this
        identifier is in sight (a step shows under "Next steps" and in its phase)."""
        self.wait(identifier)
        index, p = self._best(identifier)
        if not p["inside"] or p["flush"]:
            self.scroll_to(identifier, "wheel")
            index, p = self._best(identifier)
        return index

    def fill(self, identifier: str, text: str) -> None:
        """Type like a person: focus the field, wait for Flutter's editor to own focus, key by key.

        Flutter moves focus to its own editing element a moment after the tap; keys sent before
        that are lost, so we wait for it and check what landed, retyping if the first try lost keys.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.reach(identifier)
        field = self.by_id(identifier).locator("input, textarea").first
        for _attempt in range(3):
            field.click()
            try:
                self.page.wait_for_function(
                    "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)", timeout=5000
                )
            except PlaywrightTimeout:  # the tap landed while the screen re-rendered: tap again
                continue
            self.page.wait_for_timeout(150)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Backspace")
            self.page.keyboard.type(text, delay=20)
            try:
                self.page.wait_for_function(
                    "t => document.activeElement?.value === t", arg=text, timeout=3000
                )
                break
            except PlaywrightTimeout:  # a lost key: clear and type again
                continue
        else:
            raise AssertionError(f"could not type {text!r} into {identifier!r}")
        self.page.wait_for_timeout(300)

    def checked(self, identifier: str) -> bool:
        """Whether a checkbox says it is checked (to screen readers, as aria-checked)."""
        box = self.wait(identifier).locator("xpath=self::*[@role='checkbox'] | .//*[@role='checkbox']").first
        return box.get_attribute("aria-checked") == "true"

    def wait_checked(self, identifier: str, value: bool = True, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.checked(identifier) != value:
            if time.monotonic() > deadline:
                raise AssertionError(f"{identifier!r} never became {'checked' if value else 'unchecked'}")
            self.page.wait_for_timeout(100)

    def field_value(self, identifier: str) -> str:
        """What a text field holds now (as typed, or as the app filled it in)."""
        return self.wait(identifier).locator("input, textarea").first.input_value()

    def wait(self, identifier: str, timeout: float = 30000) -> object:
        loc = self.by_id(identifier).first
        loc.wait_for(state="attached", timeout=timeout)
        return loc

    def text_of(self, identifier: str) -> str:
        """Everything a screen reader would read inside a control (labels and text)."""
        return self.wait(identifier).evaluate(
            "e => [e, ...e.querySelectorAll('*')]"
            ".map(n => n.getAttribute('aria-label') || n.textContent || '').join(' | ')"
        )

    def texts_of_all(self, identifier: str) -> str:
        """What every node with this identifier reads (a step can be listed twice, under "Next
        steps" and in its phase, and Flutter web may keep a moved node's identifier a moment)."""
        self.wait(identifier)
        return " || ".join(
            self.by_id(identifier).evaluate_all(
                "es => es.map(e => [e, ...e.querySelectorAll('*')]"
                ".map(n => n.getAttribute('aria-label') || n.textContent || '').join(' | '))"
            )
        )

    def wait_text(self, identifier: str, text: str, timeout: float = 30) -> None:
        """Wait until a control reads `text` (a change that arrives from elsewhere, e.g. a sync)."""
        deadline = time.monotonic() + timeout
        while text not in self.texts_of_all(identifier):
            if time.monotonic() > deadline:
                raise AssertionError(f"{identifier!r} never read {text!r}: {self.texts_of_all(identifier)!r}")
            self.page.wait_for_timeout(200)

    def tap_until(
        self, identifier: str, arrived: Callable[[], bool], attempts: int = 3, wait: float = 8
    ) -> None:
        """Tap an idempotent control (sync, refresh) until what it fetches has arrived: a tap that
        lands during a re-render can be lost, and repeating it is harmless."""
        for _attempt in range(attempts):
            self.wait(identifier)
            self.click(identifier)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if arrived():
                    return
                self.page.wait_for_timeout(200)
        raise AssertionError(f"tapping {identifier!r} {attempts} times did not bring what was expected")

    def has(self, identifier: str) -> bool:
        return self.by_id(identifier).count() > 0

    # --- as a person holds it -------------------------------------------------------------------

    def place(self, identifier: str) -> dict:
        """Where a control is: its top and bottom, the part of the screen that can show it, whether
        it is inside that part, and whether it touches an edge (where it may be cut off)."""
        return self._best(identifier)[1]

    def _best(self, identifier: str) -> tuple[int, dict]:
        """The node with this identifier that is most in sight, and where it is."""
        places: list[dict] = []
        for _attempt in range(50):  # a re-render may replace the node between two looks
            places = self.by_id(identifier).evaluate_all(f"(es) => es.map({_AUDIT.strip().rstrip(';')})")
            if places:
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"no control tagged {identifier!r}")
        rank = [(not (p["inside"] and not p["flush"]), not p["inside"], n) for n, p in enumerate(places)]
        index = min(rank)[2]
        return index, places[index]

    def scroll(self, how: str, dy: float = 300, x: float | None = None, y: float | None = None) -> None:
        """One scroll gesture over the screen: the mouse "wheel" or a "touch" swipe (dy > 0: further
        down the content)."""
        x = self.page.viewport_size["width"] / 2 if x is None else x
        y = self.page.viewport_size["height"] / 2 if y is None else y
        if how == "wheel":
            self.page.mouse.move(x, y)
            self.page.mouse.wheel(0, dy)
        else:
            cdp = self.page.context.new_cdp_session(self.page)
            cdp.send(
                "Input.synthesizeScrollGesture",
                {"x": x, "y": y, "yDistance": -dy, "gestureSourceType": "touch", "speed": 800},
            )
            cdp.detach()
        self.page.wait_for_timeout(400)  # a finger's swipe flings on a moment

    def scroll_to(
        self, identifier: str, how: str = "wheel", max_gestures: int = 80, audit: bool = True
    ) -> None:
        """Scroll as a person would until a control is wholly on screen (never by resizing the
        window), checking every control that passes by on the way (see `audit`).

        Flutter web reports a half-shown control as its shown part, so a control counts as wholly
        shown when it is on screen, away from the edges, and a further small gesture the same way
        does not make it any taller."""
        self.page.wait_for_timeout(500)  # a screen that just opened slides in before it scrolls
        step = 300.0
        for _gesture in range(max_gestures):
            if audit:
                self.audit()
            if self.has(identifier):
                p = self.place(identifier)
                step = 300.0 if p["top"] > (p["clipTop"] + p["clipBottom"]) / 2 else -300.0
                if p["inside"] and not p["flush"]:
                    self.scroll(how, step / 3)
                    q = self.place(identifier)
                    if q["height"] <= p["height"] + 0.5:
                        if not (q["inside"] and not q["flush"]):
                            self.scroll(how, -step / 3)  # the check moved it off: back
                        return
                    continue
            self.scroll(how, step)
        last = self.place(identifier) if self.has(identifier) else None
        raise AssertionError(
            f"{identifier!r} never came on screen after {max_gestures} {how} gestures: {last}"
        )

    def audit(self) -> None:
        """Look at every interactive control on screen as a screen reader and a finger would:
        a name (said once), a role, its state, and a target of 48×48 (the largest size a control
        showed while scrolling counts: Flutter reports a half-shown control as its shown part)."""
        for node in audit_nodes(self.page):
            if not node["visible"]:
                continue
            key = node["id"] or f"{node['role']}:{node['name'][:40]}"
            self._sizes.setdefault(key, []).append((round(node["width"]), round(node["height"])))
            found = [p for p in naming_problems(node) if p not in self._named]
            if found:
                self._named.extend(found)
                self.screenshot(f"a11y-{len(self._named)}")

    @property
    def problems(self) -> list[str]:
        """Everything `audit` found: names, states, and targets under 48×48. A control's size is
        its largest one seen at two scroll positions at least (a cut-off control shows a different
        part each time; one seen only cut off is not judged)."""
        small = []
        for key, seen in self._sizes.items():
            stable = [size for size in set(seen) if seen.count(size) >= 2]
            if stable:
                width, height = max(stable, key=lambda s: s[0] * s[1])
                if width < MIN_TARGET or height < MIN_TARGET:
                    small.append(f"{key}: target {width}×{height} px, under 48×48")
        return self._named + small

    def reads(self, identifier: str, text: str) -> bool:
        return self.has(identifier) and text in self.texts_of_all(identifier)

    def switch_to_arabic(self) -> None:
        """Choose Arabic in Settings (already open) and wait for the translated screen."""
        self.scroll_to("settings-lang-ar", "touch")
        self.click("settings-lang-ar")
        self.page.get_by_text("اللغة").first.wait_for()

    def screenshot(self, label: str) -> Path:
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path))
        return path

    def last_screenshot(self) -> None:
        """The screen as a test left it, for the artifacts; never raises, so a page that hangs
        cannot hide the failure that brought the test here."""
        try:
            self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-last.png"), timeout=5000)
        except Exception:  # noqa: BLE001 - only evidence; the test's own outcome stands
            logging.getLogger(__name__).warning("no last screenshot of %s", self.name)


# --- a phone in the hand: 360×740, touch, text size, scrolling as a person does -----------------

PHONE = {"width": 360, "height": 740}


def phone(
    browser: object, name: str, locale: str = "en-GB", text_scale: float = 1.0, size: dict | None = None
) -> FletPage:
    """A phone-sized page (360×740 CSS px, device scale 2, touch). `text_scale` 2.0 is the
    phone's 200 % text size (Flutter web reads it from the root font size, 16 px = 100 %)."""
    context = browser.new_context(
        locale=locale, viewport=size or PHONE, device_scale_factor=2, has_touch=True, accept_downloads=True
    )
    app = FletPage(context.new_page(), name)
    app.text_scale = text_scale
    return app


# Every interactive node on screen, as a screen reader and a finger meet it (see audit.js).
_AUDIT = (Path(__file__).parent / "audit.js").read_text()


def audit_nodes(page: object) -> list[dict]:
    """Every interactive semantics node with its role, name, state, size and visibility."""
    return page.evaluate(_AUDIT)


MIN_TARGET = 47.5  # CSS px; Flutter lays out 48 px targets with sub-pixel rounding


def naming_problems(node: dict) -> list[str]:
    """What a screen reader would miss on one node: a name, its state, a name said once."""
    where = node["id"] or node["name"][:40]
    problems = []
    if not node["name"]:
        problems.append(f"{where}: no accessible name ({node['role']})")
    if node["role"] in ("checkbox", "radio", "switch") and node["checked"] is None:
        problems.append(f"{where}: a {node['role']} without its checked state")
    lines = [x.strip() for x in node["name"].split("\n") if x.strip()]
    if len(lines) > 1 and len(set(lines)) < len(lines):
        problems.append(f"{where}: its name says the same thing twice ({node['name']!r})")
    return problems
