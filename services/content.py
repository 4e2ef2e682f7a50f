"""Long-form step texts from per-language content packs, with a visible fallback to English."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.languages import SOURCE_LANGUAGE
from services.paths import CONTENT_DIR


@dataclass(frozen=True)
class StepText:
    """A step's texts in one language. `language` says which language they are really in."""

    title: str
    why: str
    bring: tuple[str, ...]
    where: str
    uncertain_note: str
    language: str
    machine_drafted: bool

    def is_fallback(self, wanted: str) -> bool:
        """True when the wanted language had no text and another language is shown instead."""
        return self.language != wanted


@lru_cache(maxsize=32)
def read_pack(language: str, name: str, key: str, content_dir: Path = CONTENT_DIR) -> dict:
    """One language's content file `name` (steps.json, employer_tasks.json), or an empty pack
    (`key` holding nothing) when the language has none yet."""
    path = content_dir / language / name
    if not path.is_file():
        return {"language": language, "machine_drafted": False, key: {}}
    return json.loads(path.read_text(encoding="utf-8"))


def load_pack(language: str, content_dir: Path = CONTENT_DIR) -> dict:
    """One language's step texts, or an empty pack when the language has none yet."""
    return read_pack(language, "steps.json", "steps", content_dir)


def step_text(step_id: str, language: str, content_dir: Path = CONTENT_DIR) -> StepText:
    """The step's texts in `language`; missing or empty ones fall back to English, flagged as such."""
    for lang in (language, SOURCE_LANGUAGE):
        pack = load_pack(lang, content_dir)
        raw = pack["steps"].get(step_id)
        if raw and raw.get("title") and raw.get("why"):
            return StepText(
                title=raw["title"],
                why=raw["why"],
                bring=tuple(raw.get("bring", ())),
                where=raw.get("where", ""),
                uncertain_note=raw.get("uncertain_note", ""),
                language=lang,
                machine_drafted=bool(pack.get("machine_drafted", False)),
            )
    raise KeyError(f"no text for step {step_id}")
