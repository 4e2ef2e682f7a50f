"""Family: share the checklist, invite with a QR code / link / typed code, join, leave, remove."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.employer_case import EmployerCaseState
from app.state.family import FamilyState
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from services.dates import parse_timestamp
from services.i18n import Translator
from services.invite_link import qr_png
from views.common import (
    button,
    card,
    checkbox,
    code_display,
    code_field,
    confirm_buttons,
    error_banner,
    heading,
    icon_button,
    screen,
    tagged,
    text_field,
    use_t,
    welcome_view,
)
from views.employer_case import EmployerSection
from views.sync_status import SyncStatusLine


def expiry_text(t: Translator, expires_at: str) -> str:
    when = parse_timestamp(expires_at).astimezone()
    return t.gettext("Valid until {date}, {time}. It works once.").format(
        date=t.format_date(when.date()), time=when.strftime("%H:%M")
    )


def name_field(t: Translator, identifier: str, value: str, on_value: object) -> ft.Control:
    return text_field(
        identifier, t.gettext("Your first name, as your family will see it"), value, on_value, max_length=40
    )


@ft.component
def JoinForm(family: FamilyState) -> ft.Control:
    """Join with the code from a family member's phone (a pasted link works too)."""
    t = use_t()
    _ = t.gettext
    name, set_name = ft.use_state("")

    async def join(_e: object = None) -> None:
        await family.join(family.join_code, name)

    return ft.Column(
        [
            ft.Text(
                _("Type the code shown on your family member's phone, or open their invitation link."),
                color=theme.ON_SURFACE,
            ),
            code_field("join-code", _("Invitation code"), family.join_code, family.set_join_code),
            name_field(t, "join-name", name, set_name),
            button(
                "join-submit", _("Join my family"), None if family.busy else join, icon=ft.Icons.GROUP_ADD
            ),
        ],
        spacing=10,
    )


@ft.component
def JoinView(family: FamilyState, nav: Navigation) -> ft.View:
    """First run, for a family member who was invited: join instead of answering the questions."""
    t = use_t()
    _ = t.gettext
    body: list[ft.Control] = [heading(_("Join your family"), size=22)]
    if family.household_id:
        body += [
            ft.ProgressRing(width=24, height=24, semantics_label=_("Loading")),
            ft.Text(
                _("You joined your family. Their checklist is on its way to this phone."),
                color=theme.ON_SURFACE,
            ),
            SyncStatusLine(family),
            button("join-own-answers", _("Answer the questions myself"), family.stop_joining, kind="text"),
        ]
    else:
        body.append(JoinForm(family))
    body.append(error_banner(t, family.error))
    return welcome_view("/join", "join", body, ("join-back", family.stop_joining), t)


def invite_card(t: Translator, invite: dict | None) -> ft.Control:
    _ = t.gettext
    if not invite:
        return ft.Container(height=0)
    code = invite["code"]
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
                code_display("invite-code", code, _("Invitation code: {code}")),
                ft.Text(_("Or send this link:"), color=theme.ON_SURFACE),
                tagged(
                    "invite-link",
                    ft.Container(
                        ft.Text(invite["link"], selectable=True, color=theme.SEED),
                        height=48,
                        alignment=ft.Alignment.CENTER_LEFT,
                    ),
                    label=_("Invitation link: {link}").format(link=invite["link"]),
                ),
                ft.Text(expiry_text(t, invite["expires_at"]), color=theme.MUTED_TEXT),
            ],
            spacing=8,
        ),
    )


@ft.component
def MemberList(family: FamilyState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    confirm, set_confirm = ft.use_state("")
    members = (family.family or {}).get("members", [])
    me, i_own = family.member_id, family.i_own
    rows: list[ft.Control] = []
    for m in members:
        name = m["display_name"] or _("(no name)")
        phones = [d for d in m["devices"] if not d["revoked"]]
        facts = [t.ngettext("{n} phone", "{n} phones", len(phones)).format(n=len(phones))]
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
        for d in phones:
            added = parse_timestamp(d["created_at"]).date()
            label = (
                _("This phone") if d["device_id"] == family.this_device else _("Phone added {date}")
            ).format(date=t.format_date(added))
            device_row: list[ft.Control] = [
                ft.Container(width=32),
                ft.Icon(ft.Icons.SMARTPHONE, color=theme.MUTED_TEXT, size=18),
                ft.Text(label, color=theme.MUTED_TEXT, size=13, expand=True),
            ]
            if i_own and d["device_id"] != family.this_device:

                async def revoke(_e: object = None, did: str = d["device_id"]) -> None:
                    await family.revoke_device(did)

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
                await family.remove_member(mid)

            rows.append(
                ft.Column(
                    [
                        ft.Text(
                            _(
                                "Remove {name}? Their phones will no longer show the family's checklist."
                            ).format(name=name),
                            color=theme.OVERDUE_TEXT,
                        ),
                        confirm_buttons("member-remove", _("Remove"), remove, lambda: set_confirm(""), t),
                    ]
                )
            )
    return ft.Column(rows, spacing=8)


@ft.component
def OpenInvites(family: FamilyState) -> ft.Control:
    """The invitations not used yet: who made each and until when it works; each can be
    withdrawn (your own, or any as the owner). The owner chooses who may invite."""
    t = use_t()
    _ = t.gettext
    known = family.family or {}
    owner = family.i_own
    rows: list[ft.Control] = []
    open_invites = known.get("open_invites", [])
    if open_invites:
        rows.append(heading(_("Open invitations"), size=16))
    for invite in open_invites:
        iid = invite["invite_id"]
        by = family.member_name(invite.get("created_by") or "") or _("a family member")

        async def withdraw(_e: object = None, invite_id: str = iid) -> None:
            await family.revoke_invite(invite_id)

        mine = invite.get("created_by") == family.member_id
        line = _("Made by {name}, works until {date}").format(
            name=by, date=t.format_date(parse_timestamp(invite["expires_at"]).date())
        )
        controls: list[ft.Control] = [ft.Text(line, color=theme.ON_SURFACE)]
        if mine or owner:
            controls.append(
                button(
                    f"invite-withdraw-{iid[:8]}",
                    _("Withdraw"),
                    None if family.busy else withdraw,
                    kind="text",
                )
            )
        rows.append(card(f"open-invite-{iid[:8]}", controls))
    if owner:
        only_owner = known.get("invites_by") == "owner"

        async def toggle(_e: object = None) -> None:
            await family.set_invites_by("members" if only_owner else "owner")

        rows.append(
            checkbox(
                "family-only-owner-invites",
                _("Only I can invite new family members"),
                only_owner,
                toggle,
                subtitle=_("Turning this on withdraws the others' open invitations."),
            )
        )
    return ft.Column(rows, spacing=8)


@ft.component
def FamilyTab(family: FamilyState, employer_case: EmployerCaseState, hosts: HostsState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    name, set_name = ft.use_state("")
    leaving, set_leaving = ft.use_state(False)
    rows: list[ft.Control] = []
    if not family.household_id:

        async def create(_e: object = None) -> None:
            await family.create_household(name)

        rows += [
            heading(_("Share your checklist with your family")),
            ft.Text(
                _(
                    "Your partner can follow and tick the same steps on their own phone. Only your "
                    "family sees it; it stays on this phone until you start sharing."
                ),
                color=theme.ON_SURFACE,
            ),
            name_field(t, "family-name", name, set_name),
            button("family-create", _("Start sharing"), None if family.busy else create, icon=ft.Icons.GROUP),
            error_banner(t, family.error),
            heading(_("Join your family")),
            JoinForm(family),
            ft.Divider(),
            EmployerSection(employer_case, hosts, key=f"employer-{employer_case.pending_code}"),
        ]
        return screen("family", rows)

    async def invite(_e: object = None) -> None:
        await family.make_invite()

    async def leave(_e: object = None) -> None:
        set_leaving(False)
        await family.leave()

    rows += [
        SyncStatusLine(family),
        error_banner(t, family.error),
        heading(_("Your family")),
        MemberList(family),
        button("family-invite", _("Invite someone"), None if family.busy else invite, icon=ft.Icons.QR_CODE)
        if family.i_own or (family.family or {}).get("invites_by") != "owner"
        else ft.Text(_("In your family, only the person who started it can invite."), color=theme.MUTED_TEXT),
        invite_card(t, family.invite),
        OpenInvites(family, key="open-invites"),
        ft.Divider(),
        EmployerSection(employer_case, hosts, key=f"employer-{employer_case.pending_code}"),
        ft.Divider(),
    ]
    if leaving:
        rows += [
            ft.Text(
                _("Leave the family? The shared checklist is removed from this phone."),
                color=theme.OVERDUE_TEXT,
            ),
            confirm_buttons("family-leave", _("Leave"), leave, lambda: set_leaving(False), t),
        ]
    else:
        rows.append(button("family-leave", _("Leave the family"), lambda: set_leaving(True), kind="text"))
    return screen("family", rows)
