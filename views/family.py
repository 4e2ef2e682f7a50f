"""Family: share the checklist, invite with a QR code / link / typed code, join, leave, remove."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app import theme
from app.state import AppState
from services.i18n import Translator, get_translator
from services.invite_link import qr_png
from views.common import button, error_banner, icon_button, readable, tagged
from views.sync_status import SyncStatusLine


def _heading(text: str) -> ft.Control:
    return ft.Text(text, size=20, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)


def _expiry(t: Translator, expires_at: str) -> str:
    when = datetime.fromisoformat(expires_at.replace("Z", "+00:00")).astimezone()
    return t.gettext("Valid until {date}, {time}. It works once.").format(
        date=t.format_date(when.date()), time=when.strftime("%H:%M")
    )


@ft.component
def NameField(value: str, on_change: object, t: Translator, identifier: str) -> ft.Control:
    return tagged(
        identifier,
        ft.TextField(
            label=t.gettext("Your first name, as your family will see it"),
            max_length=40,
            value=value,
            on_change=on_change,
        ),
    )


@ft.component
def JoinForm(state: AppState) -> ft.Control:
    """Join with the code from a family member's phone (a pasted link works too)."""
    t = get_translator(state.language)
    _ = t.gettext
    name, set_name = ft.use_state("")

    async def join(_e: object = None) -> None:
        await state.join_household(state.join_code, name)

    return ft.Column(
        [
            ft.Text(
                _("Type the code shown on your family member's phone, or open their invitation link."),
                color=theme.ON_SURFACE,
            ),
            tagged(
                "join-code",
                ft.TextField(
                    label=_("Invitation code"),
                    hint_text="ABCD-EFGH-JKMN",
                    value=state.join_code,
                    max_length=80,
                    capitalization=ft.TextCapitalization.CHARACTERS,
                    on_change=lambda e: state.set_join_code(e.control.value or ""),
                ),
            ),
            NameField(name, lambda e: set_name(e.control.value or ""), t, "join-name"),
            button("join-submit", _("Join my family"), None if state.busy else join, icon=ft.Icons.GROUP_ADD),
        ],
        spacing=10,
    )


@ft.component
def JoinView(state: AppState) -> ft.View:
    """First run, for a family member who was invited: join instead of answering the questions."""
    t = get_translator(state.language)
    _ = t.gettext
    body: list[ft.Control] = [
        ft.Text(_("Join your family"), size=22, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)
    ]
    if state.household_id:
        body += [
            ft.ProgressRing(width=24, height=24, semantics_label=_("Loading")),
            ft.Text(_("You joined your family. Their checklist is on its way to this phone.")),
            SyncStatusLine(state),
            button("join-own-answers", _("Answer the questions myself"), state.stop_joining, kind="text"),
        ]
    else:
        body.append(JoinForm(state))
    body.append(error_banner(t, state.family_error))
    return ft.View(
        route="/join",
        can_pop=False,
        appbar=ft.AppBar(
            title=ft.Text(_("Welcome to Nordland")),
            leading=icon_button("join-back", ft.Icons.ARROW_BACK, _("Back"), state.stop_joining),
        ),
        controls=[readable(ft.Column(body, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True))],
        padding=16,
    )


@ft.component
def InviteCard(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    invite = state.invite
    if not invite:
        return ft.Container(height=0)
    return tagged(
        "invite",
        ft.Column(
            [
                ft.Text(_("Scan this code with the other phone's camera:"), color=theme.ON_SURFACE),
                ft.Image(
                    src=qr_png(invite["link"]),
                    width=220,
                    height=220,
                    semantics_label=_("QR code of the invitation link"),
                ),
                ft.Text(_("Or type this code in the app on the other phone:"), color=theme.ON_SURFACE),
                tagged(
                    "invite-code",
                    ft.Text(
                        invite["code"],
                        size=28,
                        weight=ft.FontWeight.BOLD,
                        font_family="monospace",
                        selectable=True,
                        color=theme.ON_SURFACE,
                    ),
                    label=invite["code"],
                ),
                ft.Text(_("Or send this link:"), color=theme.ON_SURFACE),
                tagged("invite-link", ft.Text(invite["link"], selectable=True, color=theme.SEED)),
                ft.Text(_expiry(t, invite["expires_at"]), color=theme.MUTED_TEXT),
            ],
            spacing=8,
        ),
    )


@ft.component
def MemberList(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    confirm, set_confirm = ft.use_state("")
    members = (state.family or {}).get("members", [])
    me = state.member_id
    i_own = any(m["member_id"] == me and m["role"] == "owner" for m in members)
    rows: list[ft.Control] = []
    for m in members:
        name = m["display_name"] or _("(no name)")
        facts = [t.ngettext("{n} phone", "{n} phones", len(m["devices"])).format(n=len(m["devices"]))]
        if m["role"] == "owner":
            facts.insert(0, _("started the family"))
        if m["member_id"] == me:
            facts.insert(0, _("you"))
        tile: list[ft.Control] = [
            ft.Icon(ft.Icons.PERSON, color=theme.SEED),
            ft.Column(
                [
                    ft.Text(name, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
                    ft.Text(" · ".join(facts), color=theme.MUTED_TEXT, size=13),
                ],
                spacing=0,
                expand=True,
            ),
        ]
        if i_own and m["member_id"] != me:
            tile.append(
                icon_button(
                    f"member-remove-{m['member_id']}",
                    ft.Icons.PERSON_REMOVE,
                    _("Remove {name} from the family").format(name=name),
                    lambda _e, mid=m["member_id"]: set_confirm(mid),
                )
            )
        rows.append(tagged(f"member-{m['member_id']}", ft.Row(tile), label=name))
        for d in m["devices"]:
            if d["revoked"]:
                continue
            added = datetime.fromisoformat(str(d["created_at"]).replace("Z", "+00:00")).date()
            label = (
                _("This phone") if d["device_id"] == state.this_device else _("Phone added {date}")
            ).format(date=t.format_date(added))
            device_row: list[ft.Control] = [
                ft.Container(width=32),
                ft.Icon(ft.Icons.SMARTPHONE, color=theme.MUTED_TEXT, size=18),
                ft.Text(label, color=theme.MUTED_TEXT, size=13, expand=True),
            ]
            if i_own and d["device_id"] != state.this_device:

                async def revoke(_e: object = None, did: str = d["device_id"]) -> None:
                    await state.revoke_device(did)

                device_row.append(
                    icon_button(
                        f"device-revoke-{d['device_id']}",
                        ft.Icons.PHONELINK_OFF,
                        _("Lost phone: cut it off from the family"),
                        revoke,
                    )
                )
            rows.append(ft.Row(device_row))
        if confirm == m["member_id"]:

            async def remove(_e: object = None, mid: str = m["member_id"]) -> None:
                set_confirm("")
                await state.remove_member(mid)

            rows.append(
                ft.Column(
                    [
                        ft.Text(
                            _(
                                "Remove {name}? Their phones will no longer show the family's checklist."
                            ).format(name=name),
                            color=theme.OVERDUE_TEXT,
                        ),
                        ft.Row(
                            [
                                button("member-remove-confirm", _("Remove"), remove, kind="outlined"),
                                button(
                                    "member-remove-cancel", _("Cancel"), lambda: set_confirm(""), kind="text"
                                ),
                            ]
                        ),
                    ]
                )
            )
    return ft.Column(rows, spacing=8)


@ft.component
def FamilyTab(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    name, set_name = ft.use_state("")
    leaving, set_leaving = ft.use_state(False)
    rows: list[ft.Control] = []
    if not state.household_id:

        async def create(_e: object = None) -> None:
            await state.create_household(name)

        rows += [
            _heading(_("Share your checklist with your family")),
            ft.Text(
                _(
                    "Your partner can follow and tick the same steps on their own phone. Only your "
                    "family sees it; it stays on this phone until you start sharing."
                ),
                color=theme.ON_SURFACE,
            ),
            NameField(name, lambda e: set_name(e.control.value or ""), t, "family-name"),
            button("family-create", _("Start sharing"), None if state.busy else create, icon=ft.Icons.GROUP),
            error_banner(t, state.family_error),
            _heading(_("Join your family")),
            JoinForm(state),
        ]
    else:

        async def invite(_e: object = None) -> None:
            await state.make_invite()

        async def refresh(_e: object = None) -> None:
            await state.refresh_family()

        async def leave(_e: object = None) -> None:
            set_leaving(False)
            await state.leave_household()

        rows += [
            SyncStatusLine(state),
            error_banner(t, state.family_error),
            ft.Row(
                [
                    ft.Container(_heading(_("Your family")), expand=True),
                    icon_button("family-refresh", ft.Icons.REFRESH, _("Refresh"), refresh),
                ]
            ),
            MemberList(state),
            button(
                "family-invite", _("Invite someone"), None if state.busy else invite, icon=ft.Icons.QR_CODE
            ),
            InviteCard(state),
            ft.Divider(),
        ]
        if leaving:
            rows += [
                ft.Text(
                    _("Leave the family? The shared checklist is removed from this phone."),
                    color=theme.OVERDUE_TEXT,
                ),
                ft.Row(
                    [
                        button("family-leave-confirm", _("Leave"), leave, kind="outlined"),
                        button("family-leave-cancel", _("Cancel"), lambda: set_leaving(False), kind="text"),
                    ]
                ),
            ]
        else:
            rows.append(button("family-leave", _("Leave the family"), lambda: set_leaving(True), kind="text"))
    return tagged("family", ft.Column(rows, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True))
