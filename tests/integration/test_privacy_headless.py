"""Privacy through the real app, views and server: consent before a profile is shared, withdrawing
it, open invitations that can be withdrawn, a copy of what the server holds, and erasing it all."""

from __future__ import annotations

import json

import httpx

from services.store import DB_FILE_NAME
from tests.integration.test_app_headless import open_tab
from tests.integration.test_family_headless import newcomer_sharing


async def _open_settings(app) -> None:
    await open_tab(app, "settings")
    await app.until(lambda: app.has("privacy-erase"))


async def test_no_matching_profile_without_consent_and_withdrawing_deletes_it(
    headless, tmp_path, live_server
):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await open_tab(ana, "hosts")
    await ana.until(lambda: ana.has("seeker-save"))
    assert any("Never your children's names or exact ages" in t for t in ana.texts())
    await ana.type("seeker-first-name", "Ana")
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has("error"))
    assert "Tick the box to agree, or the profile cannot be saved." in ana.texts()
    assert ana.state.hosts.seeker is None  # nothing was sent
    assert ana.semantics("seeker-consent").checked is False
    await ana.click("seeker-consent")
    assert ana.semantics("seeker-consent").checked is True
    await ana.click("seeker-save")
    await ana.until(lambda: ana.has("seeker-withdraw"))
    await ana.click("seeker-withdraw")
    await ana.until(lambda: ana.has("seeker-save"))
    assert "Your family's host profile is deleted. Hosts no longer see it." in ana.texts()
    token = ana.state.runtime.store.get_meta("device_token")
    if token:  # the server agrees: no profile any more
        answer = httpx.get(
            f"{live_server}/v1/seeker/suggestions", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.json()["error"]["code"] == "no_seeker_profile"


async def test_an_open_invitation_is_listed_and_withdrawn_and_its_code_stops_working(
    headless, tmp_path, live_server
):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.click("family-invite")
    await ana.until(lambda: ana.has("invite-code"))
    code = ana.find("invite-code").content.value
    invite_id = ana.state.family.invite["invite_id"]
    await ana.click("sync-now")  # re-reads the family: the open invitation is listed
    await ana.until(lambda: ana.has(f"invite-withdraw-{invite_id[:8]}"))
    await ana.click(f"invite-withdraw-{invite_id[:8]}")
    await ana.until(lambda: not ana.has(f"open-invite-{invite_id[:8]}"))
    assert not ana.has("invite-code")  # the withdrawn code is no longer shown
    assert "The invitation was withdrawn. Its code no longer works." in ana.texts()

    marek = await headless(server_url=live_server, folder=tmp_path / "marek")
    await marek.click("wizard-join")
    await marek.type("join-code", code)
    await marek.type("join-name", "Marek")
    await marek.click("join-submit")
    await marek.until(lambda: marek.has("error"))
    assert marek.state.family.household_id is None

    # The owner keeps inviting to themself.
    await ana.click("family-only-owner-invites")
    await ana.until(lambda: ana.semantics("family-only-owner-invites").checked)


async def test_a_copy_of_the_server_data_then_erasing_everything_starts_the_app_anew(
    headless, tmp_path, live_server
):
    folder = tmp_path / "ana"
    ana = await newcomer_sharing(headless, folder, live_server)
    await _open_settings(ana)
    await ana.click("privacy-notice-toggle")
    await ana.until(lambda: ana.has("privacy-notice"))
    assert any("Datatilsynet" in t for t in ana.texts())
    await ana.click("privacy-server-copy")
    await ana.until(lambda: ana.connection.saved_files)
    ((name, raw),) = ana.connection.saved_files.items()
    copy = json.loads(raw)["server"]
    assert name.startswith("ny-i-nordland-server-") and copy["household"]["member"]["display_name"] == "Ana"

    token = ana.state.runtime.sync_client().tokens.load()
    await ana.click("privacy-erase")
    assert ana.has("privacy-erase-cancel")  # asks first
    await ana.click("privacy-erase-confirm")
    await ana.until(lambda: ana.has("wizard-next") or ana.has("wizard-host"), timeout=20)
    assert ana.state.profile.profile is None and ana.state.family.household_id is None
    assert not any(p.name.startswith(DB_FILE_NAME) and p.stat().st_size > 0 and "damaged" in p.name
                   for p in folder.iterdir())  # fmt: skip
    answer = httpx.get(f"{live_server}/v1/household", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401  # the server forgot this phone


async def test_erasing_while_offline_changes_nothing_and_says_why(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    ana.state.runtime.server_url, ana.state.runtime._client = "http://127.0.0.1:9", None  # no network
    await _open_settings(ana)
    await ana.click("privacy-erase")
    await ana.click("privacy-erase-confirm")
    await ana.until(lambda: ana.has("error"), timeout=30)
    assert ana.state.profile.profile is not None and ana.state.family.household_id is not None
    assert ana.has("privacy-erase-confirm")  # still asking; nothing was deleted
