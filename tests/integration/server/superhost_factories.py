"""Factories for Superhost tests: a coordinator, hosts (certified or not), families looking for a host."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from server.superhost.coordinators import create_coordinator
from tests.integration.server.conftest import Phone

_keys = itertools.count(1)


def coordinator(client: TestClient, name: str = "Kari") -> Phone:
    """A phone enrolled as coordinator with a code made as the command-line tool makes it."""
    with client.app.state.engine.begin() as conn:
        _id, code = create_coordinator(conn, name, datetime.now(UTC))
    phone = Phone(client)
    answer = client.post("/v1/coordinator/enrol", json={"code": code}, headers=phone.auth)
    assert answer.status_code == 200, answer.text
    return phone


def certification(valid_days: int = 365) -> dict:
    today = date.today()
    return {
        "interviewed_on": str(today - timedelta(days=10)),
        "trained_on": str(today - timedelta(days=5)),
        "code_of_conduct_version": "2026-1",
        "police_certificate_seen_on": str(today - timedelta(days=3)),
        "valid_until": str(today + timedelta(days=valid_days)),
    }


def host(
    client: TestClient,
    coord: Phone | None,
    name: str = "Ingrid",
    municipality: int = 1833,
    languages: tuple[str, ...] = ("nb", "en"),
    visits_per_month: int = 2,
    **profile: object,
) -> Phone:
    """A phone with a host profile; certified when a coordinator is given. `phone.host_id` is set."""
    phone = Phone(client)
    body = {
        "first_name": name,
        "municipality": municipality,
        "languages": list(languages),
        "visits_per_month": visits_per_month,
        "introduction": "I like showing people the mountains.",
        "consent": True,
        **profile,
    }
    answer = client.put("/v1/host", json=body, headers=phone.auth)
    assert answer.status_code == 200, answer.text
    phone.host_id = answer.json()["host_id"]
    if coord is not None:
        certified = client.post(
            f"/v1/coordinator/hosts/{phone.host_id}/certification", json=certification(), headers=coord.auth
        )
        assert certified.status_code == 201, certified.text
    return phone


def family(
    client: TestClient,
    name: str = "Ana",
    municipality: int = 1833,
    languages: tuple[str, ...] = ("pl", "en"),
    **profile: object,
) -> Phone:
    """A household with a host-seeking profile (party of 3, a 3-year-old)."""
    phone = Phone(client)
    phone.create_household(name)
    body = {
        "first_name": name,
        "municipality": municipality,
        "languages": list(languages),
        "party_size": 3,
        "children_ages": [3],
        "consent": True,
        **profile,
    }
    answer = client.put("/v1/seeker", json=body, headers=phone.auth)
    assert answer.status_code == 200, answer.text
    return phone


def request_visit(
    client: TestClient, fam: Phone, host_id: str, message: str = "Hello!", key: str | None = None
):
    headers = {**fam.auth, "Idempotency-Key": key or f"key-{next(_keys):08d}"}
    return client.post("/v1/visits", json={"host_id": host_id, "message": message}, headers=headers)


def soon(days: int = 2, hour: int = 15) -> str:
    moment = (datetime.now(UTC) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment.isoformat()


def accept(client: TestClient, h: Phone, request_id: str, place: str = "Rana library, by the entrance"):
    return client.post(
        f"/v1/visits/{request_id}/accept",
        json={"starts_at": soon(), "meeting_place": place},
        headers=h.auth,
    )
