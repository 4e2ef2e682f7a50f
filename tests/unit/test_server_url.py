"""The app talks to its sync server over HTTPS, or plain HTTP only on this very device."""

from __future__ import annotations

import json

import pytest

from app.settings import server_url
from services.paths import SERVER_CONFIG_FILE
from services.server_url import is_allowed_server_url


@pytest.mark.parametrize(
    "url",
    ["https://api.example.no", "https://api.example.no:8443/base", "http://127.0.0.1:8551", "http://localhost:1",
     "http://[::1]:8551", "http://127.9.9.9"],
)  # fmt: skip
def test_https_and_loopback_are_allowed(url):
    assert is_allowed_server_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://api.example.no", "http://10.0.0.2:8551", "http://192.168.1.5", "ftp://127.0.0.1", "https://",
     "127.0.0.1:8551", "", "http://localhost.evil.example", "https://user:pw@api.example.no", "http://[::1"],
)  # fmt: skip
def test_plain_http_beyond_the_device_and_odd_addresses_are_refused(url):
    assert not is_allowed_server_url(url)


def test_the_build_config_names_the_server_and_the_environment_overrides_it(tmp_path, monkeypatch):
    monkeypatch.delenv("NYIN_SERVER_URL", raising=False)
    config = tmp_path / "server.json"
    config.write_text(json.dumps({"server_url": "https://sync.example.no/"}))
    assert server_url(config) == "https://sync.example.no"
    config.write_text(json.dumps({"server_url": "http://sync.example.no"}))
    assert server_url(config) == ""  # refused: the app stays offline instead
    monkeypatch.setenv("NYIN_SERVER_URL", "http://127.0.0.1:9999")
    assert server_url(config) == "http://127.0.0.1:9999"


def test_the_shipped_build_config_is_allowed():
    assert is_allowed_server_url(json.loads(SERVER_CONFIG_FILE.read_text())["server_url"])
