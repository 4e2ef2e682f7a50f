"""Project-wide rules: layering, packaging configuration, contrast of the theme's colours."""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import importlib.util
import tomllib
from pathlib import Path

import babel

from app import theme
from services.languages import BABEL_LOCALE_DATA

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def imported_modules(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def imported_names(package: str) -> dict[str, set[str]]:
    """Per file, every module it imports by full name (`from services import wire` →
    `services.wire`), read from the syntax tree, so a comment or a string never counts."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{a.name}" for a in node.names}
        found[str(path.relative_to(ROOT))] = names
    return found


# What the server shares with the app: the protocols both sides must agree on (sync wire and clock,
# the Superhost wire and visit states, the calendar file, the meeting-place rule, Norwegian time,
# Nordhub's organisation numbers, milestones and employer checklist).
SERVER_MAY_IMPORT_FROM_SERVICES = {
    "services.wire",
    "services.hlc",
    "services.host_wire",
    "services.visit_lifecycle",
    "services.ics",
    "services.meeting_place",
    "services.oslo_time",
    "services.org_number",  # Nordhub: the organisation number rule, the milestones, the
    "services.nordhub_wire",  # employer's checklist as data
    "services.employer_tasks",
}


def test_the_server_imports_only_the_shared_protocol_from_services():
    for path, names in imported_names("server").items():
        assert not {n.split(".")[0] for n in names} & {"flet", "app", "views", "demo"}, path
        # services has no subpackages: `services.wire.ErrorCode` is a name in `services.wire`.
        modules = {".".join(n.split(".")[:2]) for n in names if n.startswith("services.")}
        assert modules <= SERVER_MAY_IMPORT_FROM_SERVICES, (path, modules - SERVER_MAY_IMPORT_FROM_SERVICES)


def test_services_never_import_flet_app_views_or_server():
    for path, names in imported_modules("services").items():
        assert not names & {"flet", "app", "views", "server"}, path


def test_only_the_run_command_uses_the_demo():
    for package in ("app", "views", "services", "server"):
        for path, names in imported_modules(package).items():
            assert "demo" not in names, path


def test_views_never_touch_the_store_or_network_directly():
    for path, names in imported_modules("views").items():
        assert not names & {"sqlite3", "sqlite_utils", "httpx", "server"}, path
    for path, names in imported_names("views").items():
        assert not {n for n in names if n == "services.store" or n.startswith("services.store.")}, path


def test_phone_dependencies_are_the_pure_python_set():
    deps = {d.split("=")[0].split(">")[0].split("[")[0] for d in PYPROJECT["project"]["dependencies"]}
    assert deps == {"flet", "flet-secure-storage", "httpx", "babel", "segno", "holidays"}
    # Beyond flet itself, the phone gets only pure-Python wheels (no mobile build needed); a Flet
    # extension's Flutter half ships inside its wheel and `flet build` compiles it.
    for name in deps - {"flet"}:
        wheel = importlib.metadata.distribution(name).read_text("WHEEL") or ""
        assert "Root-Is-Purelib: true" in wheel, name


def test_flet_build_configuration_is_complete():
    flet = PYPROJECT["tool"]["flet"]
    assert flet["product"] and flet["org"] and flet["bundle_id"] and flet["artifact"]
    assert PYPROJECT["project"]["version"]
    excluded = set(flet["app"]["exclude"])
    assert {"server", "demo", "tests", "bench", "docs"} <= excluded
    assert flet["android"]["extract_packages"] == ["babel", "holidays"]
    # The app's data stays out of cloud backups and device transfers (docs/privacy.md).
    assert flet["android"]["manifest_application"] == {
        "allowBackup": "false",
        "fullBackupContent": "false",
    }
    assert (ROOT / "main.py").is_file() and flet["app"]["module"] == "main"


def test_babel_cleanup_keeps_exactly_the_shipped_locales():
    spec = importlib.util.spec_from_file_location("globs", ROOT / "scripts" / "babel_cleanup_globs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    globs = [g for g in PYPROJECT["tool"]["flet"]["cleanup"]["package_files"] if g.startswith("babel/")]
    assert globs == module.cleanup_globs(), "run scripts/babel_cleanup_globs.py"
    data_dir = Path(babel.__file__).parent / "locale-data"
    kept = {
        f.stem
        for f in data_dir.glob("*.dat")
        if not any(fnmatch.fnmatch(f"babel/locale-data/{f.name}", g) for g in globs)
    }
    needed = {code for codes in BABEL_LOCALE_DATA.values() for code in codes} | {"root"}
    assert needed <= kept
    # What stays is only the shipped languages' prefixes (variants and close relatives are tiny).
    assert {k[:2] for k in kept} == {n[:2] for n in needed}, kept


def _luminance(hex_color: str) -> float:
    rgb = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_colours_meet_wcag_aa_contrast():
    for fg, bg in theme.TEXT_PAIRS:
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)


def test_bundled_font_and_licence_ship_with_the_app():
    for family, path in theme.FONTS.items():
        assert (ROOT / "assets" / path).is_file(), family
    assert "SIL Open Font License" in (ROOT / "assets" / "fonts" / "OFL.txt").read_text()


def test_holidays_cleanup_keeps_norway_and_what_it_imports(tmp_path):
    """The phone bundle keeps only holidays' Norway module; Norway's holidays still load from the
    trimmed copy (services/closed_days.py loads it by path, never the 250-country package)."""
    import shutil
    import subprocess
    import sys

    import holidays

    globs = [g for g in PYPROJECT["tool"]["flet"]["cleanup"]["package_files"] if g.startswith("holidays/")]
    source = Path(holidays.__file__).parent
    copy = tmp_path / "holidays"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for f in list(copy.rglob("*")):
        rel = f"holidays/{f.relative_to(copy).as_posix()}"
        if f.is_file() and any(
            fnmatch.fnmatch(rel, g) or (g.endswith("/*") and rel.startswith(g[:-1])) for g in globs
        ):
            f.unlink()
    assert sorted(p.name for p in (copy / "countries").glob("*.py")) == ["__init__.py", "norway.py"]
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); from datetime import date; "
        "from services.closed_days import holiday_name; import holidays; "
        "assert holidays.__file__.startswith(sys.argv[1]), holidays.__file__; "
        "print(holiday_name(date(2027, 5, 17)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "Grunnlovsdag" in out.stdout
