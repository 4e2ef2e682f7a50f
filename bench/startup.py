"""Startup: process start to the timeline visible in Chromium, against a hello-world Flet app.

Both apps are served in web mode (FLET_WEB_NO_CDN=true) and opened in Debian's Chromium at
360x740, each load in a new browser context (nothing cached); the clock runs from Popen until the
page shows the app's semantics node: 'timeline' for Ny i Nordland with a stored profile, 'hello'
for the baseline. Rounds alternate the two (and which goes first). Target: median ratio <= 1.5.

In web mode every browser is its own phone: the app keeps a random id in the browser's
SharedPreferences (key app.shell.BROWSER_KEY; Flutter web stores it in localStorage under
"flutter.<key>", JSON-encoded) and opens the database in <data>/browsers/<id>/. The benchmark saves
a profile there and gives every browser context that id before the page loads, so the app opens
on the timeline as it does for anyone coming back to it. If the app shows the wizard instead, the
run fails and says so (that is how this benchmark broke unnoticed once).

Run from the project root:
    .venv/bin/python bench/startup.py [--rounds 7]
    .venv/bin/python bench/startup.py --smoke    # one round, no target: it measured, the timeline showed
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.shell import BROWSER_KEY  # noqa: E402
from services.profile import Profile  # noqa: E402
from services.store import open_store  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
TIMEOUT_MS = 60000
HEADER = f"{'round':6}{'app s':>8}{'hello s':>9}{'ratio':>7}{'app listen':>12}{'hello listen':>14}"
# A closed port: a stored profile without a family does not sync, and nothing else may answer.
NO_SERVER = "http://127.0.0.1:9"
HELLO = """
import os
import flet as ft

def main(page):
    page.add(ft.Semantics(identifier="hello", content=ft.Text("Hello, world")))

ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(os.environ["NYIN_PORT"]))
"""


class Measurement:
    """Seconds from Popen to each phase of one load."""

    def __init__(self, listening: float, ws_open: float, last_message: float, visible: float) -> None:
        self.listening = listening  # the web server accepts connections
        self.ws_open = ws_open  # the Flutter client has loaded and opened its websocket
        self.last_message = last_message  # the server's last message before the node showed
        self.visible = visible  # the semantics node is in the page


def store_profile(data: Path) -> str:
    """A returning user's phone: a profile in the database of one browser id; returns the id."""
    browser_id = secrets.token_hex(16)
    store = open_store(data / "browsers" / browser_id)
    try:
        store.save_profile(
            Profile(
                language="en",
                group="eea",
                reason="work",
                municipality=1833,
                arrival_date=date.today(),
                stay="over_12",
            )
        )
    finally:
        store.close()
    return browser_id


def browser_id_script(browser_id: str) -> str:
    """Runs before the page's own scripts: the id the app would have stored on a first visit."""
    key, value = json.dumps(f"flutter.{BROWSER_KEY}"), json.dumps(json.dumps(browser_id))
    return f"window.localStorage.setItem({key}, {value});"


def time_to_visible(
    browser: object, cmd: list[str], env: dict[str, str], identifier: str, init_script: str | None = None
) -> Measurement:
    port = free_port()
    env = {**os.environ, **env, "NYIN_PORT": str(port), "FLET_WEB_NO_CDN": "true", "NYIN_WEB": "1"}
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    ws_open: list[float] = []
    frames: list[float] = []  # when each message from the server arrived

    def on_websocket(ws: object) -> None:
        ws_open.append(time.monotonic() - start)
        ws.on("framereceived", lambda _payload: frames.append(time.monotonic() - start))

    page.on("websocket", on_websocket)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        listening = time.monotonic() - start
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT_MS)
        page.locator("flt-semantics-placeholder").dispatch_event("click")
        target = page.locator(f"[flt-semantics-identifier='{identifier}']").first
        wizard = page.locator("[flt-semantics-identifier='wizard-lang-en']").first
        target.or_(wizard).wait_for(state="attached", timeout=TIMEOUT_MS)
        visible = time.monotonic() - start
        if target.count() == 0:
            raise RuntimeError(
                f"the app showed the wizard, not {identifier!r}: it did not find the stored profile "
                f"(browser id in localStorage 'flutter.{BROWSER_KEY}', database under <data>/browsers/<id>/)"
            )
        opened = ws_open[0] if ws_open else visible
        last = max([f for f in frames if f <= visible], default=opened)
        return Measurement(listening, opened, last, visible)
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds_pos", nargs="?", type=int, help=argparse.SUPPRESS)  # the old CLI
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="one round, no warm-up, no target")
    args = parser.parse_args(argv)
    rounds = 1 if args.smoke else (args.rounds_pos or args.rounds)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium")
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        app_run = (
            [sys.executable, "main.py"],
            {"NYIN_DATA_DIR": str(data), "NYIN_SERVER_URL": NO_SERVER},
            "timeline",
            browser_id_script(store_profile(data)),
        )
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        hello_run = ([sys.executable, str(hello)], {}, "hello", None)
        app_s: list[Measurement] = []
        hello_s: list[Measurement] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                if not args.smoke:  # warm the file cache for both
                    time_to_visible(browser, *app_run)
                    time_to_visible(browser, *hello_run)
                print(HEADER)
                for r in range(rounds):
                    order = [(app_run, app_s), (hello_run, hello_s)]
                    for run, out in order if r % 2 == 0 else order[::-1]:
                        out.append(time_to_visible(browser, *run))
                    a, h = app_s[-1], hello_s[-1]
                    print(
                        f"{r + 1:<6}{a.visible:8.2f}{h.visible:9.2f}{a.visible / h.visible:7.2f}"
                        f"{a.listening:12.2f}{h.listening:14.2f}"
                    )
            finally:
                browser.close()
    app_med = statistics.median(m.visible for m in app_s)
    hello_med = statistics.median(m.visible for m in hello_s)
    ratio = app_med / hello_med
    listen = (statistics.median(m.listening for m in app_s), statistics.median(m.listening for m in hello_s))
    print(
        f"median: app {app_med:.2f} s, hello world {hello_med:.2f} s, ratio {ratio:.2f}; "
        f"server listening after app {listen[0]:.2f} s, hello world {listen[1]:.2f} s"
    )
    # listen and ws open from Popen; then the server's part (until its last message before the
    # node showed) and the client's part (from that message until the node is in the page).
    print(f"phases, medians in s:{'listen':>20}{'ws open':>9}{'->last msg':>12}{'->visible':>11}")
    for name, ms in (("app", app_s), ("hello world", hello_s)):
        phases = [
            statistics.median(m.listening for m in ms),
            statistics.median(m.ws_open for m in ms),
            statistics.median(m.last_message - m.ws_open for m in ms),
            statistics.median(m.visible - m.last_message for m in ms),
        ]
        print(f"  {name:30}{phases[0]:9.2f}{phases[1]:9.2f}{phases[2]:12.2f}{phases[3]:11.2f}")
    if args.smoke:
        print("smoke: measured both apps, the timeline showed (no target checked)")
    else:
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"target: ratio <= {TARGET_RATIO}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
