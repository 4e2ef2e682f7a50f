"""Demo data for the README's run command: a demo family on the running server, and a fresh
invitation code to join it from the app.

The family is made the way a real one is: a phone (its own local database under the server's
data folder) answers the questions, ticks a few steps, starts sharing and syncs over HTTP.
Run again, it reuses that phone and only prints a new code (codes work once, for 72 hours).

    python -m server.demo --server http://127.0.0.1:8551
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from server.settings import DEFAULT_SQLITE
from services.profile import Child, Profile
from services.store import open_store
from services.sync_client import StoreTokenStore, SyncClient, SyncError

log = logging.getLogger("ny-i-nordland.demo")

DEMO_PHONE = DEFAULT_SQLITE / "demo-phone"
DEMO_TICKS = ("letterbox_name", "eea_registration")


def demo_profile(today: date) -> Profile:
    """An EU family who came to Bodø three weeks ago with a three-year-old."""
    return Profile(
        language="en",
        group="eea",
        reason="work",
        municipality=1804,
        arrival_date=today - timedelta(days=21),
        long_stay=True,
        partner=True,
        children=(Child.new("Ada", today.year - 3, 1),),
    )


def wait_for_server(http: httpx.Client, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http.get("/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"The sync server at {http.base_url} did not answer.")
        time.sleep(0.2)


def seed(server: str, phone_dir: Path = DEMO_PHONE) -> str:
    """Make sure the demo family exists on `server`; returns a new invitation code to join it."""
    store = open_store(phone_dir)
    http = httpx.Client(base_url=server, timeout=10)
    wait_for_server(http)
    client = SyncClient(store, http, StoreTokenStore(store))
    if store.get_meta("household_id") is None:
        store.save_profile(demo_profile(date.today()))
        for step in DEMO_TICKS:
            store.set_step_status(step, "done")
        joined = client.create_household("Ana")
        store.set_meta("household_id", joined["household_id"])
        store.set_meta("member_id", joined["member_id"])
        store.share_profile()
        store.set_device_name("Ana")
    try:
        client.sync()
        invite = client.create_invite()
    except SyncError as exc:
        if exc.code not in ("unauthenticated", "removed"):
            raise
        # The server's database was reset since last time: make the family again.
        store.close()
        for path in phone_dir.glob("*"):
            path.unlink()
        return seed(server, phone_dir)
    store.close()
    return invite["code"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8551")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    code = seed(args.server)
    log.info("Demo family 'Ana' (Bodø): join it in the app with the code %s (valid 72 hours).", code)


if __name__ == "__main__":
    main()
