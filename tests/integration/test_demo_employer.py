"""The run command's demo employer: registered and verified once, two incoming employees (one of
them the demo family, joined and sharing three milestones), a fresh staff code each run."""

from __future__ import annotations

import httpx

from demo.employer import EMPLOYER_FILE, seed_employer
from demo.family import seed
from demo.hosts import seed_hosts


def test_the_demo_employer_shows_the_demo_family_and_a_second_newcomer(tmp_path, live_server):
    url = f"sqlite:///{tmp_path / 'server.db'}"  # the live server's database
    seed(live_server, tmp_path / "demo-phone")
    seed_hosts(live_server, url)  # the demo coordinator verifies the employer
    first = seed_employer(live_server, url)
    (tmp_path / EMPLOYER_FILE).unlink()  # a lost token file: the administrator's phone gets a new one
    second = seed_employer(live_server, url)
    assert first != second and len(second.replace("-", "")) == 12

    http = httpx.Client(base_url=live_server)
    http.headers["Authorization"] = "Bearer " + http.post("/v1/devices").json()["token"]
    joined = http.post("/v1/employer/staff-invites/redeem", json={"code": second, "name": "Per"})
    assert joined.status_code == 200, joined.text
    mine = http.get("/v1/employer").json()
    assert mine["employer"]["verified"] and "(demo)" in mine["employer"]["name"]
    cases = {c["first_name"]: c for c in http.get("/v1/employer/cases").json()["cases"]}
    assert sorted(cases) == ["Ana", "Rahul"]  # made once, however often the demo runs
    assert cases["Rahul"]["joined"] is False and cases["Rahul"]["needs_approval"] is True
    assert cases["Ana"]["milestones"] == [
        {"id": "permit", "state": "done"},
        {"id": "id_number", "state": "open"},
        {"id": "tax_card", "state": "blocked", "waits_for": ["id_number"]},
    ]
