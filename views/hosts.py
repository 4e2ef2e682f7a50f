"""The Hosts tab: meet a certified local host (newcomers), host mode, and the coordinator's tools.
A section switch on top, the inbox under it; everything shown was cached for offline reading."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.family import FamilyState
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from services.host_wire import INTERESTS, SPOKEN_LANGUAGES
from services.i18n import Translator
from services.nordhub_wire import EMPLOYER_MESSAGE
from views.common import (
    button,
    card,
    checkbox,
    chip_group,
    choice,
    error_banner,
    heading,
    icon_button,
    screen,
    tagged,
    text_field,
    toggled,
    use_t,
)
from views.coordinator import CoordinatorSection
from views.employer_case import employer_message
from views.host_mode import HostModeSection
from views.superhost_text import INBOX_LABELS, INTEREST_LABELS, TIME_CHOICES, municipality_name, reason_text
from views.visit_card import VisitCard


def language_chips(t: Translator, prefix: str, chosen: list[str], set_chosen: object) -> ft.Control:
    """Languages to pick, in the order picked (the first is the preferred one)."""
    options = [(code, t.language_name(code)) for code in SPOKEN_LANGUAGES]
    return chip_group(f"{prefix}-lang", options, chosen, lambda code: set_chosen(toggled(chosen, code)))


def interest_chips(t: Translator, prefix: str, chosen: list[str], set_chosen: object) -> ft.Control:
    options = [(code, t.gettext(INTEREST_LABELS[code])) for code in INTERESTS]
    return chip_group(f"{prefix}-interest", options, chosen, lambda code: set_chosen(toggled(chosen, code)))


def time_chips(t: Translator, prefix: str, slots: int, set_slots: object) -> ft.Control:
    """When one is free: each choice is a set of weekly slots (bits)."""
    bits = {key: b for key, (_label, b) in TIME_CHOICES.items()}
    chosen = [key for key, b in bits.items() if slots & b == b]
    options = [(key, t.gettext(label)) for key, (label, _b) in TIME_CHOICES.items()]

    def toggle(key: str) -> None:
        b = bits[key]
        set_slots(slots & ~b if slots & b == b else slots | b)

    return chip_group(f"{prefix}-time", options, chosen, toggle)


def inbox_line(t: Translator, item: dict) -> list[ft.Control]:
    """One inbox message in the reader's language (an employer's note as the employer wrote it)."""
    if item["kind"] == EMPLOYER_MESSAGE and item.get("message"):
        return employer_message(t, item["message"])
    return [ft.Text(t.gettext(INBOX_LABELS.get(item["kind"], item["kind"])), color=theme.ON_SURFACE)]


@ft.component
def InboxCard(hosts: HostsState) -> ft.Control:
    """New messages (the reliable channel for both sides), newest first."""
    t = use_t()
    _ = t.gettext
    if not hosts.inbox:
        return ft.Container(height=0)
    unread = [m for m in hosts.inbox if not m.get("read")]
    shown = (unread or hosts.inbox)[-5:][::-1]

    async def mark(_e: object = None) -> None:
        await hosts.mark_inbox_read()

    title = (
        t.ngettext("{n} new message", "{n} new messages", len(unread)).format(n=len(unread))
        if unread
        else _("Messages")
    )
    lines: list[ft.Control] = [heading(title, size=16)]
    lines += [
        ft.Row(
            [
                ft.Icon(ft.Icons.MAIL if not m.get("read") else ft.Icons.DRAFTS, color=theme.SEED, size=18),
                ft.Column(inbox_line(t, m), spacing=2, expand=True),
            ]
        )
        for m in shown
    ]
    if unread:
        lines.append(button("inbox-read", _("Mark as read"), mark, kind="text"))
    return tagged(
        "inbox",
        ft.Container(
            content=ft.Column(lines, spacing=6), bgcolor=theme.NEXT_BG, padding=12, border_radius=12
        ),
    )


@ft.component
def SeekerForm(hosts: HostsState, family: FamilyState) -> ft.Control:
    """What hosts may know about the family (first name, languages, interests), nothing more."""
    t = use_t()
    _ = t.gettext
    what_hosts_see = _(
        "What hosts see: before they accept, your first name, municipality, languages, how many you "
        "are and your message; after they accept, also your interests and your children's age "
        "groups. Never your children's names or exact ages, your employer or your arrival date."
    )
    known = hosts.seeker or {}
    first_name, set_first_name = ft.use_state(
        known.get("first_name") or family.member_name(family.member_id or "")
    )
    languages, set_languages = ft.use_state(list(known.get("languages") or [t.code]))
    interests, set_interests = ft.use_state(list(known.get("interests") or []))
    occupation, set_occupation = ft.use_state(known.get("occupation") or "")
    slots, set_slots = ft.use_state(int(known.get("availability") or 0))
    consent, set_consent = ft.use_state(bool(known))

    async def save(_e: object = None) -> None:
        await hosts.save_seeker(first_name, languages, interests, occupation, slots, consent)

    defaults = hosts.seeker_defaults()
    place = municipality_name(defaults["municipality"]) or _("(choose it in Settings)")
    return ft.Column(
        [
            ft.Text(
                _("A certified local host can welcome you in your first days and show you the place."),
                color=theme.ON_SURFACE,
            ),
            ft.Text(what_hosts_see, color=theme.ON_SURFACE),
            ft.Text(
                t.ngettext(
                    "{place} · {count} person", "{place} · {count} people", defaults["party_size"]
                ).format(place=place, count=defaults["party_size"]),
                color=theme.MUTED_TEXT,
            ),
            text_field(
                "seeker-first-name",
                _("First name the host can greet"),
                first_name,
                set_first_name,
                max_length=40,
            ),
            ft.Text(
                _("Languages you speak (the first you pick is your preferred one)"), color=theme.ON_SURFACE
            ),
            language_chips(t, "seeker", languages, set_languages),
            ft.Text(_("What you like (optional)"), color=theme.ON_SURFACE),
            interest_chips(t, "seeker", interests, set_interests),
            text_field(
                "seeker-occupation",
                _("Your line of work (optional)"),
                occupation,
                set_occupation,
                max_length=60,
            ),
            ft.Text(_("When you are free (optional)"), color=theme.ON_SURFACE),
            time_chips(t, "seeker", slots, set_slots),
            checkbox(
                "seeker-consent",
                _("I agree that Ny i Nordland uses this profile to find us a host"),
                consent,
                lambda: set_consent(not consent),
                subtitle=_("You can withdraw at any time: the profile is then deleted."),
            ),
            button(
                "seeker-save", _("Show hosts who fit"), None if hosts.busy else save, icon=ft.Icons.SEARCH
            ),
        ],
        spacing=10,
    )


@ft.component
def HostSuggestion(hosts: HostsState, host: dict) -> ft.Control:
    t = use_t()
    _ = t.gettext
    asking, set_asking = ft.use_state(False)
    message, set_message = ft.use_state("")
    hid = host["host_id"]

    async def send(_e: object = None) -> None:
        if await hosts.request_visit(hid, message):
            set_asking(False)

    langs = t.format_list([t.language_name(c) for c in host["languages"]])
    tags: list[ft.Control] = [heading(host["first_name"], size=18)]
    if host.get("recommended"):
        tags.append(ft.Text(_("Recommended for you"), color=theme.DONE_TEXT))
    if host.get("demo"):
        tags.append(ft.Text(_("Demo host"), color=theme.MUTED_TEXT, italic=True))
    rows: list[ft.Control] = [
        ft.Row(tags, wrap=True),
        ft.Text(
            _("{place} · speaks {languages}").format(
                place=municipality_name(host["municipality"]), languages=langs
            ),
            color=theme.MUTED_TEXT,
        ),
    ]
    if host.get("introduction"):
        rows.append(ft.Text(host["introduction"], color=theme.ON_SURFACE, selectable=True))
    rows += [
        ft.Row(
            [
                ft.Icon(ft.Icons.CHECK, color=theme.DONE_TEXT, size=18),
                ft.Text(r, color=theme.ON_SURFACE, expand=True),
            ]
        )
        for r in (reason_text(t, reason) for reason in host.get("reasons", []))
        if r
    ]
    if asking:
        rows += [
            text_field(
                f"suggest-message-{hid}",
                _("A short message to {name}").format(name=host["first_name"]),
                message,
                set_message,
                max_length=500,
                multiline=True,
            ),
            ft.Row(
                [
                    button(
                        f"suggest-send-{hid}",
                        _("Send request"),
                        None if hosts.busy else send,
                        icon=ft.Icons.SEND,
                    ),
                    button(f"suggest-cancel-{hid}", _("Cancel"), lambda: set_asking(False), kind="text"),
                ],
                wrap=True,
            ),
        ]
    else:
        rows.append(
            button(f"suggest-ask-{hid}", _("Ask for a visit"), lambda: set_asking(True), kind="outlined")
        )
    return card(f"suggest-{hid}", rows, spacing=6)


def meeting_place(t: Translator, event: dict) -> ft.Control:
    """A language café or theme evening offered while no host is free."""
    _ = t.gettext
    kind = _("Language café") if event["kind"] == "language_cafe" else _("Theme evening")
    if event.get("uncertain"):
        note = ft.Text(
            _("Not confirmed: ask the organiser whether and when it takes place."), color=theme.UNCERTAIN_TEXT
        )
    else:
        note = ft.Text(_("Ask the organiser for the next date."), color=theme.MUTED_TEXT)
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(f"{event['title']} — {kind}", weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
                ft.Text(event["organiser"], color=theme.MUTED_TEXT),
                note,
            ],
            spacing=2,
        ),
        bgcolor=theme.UNCERTAIN_BG if event.get("uncertain") else theme.NEXT_BG,
        padding=10,
        border_radius=8,
    )


@ft.component
def FindHostSection(hosts: HostsState, family: FamilyState, nav: Navigation) -> ft.Control:
    t = use_t()
    _ = t.gettext
    if not family.household_id:
        return ft.Column(
            [
                ft.Text(
                    _(
                        "To meet a host, this phone connects your household to the Ny i Nordland server. "
                        "Start family sharing first."
                    ),
                    color=theme.ON_SURFACE,
                ),
                button("hosts-to-family", _("Go to Family"), lambda: nav.open_tab("family"), kind="outlined"),
            ],
            spacing=10,
        )
    if hosts.seeker is None:
        return SeekerForm(hosts, family)
    rows: list[ft.Control] = [heading(_("Hosts who fit your family"))]
    suggested = (hosts.suggestions or {}).get("hosts", [])
    rows += [HostSuggestion(hosts, h, key=f"c-suggest-{h['host_id']}") for h in suggested]
    waitlist = (hosts.suggestions or {}).get("waitlist")
    if not suggested and not waitlist:
        rows.append(
            tagged(
                "suggestions-asked",
                ft.Text(
                    _("You have asked a host. If they cannot meet you, more hosts are suggested here."),
                    color=theme.ON_SURFACE,
                ),
            )
        )
    elif not suggested:
        rows.append(
            tagged(
                "waitlist",
                ft.Text(
                    _(
                        "No host is free near you right now. You are on the waiting list; "
                        "we tell you here as soon as a host is free. "
                        "Meanwhile, these meeting places welcome newcomers:"
                    ),
                    color=theme.ON_SURFACE,
                ),
            )
        )
        rows += [meeting_place(t, event) for event in (waitlist or {}).get("events", [])]

    async def withdraw(_e: object = None) -> None:
        await hosts.withdraw_seeker()

    rows += [
        button("seeker-edit", _("Change what hosts know about us"), hosts.edit_seeker, kind="text"),
        ft.Text(
            _("Stop looking for a host? Your family's profile for hosts is then deleted."),
            color=theme.MUTED_TEXT,
        ),
        button(
            "seeker-withdraw",
            _("Delete profile"),
            None if hosts.busy else withdraw,
            icon=ft.Icons.DELETE_OUTLINE,
            kind="text",
        ),
    ]
    if hosts.visits:
        rows.append(heading(_("Your visits")))
        rows += [VisitCard(hosts, v, "newcomer", nav, key=f"c-visit-{v['request_id']}") for v in hosts.visits]
    return ft.Column(rows, spacing=10)


@ft.component
def HostsTab(hosts: HostsState, family: FamilyState, nav: Navigation) -> ft.Control:
    t = use_t()
    _ = t.gettext
    sections = [("find", _("Meet a host")), ("host", _("Be a host"))]
    if hosts.is_coordinator:
        sections.append(("coordinator", _("Coordinator")))

    async def refresh(_e: object = None) -> None:
        await hosts.refresh()

    switch = ft.Row(
        [
            ft.Container(
                choice(
                    f"hosts-section-{key}",
                    label,
                    hosts.section == key,
                    lambda _e=None, k=key: hosts.select_section(k),
                    compact=True,
                ),
                expand=True,
            )
            for key, label in sections
        ]
        + [icon_button("hosts-refresh", ft.Icons.REFRESH, _("Refresh"), refresh)],
        spacing=6,
    )
    shown = hosts.section if hosts.section in ("find", "host") or hosts.is_coordinator else "find"
    # Keyed, so that a banner appearing above never resets the forms inside.
    if shown == "find":
        section = FindHostSection(hosts, family, nav, key="section-find")
    elif shown == "host":
        section = HostModeSection(hosts, nav, key="section-host")
    else:
        section = CoordinatorSection(hosts, key="section-coordinator")
    return screen(
        "hosts", [switch, InboxCard(hosts, key="inbox-card"), error_banner(t, hosts.error), section]
    )
