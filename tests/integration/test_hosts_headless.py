"""Superhost through the real app state, the real views and the real server: a host signs up and
is certified by a coordinator on their phone; a family finds the host, asks for a visit; the host
accepts with a time and a public place; the family confirms and saves it to the calendar."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import flet as ft
from sqlalchemy import create_engine, update

from server.superhost.coordinators import create_coordinator
from server.tables import visit_requests
from tests.integration.test_app_headless import open_tab
from tests.integration.test_family_headless import newcomer_sharing


def server_engine(tmp_path):
    return create_engine(f"sqlite:///{tmp_path / 'server.db'}")


def label(app, identifier: str) -> str | None:
    """What a screen reader reads for a tagged control (a state says itself in words)."""
    return next(c.label for c in app.controls() if isinstance(c, ft.Semantics) and c.identifier == identifier)


async def toggle(app, identifier: str) -> None:
    await app.event(app.find(identifier), "select", True)


async def become_host(headless, folder, live_server, name: str = "Ingrid"):
    app = await headless(server_url=live_server, folder=folder)
    await app.click("wizard-host")  # a local: no newcomer questions
    await app.until(lambda: app.has("host-first-name"))
    await app.type("host-first-name", name)
    await app.select("host-municipality", "1833")
    await toggle(app, "host-lang-pl")
    await toggle(app, "host-interest-outdoors")
    await app.type("host-intro", "I show newcomers the Svartisen glacier.")
    await app.click("host-consent")
    await app.click("host-save")
    await app.until(lambda: app.has("host-status"))
    return app


async def enrolled_coordinator(headless, folder, live_server, tmp_path):
    engine = server_engine(tmp_path)
    with engine.begin() as conn:
        _id, code = create_coordinator(conn, "Kari", datetime.now(UTC))
    engine.dispose()
    app = await headless(server_url=live_server, folder=folder)
    await app.click("wizard-host")
    await app.until(lambda: app.has("coordinator-code"))
    await app.type("coordinator-code", code)
    await app.click("coordinator-enrol")
    await app.until(lambda: app.state.hosts.is_coordinator and app.has("coordinator-round"))
    return app


async def test_host_certified_by_coordinator_then_family_asks_and_host_accepts(
    headless, tmp_path, live_server
):
    host = await become_host(headless, tmp_path / "host", live_server)
    assert label(host, "host-status").startswith("Waiting for certification")
    assert any("Waiting for certification" in t for t in host.texts())

    kari = await enrolled_coordinator(headless, tmp_path / "kari", live_server, tmp_path)
    host_id = host.state.hosts.host["host_id"]
    await kari.until(lambda: kari.has(f"certify-{host_id}"))
    await kari.click(f"certify-{host_id}")
    await kari.type(f"certify-version-{host_id}", "2026-1")
    await kari.type(f"certify-until-{host_id}", str(date.today() + timedelta(days=4 * 365)))
    await kari.click(f"certify-send-{host_id}")
    await kari.until(lambda: kari.has("error"))
    assert any("at most 3 years" in t for t in kari.texts())  # refused, nothing recorded
    await kari.type(f"certify-until-{host_id}", str(date.today() + timedelta(days=365)))
    await kari.click(f"certify-send-{host_id}")
    await kari.until(lambda: any(h["status"] == "certified" for h in kari.state.hosts.coordinator_hosts))
    # Every coordinator reads what coordinators did (the refused attempt left no trace).
    await kari.until(lambda: any("Kari · certified a host" in t for t in kari.texts()))
    assert sum("certified a host" in t for t in kari.texts()) == 1

    await host.click("hosts-refresh")
    await host.until(lambda: label(host, "host-status").startswith("Certified until"))

    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has("seeker-save"))
    await ana.type("seeker-first-name", "Ana")
    await toggle(ana, "seeker-lang-pl")  # English (the app's language) was preselected: Polish second
    await toggle(ana, "seeker-interest-outdoors")
    await ana.click("seeker-consent")
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has(f"suggest-{host_id}"))
    assert "Ingrid" in ana.texts()
    assert any("Also speaks Polish" in t for t in ana.texts())
    assert any("You both like Outdoor life and hiking" in t for t in ana.texts())
    await ana.click(f"suggest-ask-{host_id}")
    await ana.type(f"suggest-message-{host_id}", "We arrived last week with our daughter.")
    await ana.click(f"suggest-send-{host_id}")
    await ana.until(lambda: len(ana.state.hosts.visits) == 1)
    request_id = ana.state.hosts.visits[0]["request_id"]
    assert label(ana, f"visit-state-{request_id}") == "Waiting for the host's answer"

    await host.click("hosts-refresh")
    await host.until(lambda: host.has(f"visit-{request_id}"))
    assert host.state.hosts.inbox_unread == 1
    assert "We arrived last week with our daughter." in " ".join(host.texts())
    await host.click(f"visit-accept-{request_id}")
    # A past time is refused with a clear message and nothing changes.
    await host.type(f"visit-date-{request_id}", str(date.today() - timedelta(days=1)))
    await host.type(f"visit-time-{request_id}", "15:00")
    await host.type(f"visit-place-{request_id}", "Rana library, main entrance")
    await host.click(f"visit-send-accept-{request_id}")
    await host.until(lambda: host.has("error"))
    assert host.state.hosts.host_requests[0]["state"] == "requested"
    await host.type(f"visit-date-{request_id}", str(date.today() + timedelta(days=3)))
    await host.click(f"visit-send-accept-{request_id}")
    await host.until(lambda: host.state.hosts.host_requests[0]["state"] == "accepted")

    await ana.click("hosts-refresh")
    await ana.until(lambda: ana.has(f"visit-confirm-{request_id}"))
    await ana.click(f"visit-confirm-{request_id}")
    await ana.until(lambda: label(ana, f"visit-state-{request_id}") == "Confirmed")
    assert any("Rana library, main entrance" in t for t in ana.texts())
    await ana.click(f"visit-calendar-{request_id}")
    await ana.until(lambda: ana.connection.saved_files)  # offered as a download, not kept in a folder
    ((name, raw),) = ana.connection.saved_files.items()
    calendar = raw.decode()
    assert name.startswith("visit-") and name.endswith(".ics")
    assert any(f"saved as a calendar file: {name}" in t for t in ana.texts())
    assert "BEGIN:VEVENT" in calendar and "Ingrid" in calendar

    # Time passes; they met. Both leave feedback.
    engine = server_engine(tmp_path)
    with engine.begin() as conn:
        conn.execute(update(visit_requests).values(starts_at=datetime.now(UTC) - timedelta(hours=1)))
    engine.dispose()
    await host.click("hosts-refresh")
    await host.until(lambda: host.has(f"visit-complete-{request_id}"))
    await host.click(f"visit-complete-{request_id}")
    await host.until(lambda: host.has(f"visit-feedback-send-{request_id}"))
    await host.click(f"visit-rating-5-{request_id}")
    await host.click(f"visit-feedback-send-{request_id}")
    await host.until(lambda: not host.has(f"visit-feedback-send-{request_id}"))
    await ana.click("hosts-refresh")
    await ana.until(lambda: ana.has(f"visit-feedback-send-{request_id}"))
    await ana.click(f"visit-rating-4-{request_id}")
    await ana.click(f"visit-feedback-send-{request_id}")
    await ana.until(lambda: not ana.has(f"visit-feedback-send-{request_id}"))


async def test_without_hosts_the_family_sees_the_waiting_list_and_meeting_places(
    headless, tmp_path, live_server
):
    from server.superhost.group_events import seed_reference_events

    engine = server_engine(tmp_path)
    with engine.begin() as conn:
        seed_reference_events(conn)
    engine.dispose()
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has("seeker-save"))
    await ana.type("seeker-first-name", "Ana")
    await ana.click("seeker-consent")
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has("waitlist"))
    assert any("Language café" in t for t in ana.texts())
    assert any("Not confirmed" in t for t in ana.texts())  # uncertain events say so


async def test_offline_the_hosts_tab_shows_what_was_saved_and_says_it_is_offline(
    headless, tmp_path, live_server
):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has("seeker-save"))
    await ana.type("seeker-first-name", "Ana")
    await ana.click("seeker-consent")
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has("seeker-edit"))
    ana.state.runtime.server_url, ana.state.runtime._client = (
        "http://127.0.0.1:9",
        None,
    )  # the network is gone
    await ana.click("hosts-refresh")
    await ana.until(lambda: ana.has("error"), timeout=30)
    assert ana.has("seeker-edit")  # the cached screen stays


async def test_the_inbox_badge_updates_without_opening_the_hosts_tab(headless, tmp_path, live_server):
    host = await become_host(headless, tmp_path / "host", live_server)
    kari = await enrolled_coordinator(headless, tmp_path / "kari", live_server, tmp_path)
    host_id = host.state.hosts.host["host_id"]
    await kari.until(lambda: kari.has(f"certify-{host_id}"))
    await kari.click(f"certify-{host_id}")
    await kari.type(f"certify-version-{host_id}", "2026-1")
    await kari.click(f"certify-send-{host_id}")
    await kari.until(lambda: kari.has(f"suspend-{host_id}"))
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.state.hosts.save_seeker("Ana", ["pl"], [], "", 0, consent=True)
    await ana.state.hosts.request_visit(host_id, "Hi")
    await open_tab(host, "settings")  # somewhere else in the app
    poll = asyncio.create_task(host.state.hosts.watch_inbox(interval=0.2, first_after=0))
    try:
        await host.until(lambda: host.state.hosts.inbox_unread == 1)
    finally:
        poll.cancel()
    nav = next(c for c in host.controls() if isinstance(c, ft.NavigationBar))
    badge_icon = nav.destinations[0].icon  # host-only phone: Hosts, Settings
    assert badge_icon.badge == "1"


async def test_a_cancelled_request_no_longer_says_it_was_sent(headless, tmp_path, live_server):
    """Issue: "Your request was sent" stayed on screen after the visit was cancelled."""
    from tests.e2e.test_superhost_browser import certify_all_waiting_hosts

    host = await become_host(headless, tmp_path / "host", live_server)
    host_id = host.state.hosts.host["host_id"]
    certify_all_waiting_hosts(live_server, f"sqlite:///{tmp_path / 'server.db'}")
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.state.hosts.save_seeker("Ana", ["pl", "en"], [], "", 0, consent=True)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has(f"suggest-ask-{host_id}"))
    await ana.click(f"suggest-ask-{host_id}")
    await ana.click(f"suggest-send-{host_id}")
    await ana.until(lambda: len(ana.state.hosts.visits) == 1)
    assert "Your request was sent. You will see the answer here." in ana.texts()
    request_id = ana.state.hosts.visits[0]["request_id"]
    await ana.click(f"visit-cancel-{request_id}")
    await ana.until(lambda: label(ana, f"visit-state-{request_id}") == "Cancelled")
    assert "Your request was sent. You will see the answer here." not in ana.texts()
    assert "The visit was cancelled." in ana.texts()
