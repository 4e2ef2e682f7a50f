"""Real browser: loading the app, in English and after switching to Arabic, logs no console error,
fails no request and asks nothing of any host but the app's own (issue 8, item 9).

Served as the README serves it, with FLET_WEB_NO_CDN=true: CanvasKit, the fonts Flutter falls back
to and every plugin script must come from the app's server. Two things used to leak: rive_native's
runtime from a CDN and Flutter's Noto Sans Arabic fallback font (a 404 from the local fallback
folder); see assets/index.html and scripts/web_fallback_fonts.py.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import FletPage

pytestmark = pytest.mark.e2e

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# The screen reads Arabic beyond the language's own name (which is Arabic in every language).
ARABIC_SHOWN = """() => [...document.querySelectorAll('flt-semantics, flt-semantics *')]
    .map(n => (n.getAttribute('aria-label') || '') + ' ' + (n.textContent || ''))
    .join(' ').replaceAll('العربية', '').match(/[\\u0600-\\u06FF]/) !== null"""


class Watcher:
    """Everything a page says or fetches that a clean load must not have."""

    def __init__(self, page: object) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.last_request = time.monotonic()
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", self.on_request)
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", self.on_response)

    def on_console(self, message: object) -> None:
        text = message.text
        fetch_failed = "failed to fetch" in text.lower() or "failed to load" in text.lower()
        if message.type == "error":
            self.problems.append(f"console error: {text} at {message.location.get('url')}")
        elif message.type == "warning" and fetch_failed:
            # Flutter reports a font it could not fetch as a warning, beside the browser's error.
            self.problems.append(f"console warning: {text}")

    def on_request(self, request: object) -> None:
        self.requests.append(request.url)
        self.last_request = time.monotonic()
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
            self.problems.append(f"request to another host: {request.url}")

    def on_response(self, response: object) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def settle(self, page: object, quiet: float = 1.5, timeout: float = 15) -> None:
        """Wait until no request has started for `quiet` seconds (fonts and plugin scripts load
        after the first frame)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_request < quiet and time.monotonic() < deadline:
            page.wait_for_timeout(250)


def test_loading_in_english_and_switching_to_arabic_is_clean(served_app, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="en-GB")
    watcher = Watcher(page)
    app = FletPage(page, "console-clean")
    try:
        app.open(served_app)
        app.wait("wizard-lang-en")
        app.wait("wizard-lang-ar")  # its name, العربية, is drawn in Arabic script on the first screen
        watcher.settle(page)
        english = list(watcher.problems)

        app.click("wizard-lang-ar")
        page.wait_for_function(ARABIC_SHOWN, timeout=30000)
        watcher.settle(page)
        app.screenshot("arabic")
    finally:
        page.close()

    assert any(url.endswith("/main.dart.js") or url.endswith("/main.dart.wasm") for url in watcher.requests)
    assert not english, "on load, in English:\n" + "\n".join(english)
    assert not watcher.problems, "after switching to Arabic:\n" + "\n".join(watcher.problems)
