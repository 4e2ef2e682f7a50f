"""The server's command line: a coordinator is created with a one-time code that enrols a phone."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from server import admin
from server.app import create_app
from server.settings import Settings
from tests.integration.server.conftest import Phone


def test_create_coordinator_prints_a_code_that_enrols_exactly_one_phone(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert admin.main(["create-coordinator", "--name", "Kari Nordmann"]) == 0
    code = re.search(r"code \(valid 72 hours\): (\w+)", capsys.readouterr().out).group(1)
    assert admin.main(["list-coordinators"]) == 0
    assert '"enrolled": false' in capsys.readouterr().out
    with TestClient(create_app(Settings(database_url=url))) as client:
        phone, other = Phone(client), Phone(client)
        assert (
            client.post("/v1/coordinator/enrol", json={"code": code}, headers=phone.auth).status_code == 200
        )
        assert (
            client.post("/v1/coordinator/enrol", json={"code": code}, headers=other.auth).status_code == 404
        )
        assert client.get("/v1/coordinator/me", headers=phone.auth).status_code == 200
        assert admin.main(["seed-events"]) == 0 and admin.main(["run-round"]) == 0
        assert admin.main(["allow-neighbours", "1833", "1832"]) == 0
        assert "1833: neighbours [1832]" in capsys.readouterr().out
        assert admin.main(["allow-neighbours", "1833", "301"]) == 2  # Oslo is not in Nordland
        assert "not a municipality in Nordland" in capsys.readouterr().err
        coordinator_id = client.get("/v1/coordinator/me", headers=phone.auth).json()["coordinator_id"]
        assert admin.main(["revoke-coordinator", coordinator_id]) == 0
        assert client.get("/v1/coordinator/me", headers=phone.auth).status_code == 403
