"""The Hosts tab: meet a certified local host (newcomers), host mode, and the coordinator's tools.
A section switch on top, the inbox under it; everything shown was cached for offline reading."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from services.host_wire import INTERESTS, SPOKEN_LANGUAGES
from services.i18n import Translator, get_translator
from views.common import button, card, error_banner, tagged, text_input
from views.coordinator import CoordinatorSection
from views.host_mode import HostModeSection
from views.superhost_text import INBOX_LABELS, INTEREST_LABELS, TIME_CHOICES, municipality_name, reason_text
from views.visit_card import VisitCard


def heading(text: str) -> ft.Control:
    return ft.Text(text, size=20, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)


def chip(identifier: str, text: str, selected: bool, on_toggle: object) -> ft.Control:
    return tagged(
        identifier,
        ft.Chip(
            label=ft.Text(text),
            tooltip=text,
            selected=selected,
            on_select=lambda _e: on_toggle(),
            height=theme.MIN_TAP,
        ),
        label=text,
    )


def language_chips(t: Translator, prefix: str, chosen: list[str], set_chosen: object) -> ft.Control:
    """Languages to pick, in the order picked (the first is the preferred one)."""

    def toggle(code: str) -> None:
        set_chosen([c for c in chosen if c != code] if code in chosen else [*chosen, code])

    return ft.Row(
        [
            chip(f"{prefix}-lang-{code}", t.language_name(code), code in chosen, lambda c=code: toggle(c))
            for code in SPOKEN_LANGUAGES
        ],
        wrap=True,
        spacing=6,
        run_spacing=6,
    )


def interest_chips(t: Translator, prefix: str, chosen: list[str], set_chosen: object) -> ft.Control:
    def toggle(code: str) -> None:
        set_chosen([c for c in chosen if c != code] if code in chosen else [*chosen, code])

    return ft.Row(
        [
            chip(
                f"{prefix}-interest-{code}",
                t.gettext(INTEREST_LABELS[code]),
                code in chosen,
                lambda c=code: toggle(c),
            )
            for code in INTERESTS
        ],
        wrap=True,
        spacing=6,
        run_spacing=6,
    )


def time_chips(t: Translator, prefix: str, slots: int, set_slots: object) -> ft.Control:
    def toggle(bits: int) -> None:
        set_slots(slots & ~bits if slots & bits == bits else slots | bits)

    return ft.Row(
        [
            chip(f"{prefix}-time-{key}", t.gettext(label), slots & bits == bits, lambda b=bits: toggle(b))
            for key, (label, bits) in TIME_CHOICES.items()
        ],
        wrap=True,
        spacing=6,
    )


@ft.component
def InboxCard(state: AppState) -> ft.Control:
    """New messages (the reliable channel for both sides), newest first."""
    t = get_translator(state.language)
    _ = t.gettext
    if not state.inbox:
        return ft.Container(height=0)
    unread = [m for m in state.inbox if not m.get("read")]
    shown = (unread or state.inbox)[-5:][::-1]

    async def mark(_e: object = None) -> None:
        await state.mark_inbox_read()

    title = (
        t.ngettext("{n} new message", "{n} new messages", len(unread)).format(n=len(unread))
        if unread
        else _("Messages")
    )
    lines: list[ft.Control] = [ft.Text(title, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)]
    lines += [
        ft.Row(
            [
                ft.Icon(ft.Icons.MAIL if not m.get("read") else ft.Icons.DRAFTS, color=theme.SEED, size=18),
                ft.Text(_(INBOX_LABELS.get(m["kind"], m["kind"])), color=theme.ON_SURFACE, expand=True),
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
def SeekerForm(state: AppState) -> ft.Control:
    """What hosts may know about the family (first name, languages, interests), nothing more."""
    t = get_translator(state.language)
    _ = t.gettext
    known = state.seeker or {}
    first_name, set_first_name = ft.use_state(
        known.get("first_name") or state.member_name(state.member_id or "")
    )
    languages, set_languages = ft.use_state(list(known.get("languages") or [state.language]))
    interests, set_interests = ft.use_state(list(known.get("interests") or []))
    occupation, set_occupation = ft.use_state(known.get("occupation") or "")
    slots, set_slots = ft.use_state(int(known.get("availability") or 0))

    async def save(_e: object = None) -> None:
        await state.save_seeker(first_name, languages, interests, occupation, slots)

    defaults = state.seeker_defaults()
    place = municipality_name(defaults["municipality"]) or _("(choose it in Settings)")
    return ft.Column(
        [
            ft.Text(
                _(
                    "A certified local host can welcome you in your first days and show you the place. "
                    "Hosts see your first name, municipality, languages and how many you are — "
                    "never your children's details, your employer or your arrival date."
                ),
                color=theme.ON_SURFACE,
            ),
            ft.Text(
                t.ngettext(
                    "{place} · {count} person", "{place} · {count} people", defaults["party_size"]
                ).format(place=place, count=defaults["party_size"]),
                color=theme.MUTED_TEXT,
            ),
            text_input(
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
            text_input(
                "seeker-occupation",
                _("Your line of work (optional)"),
                occupation,
                set_occupation,
                max_length=60,
            ),
            ft.Text(_("When you are free (optional)"), color=theme.ON_SURFACE),
            time_chips(t, "seeker", slots, set_slots),
            button(
                "seeker-save",
                _("Show hosts who fit"),
                None if state.hosts_busy else save,
                icon=ft.Icons.SEARCH,
            ),
        ],
        spacing=10,
    )


@ft.component
def HostSuggestion(state: AppState, host: dict) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    asking, set_asking = ft.use_state(False)
    message, set_message = ft.use_state("")
    hid = host["host_id"]

    async def send(_e: object = None) -> None:
        await state.request_visit(hid, message)
        set_asking(False)

    langs = t.format_list([t.language_name(c) for c in host["languages"]])
    rows: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(host["first_name"], size=18, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
                ft.Text(_("Recommended for you"), color=theme.DONE_TEXT)
                if host.get("recommended")
                else ft.Container(),
                ft.Text(_("Demo host"), color=theme.MUTED_TEXT, italic=True)
                if host.get("demo")
                else ft.Container(),
            ],
            wrap=True,
        ),
        ft.Text(
            _("{place} · speaks {languages}").format(
                place=municipality_name(host["municipality"]), languages=langs
            ),
            color=theme.MUTED_TEXT,
        ),
    ]
    if host.get("introduction"):
        rows.append(ft.Text(host["introduction"], color=theme.ON_SURFACE, selectable=True))
    reasons = [reason_text(t, r) for r in host.get("reasons", [])]
    rows += [
        ft.Row(
            [
                ft.Icon(ft.Icons.CHECK, color=theme.DONE_TEXT, size=18),
                ft.Text(r, color=theme.ON_SURFACE, expand=True),
            ]
        )
        for r in reasons
        if r
    ]
    if asking:
        rows += [
            text_input(
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
                        None if state.hosts_busy else send,
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


@ft.component
def FindHostSection(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    if not state.household_id:
        return ft.Column(
            [
                ft.Text(
                    _(
                        "To meet a host, this phone connects your household to the Ny i Nordland server. "
                        "Start family sharing first."
                    ),
                    color=theme.ON_SURFACE,
                ),
                button(
                    "hosts-to-family", _("Go to Family"), lambda: state.select_tab("family"), kind="outlined"
                ),
            ],
            spacing=10,
        )
    if state.seeker is None:
        return SeekerForm(state)
    rows: list[ft.Control] = [heading(_("Hosts who fit your family"))]
    hosts = (state.suggestions or {}).get("hosts", [])
    rows += [HostSuggestion(state, h, key=f"c-suggest-{h['host_id']}") for h in hosts]
    waitlist = (state.suggestions or {}).get("waitlist")
    if not hosts and not waitlist:
        rows.append(
            tagged(
                "suggestions-asked",
                ft.Text(
                    _("You have asked a host. If they cannot meet you, more hosts are suggested here."),
                    color=theme.ON_SURFACE,
                ),
            )
        )
    elif not hosts:
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
        for event in (waitlist or {}).get("events", []):
            kind = _("Language café") if event["kind"] == "language_cafe" else _("Theme evening")
            rows.append(
                ft.Container(
                    content=ft.Column(
                        [
                            ft.Text(
                                f"{event['title']} — {kind}",
                                weight=ft.FontWeight.BOLD,
                                color=theme.ON_SURFACE,
                            ),
                            ft.Text(event["organiser"], color=theme.MUTED_TEXT),
                            ft.Text(
                                _("Not confirmed: ask the organiser whether and when it takes place."),
                                color=theme.UNCERTAIN_TEXT,
                            )
                            if event.get("uncertain")
                            else ft.Text(_("Ask the organiser for the next date."), color=theme.MUTED_TEXT),
                        ],
                        spacing=2,
                    ),
                    bgcolor=theme.UNCERTAIN_BG if event.get("uncertain") else theme.NEXT_BG,
                    padding=10,
                    border_radius=8,
                )
            )
    rows.append(button("seeker-edit", _("Change what hosts know about us"), state.edit_seeker, kind="text"))
    if state.visits:
        rows.append(heading(_("Your visits")))
        rows += [VisitCard(state, v, "newcomer", key=f"c-visit-{v['request_id']}") for v in state.visits]
    return ft.Column(rows, spacing=10)


@ft.component
def HostsTab(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    sections = [("find", _("Meet a host")), ("host", _("Be a host"))]
    if state.is_coordinator:
        sections.append(("coordinator", _("Coordinator")))

    async def refresh(_e: object = None) -> None:
        await state.refresh_hosts()

    switch = ft.Row(
        [
            button(
                f"hosts-section-{key}",
                label,
                lambda _e=None, k=key: state.select_hosts_section(k),
                kind="filled" if state.hosts_section == key else "outlined",
            )
            for key, label in sections
        ]
        + [tagged("hosts-refresh", ft.IconButton(ft.Icons.REFRESH, tooltip=_("Refresh"), on_click=refresh))],
        wrap=True,
        spacing=8,
    )
    sections_by_key = {
        "find": FindHostSection,
        "host": HostModeSection,
        "coordinator": CoordinatorSection,
    }
    shown = state.hosts_section if state.hosts_section in ("find", "host") or state.is_coordinator else "find"
    # Keyed, so that a banner appearing above never resets the forms inside.
    section = sections_by_key[shown](state, key=f"section-{shown}")
    return ft.Column(
        [switch, InboxCard(state, key="inbox-card"), error_banner(t, state.hosts_error), section],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
