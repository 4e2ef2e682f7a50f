"""Factories for Nordhub tests: employers (verified or not), staff, relocation cases, families
that joined one."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from fastapi.testclient import TestClient

from services.org_number import check_digit
from tests.integration.server.conftest import Phone

_numbers = itertools.count(92_000_000)


def org_number() -> str:
    """A new valid organisation number (the check digit computed, numbers without one skipped)."""
    while True:
        first = f"{next(_numbers):08d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def employer(client: TestClient, coordinator: Phone | None, name: str = "Nordland Fisk AS") -> Phone:
    """An employer's first administrator's phone (`employer_id` set); verified by `coordinator`."""
    admin = Phone(client)
    body = {"org_number": org_number(), "name": name, "municipality": 1804, "staff_name": "Hanne"}
    answer = client.post("/v1/employers", json=body, headers=admin.auth)
    assert answer.status_code == 201, answer.text
    admin.employer_id = answer.json()["employer_id"]
    if coordinator is not None:
        verified = client.post(
            f"/v1/coordinator/employers/{admin.employer_id}/verify", headers=coordinator.auth
        )
        assert verified.status_code == 204, verified.text
    return admin


def staff(client: TestClient, admin: Phone, role: str = "hr", name: str = "Per") -> Phone:
    code = client.post("/v1/employer/staff-invites", json={"role": role}, headers=admin.auth).json()["code"]
    phone = Phone(client)
    answer = client.post(
        "/v1/employer/staff-invites/redeem", json={"code": code, "name": name}, headers=phone.auth
    )
    assert answer.status_code == 200, answer.text
    phone.staff_id = answer.json()["staff_id"]
    return phone


def case_body(**overrides: object) -> dict:
    body = {
        "first_name": "Ana",
        "role_title": "Nurse",
        "start_date": (date.today() + timedelta(days=60)).isoformat(),
        "municipality": 1833,
        "citizenship_group": "non_eu",
        "partner": True,
        "child_bands": ["0-5"],
        "needs_approval": True,
    }
    return {**body, **overrides}


def case(client: TestClient, hr_phone: Phone, **overrides: object) -> dict:
    """A new case; the answer holds its code."""
    answer = client.post("/v1/employer/cases", json=case_body(**overrides), headers=hr_phone.auth)
    assert answer.status_code == 201, answer.text
    return answer.json()


def newcomer(client: TestClient, code: str, name: str = "Ana") -> Phone:
    """A family that joined the case with `code`."""
    phone = Phone(client)
    phone.create_household(name)
    answer = client.post("/v1/case/join", json={"code": code}, headers=phone.auth)
    assert answer.status_code == 200, answer.text
    return phone
