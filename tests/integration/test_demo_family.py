"""The run command's demo family: made through the real client and server, joinable by its code."""

from __future__ import annotations

import httpx

from demo.family import seed
from services.store import open_store
from services.sync_client import MemoryTokenStore, SyncClient


def test_demo_family_is_created_once_and_each_run_prints_a_fresh_code(tmp_path, live_server):
    first = seed(live_server, tmp_path / "demo-phone")
    second = seed(live_server, tmp_path / "demo-phone")
    assert first != second and len(second.replace("-", "")) == 12

    partner = open_store(tmp_path / "partner")
    client = SyncClient(partner, httpx.Client(base_url=live_server), MemoryTokenStore())
    joined = client.join(second, "Marek")
    client.sync()
    assert joined["role"] == "member"
    assert partner.statuses() == {"letterbox_name": "done", "eea_registration": "done"}
    assert partner.load_profile().municipality == 1804
    household = client.describe_household()
    assert [m["display_name"] for m in household["members"]] == ["Ana", "Marek"]


def test_demo_hosts_are_certified_labelled_and_seeded_once_with_a_coordinator_code(tmp_path, live_server):
    from demo.hosts import DEMO_HOSTS, seed_hosts

    url = f"sqlite:///{tmp_path / 'server.db'}"  # the live server's database
    first = seed_hosts(live_server, url)
    second = seed_hosts(live_server, url)
    assert first and second and first != second  # a fresh code while no phone is enrolled

    http = httpx.Client(base_url=live_server)
    token = http.post("/v1/devices").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    http.post("/v1/households", json={"display_name": "Ana"}, headers=auth)
    profile = {
        "first_name": "Ana",
        "municipality": 1804,
        "languages": ["pl", "en"],
        "party_size": 3,
        "consent": True,
    }
    assert http.put("/v1/seeker", json=profile, headers=auth).status_code == 200
    hosts = http.get("/v1/seeker/suggestions", headers=auth).json()["hosts"]
    bodo = [h["first_name"] for h in DEMO_HOSTS if h["municipality"] == 1804]
    assert sorted(h["first_name"] for h in hosts) == sorted(bodo)  # each once, both certified
    assert all(h["demo"] and "(demo)" in h["first_name"] for h in hosts)
    assert hosts[0]["first_name"] == "Tomasz (demo)"  # speaks Polish, the family's first language

    enrolled = http.post("/v1/coordinator/enrol", json={"code": second}, headers=auth)
    assert enrolled.status_code == 200
    assert seed_hosts(live_server, url) is None  # enrolled: no new code
