"""The employer's checklist as data: every task sourced and dated honestly, worded in all six
languages, and the right tasks for each kind of case, due relative to the start date."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from services.employer_tasks import (
    EmployerTasksError,
    case_facts,
    load_employer_tasks,
    parse_employer_tasks,
    tasks_for_case,
)
from services.languages import LANGUAGES
from services.paths import CONTENT_DIR
from services.rules import evaluate


def test_every_task_has_an_official_source_and_an_honest_check_date():
    for task in load_employer_tasks():
        assert task.source_url.startswith("https://") or task.source_url == "docs/superhost.md", task.id
        assert task.last_checked is None or task.last_checked <= date.today(), task.id
        evaluate(task.applies, case_facts("eea", True, ["0-5"], False))  # the condition is well formed


def test_every_task_is_worded_in_every_language():
    ids = {t.id for t in load_employer_tasks()}
    for language in LANGUAGES:
        pack = json.loads((CONTENT_DIR / language.code / "employer_tasks.json").read_text(encoding="utf-8"))
        assert set(pack["tasks"]) == ids, language.code
        for text in pack["tasks"].values():
            assert text["title"] and text["what"], language.code
        assert pack["machine_drafted"] is (language.code != "en"), language.code


def test_each_kind_of_case_gets_its_own_tasks_due_from_the_start_date():
    start = date(2027, 3, 1)
    non_eu = {t.id: due for t, due in tasks_for_case(case_facts("non_eu", True, ["6-12"], True), start)}
    nordic = {t.id: due for t, due in tasks_for_case(case_facts("nordic", False, [], False), start)}
    assert {"offer_letter", "permit_application", "police_appointment"} <= set(non_eu)
    assert "family_permit_applications" in non_eu
    assert not {"offer_letter", "police_appointment", "family_permit_applications"} & set(nordic)
    assert "id_check_booking" in nordic and "id_check_booking" not in non_eu
    by_id = {t.id: t for t in load_employer_tasks()}
    for task_id, due in non_eu.items():
        assert due == start + timedelta(days=by_id[task_id].due_days)
    assert list(non_eu.values()) == sorted(non_eu.values())


def test_a_broken_task_file_is_refused():
    good = {
        "id": "x",
        "due_days": 0,
        "deadline_is_official": False,
        "applies": {"always": True},
        "milestone": None,
        "source_url": "https://www.udi.no/",
        "last_checked": None,
        "uncertain": False,
    }
    for broken in ({**good, "milestone": "salary"}, {**good, "source_url": ""}, {"id": "x"}):
        with pytest.raises(EmployerTasksError):
            parse_employer_tasks({"tasks": [broken]})
    with pytest.raises(EmployerTasksError):
        parse_employer_tasks({"tasks": [good, good]})
