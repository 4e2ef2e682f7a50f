"""Where shipped, read-only files live (next to the code, also inside a built app bundle)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_ROOT / "assets"
LOCALES_DIR = PROJECT_ROOT / "locales"
CATALOG_FILE = ASSETS_DIR / "catalog" / "steps.json"
MUNICIPALITIES_FILE = ASSETS_DIR / "catalog" / "municipalities.json"
CONTENT_DIR = ASSETS_DIR / "content"
EMPLOYER_TASKS_FILE = ASSETS_DIR / "catalog" / "employer_tasks.json"  # Nordhub: the employer's checklist
SERVER_CONFIG_FILE = ASSETS_DIR / "server.json"  # the build's sync server
