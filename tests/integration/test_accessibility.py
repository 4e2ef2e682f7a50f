"""Every interactive control on every screen has an accessible name, a stable test handle and a
tap target of at least 48×48 (WCAG 2.1 AA, as Norway requires)."""

from __future__ import annotations

import flet as ft

from tests.integration.test_app_headless import open_settings, open_tab

HANDLERS = ("on_click", "on_change", "on_select", "on_submit")
EXEMPT = (ft.NavigationBar,)  # Material's bar is 80 px high; its destinations carry labels


def interactive(app):
    return [
        c
        for c in app.controls()
        if any(getattr(c, h, None) for h in HANDLERS) and not isinstance(c, (*EXEMPT, ft.Page, ft.View))
    ]


def accessible_name(control) -> str | None:
    parent = control.parent
    if isinstance(parent, ft.Semantics) and parent.label:
        return parent.label
    for attr in ("tooltip", "label", "semantics_label"):
        value = getattr(control, attr, None)
        if isinstance(value, str) and value:
            return value
    content = getattr(control, "content", None)
    if isinstance(content, str) and content:
        return content
    title = getattr(control, "title", None)
    if isinstance(title, ft.Text) and title.value:
        return title.value
    # A tappable container is named by the text inside it (Flutter merges it into one node).
    from tests.conftest import walk

    texts = [c.value for c in walk(control) if isinstance(c, ft.Text) and c.value]
    return " ".join(texts) or None


def tagged(control) -> bool:
    """Its own stable handle: the control sits directly in a Semantics with an identifier."""
    parent = control.parent
    return isinstance(parent, ft.Semantics) and bool(parent.identifier)


def check_screen(app, screen: str) -> int:
    controls = interactive(app)
    assert controls, screen
    for c in controls:
        assert accessible_name(c), (screen, type(c).__name__)
        assert tagged(c), (screen, type(c).__name__, accessible_name(c))
        if isinstance(c, ft.ListTile):
            assert (c.min_height or 0) >= 48, (screen, accessible_name(c))
        elif isinstance(c, ft.Checkbox):
            assert c.value is not None and c.semantics_label, (screen, "a checkbox says its state and name")
        elif isinstance(c, ft.IconButton | ft.FilledButton | ft.OutlinedButton | ft.TextButton | ft.Button):
            assert (c.height or 48) >= 48, (screen, accessible_name(c))
    return len(controls)


async def test_every_screen_is_accessible(headless, data_dir):
    app = await headless()
    checked = check_screen(app, "wizard-language")
    await app.answer("wizard-lang-en")
    for identifier, screen in [
        ("wizard-option-eea", "wizard-group"),
        ("wizard-option-work", "wizard-reason"),
        ("municipality-1804", "wizard-municipality"),
        ("arrival-today", "wizard-arrival"),
        ("wizard-option-over_12", "wizard-stay"),
        ("wizard-option-true", "wizard-partner"),
        ("child-add", "wizard-children"),
        ("wizard-option-none", "wizard-profession"),
        ("wizard-option-none", "wizard-licence"),
    ]:
        checked += check_screen(app, screen)
        await app.answer(identifier)
    await app.tick("tick-letterbox_name")  # brings up the notice bar too
    assert app.has("notice")
    checked += check_screen(app, "timeline")
    await app.click("item-letterbox_name")
    checked += check_screen(app, "step-detail")
    await app.click("detail-back")
    await open_settings(app)
    checked += check_screen(app, "settings")
    assert checked > 50


async def test_recovery_screen_is_accessible(headless, data_dir):
    from services.store import DB_FILE_NAME

    data_dir.mkdir(parents=True)
    (data_dir / DB_FILE_NAME).write_bytes(b"garbage" * 500)
    app = await headless()
    check_screen(app, "recovery")


async def test_family_screens_are_accessible(headless, data_dir, tmp_path, live_server):
    from services.store import open_store
    from tests.conftest import make_profile

    joiner = await headless(server_url=live_server, folder=tmp_path / "joiner")
    await joiner.click("wizard-join")
    checked = check_screen(joiner, "join")
    store = open_store(data_dir)
    store.save_profile(make_profile())
    store.close()
    app = await headless(server_url=live_server)
    await open_tab(app, "family")
    checked += check_screen(app, "family-start")
    await app.type("family-name", "Ana")
    await app.click("family-create")
    await app.until(lambda: app.has("family-invite"))
    await app.click("family-invite")
    await app.until(lambda: app.has("invite-code"))
    checked += check_screen(app, "family-shared")
    await app.click("family-leave")
    checked += check_screen(app, "family-leave")
    assert checked > 10


async def test_superhost_screens_are_accessible(headless, tmp_path, live_server):
    from datetime import date, timedelta

    from tests.integration.test_family_headless import newcomer_sharing
    from tests.integration.test_hosts_headless import become_host, enrolled_coordinator, toggle

    first = await headless(server_url=live_server, folder=tmp_path / "first")
    await first.click("wizard-host")
    checked = check_screen(first, "host-form")
    host = await become_host(headless, tmp_path / "host", live_server)
    checked += check_screen(host, "host-pending")
    kari = await enrolled_coordinator(headless, tmp_path / "kari", live_server, tmp_path)
    host_id = host.state.hosts.host["host_id"]
    await kari.until(lambda: kari.has(f"certify-{host_id}"))
    await kari.click(f"certify-{host_id}")
    checked += check_screen(kari, "coordinator-certify")
    await kari.type(f"certify-version-{host_id}", "2026-1")
    await kari.click(f"certify-send-{host_id}")
    await kari.until(lambda: kari.has(f"suspend-{host_id}"))
    checked += check_screen(kari, "coordinator-certified")

    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has("seeker-save"))
    checked += check_screen(ana, "seeker-form")
    await toggle(ana, "seeker-lang-pl")
    await ana.type("seeker-first-name", "Ana")
    await ana.click("seeker-consent")
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has(f"suggest-ask-{host_id}"))
    await ana.click(f"suggest-ask-{host_id}")
    checked += check_screen(ana, "suggestions")
    await ana.type(f"suggest-message-{host_id}", "Hello")
    await ana.click(f"suggest-send-{host_id}")
    await ana.until(lambda: len(ana.state.hosts.visits) == 1)
    request_id = ana.state.hosts.visits[0]["request_id"]
    checked += check_screen(ana, "visit-requested")

    await host.click("hosts-refresh")
    await host.until(lambda: host.has(f"visit-accept-{request_id}"))
    await host.click(f"visit-accept-{request_id}")
    await host.click(f"visit-report-{request_id}")
    checked += check_screen(host, "host-answer-and-report")
    await host.type(f"visit-date-{request_id}", str(date.today() + timedelta(days=2)))
    await host.type(f"visit-time-{request_id}", "12:00")
    await host.type(f"visit-place-{request_id}", "Rana library")
    await host.click(f"visit-send-accept-{request_id}")
    await host.until(lambda: host.state.hosts.host_requests[0]["state"] == "accepted")
    await ana.click("hosts-refresh")
    await ana.until(lambda: ana.has(f"visit-confirm-{request_id}"))
    checked += check_screen(ana, "visit-accepted")
    assert checked > 60
