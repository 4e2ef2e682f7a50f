"""Demo Superhost data for the README's run command: clearly labelled demo hosts in a few
municipalities (certified by a demo coordinator), the reference group events, and a one-time code
to enrol a phone as the demo coordinator.

Hosts sign up the way real ones do (a phone registers and saves a host profile over HTTP); the
certification is recorded with the same function the coordinator's screen uses. Run again, it
adds nothing twice and prints a fresh coordinator code while the demo coordinator has no phone.

    python -m server.demo_hosts --server http://127.0.0.1:8551
"""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import select, update

from server.auth import hash_token
from server.db import make_engine, migrate
from server.invites import ALPHABET
from server.settings import Settings
from server.superhost.coordinators import ENROL_TTL, create_coordinator
from server.superhost.group_events import seed_reference_events
from server.superhost.hosts import certify_host
from server.tables import coordinators, hosts

log = logging.getLogger("ny-i-nordland.demo")

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


def seed_hosts(server: str, database_url: str) -> str | None:
    """Demo hosts (once), group events, and a coordinator code; returns the code."""
    now = datetime.now(UTC)
    engine = make_engine(database_url)
    migrate(engine)
    with engine.begin() as conn:
        seed_reference_events(conn)
        existing = set(conn.execute(select(hosts.c.first_name).where(hosts.c.demo.is_(True))).scalars())
        code = coordinator_code(conn, now)
        coordinator_id = conn.execute(
            select(coordinators.c.id).where(coordinators.c.name == DEMO_COORDINATOR)
        ).scalar_one()
    with httpx.Client(base_url=server, timeout=10) as http:
        for profile in DEMO_HOSTS:
            if profile["first_name"] in existing:
                continue
            token = http.post("/v1/devices").raise_for_status().json()["token"]
            saved = http.put("/v1/host", json=profile, headers={"Authorization": f"Bearer {token}"})
            host_id = saved.raise_for_status().json()["host_id"]
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
    engine.dispose()
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8551")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    code = seed_hosts(args.server, Settings().database_url)
    log.info("Demo hosts in Bodø, Rana, Narvik and Vefsn are certified and ready.")
    if code:
        log.info(
            "Demo coordinator: in the app, Hosts → Be a host → enrolment code %s (valid 72 hours).", code
        )


if __name__ == "__main__":
    main()
