"""Floods from one address, and from everyone together, stop with 429 and Retry-After; new
devices do not buy new invite attempts; a host's capacity holds against many households."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.abuse import CREATE_HOUSEHOLD, ENROL, REDEEM, REGISTER
from server.app import create_app
from server.settings import Settings
from tests.integration.server.conftest import Phone


def _client(database_url: str, **limits: tuple[int, int]) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, abuse_limits=limits)
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def strict(database_url: str) -> Iterator[TestClient]:
    yield from _client(
        database_url,
        **{REGISTER: (10, 1000), CREATE_HOUSEHOLD: (3, 1000), REDEEM: (5, 1000), ENROL: (2, 1000)},
    )


def _refused(r) -> bool:
    return (
        r.status_code == 429
        and r.json()["error"]["code"] == "rate_limited"
        and int(r.headers["Retry-After"]) > 0
    )


def test_registering_devices_from_one_address_is_limited(strict):
    answers = [strict.post("/v1/devices") for _ in range(12)]
    assert [a.status_code for a in answers[:10]] == [201] * 10
    assert all(_refused(a) for a in answers[10:])
    # Another address is not affected (a family behind its own router).
    other = strict.post("/v1/devices", headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 429  # X-Forwarded-For is not trusted unless configured


def test_the_address_comes_from_a_trusted_proxy_header_only_when_configured(database_url):
    settings = Settings(
        database_url=database_url, abuse_limits={REGISTER: (2, 1000)}, trust_forwarded_for=True
    )
    with TestClient(create_app(settings)) as c:
        first = [c.post("/v1/devices", headers={"X-Forwarded-For": "203.0.113.1"}) for _ in range(3)]
        assert [a.status_code for a in first] == [201, 201, 429]
        assert c.post("/v1/devices", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 201


def test_a_global_limit_holds_across_addresses(database_url):
    settings = Settings(
        database_url=database_url, abuse_limits={REGISTER: (100, 4)}, trust_forwarded_for=True
    )
    with TestClient(create_app(settings)) as c:
        codes = [
            c.post("/v1/devices", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
            for i in range(6)
        ]
        assert codes == [201, 201, 201, 201, 429, 429]


def test_creating_households_is_limited(strict):
    phones = [Phone(strict) for _ in range(5)]
    codes = [strict.post("/v1/households", json={}, headers=p.auth).status_code for p in phones]
    assert codes == [201, 201, 201, 429, 429]
    # A refused phone did not get a household.
    assert strict.get("/v1/household", headers=phones[-1].auth).json()["error"]["code"] == "no_household"


def test_new_devices_do_not_buy_new_invite_attempts(strict):
    """The review sidestepped the per-device limit with a fresh device per guess."""
    owner = Phone(strict)
    owner.create_household()
    answers = []
    for _ in range(7):
        guesser = Phone(strict)
        answers.append(
            strict.post("/v1/invites/redeem", json={"code": "ABCD-EFGH-JKMN"}, headers=guesser.auth)
        )
    assert [a.status_code for a in answers[:5]] == [404] * 5
    assert all(_refused(a) for a in answers[5:])


def test_coordinator_enrolment_guesses_are_limited(strict):
    phone = Phone(strict)
    answers = [
        strict.post("/v1/coordinator/enrol", json={"code": "AAAA-BBBB-CCCC"}, headers=phone.auth)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [404, 404, 429]
