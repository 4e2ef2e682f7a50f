"""The demo employer (Nordhub): a clearly labelled demo organisation in Bodø, verified by the demo
coordinator, with two incoming employees — one of them the demo family, which has joined and shows
three milestones — and a fresh staff code each run, so that a phone can open its dashboard.

The organisation signs up the way a real one does (its administrator's phone registers it over
HTTP and makes the cases); the verification is written as the demo coordinator's, as the demo
hosts' certification is. The administrator's device token is kept in a private file beside the
server's database (never printed or logged)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select, update

from demo.common import demo_dir, read_json, wait_for_server, write_private_json
from demo.family import PHONE_FOLDER
from demo.hosts import DEMO_COORDINATOR, new_token
from server.db import make_engine, migrate
from server.tables import coordinators, employer_staff, employers
from services.employer_client import EmployerClient
from services.org_number import check_digit
from services.store import open_store
from services.sync_client import StoreTokenStore, SyncClient

log = logging.getLogger("ny-i-nordland.demo")

EMPLOYER_FILE = "demo-employer.json"
DEMO_NAME = "Bodø Sjømat AS (demo)"
DEMO_ORG_NUMBER = "91000000" + str(check_digit("91000000"))  # fictional; valid check digit
DEMO_SHARES = ["permit", "id_number", "tax_card"]


def demo_cases(today: date) -> list[dict]:
    """The demo family's case (an EU citizen, partner and a small child, in Bodø) and one more."""
    return [
        {
            "first_name": "Ana",
            "role_title": "Fish processing operator",
            "start_date": (today + timedelta(days=7)).isoformat(),
            "municipality": 1804,
            "citizenship_group": "eea",
            "partner": True,
            "child_bands": ["0-5"],
            "needs_approval": False,
        },
        {
            "first_name": "Rahul",
            "role_title": "Electrician",
            "start_date": (today + timedelta(days=45)).isoformat(),
            "municipality": 1804,
            "citizenship_group": "non_eu",
            "partner": False,
            "child_bands": [],
            "needs_approval": True,
        },
    ]


def seed_employer(server: str, database_url: str) -> str:
    """Make sure the demo employer and its cases exist; returns a new staff code for a phone."""
    folder = demo_dir(database_url)
    kept = read_json(folder / EMPLOYER_FILE)
    with httpx.Client(base_url=server, timeout=10) as http:
        wait_for_server(http)
        token = kept.get("token")
        if not token or http.get("/v1/employer", headers=_auth(token)).status_code != 200:
            token = _create(http, database_url, folder)
        answer = http.post("/v1/employer/staff-invites", json={"role": "admin"}, headers=_auth(token))
        return answer.raise_for_status().json()["code"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _create(http: httpx.Client, database_url: str, folder: Path) -> str:
    """Register, verify and fill the demo organisation; the demo family joins its case."""
    log.info("Creating the demo employer %s", DEMO_NAME)
    token = http.post("/v1/devices").raise_for_status().json()["token"]
    body = {
        "org_number": DEMO_ORG_NUMBER,
        "name": DEMO_NAME,
        "municipality": 1804,
        "staff_name": "Hanne (demo)",
    }
    registered = http.post("/v1/employers", json=body, headers=_auth(token))
    if registered.status_code == 409:  # the token file was lost: the administrator's phone gets a new one
        return _recover(database_url, folder)
    employer_id = registered.raise_for_status().json()["employer_id"]
    write_private_json(folder / EMPLOYER_FILE, {"token": token})
    engine = make_engine(database_url)
    migrate(engine)
    with engine.begin() as conn:
        coordinator_id = conn.execute(
            select(coordinators.c.id).where(coordinators.c.name == DEMO_COORDINATOR)
        ).scalar_one()
        conn.execute(
            update(employers)
            .where(employers.c.id == employer_id)
            .values(verified_at=datetime.now(UTC), verified_by=coordinator_id)
        )
    engine.dispose()
    codes = [
        http.post("/v1/employer/cases", json=case, headers=_auth(token)).raise_for_status().json()["code"]
        for case in demo_cases(date.today())
    ]
    _family_joins(http, folder / PHONE_FOLDER, codes[0])
    return token


def _recover(database_url: str, folder: Path) -> str:
    """A new token for the demo administrator's phone (as a token rotation; see demo/hosts.py)."""
    engine = make_engine(database_url)
    with engine.begin() as conn:
        device_id = (
            conn.execute(
                select(employer_staff.c.device_id)
                .join(employers, employers.c.id == employer_staff.c.employer_id)
                .where(employers.c.org_number == DEMO_ORG_NUMBER, employer_staff.c.role == "admin")
                .order_by(employer_staff.c.created_at)
            )
            .scalars()
            .first()
        )
    token = new_token(engine, device_id)
    engine.dispose()
    write_private_json(folder / EMPLOYER_FILE, {"token": token})
    return token


def _family_joins(http: httpx.Client, phone_dir: Path, code: str) -> None:
    """The demo family's phone links its household to the case and shares three milestones."""
    store = open_store(phone_dir)
    try:
        family = EmployerClient(SyncClient(store, http, StoreTokenStore(store)))
        family.join_case(code)
        family.set_consents(DEMO_SHARES)
    finally:
        store.close()
    log.info("The demo family joined its employer's case and shares %s", ", ".join(DEMO_SHARES))
