"""Family sharing and sync: the household, its members and phones, invitations, joining, and what
the sync status line says. Server calls run off the UI thread; a failure becomes an error code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import flet as ft

from app.state.navigation import Navigation
from app.state.runtime import Runtime, call_server
from services.dates import parse_timestamp
from services.i18n import N_
from services.invite_link import code_from_text
from services.store import MAX_NAME_LENGTH
from services.sync_scheduler import NOT_SET_UP, SyncStatus

Hook = Callable[[], None]


@ft.observable
@dataclass
class FamilyState:
    """What the Family screen and the sync status line show."""

    runtime: Runtime = field(repr=False)
    nav: Navigation = field(repr=False)
    sync_status: SyncStatus = field(default_factory=lambda: SyncStatus(NOT_SET_UP))
    household_id: str | None = None
    member_id: str | None = None
    family: dict | None = None  # members, phones and open invites, as the server last described them
    invite: dict | None = None  # the invitation on screen (code, link, expiry)
    error: str | None = None  # a code from views/messages.py
    busy: bool = False
    join_code: str = ""  # typed, or filled in from an invitation link
    # Set by AppState: what else changes when this phone joins or leaves a household.
    _on_joined: Hook | None = field(default=None, repr=False)
    _on_left: Hook | None = field(default=None, repr=False)

    def load(self) -> None:
        store = self.runtime.store
        assert store is not None
        self.household_id = store.get_meta("household_id")
        self.member_id = store.get_meta("member_id")
        self.family = json.loads(store.get_meta("family") or "null")  # last known, for offline

    # --- plumbing ----------------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """One server call off the UI thread (`call_server`); a phone the server no longer knows
        drops the family's data."""
        self.nav.clear_notice()
        answer = await call_server(self, fn, *args)
        if self.error in ("removed", "unauthenticated"):
            self.left_household()
        return answer

    def _valid_name(self, name: str) -> str | None:
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:
            self.error = "name_too_long"
            return None
        return name

    def _joined(self, result: dict[str, Any], name: str) -> None:
        store = self.runtime.store
        assert store is not None
        store.set_meta("household_id", result["household_id"])
        store.set_meta("member_id", result["member_id"])
        store.set_device_name(name)
        self.household_id, self.member_id = result["household_id"], result["member_id"]

    # --- starting, joining, leaving --------------------------------------------------------------

    async def create_household(self, name: str) -> None:
        """Start sharing: this phone's checklist becomes the family's, and this person its owner."""
        valid = self._valid_name(name)
        if valid is None:
            return
        result = await self._call(self.runtime.sync_client().create_household, valid)
        if result:
            assert self.runtime.store is not None
            self.runtime.store.share_profile()
            self._joined(result, valid)
            self.nav.say(N_("Family sharing is on. Invite your family with a code."))
            self.runtime.sync_soon()
            await self.refresh()

    def set_join_code(self, code: str) -> None:
        self.join_code = code

    def start_joining(self, code: str = "") -> None:
        """First run: 'I have a code from my family' instead of answering the questions."""
        self.nav.joining = True
        self.join_code = code or self.join_code
        self.error = None

    def stop_joining(self) -> None:
        self.nav.joining = False
        self.error = None

    async def join(self, code: str, name: str) -> None:
        """Join with a typed code or a link; the family's checklist and profile come with the next sync."""
        if self.household_id:
            self.error = "already_in_household"
            return
        valid = self._valid_name(name)
        if valid is None:
            return
        parsed = code_from_text(code)
        if parsed is None:
            self.error = "not_a_code"
            return
        result = await self._call(self.runtime.sync_client().join, parsed, valid)
        if result:
            assert self.runtime.store is not None
            self.runtime.store.yield_profile_to_household()
            self._joined(result, valid)
            self.join_code = ""
            self.nav.say(N_("You joined your family. Their checklist is on its way to this phone."))
            if self.runtime.scheduler is not None:
                await self.runtime.scheduler.sync_once()
            await self.refresh()
            if self._on_joined is not None:
                self._on_joined()

    async def leave(self) -> None:
        if self.member_id:
            await self.remove_member(self.member_id)

    async def remove_member(self, member_id: str) -> None:
        """Owner: remove someone (their phones drop the shared checklist on their next sync)."""
        await self._call(self.runtime.sync_client().remove_member, member_id)
        if self.error:
            return
        if member_id == self.member_id:
            self.left_household()
            self.nav.say(N_("You left the family. Your own answers stay on this phone."))
        else:
            await self.refresh()

    async def revoke_device(self, device_id: str) -> None:
        """Owner: a family member lost a phone; it stops syncing at once and wipes on contact."""
        await self._call(self.runtime.sync_client().revoke_device, device_id)
        if not self.error:
            self.nav.say(N_("That phone can no longer see the family's checklist."))
            await self.refresh()

    async def revoke_invite(self, invite_id: str) -> None:
        """Withdraw an open invitation: its code and link stop working at once."""
        await self._call(self.runtime.sync_client().revoke_invite, invite_id)
        if self.error:
            return
        if self.invite and self.invite.get("invite_id") == invite_id:
            self.invite = None
        await self.refresh()
        self.nav.say(N_("The invitation was withdrawn. Its code no longer works."))

    async def set_invites_by(self, who: str) -> None:
        """Owner: who may invite ("members" or "owner")."""
        await self._call(self.runtime.sync_client().set_invites_by, who)
        if not self.error:
            await self.refresh()

    def left_household(self) -> None:
        """This phone is out of the family (left, removed or cut off): the family's data goes."""
        store = self.runtime.store
        assert store is not None
        store.wipe_household_data()
        for key in ("household_id", "member_id", "family"):
            store.delete_meta(key)
        self.household_id = self.member_id = None
        self.family = self.invite = None
        self.sync_status = SyncStatus(NOT_SET_UP)
        if self._on_left is not None:
            self._on_left()

    # --- members and invitations ----------------------------------------------------------------

    async def refresh(self) -> None:
        """Members, phones and open invitations as the server knows them now."""
        if not self.household_id:
            return
        family = await self._call(self.runtime.sync_client().describe_household)
        if family and self.runtime.store is not None:
            self.family = family
            self.runtime.store.set_meta("family", json.dumps({"members": family["members"]}, default=str))
            self._drop_spent_invite()

    async def sync_now(self) -> None:
        """The person asked for fresh news: sync the checklist and re-read who is in the family."""
        self.runtime.sync_soon()
        await self.refresh()

    def _drop_spent_invite(self) -> None:
        """An invitation that was used or has expired is no longer shown ("It works once")."""
        invite = self.invite
        if invite is None:
            return
        open_ids = {i["invite_id"] for i in (self.family or {}).get("open_invites", [])}
        expired = parse_timestamp(invite["expires_at"]) <= datetime.now(UTC)
        if expired or ("open_invites" in (self.family or {}) and invite.get("invite_id") not in open_ids):
            self.invite = None
            if not expired:
                self.nav.say(N_("Your invitation was used. The new family member is listed here."))

    async def make_invite(self) -> None:
        """A new single-use invitation: QR code, link and typed code, valid for 72 hours."""
        invite = await self._call(self.runtime.sync_client().create_invite)
        if invite:
            self.invite = invite
            await self.refresh()  # listed with the other open invitations, withdrawable

    def member_name(self, member_id: str) -> str:
        for member in (self.family or {}).get("members", []):
            if member["member_id"] == member_id:
                return member["display_name"]
        return ""

    @property
    def this_device(self) -> str | None:
        store = self.runtime.store
        return store.get_meta("server_device_id") if store else None

    @property
    def i_own(self) -> bool:
        return any(
            m["member_id"] == self.member_id and m["role"] == "owner"
            for m in (self.family or {}).get("members", [])
        )
