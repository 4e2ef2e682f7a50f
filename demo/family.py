"""The demo family: made on the running server the way a real one is, and a fresh invitation
code to join it from the app.

A phone (its own local database beside the server's database) answers the questions, ticks a few
steps, starts sharing and syncs over HTTP. Run again, it reuses that phone and only makes a new
code (codes work once, for 72 hours).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import httpx

from demo.common import wait_for_server
from services.profile import Child, Profile
from services.store import LocalStore, open_store
from services.sync_client import StoreTokenStore, SyncClient, SyncError

log = logging.getLogger("ny-i-nordland.demo")

DEMO_TICKS = ("letterbox_name", "eea_registration")
PHONE_FOLDER = "demo-phone"


def demo_profile(today: date) -> Profile:
    """An EU family who came to Bodø three weeks ago with a three-year-old."""
    return Profile(
        language="en",
        group="eea",
        reason="work",
        municipality=1804,
        arrival_date=today - timedelta(days=21),
        stay="over_12",
        partner=True,
        children=(Child.new("Ada", today.year - 3, 1),),
    )


def seed(server: str, phone_dir: Path) -> str:
    """Make sure the demo family exists on `server`; returns a new invitation code to join it."""
    with httpx.Client(base_url=server, timeout=10) as http:
        wait_for_server(http)
        store = open_store(phone_dir)
        try:
            code = _seed_on(store, SyncClient(store, http, StoreTokenStore(store)))
        finally:
            store.close()
    if code is None:  # the server's database was reset since the last run: start the phone afresh
        for path in phone_dir.glob("*"):
            path.unlink()
        return seed(server, phone_dir)
    return code


def _seed_on(store: LocalStore, client: SyncClient) -> str | None:
    """The family on this phone and a new code; None when the server no longer knows the phone."""
    if store.get_meta("household_id") is None:
        log.info("Creating the demo family 'Ana' (Bodø)")
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
        log.info("The server's database was reset since the last run: making the demo family again")
        return None
    return invite["code"]
