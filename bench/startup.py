"""Startup: process start to the timeline visible in Chromium, against a hello-world Flet app.

Both apps are served in web mode (FLET_WEB_NO_CDN=true) and opened in Debian's Chromium; the clock
runs from Popen until the page shows the app's semantics node ('timeline' for Ny i Nordland with a
stored profile, 'hello' for the baseline). Rounds alternate the two. Target: median ratio <= 1.5.

Run from the project root:  .venv/bin/python bench/startup.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.profile import Profile  # noqa: E402
from services.store import open_store  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
HELLO = """
import os
import flet as ft

def main(page):
    page.add(ft.Semantics(identifier="hello", content=ft.Text("Hello, world")))

ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(os.environ["NYIN_PORT"]))
"""


def time_to_visible(browser: object, cmd: list[str], env: dict[str, str], identifier: str) -> float:
    port = free_port()
    env = {**os.environ, **env, "NYIN_PORT": str(port), "FLET_WEB_NO_CDN": "true", "NYIN_WEB": "1"}
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        wait_for_port(port, proc)
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60000)
        page.locator("flt-semantics-placeholder").dispatch_event("click")
        page.wait_for_selector(f"[flt-semantics-identifier='{identifier}']", state="attached", timeout=60000)
        return time.monotonic() - start
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)


def main(rounds: int = 5) -> None:
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = open_store(data)
        store.save_profile(
            Profile(
                language="en",
                group="eea",
                reason="work",
                municipality=1833,
                arrival_date=date.today(),
                long_stay=True,
            )
        )
        store.close()
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        app_s, hello_s = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            time_to_visible(browser, [sys.executable, str(hello)], {}, "hello")  # warm caches
            print(f"{'round':6}{'app s':>8}{'hello s':>9}{'ratio':>7}")
            for r in range(rounds):
                a = time_to_visible(
                    browser, [sys.executable, "main.py"], {"NYIN_DATA_DIR": str(data)}, "timeline"
                )
                h = time_to_visible(browser, [sys.executable, str(hello)], {}, "hello")
                app_s.append(a)
                hello_s.append(h)
                print(f"{r + 1:<6}{a:8.2f}{h:9.2f}{a / h:7.2f}")
            browser.close()
    ratio = statistics.median(app_s) / statistics.median(hello_s)
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(
        f"median: app {statistics.median(app_s):.2f} s, hello world {statistics.median(hello_s):.2f} s, "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
