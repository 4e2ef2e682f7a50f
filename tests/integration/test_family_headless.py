"""Family sharing through the real app state, the real views and the real sync server: start
sharing, invite, join with the typed code, and see each other's ticks (and who made them)."""

from __future__ import annotations

from services.store import open_store
from tests.conftest import make_profile, start_live_server
from tests.integration.test_app_headless import open_tab


async def newcomer_sharing(headless, folder, live_server, name: str = "Ana"):
    store = open_store(folder)
    store.save_profile(make_profile(municipality=1833))
    store.set_step_status("letterbox_name", "done")  # ticked before sharing: must reach the family
    store.close()
    app = await headless(server_url=live_server, folder=folder)
    await open_tab(app, "family")
    assert app.has("family-create")
    await app.type("family-name", name)
    await app.click("family-create")
    await app.until(lambda: app.has(f"member-{app.state.family.member_id}"))
    return app


async def test_invite_join_and_ticks_travel_both_ways_with_who_did_them(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.click("family-invite")
    await ana.until(lambda: ana.has("invite-code"))
    code = ana.find("invite-code").content.value
    assert ana.state.family.invite["link"].endswith(code.replace("-", ""))

    marek = await headless(server_url=live_server, folder=tmp_path / "marek")
    await marek.click("wizard-join")
    await marek.type("join-code", code.lower())  # typed casually: lower case still works
    await marek.type("join-name", "Marek")
    await marek.click("join-submit")
    await marek.until(lambda: marek.has("timeline"))
    assert "Your first year in Rana" in marek.texts()  # the family's profile came along
    assert marek.state.steps.statuses == {"letterbox_name": "done"}
    assert marek.state.steps.authors["letterbox_name"][0] == "Ana"

    # The code was used: the inviter's open phone hears of the new member (a live poke, a pull)
    # and stops showing it ("It works once"), by itself.
    await ana.until(lambda: not ana.has("invite-code"))
    assert "Your invitation was used. The new family member is listed here." in ana.texts()

    await marek.tick("tick-id_check_tax_office")
    await marek.until(lambda: marek.state.family.sync_status.state == "up_to_date", timeout=20)
    await ana.state.runtime.scheduler.sync_once()
    await ana.until(lambda: ana.state.steps.statuses.get("id_check_tax_office") == "done")
    assert ana.state.steps.authors["id_check_tax_office"][0] == "Marek"

    await open_tab(ana, "family")
    await ana.until(lambda: len((ana.state.family.family or {}).get("members", [])) == 2)
    assert {"Ana", "Marek"} <= set(ana.texts())

    # Ana says who does the bank account; Marek's phone shows it after the next sync.
    await open_tab(ana, "steps")
    await ana.click("item-bank_account")
    await ana.select("detail-assignee", marek.state.family.member_id)
    await ana.state.runtime.scheduler.sync_once()
    await marek.state.family.refresh()
    await marek.state.runtime.scheduler.sync_once()
    await marek.until(lambda: marek.state.steps.assignees.get("bank_account") == marek.state.family.member_id)
    assert any("For Marek" in t for t in marek.texts())


async def test_a_wrong_code_gets_a_clear_error_and_changes_nothing(headless, tmp_path, live_server):
    marek = await headless(server_url=live_server, folder=tmp_path / "marek")
    await marek.click("wizard-join")
    await marek.type("join-code", "ABCD-EFGH-JKMN")
    await marek.click("join-submit")
    await marek.until(lambda: marek.has("error"))
    assert any("does not work" in t for t in marek.texts())
    assert marek.state.family.household_id is None
    await marek.type("join-code", "not a code")
    await marek.click("join-submit")
    await marek.until(lambda: any("12 letters and digits" in t for t in marek.texts()))


async def test_the_owner_removes_a_member_whose_phone_then_drops_the_family_checklist(
    headless, tmp_path, live_server
):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.click("family-invite")
    await ana.until(lambda: ana.has("invite-code"))
    marek = await headless(server_url=live_server, folder=tmp_path / "marek")
    await marek.click("wizard-join")
    await marek.type("join-code", ana.find("invite-code").content.value)
    await marek.click("join-submit")
    await marek.until(lambda: marek.has("timeline"))

    await ana.until(lambda: ana.has("sync-now"))
    await ana.click("sync-now")  # one button syncs and re-reads the member list
    await ana.until(lambda: ana.has(f"member-remove-{marek.state.family.member_id}"))
    await ana.click(f"member-remove-{marek.state.family.member_id}")
    await ana.click("member-remove-confirm")
    await ana.until(lambda: not ana.has(f"member-{marek.state.family.member_id}"))

    await marek.state.runtime.scheduler.sync_once()
    await marek.until(lambda: marek.state.family.household_id is None)
    assert (
        marek.state.steps.statuses == {} and marek.state.profile.profile is None
    )  # the family's data is gone
    assert marek.has("wizard-lang-en")


async def test_a_change_the_server_refuses_is_undone_and_explained(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.state.runtime.scheduler.sync_once()
    store = ana.state.runtime.store
    # An older app version let a note grow past the server's limit (4096 bytes).
    with store.transaction() as tx:
        stamp = store._write_field(tx, "step_state", "bank_account", "note", "x" * 5000)
        tx.execute(
            "INSERT INTO step_state (item_key, note, note_stamp, updated_at) VALUES (?, ?, ?, '')",
            ("bank_account", "x" * 5000, stamp),
        )
    ana.state.steps.set_status("bankid", "done")  # a good change in the same batch
    await ana.state.runtime.scheduler.sync_once()
    await open_tab(ana, "steps")
    await ana.until(lambda: ana.has("rejected"))
    assert any("Open a Norwegian bank account" in t for t in ana.texts())
    assert "bank_account" not in ana.state.steps.notes  # undone on this phone
    assert ana.state.steps.statuses.get("bankid") == "done" and store.pending_count() == 0
    await ana.click("rejected-close")
    assert not ana.has("rejected") and store.rejections() == []


async def test_a_family_beyond_its_quota_is_told_what_helps(headless, tmp_path):
    with start_live_server(tmp_path, household_max_rows=5) as server:
        ana = await newcomer_sharing(headless, tmp_path / "ana", server)
        await ana.state.runtime.scheduler.sync_once()
        for key in ("bankid", "bank_account", "tax_card", "gp", "letterbox_name", "d_number"):
            ana.state.steps.set_status(key, "done")
        await ana.state.runtime.scheduler.sync_once()
        await open_tab(ana, "steps")
        await ana.until(lambda: ana.has("rejected"))
        banner = " ".join(ana.texts())
        assert "Shorten or delete notes to make room." in banner
        assert "Try it again." not in banner  # trying again cannot help
        assert ana.state.runtime.store.pending_count() == 0  # nothing keeps retrying


async def test_the_owner_cuts_off_a_lost_phone(headless, tmp_path, live_server):
    ana = await newcomer_sharing(headless, tmp_path / "ana", live_server)
    await ana.click("family-invite")
    await ana.until(lambda: ana.has("invite-code"))
    marek = await headless(server_url=live_server, folder=tmp_path / "marek")
    await marek.click("wizard-join")
    await marek.type("join-code", ana.find("invite-code").content.value)
    await marek.click("join-submit")
    await marek.until(lambda: marek.has("timeline"))
    lost = marek.state.family.this_device
    assert not ana.has(f"device-revoke-{ana.state.family.this_device}")  # not your own phone

    await ana.until(lambda: ana.has("sync-now"))
    await ana.click("sync-now")  # one button syncs and re-reads the member list
    await ana.until(lambda: ana.has(f"device-revoke-{lost}"))
    await ana.click(f"device-revoke-{lost}")
    await ana.until(lambda: not ana.has(f"device-revoke-{lost}"))

    await marek.state.runtime.scheduler.sync_once()
    await marek.until(lambda: marek.state.family.household_id is None)
    assert marek.state.steps.statuses == {} and marek.state.runtime.store.get_meta("device_token") is None
