"""While the database cannot be reached, every endpoint answers 503 in the one error shape with
Retry-After (the soak benchmark found bare 500s and a traceback per request), and logs one line."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine

from server.errors import OUTAGE_RETRY_S


@pytest.fixture
def database_down(client, phone):
    """The app's engine now points at a port where no database listens."""
    working = client.app.state.engine
    client.app.state.engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    yield
    client.app.state.engine = working


@pytest.mark.usefixtures("database_down")
def test_every_kind_of_endpoint_answers_503_with_retry_after(client, phone, caplog):
    caplog.set_level(logging.WARNING, logger="server.errors")
    answers = [
        client.get("/v1/household", headers=phone.auth),  # a FastAPI route
        phone.push([phone.op("bank_account", "status", "done")]),  # plain ASGI push
        phone.pull(),  # plain ASGI pull
        client.post("/v1/devices"),  # no token needed
    ]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "database_unavailable"
        assert answer.headers["Retry-After"] == str(OUTAGE_RETRY_S) and answer.headers["X-Server-Time"]
    outage_lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(outage_lines) <= 1 and not any(r.exc_info for r in caplog.records)


def test_the_server_answers_again_once_the_database_is_back(client, phone):
    working = client.app.state.engine
    client.app.state.engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert phone.push([phone.op("bank_account", "status", "done")]).status_code == 503
    client.app.state.engine = working
    assert phone.push([phone.op("bank_account", "status", "done")]).json()["applied"] == 1
