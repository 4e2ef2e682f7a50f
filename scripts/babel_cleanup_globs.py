"""Print the [tool.flet.cleanup] package_files globs that drop Babel locale data the app does not ship.

Run after adding a language: python scripts/babel_cleanup_globs.py (paste into pyproject.toml).
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.languages import BABEL_LOCALE_DATA  # noqa: E402


def cleanup_globs() -> list[str]:
    """Globs matching every locale-data file except the shipped locales, their variants and root."""
    kept = {code.split("_")[0] for codes in BABEL_LOCALE_DATA.values() for code in codes}
    prefixes = {code[:2] for code in kept} | {"ro"}  # "ro" keeps root.dat (and Romanian)
    dropped_letters = "".join(c for c in string.ascii_lowercase if not any(p[0] == c for p in prefixes))
    globs = [f"babel/locale-data/[{dropped_letters}]*.dat"]
    for letter in sorted({p[0] for p in prefixes}):
        seconds = "".join(sorted(p[1] for p in prefixes if p[0] == letter))
        globs.append(f"babel/locale-data/{letter}[!{seconds}]*.dat")
    # Of the "ro" prefix only root.dat is needed: drop Romanian and its variants.
    globs += ["babel/locale-data/ro[!o]*.dat", "babel/locale-data/ro.dat"]
    return globs


if __name__ == "__main__":
    for glob in cleanup_globs():
        print(f'    "{glob}",')
