"""Ship the Noto fallback fonts that Flutter web asks the app's server for (served without a CDN).

When a glyph is missing from the fonts of a text style, Flutter web downloads a Noto font that
has it from `fontFallbackBaseUrl`, at a path compiled into the web client
(`notosansarabic/v28/<hash>.woff2` for Arabic). Served with `FLET_WEB_NO_CDN=true`, flet-web
points that URL at its own `assets/fonts/` (flet_web/patch_index.py) but ships only Roboto there,
so every such download was a 404 and the text drew in boxes until the app's own font was in.
flet-web serves the app's assets folder before its own files (FletStaticFiles.all_directories),
so the app ships the fonts its scripts need at exactly those paths, under assets/assets/fonts/,
made from the TTFs it already bundles (assets/fonts/, SIL Open Font License, see OFL.txt).

    .venv/bin/python scripts/web_fallback_fonts.py          # check: exit 1 when a font is missing
    .venv/bin/python scripts/web_fallback_fonts.py --write  # (re)make them; needs fonttools, brotli

A Flet upgrade may move these paths: tests/unit/test_web_offline.py checks them against the
installed client, and tests/e2e/test_console_clean.py sees any 404 in a real browser.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
# Where flet-web points Flutter's font fallback when served without a CDN ("assets/fonts/",
# relative to the page), as found in the app's assets folder.
FALLBACK_DIR = ASSETS / "assets" / "fonts"
# Noto fallback family (as Flutter names it) -> the bundled font that covers the same script.
BUNDLED = {"Noto Sans Arabic": ASSETS / "fonts" / "NotoSansArabic-Regular.ttf"}


def client_files() -> list[Path]:
    """The compiled web clients of the installed flet-web (dart2js and dart2wasm builds)."""
    from flet_web import get_package_web_dir

    web = Path(get_package_web_dir())
    return [web / "main.dart.js", web / "main.dart.wasm"]


def fallback_paths(client: Path) -> dict[str, str]:
    """Family -> path under fontFallbackBaseUrl, as compiled into one client, for BUNDLED."""
    data = client.read_bytes()
    found = {}
    for family in BUNDLED:
        slug = family.lower().replace(" ", "")
        match = re.search(rb"(" + re.escape(slug.encode()) + rb"/v\d+/[A-Za-z0-9_-]+\.woff2)", data)
        if match is None:
            raise LookupError(f"{client.name} names no fallback font for {family!r}")
        found[family] = match.group(1).decode()
    return found


def required() -> dict[str, Path]:
    """Family -> the file the app must ship for it (the same in every client build)."""
    paths = [fallback_paths(client) for client in client_files()]
    if any(p != paths[0] for p in paths):
        raise LookupError(f"the client builds disagree on fallback font paths: {paths}")
    return {family: FALLBACK_DIR / path for family, path in paths[0].items()}


def write() -> None:
    from fontTools.ttLib import TTFont  # only to regenerate: pip install fonttools brotli

    for family, target in required().items():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(BUNDLED[family])
        font.flavor = "woff2"
        font.save(target)
        print(f"{family}: {BUNDLED[family].relative_to(ROOT)} -> {target.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    if "--write" in argv:
        write()
        return 0
    missing = [path for path in required().values() if not path.is_file()]
    for path in missing:
        print(f"missing: {path.relative_to(ROOT)} (run with --write)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
