"""Demo Superhost data: clearly labelled demo hosts in a few municipalities (certified by a demo
coordinator), the reference group events, and a one-time code to enrol a phone as the demo
coordinator.

Hosts sign up the way real ones do (a phone registers and saves a host profile over HTTP); the
certification is recorded with the same function the coordinator's screen uses. Each demo host's
device token is kept in a private file beside the server's database (never printed or logged), so
the demo responder (`demo/responder.py`) can answer requests as that host, over HTTP. Run again,
it adds nothing twice and makes a fresh coordinator code while the demo coordinator has no phone.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, select, update

from demo.common import demo_dir, read_json, wait_for_server, write_private_json
from server.auth import hash_token
from server.db import make_engine, migrate
from server.invites import ALPHABET
from server.superhost.coordinators import ENROL_TTL, create_coordinator
from server.superhost.group_events import seed_reference_events
from server.superhost.hosts import certify_host
from server.tables import coordinators, devices, hosts

log = logging.getLogger("ny-i-nordland.demo")

DEMO_SUFFIX = "(demo)"
TOKENS_FILE = "demo-host-tokens.json"
DEMO_COORDINATOR = "Demo coordinator"
# Fictional people, labelled as demo in the app.
DEMO_HOSTS = (
    {"first_name": "Ingrid (demo)", "municipality": 1804, "languages": ["nb", "en"],
     "interests": ["outdoors", "fishing", "family_activities"], "children_ages": [4, 8],
     "occupation": "Teacher", "visits_per_month": 3, "availability": 0b111_000_000_000_000_100_100,
     "introduction": "Demo host. I like showing newcomers the harbour and the walks around town."},
    {"first_name": "Tomasz (demo)", "municipality": 1804, "languages": ["nb", "pl", "en"],
     "interests": ["football", "cooking"], "occupation": "Welder", "visits_per_month": 2,
     "introduction": "Demo host. Came from Gdańsk twelve years ago; happy to tell you how it went."},
    {"first_name": "Kari (demo)", "municipality": 1833, "languages": ["nb", "en", "uk"],
     "interests": ["skiing", "music", "volunteering"], "children_ages": [3], "visits_per_month": 2,
     "introduction": "Demo host. Volunteer at the Red Cross; I know where the language cafés are."},
    {"first_name": "Ahmed (demo)", "municipality": 1806, "languages": ["nb", "ar", "en"],
     "interests": ["faith", "cooking", "games"], "children_ages": [10, 13], "visits_per_month": 2,
     "introduction": "Demo host. Nurse at the hospital, father of two."},
    {"first_name": "Ona (demo)", "municipality": 1824, "languages": ["nb", "lt", "en"],
     "interests": ["crafts", "reading"], "visits_per_month": 1,
     "introduction": "Demo host. Lithuanian, in Mosjøen since 2015."},
)  # fmt: skip


def is_demo_name(first_name: str) -> bool:
    """Demo hosts' first names end in "(demo)"; the app labels them, the responder checks it."""
    return first_name.strip().endswith(DEMO_SUFFIX)


def tokens_path(database_url: str) -> Path:
    """The demo hosts' token file for this database (beside it when it is SQLite)."""
    return demo_dir(database_url) / TOKENS_FILE


def load_tokens(path: Path) -> dict[str, str]:
    """Host id → device token of each demo host; empty when there is no (readable) file."""
    tokens = read_json(path).get("tokens")
    if not isinstance(tokens, dict):
        return {}
    return {str(k): v for k, v in tokens.items() if isinstance(v, str)}


def save_tokens(path: Path, tokens: dict[str, str]) -> None:
    """Write the token file, readable by this user only."""
    write_private_json(path, {"tokens": tokens})


def coordinator_code(conn, now: datetime) -> str | None:  # noqa: ANN001 - a Connection
    """A fresh enrolment code for the demo coordinator (None once a phone is enrolled)."""
    row = conn.execute(select(coordinators).where(coordinators.c.name == DEMO_COORDINATOR)).first()
    if row is None:
        return create_coordinator(conn, DEMO_COORDINATOR, now)[1]
    if row.device_id is not None:
        return None
    code = "".join(secrets.choice(ALPHABET) for _ in range(12))
    conn.execute(
        update(coordinators)
        .where(coordinators.c.id == row.id)
        .values(code_hash=hash_token(code), code_expires_at=now + ENROL_TTL)
    )
    return code


def _token_works(http: httpx.Client, token: str, host_id: str) -> bool:
    """Whether a kept token still belongs to this host's phone on this server."""
    answer = http.get("/v1/host", headers={"Authorization": f"Bearer {token}"})
    return answer.status_code == 200 and answer.json().get("host_id") == host_id


def new_token(engine: Engine, device_id: str) -> str:
    """A new token for a demo phone whose token was not kept (seeded by an older version):
    the same as a token rotation, written directly, as the certification is."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(token_hash=hash_token(token), prev_token_hash=None, token_issued_at=datetime.now(UTC))
        )
    return token


def seed_hosts(server: str, database_url: str, tokens_file: Path | None = None) -> str | None:
    """Demo hosts (once, with their tokens kept), group events, and a coordinator code; returns
    the code (None once the demo coordinator has enrolled a phone)."""
    now = datetime.now(UTC)
    tokens_file = tokens_file or tokens_path(database_url)
    engine = make_engine(database_url)
    migrate(engine)
    with engine.begin() as conn:
        seed_reference_events(conn)
        existing = conn.execute(
            select(hosts.c.id, hosts.c.first_name, hosts.c.device_id).where(hosts.c.demo.is_(True))
        ).all()
        code = coordinator_code(conn, now)
        coordinator_id = conn.execute(
            select(coordinators.c.id).where(coordinators.c.name == DEMO_COORDINATOR)
        ).scalar_one()
    kept = load_tokens(tokens_file)
    tokens: dict[str, str] = {}
    with httpx.Client(base_url=server, timeout=10) as http:
        wait_for_server(http)
        for row in existing:
            token = kept.get(row.id)
            if token is None or not _token_works(http, token, row.id):
                log.info("Demo host %s: a new device token (the earlier one was not kept)", row.first_name)
                token = new_token(engine, row.device_id)
            tokens[row.id] = token
        save_tokens(tokens_file, tokens)
        for profile in DEMO_HOSTS:
            if profile["first_name"] in {row.first_name for row in existing}:
                continue
            token = http.post("/v1/devices").raise_for_status().json()["token"]
            saved = http.put(
                "/v1/host", json={**profile, "consent": True}, headers={"Authorization": f"Bearer {token}"}
            )
            host_id = saved.raise_for_status().json()["host_id"]
            tokens[host_id] = token
            save_tokens(tokens_file, tokens)
            with engine.begin() as conn:
                conn.execute(update(hosts).where(hosts.c.id == host_id).values(demo=True))
                today = date.today()
                certify_host(
                    conn,
                    coordinator_id,
                    host_id,
                    {
                        "interviewed_on": today,
                        "trained_on": today,
                        "code_of_conduct_version": "demo",
                        "police_certificate_seen_on": today,
                        "valid_until": today + timedelta(days=365),
                    },
                    now,
                )
            log.info("Demo host %s signed up and certified", profile["first_name"])
    engine.dispose()
    return code
