"""The run command's demo hosts answer by themselves, through the real server's HTTP API, as the
hosts (with the tokens the seeding kept); a host that is not a demo host is never answered for."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from demo.hosts import DEMO_HOSTS, load_tokens, save_tokens, seed_hosts, tokens_path
from demo.responder import DemoResponder
from services.meeting_place import looks_like_home_address

ROOT = Path(__file__).resolve().parents[2]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _device(http: httpx.Client) -> str:
    return http.post("/v1/devices").raise_for_status().json()["token"]


def _family(http: httpx.Client, languages: list[str]) -> str:
    """A household in Bodø looking for a host; returns its token."""
    token = _device(http)
    http.post("/v1/households", json={"display_name": "Ana"}, headers=_auth(token)).raise_for_status()
    profile = {
        "first_name": "Ana",
        "municipality": 1804,
        "languages": languages,
        "party_size": 3,
        "consent": True,
    }
    http.put("/v1/seeker", json=profile, headers=_auth(token)).raise_for_status()
    return token


def _ask(http: httpx.Client, family: str, host_id: str) -> str:
    headers = {**_auth(family), "Idempotency-Key": secrets.token_hex(8)}
    answer = http.post("/v1/visits", json={"host_id": host_id, "message": "Hello!"}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["request_id"]


def _visits(http: httpx.Client, family: str) -> dict[str, dict]:
    requests = http.get("/v1/visits", headers=_auth(family)).raise_for_status().json()["requests"]
    return {r["request_id"]: r for r in requests}


def _demo_host_id(http: httpx.Client, family: str, first_name: str) -> str:
    hosts = http.get("/v1/seeker/suggestions", headers=_auth(family)).json()["hosts"]
    return next(h["host_id"] for h in hosts if h["first_name"] == first_name)


def _assert_accepted_in_public(visit: dict) -> None:
    assert visit["state"] == "accepted"
    starts = datetime.fromisoformat(visit["starts_at"])
    assert datetime.now(UTC) + timedelta(hours=23) < starts < datetime.now(UTC) + timedelta(days=30)
    assert visit["meeting_place"] == "The public library in Bodø, main entrance"
    assert not looks_like_home_address(visit["meeting_place"])


def test_a_demo_host_accepts_with_a_time_and_a_public_place_and_a_real_host_is_never_answered(
    tmp_path, live_server
):
    url = f"sqlite:///{tmp_path / 'server.db'}"  # the live server's database
    code = seed_hosts(live_server, url)
    tokens_file = tokens_path(url)
    assert tokens_file == tmp_path / "demo-host-tokens.json"
    assert tokens_file.stat().st_mode & 0o777 == 0o600
    assert len(load_tokens(tokens_file)) == len(DEMO_HOSTS)
    http = httpx.Client(base_url=live_server)

    # A real host in Bodø, certified by the demo coordinator; even with its token slipped into the
    # demo hosts' file, the responder never answers for it.
    coordinator = _device(http)
    http.post("/v1/coordinator/enrol", json={"code": code}, headers=_auth(coordinator)).raise_for_status()
    per = _device(http)
    profile = {
        "first_name": "Per",
        "municipality": 1804,
        "languages": ["nb", "pl"],
        "visits_per_month": 2,
        "consent": True,
    }
    per_id = http.put("/v1/host", json=profile, headers=_auth(per)).raise_for_status().json()["host_id"]
    today = datetime.now(UTC).date()
    facts = {
        "interviewed_on": str(today),
        "trained_on": str(today),
        "code_of_conduct_version": "2026-1",
        "police_certificate_seen_on": str(today),
        "valid_until": str(today + timedelta(days=365)),
    }
    certified = http.post(
        f"/v1/coordinator/hosts/{per_id}/certification", json=facts, headers=_auth(coordinator)
    )
    assert certified.status_code == 201, certified.text
    save_tokens(tokens_file, {**load_tokens(tokens_file), per_id: per})

    family = _family(http, ["pl", "en"])
    to_demo = _ask(http, family, _demo_host_id(http, family, "Tomasz (demo)"))
    to_per = _ask(http, family, per_id)

    assert DemoResponder(http, tokens_file, delay=3600).run_once() == []  # not yet: a few seconds
    responder = DemoResponder(http, tokens_file, delay=0)
    assert responder.run_once() == [to_demo]
    visits = _visits(http, family)
    _assert_accepted_in_public(visits[to_demo])
    assert visits[to_per]["state"] == "requested" and visits[to_per]["starts_at"] is None

    # The family confirms; nothing more happens on the demo host's side.
    confirmed = http.post(f"/v1/visits/{to_demo}/confirm", headers=_auth(family))
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert responder.run_once() == []
    assert _visits(http, family)[to_per]["state"] == "requested"


def test_the_responder_command_answers_after_the_configured_delay(tmp_path, live_server):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    seed_hosts(live_server, url)
    http = httpx.Client(base_url=live_server)
    family = _family(http, ["nb", "en"])
    request_id = _ask(http, family, _demo_host_id(http, family, "Ingrid (demo)"))

    env = {**os.environ, "DATABASE_URL": url, "NYIN_DEMO_ANSWER_SECONDS": "0.5"}
    command = [sys.executable, "-m", "demo", "respond", "--server", live_server, "--interval", "0.2"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while _visits(http, family)[request_id]["state"] == "requested":
            assert time.monotonic() < deadline, "the demo host did not answer"
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    _assert_accepted_in_public(_visits(http, family)[request_id])
    assert out == b""  # nothing for a person to read
    assert b"Ingrid (demo) accepted a visit" in err
    assert not any(token.encode() in err for token in load_tokens(tokens_path(url)).values())


def test_demo_hosts_seeded_before_tokens_were_kept_get_new_ones_once(tmp_path, live_server):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    seed_hosts(live_server, url)
    first = load_tokens(tokens_path(url))
    tokens_path(url).unlink()  # as after an older version of the demo
    seed_hosts(live_server, url)
    again = load_tokens(tokens_path(url))
    assert again.keys() == first.keys() and not set(again.values()) & set(first.values())
    http = httpx.Client(base_url=live_server)
    for host_id, token in again.items():
        me = http.get("/v1/host", headers=_auth(token)).json()
        assert me["host_id"] == host_id and me["demo"] and me["first_name"].endswith("(demo)")
    seed_hosts(live_server, url)
    assert load_tokens(tokens_path(url)) == again  # working tokens are kept as they are
