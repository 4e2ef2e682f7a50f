"""Phone footprint: bytes the app bundle would carry, with the biggest items listed.

App part: what `flet build` packages from the project folder (everything but [tool.flet.app]
exclude and caches). Client dependencies: the installed files of [project].dependencies and
their requirements, before and after the [tool.flet.cleanup] package_files globs (Babel's locale
data trimmed to the shipped languages). Target: <= 40 MB. Baseline in the same run: flet alone.

Run from the project root:
    .venv/bin/python bench/footprint.py
    .venv/bin/python bench/footprint.py --smoke    # the same measurement, no target (the test suite)
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import tomllib
from collections import Counter
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 40
SKIP_DIRS = {
    "__pycache__",
    ".git",
    ".venv",
    "artifacts",
    "build",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}


def mb(n: int) -> str:
    return f"{n / 1e6:8.2f} MB"


def app_files(pyproject: dict) -> Counter[str]:
    excluded = set(pyproject["tool"]["flet"]["app"]["exclude"])
    sizes: Counter[str] = Counter()
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if not path.is_file() or set(rel.parts) & SKIP_DIRS or path.suffix == ".pyc":
            continue
        if any(str(rel) == e or str(rel).startswith(e + "/") for e in excluded):
            continue
        sizes[f"app:{rel.parts[0]}"] += path.stat().st_size
    return sizes


def dependency_closure(roots: list[str]) -> list[metadata.Distribution]:
    seen: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        if name in seen:
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for sub in dist.requires or []:
            sub_req = Requirement(sub)
            if sub_req.marker is None or sub_req.marker.evaluate({"extra": ""}):
                todo.append(sub_req)
    return list(seen.values())


def dist_files(dist: metadata.Distribution) -> list[tuple[str, int]]:
    out = []
    for f in dist.files or []:
        rel = str(f)
        if "__pycache__" in rel or rel.endswith(".pyc") or ".dist-info/" in rel or rel.startswith(".."):
            continue
        path = Path(dist.locate_file(f))
        if path.is_file():
            out.append((rel, path.stat().st_size))
    return out


def main(smoke: bool = False) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = pyproject["tool"]["flet"]["cleanup"]["package_files"]
    app = app_files(pyproject)
    installed: Counter[str] = Counter()
    trimmed: Counter[str] = Counter()
    locale_before = locale_after = 0
    for dist in dependency_closure(pyproject["project"]["dependencies"]):
        for rel, size in dist_files(dist):
            top = rel.split("/")[0]
            installed[top] += size
            dropped = any(fnmatch.fnmatch(rel, g) for g in globs)
            if rel.startswith("babel/locale-data/"):
                locale_before += size
                locale_after += 0 if dropped else size
            if not dropped:
                trimmed[top] += size
    flet_alone = sum(size for _, size in dist_files(metadata.distribution("flet")))

    total_installed = sum(app.values()) + sum(installed.values())
    total_trimmed = sum(app.values()) + sum(trimmed.values())
    print("phone footprint (app code + assets + client dependencies as installed)")
    print("biggest items after cleanup:")
    for name, size in (app + trimmed).most_common(15):
        print(f"  {name:32}{mb(size)}")
    print(f"app code + assets:             {mb(sum(app.values()))}")
    print(f"dependencies as installed:     {mb(sum(installed.values()))}")
    print(f"babel/locale-data:             {mb(locale_before)} -> {mb(locale_after)} after cleanup globs")
    print(f"total as installed:            {mb(total_installed)}")
    print(f"total after [tool.flet.cleanup]:{mb(total_trimmed)}")
    print(f"baseline flet alone:           {mb(flet_alone)}  (total/flet = {total_trimmed / flet_alone:.2f})")
    if smoke:
        print("smoke: no target checked")
        return
    verdict = "met" if total_trimmed <= TARGET_MB * 1e6 else "NOT met"
    print(f"target <= {TARGET_MB} MB: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Already quick (it only reads file sizes): the smoke run is the full measurement minus the verdict.
    parser.add_argument("--smoke", action="store_true", help="the same measurement, no target")
    main(parser.parse_args().smoke)
