"""Newcomer and host in two browsers: the family asks a certified host for a visit, the host
accepts with a time and a public place, both see the confirmed visit, they meet, both leave
feedback (through the real server)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import create_engine, select, update

from server.superhost.coordinators import create_coordinator
from server.tables import hosts, visit_requests
from tests.e2e.test_family_browser import finish_wizard_quickly, open_phone


def certify_all_waiting_hosts(server: str, database: str) -> None:
    """The county's coordinator certifies (their screen is tested headless; here through the API)."""
    engine = create_engine(database)
    with engine.begin() as conn:
        _id, code = create_coordinator(conn, "Kari", datetime.now(UTC))
        waiting = list(conn.execute(select(hosts.c.id)).scalars())
    engine.dispose()
    with httpx.Client(base_url=server) as http:
        auth = {"Authorization": f"Bearer {http.post('/v1/devices').json()['token']}"}
        assert http.post("/v1/coordinator/enrol", json={"code": code}, headers=auth).status_code == 200
        today = date.today()
        facts = {
            "interviewed_on": str(today),
            "trained_on": str(today),
            "code_of_conduct_version": "2026-1",
            "police_certificate_seen_on": str(today),
            "valid_until": str(today + timedelta(days=365)),
        }
        for host_id in waiting:
            answer = http.post(f"/v1/coordinator/hosts/{host_id}/certification", json=facts, headers=auth)
            assert answer.status_code == 201, answer.text


def one_request_id(database: str) -> str:
    engine = create_engine(database)
    with engine.begin() as conn:
        request_id = conn.execute(select(visit_requests.c.id)).scalar_one()
    engine.dispose()
    return request_id


def test_request_accept_confirm_meet_and_feedback_in_two_browsers(served_app, live_server, browser, tmp_path):
    database = f"sqlite:///{tmp_path / 'server.db'}"
    newcomer = open_phone(browser, served_app, "superhost-newcomer")
    host = open_phone(browser, served_app, "superhost-host")
    try:
        # A local signs up as a host: no newcomer questions.
        host.wait("wizard-host")
        host.click("wizard-host")
        host.fill("host-first-name", "Ingrid")
        host.click("host-municipality")
        host.page.get_by_text("Bodø", exact=True).last.click()
        host.click("host-lang-en")
        host.fill("host-intro", "I show newcomers the harbour.")
        host.click("host-consent")
        host.click("host-save")
        host.wait_text("host-status", "Waiting for certification")
        host.screenshot("01-host-waiting")
        certify_all_waiting_hosts(live_server, database)
        host.tap_until("hosts-refresh", lambda: host.reads("host-status", "Certified until"))

        # The family starts sharing (hosts meet households), then asks for a host.
        finish_wizard_quickly(newcomer)
        newcomer.page.get_by_role("tab", name="Family").click()
        newcomer.fill("family-name", "Ana")
        newcomer.click("family-create")
        newcomer.wait("family-invite")
        newcomer.page.get_by_role("tab", name="Hosts").click()
        newcomer.fill("seeker-first-name", "Ana")
        newcomer.click("seeker-consent")
        newcomer.click("seeker-save")
        ask = newcomer.page.locator("[flt-semantics-identifier^='suggest-ask-']").first
        ask.wait_for(timeout=30000)
        host_id = ask.get_attribute("flt-semantics-identifier").removeprefix("suggest-ask-")
        assert "Ingrid" in newcomer.text_of(f"suggest-{host_id}")
        newcomer.screenshot("02-suggested-host")
        ask.click()
        message = newcomer.page.locator("[flt-semantics-identifier^='suggest-message-']").first
        message.wait_for()
        newcomer.fill(message.get_attribute("flt-semantics-identifier"), "Hello! We arrived last week.")
        newcomer.page.locator("[flt-semantics-identifier^='suggest-send-']").first.click()
        newcomer.page.get_by_text("Waiting for the host's answer").wait_for(timeout=30000)
        request_id = one_request_id(database)

        # The host accepts with a time and a public meeting place.
        host.tap_until("hosts-refresh", lambda: host.has(f"visit-accept-{request_id}"))
        assert "Hello! We arrived last week." in host.text_of(f"visit-{request_id}")
        host.click(f"visit-accept-{request_id}")
        host.fill(f"visit-date-{request_id}", str(date.today() + timedelta(days=3)))
        host.fill(f"visit-time-{request_id}", "15:30")
        host.fill(f"visit-place-{request_id}", "Stormen library, main entrance")
        host.click(f"visit-send-accept-{request_id}")
        host.wait_text(f"visit-state-{request_id}", "waiting for the family to confirm")

        newcomer.tap_until("hosts-refresh", lambda: newcomer.has(f"visit-confirm-{request_id}"))
        newcomer.click(f"visit-confirm-{request_id}")
        newcomer.wait_text(f"visit-state-{request_id}", "Confirmed")
        newcomer.wait_text(f"visit-when-{request_id}", "Stormen library, main entrance")
        newcomer.screenshot("03-confirmed")
        host.tap_until("hosts-refresh", lambda: host.reads(f"visit-state-{request_id}", "Confirmed"))
        host.screenshot("02-confirmed")

        # Three days later they have met.
        engine = create_engine(database)
        with engine.begin() as conn:
            conn.execute(update(visit_requests).values(starts_at=datetime.now(UTC) - timedelta(hours=1)))
        engine.dispose()
        # "We met" is already on the host's screen; the server checks that the time has come.
        host.click(f"visit-complete-{request_id}")
        host.click(f"visit-rating-5-{request_id}")
        host.click(f"visit-feedback-send-{request_id}")
        host.by_id(f"visit-feedback-send-{request_id}").first.wait_for(state="detached", timeout=20000)
        newcomer.tap_until("hosts-refresh", lambda: newcomer.reads(f"visit-state-{request_id}", "Done"))
        newcomer.click(f"visit-rating-4-{request_id}")
        newcomer.fill(f"visit-comment-{request_id}", "Thank you, Ingrid!")
        newcomer.click(f"visit-feedback-send-{request_id}")
        newcomer.by_id(f"visit-feedback-send-{request_id}").first.wait_for(state="detached", timeout=20000)
        newcomer.screenshot("04-feedback-given")
    finally:
        for app in (newcomer, host):
            app.last_screenshot()
            app.page.context.close()
