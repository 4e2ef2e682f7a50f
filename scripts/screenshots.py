"""Screenshots of every screen at 360×740 (device scale 2) in English and Arabic, for docs/screenshots/.

Starts a sync server on a temporary SQLite file with the demo hosts, serves the app as the README's
run command does (FLET_WEB_NO_CDN=true), and walks it in Debian's Chromium like a newcomer: the
wizard, the timeline, a step, family sharing with an invitation, hosts, settings. Then look at them.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--languages en ar]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from services.i18n import get_translator  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, FletPage, free_port, phone, serve_app, wait_for_port  # noqa: E402

# The wizard's language screen is chosen in the language itself; the rest follow it.
LOCALES = {"en": "en-GB", "ar": "ar", "nb": "nb-NO", "pl": "pl-PL", "lt": "lt-LT", "uk": "uk-UA"}


def start(tmp: Path) -> tuple[list[subprocess.Popen], str]:
    """A sync server with the demo data and the app in web mode; returns the processes and the app URL."""
    server_port = free_port()
    server_url = f"http://127.0.0.1:{server_port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'server.db'}", "XDG_DATA_HOME": str(tmp / "xdg")}
    log = open(tmp / "log.txt", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--port", str(server_port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_for_port(server_port, server)
    subprocess.run([sys.executable, "-m", "demo", "seed", "--server", server_url], cwd=ROOT, env=env,
                   stdout=log, stderr=subprocess.STDOUT, check=True)  # fmt: skip
    app, url = serve_app(tmp / "app", server_url, log)
    return [server, app], url


def shoot(app: FletPage, out: Path, screen: str, language: str) -> None:
    app.page.mouse.move(1, 1)  # away from the tab bar, whose tooltip would cover the picture
    app.page.wait_for_timeout(700)  # let transitions and fonts settle
    app.page.screenshot(path=str(out / f"{screen}-{language}.png"))


def walk(app: FletPage, url: str, out: Path, language: str) -> None:
    """Every screen a newcomer meets, in `language`."""
    app.open(url)
    app.wait(f"wizard-lang-{language}")
    app.click(f"wizard-lang-{language}")
    shoot(app, out, "wizard-language", language)
    app.click("wizard-next")
    app.fill("country-search", "Poland")  # English names are found in every language
    app.click("country-PL")  # also selects EU / EEA
    app.scroll_to("country-PL", "touch")
    shoot(app, out, "wizard-citizenship", language)
    app.click("wizard-next")
    app.click("wizard-option-work")
    app.click("wizard-next")
    app.fill("municipality-search", "Mo i Rana")
    app.click("municipality-1833")
    shoot(app, out, "wizard-municipality", language)
    app.click("wizard-next")
    app.fill("arrival-date", date.today().isoformat())
    app.click("wizard-next")
    for answer in ("wizard-option-over_12", "wizard-option-true"):
        app.click(answer)
        app.click("wizard-next")
    app.click("child-year")
    app.page.get_by_text(str(date.today().year - 3), exact=True).last.click()
    app.click("child-month")
    may = get_translator(language).format_date(date(2000, 5, 1), "LLLL")  # as the app names it
    app.page.get_by_text(may, exact=True).last.click()
    app.click("child-add")
    shoot(app, out, "wizard-children", language)
    app.click("wizard-next")
    app.click("wizard-option-none")
    app.click("wizard-next")
    app.click("wizard-option-eea")
    app.click("wizard-next")
    app.wait("timeline")
    shoot(app, out, "timeline", language)
    kindergarten = app.page.locator("[flt-semantics-identifier^='item-kindergarten:']").first
    app.click(kindergarten.get_attribute("flt-semantics-identifier"))
    app.wait("detail-due")
    shoot(app, out, "step-detail", language)
    app.scroll_to("detail-municipal-page", "touch")  # whose deadline, the municipality's own page
    shoot(app, out, "step-detail-municipal", language)
    app.click("detail-back")
    tabs = app.page.get_by_role("tab")
    tabs.nth(1).click()
    app.fill("family-name", "Ana")
    app.click("family-create")
    app.click("family-invite")
    app.wait("invite-code")
    shoot(app, out, "family-invite", language)
    tabs.nth(2).click()
    app.wait("seeker-first-name")
    shoot(app, out, "hosts-about-you", language)
    app.fill("seeker-first-name", "Ana")
    if language != "en":
        app.click("seeker-lang-en")  # the demo host in Rana speaks Norwegian, English and Ukrainian
    app.click("seeker-consent")
    app.click("seeker-save")
    app.page.locator("[flt-semantics-identifier^='suggest-ask-']").first.wait_for(
        state="attached", timeout=30000
    )
    shoot(app, out, "hosts-suggested", language)
    tabs.nth(3).click()
    app.wait("settings")
    shoot(app, out, "settings", language)
    app.scroll_to("privacy-notice-toggle", "touch")
    app.click("privacy-notice-toggle")
    app.wait("privacy-notice")
    app.scroll_to("privacy-erase", "touch")
    shoot(app, out, "settings-privacy", language)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--languages", nargs="+", default=["en", "ar"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        processes, url = start(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for language in args.languages:
                app = phone(browser, f"screenshots-{language}", locale=LOCALES[language])
                walk(app, url, args.out, language)
                app.page.context.close()
                print(f"{language}: screenshots in {args.out}")
        finally:
            browser.close()
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
