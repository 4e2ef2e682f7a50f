"""The run command's demo family: made through the real client and server, joinable by its code."""

from __future__ import annotations

import httpx

from server.demo import seed
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
