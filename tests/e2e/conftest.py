"""Serve the real app in web mode and drive it in Debian's Chromium through Playwright."""

from __future__ import annotations

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


@pytest.fixture
def served_app(tmp_path: Path, live_server: str) -> Iterator[str]:
    """The app as the README's run command serves it, on a free port with its own data folder,
    talking to a real sync server."""
    port = free_port()
    env = {
        **os.environ,
        "FLET_WEB_NO_CDN": "true",
        "NYIN_WEB": "1",
        "NYIN_PORT": str(port),
        "NYIN_DATA_DIR": str(tmp_path / "data"),
        "NYIN_SERVER_URL": live_server,
    }
    log = open(tmp_path / "app.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "main.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
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
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.enable_semantics()

    def enable_semantics(self) -> None:
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60000)
        self.page.locator("flt-semantics-placeholder").dispatch_event("click")

    def by_id(self, identifier: str) -> object:
        return self.page.locator(f"[flt-semantics-identifier='{identifier}']")

    def click(self, identifier: str) -> None:
        self.by_id(identifier).first.click()

    def fill(self, identifier: str, text: str) -> None:
        """Type like a person: focus the field, wait for Flutter's editor to own focus, key by key.

        Flutter moves focus to its own editing element a moment after the tap; keys sent before
        that are lost, so we wait for it and check what landed, retyping if the first try lost keys.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

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

    def wait_text(self, identifier: str, text: str, timeout: float = 20) -> None:
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

    def reads(self, identifier: str, text: str) -> bool:
        return self.has(identifier) and text in self.texts_of_all(identifier)

    def screenshot(self, label: str) -> Path:
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path))
        return path
