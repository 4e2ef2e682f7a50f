"""The employer's own checklist for a relocation case (assets/catalog/employer_tasks.json): what
the employer does and when, relative to the employee's start date, each task with its official
source, the day someone read it, and whether its timing is confirmed. Texts live in the content
packs (assets/content/<lang>/employer_tasks.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.content import read_pack
from services.dates import as_date
from services.languages import SOURCE_LANGUAGE
from services.nordhub_wire import MILESTONES
from services.paths import CONTENT_DIR, EMPLOYER_TASKS_FILE
from services.rules import evaluate


class EmployerTasksError(ValueError):
    """The task file is malformed: a packaging bug, never a user error."""


@dataclass(frozen=True)
class EmployerTask:
    id: str
    due_days: int  # relative to the start date; negative is before it
    deadline_is_official: bool  # False: the app's planning advice, not a legal deadline
    applies: dict[str, Any]
    milestone: str | None  # the newcomer milestone this task helps along
    source_url: str
    last_checked: date | None
    uncertain: bool


def parse_employer_tasks(data: dict[str, Any]) -> tuple[EmployerTask, ...]:
    """Tasks from their JSON form; unknown milestones, duplicates and missing sources refused."""
    try:
        tasks = tuple(
            EmployerTask(
                id=raw["id"],
                due_days=int(raw["due_days"]),
                deadline_is_official=bool(raw["deadline_is_official"]),
                applies=raw["applies"],
                milestone=raw.get("milestone"),
                source_url=raw["source_url"],
                last_checked=as_date(raw["last_checked"]) if raw.get("last_checked") else None,
                uncertain=bool(raw["uncertain"]),
            )
            for raw in data["tasks"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EmployerTasksError(f"employer task file: {exc}") from exc
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise EmployerTasksError("employer task file: duplicate ids")
    for task in tasks:
        if task.milestone is not None and task.milestone not in MILESTONES:
            raise EmployerTasksError(f"employer task {task.id}: unknown milestone {task.milestone}")
        if not task.source_url:
            raise EmployerTasksError(f"employer task {task.id}: no source")
        if len(task.id) > 40:
            raise EmployerTasksError(f"employer task {task.id}: id longer than 40 characters")
    return tasks


@lru_cache(maxsize=1)
def load_employer_tasks() -> tuple[EmployerTask, ...]:
    return parse_employer_tasks(json.loads(EMPLOYER_TASKS_FILE.read_text(encoding="utf-8")))


def case_facts(group: str, partner: bool, child_bands: list[str], needs_approval: bool) -> dict[str, Any]:
    """The facts of a case that task conditions may test."""
    return {
        "group": group,
        "partner": partner,
        "has_children": bool(child_bands),
        "needs_approval": needs_approval,
    }


def tasks_for_case(facts: dict[str, Any], start: date) -> list[tuple[EmployerTask, date]]:
    """The employer's tasks for one case with their due dates, earliest first."""
    # Every due date moves with the start date, so the order depends on the facts alone.
    return [(t, start + timedelta(days=t.due_days)) for t in _applicable(tuple(sorted(facts.items())))]


@lru_cache(maxsize=64)
def _applicable(facts: tuple[tuple[str, Any], ...]) -> tuple[EmployerTask, ...]:
    """The tasks whose conditions hold, in due order (a handful of fact combinations exist)."""
    tasks = [t for t in load_employer_tasks() if evaluate(t.applies, dict(facts))]
    return tuple(sorted(tasks, key=lambda t: (t.due_days, t.id)))


@dataclass(frozen=True)
class TaskText:
    """An employer task's texts in one language; `language` says which one they are really in."""

    title: str
    what: str
    uncertain_note: str
    language: str
    machine_drafted: bool


def task_text(task_id: str, language: str, content_dir: Path = CONTENT_DIR) -> TaskText:
    """The task's texts in `language`, falling back to English (flagged by `language`)."""
    for lang in (language, SOURCE_LANGUAGE):
        pack = read_pack(lang, "employer_tasks.json", "tasks", content_dir)
        raw = pack["tasks"].get(task_id)
        if raw and raw.get("title"):
            return TaskText(
                title=raw["title"],
                what=raw.get("what", ""),
                uncertain_note=raw.get("uncertain_note", ""),
                language=lang,
                machine_drafted=bool(pack.get("machine_drafted", False)),
            )
    raise KeyError(f"no text for employer task {task_id}")


@lru_cache(maxsize=1)
def tasks_by_id() -> dict[str, EmployerTask]:
    return {task.id: task for task in load_employer_tasks()}
