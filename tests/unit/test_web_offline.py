"""Served without a CDN, the web client must find everything it fetches on the app's server.

Fast checks against the installed flet-web, so that a Flet upgrade that moves a path fails here
with a clear message (the browser test, tests/e2e/test_console_clean.py, sees the same in Chromium).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from flet_web import get_package_web_dir

ROOT = Path(__file__).resolve().parents[2]
WEB = Path(get_package_web_dir())
BLOCK = re.compile(r"  <!-- ny-i-nordland: begin .*?<!-- ny-i-nordland: end -->\n", re.S)
RIVE_CDN = "https://cdn.jsdelivr.net/npm/@rive-app/flutter-native-wasm@"

sys.path.insert(0, str(ROOT / "scripts"))
import web_fallback_fonts  # noqa: E402


def test_the_apps_index_html_is_flet_webs_plus_one_marked_block():
    """flet-web serves assets/index.html instead of its own (and patches it the same way): the
    copy must stay the installed template plus our block, or a Flet upgrade silently forks it."""
    ours = (ROOT / "assets" / "index.html").read_text(encoding="utf-8")
    assert len(BLOCK.findall(ours)) == 1
    upstream = (WEB / "index.html").read_text(encoding="utf-8")
    assert BLOCK.sub("", ours) == upstream, (
        "flet-web's web/index.html changed: copy it to assets/index.html again and put the "
        "ny-i-nordland block back after <!-- fletAppConfig -->"
    )


def test_the_rive_loader_the_block_answers_is_the_one_in_the_client():
    block = BLOCK.search((ROOT / "assets" / "index.html").read_text(encoding="utf-8")).group(0)
    assert f'"{RIVE_CDN}"' in block
    for client in web_fallback_fonts.client_files():
        assert RIVE_CDN.encode() in client.read_bytes(), f"{client.name} loads Rive from elsewhere now"


def test_the_app_has_no_rive_control():
    """The block tells rive_native there is no Rive runtime: fine only while nothing uses Rive."""
    for folder in ("app", "views", "services"):
        for path in (ROOT / folder).rglob("*.py"):
            assert "flet_rive" not in path.read_text(encoding="utf-8"), path


def test_the_fallback_fonts_flutter_asks_for_are_shipped():
    required = web_fallback_fonts.required()
    assert set(required) == {"Noto Sans Arabic"}
    for family, path in required.items():
        assert path.is_file(), f"{family}: run scripts/web_fallback_fonts.py --write"
        assert path.read_bytes()[:4] == b"wOF2", path
        # Served from the app's assets folder at the page's assets/fonts/ (fontFallbackBaseUrl).
        assert path.relative_to(ROOT / "assets" / "assets" / "fonts")
