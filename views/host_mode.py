"""Host mode: a host profile, its certification status, and the requests families send."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from services.dates import as_date
from services.host_wire import MAX_VISITS_PER_MONTH
from services.municipalities import load_municipalities
from views.common import button, checkbox, dropdown, heading, tagged, text_field, use_t
from views.superhost_text import HOST_STATUS
from views.visit_card import VisitCard


@ft.component
def HostForm(hosts: HostsState, on_done: object = None) -> ft.Control:
    from views.hosts import interest_chips, language_chips, time_chips

    t = use_t()
    _ = t.gettext
    known = hosts.host or {}
    profile = hosts._profile()
    default_place = known.get("municipality") or (profile.municipality if profile else None)
    first_name, set_first_name = ft.use_state(known.get("first_name", ""))
    place, set_place = ft.use_state(str(default_place) if default_place else "")
    languages, set_languages = ft.use_state(list(known.get("languages") or ["nb"]))
    interests, set_interests = ft.use_state(list(known.get("interests") or []))
    occupation, set_occupation = ft.use_state(known.get("occupation", ""))
    ages, set_ages = ft.use_state(", ".join(str(a) for a in known.get("children_ages", [])))
    per_month, set_per_month = ft.use_state(str(known.get("visits_per_month") or 2))
    slots, set_slots = ft.use_state(int(known.get("availability") or 0))
    intro, set_intro = ft.use_state(known.get("introduction", ""))
    show_details, set_show_details = ft.use_state(bool(known.get("show_details")))
    consent, set_consent = ft.use_state(bool(known))

    async def save(_e: object = None) -> None:
        saved = await hosts.save_host_profile(
            {
                "first_name": first_name,
                "municipality": int(place) if place else 0,
                "languages": languages,
                "interests": interests,
                "occupation": occupation.strip(),
                "visits_per_month": int(per_month),
                "availability": slots,
                "introduction": intro.strip(),
                "show_details": show_details,
                "consent": consent,
            },
            ages,
        )
        if saved and on_done is not None:
            on_done()

    return ft.Column(
        [
            ft.Text(
                _(
                    "Hosts welcome newcomers in their first days: a walk, a coffee, showing the place. "
                    "A coordinator from the county meets you and certifies you before families can ask you."
                ),
                color=theme.ON_SURFACE,
            ),
            text_field("host-first-name", _("Your first name"), first_name, set_first_name, max_length=40),
            dropdown(
                "host-municipality",
                _("Municipality"),
                place or None,
                [(str(m.number), m.name) for m in load_municipalities()],
                set_place,
            ),
            ft.Text(_("Languages you speak"), color=theme.ON_SURFACE),
            language_chips(t, "host", languages, set_languages),
            ft.Text(_("What you like"), color=theme.ON_SURFACE),
            interest_chips(t, "host", interests, set_interests),
            text_field(
                "host-occupation",
                _("Your line of work (optional)"),
                occupation,
                set_occupation,
                max_length=60,
            ),
            text_field(
                "host-children", _("Ages of your children, if any (for example 4, 9)"), ages, set_ages
            ),
            dropdown(
                "host-per-month",
                _("Visits a month you can take"),
                per_month,
                [(str(n), str(n)) for n in range(1, MAX_VISITS_PER_MONTH + 1)],
                lambda v: set_per_month(v or "1"),
            ),
            ft.Text(_("When you are free"), color=theme.ON_SURFACE),
            time_chips(t, "host", slots, set_slots),
            text_field(
                "host-intro", _("A short introduction"), intro, set_intro, max_length=500, multiline=True
            ),
            ft.Text(
                _(
                    "What families see: your first name, municipality, languages, interests and your "
                    "children's age groups (never their ages). Your line of work and introduction "
                    "once you accept their request, or before if you choose so below. The county's "
                    "coordinator sees your whole profile and records your certification checks."
                ),
                color=theme.ON_SURFACE,
            ),
            checkbox(
                "host-show-details",
                _("Show my line of work and introduction before I accept a request"),
                show_details,
                lambda: set_show_details(not show_details),
            ),
            checkbox(
                "host-consent",
                _("I agree that Ny i Nordland uses this host profile to match me with families"),
                consent,
                lambda: set_consent(not consent),
                subtitle=_("You can withdraw at any time: the profile is then deleted."),
            ),
            button("host-save", _("Save my host profile"), None if hosts.busy else save),
        ],
        spacing=10,
    )


@ft.component
def CoordinatorEntry(hosts: HostsState) -> ft.Control:
    """County coordinators enrol this phone with the one-time code they were given."""
    t = use_t()
    _ = t.gettext
    code, set_code = ft.use_state("")

    async def enrol(_e: object = None) -> None:
        await hosts.enrol_coordinator(code)

    return ft.Column(
        [
            ft.Divider(),
            ft.Text(
                _("County coordinators: type the enrolment code you were given."), color=theme.MUTED_TEXT
            ),
            text_field("coordinator-code", _("Enrolment code"), code, set_code, max_length=40),
            button(
                "coordinator-enrol",
                _("Enrol as coordinator"),
                enrol if code.strip() else None,
                kind="outlined",
            ),
        ],
        spacing=8,
    )


@ft.component
def HostModeSection(hosts: HostsState, nav: Navigation) -> ft.Control:
    t = use_t()
    _ = t.gettext
    editing, set_editing = ft.use_state(False)
    host = hosts.host
    entry = ft.Container() if hosts.is_coordinator else CoordinatorEntry(hosts, key="coordinator-entry")
    if host is None or editing:
        return ft.Column(
            [HostForm(hosts, (lambda: set_editing(False)) if editing else None), entry], spacing=12
        )

    async def withdraw(_e: object = None) -> None:
        await hosts.withdraw_host()

    status = host.get("status", "pending")
    until = host.get("certified_until")
    status_text = _(HOST_STATUS[status]).format(date=t.format_date(as_date(until)) if until else "")
    rows: list[ft.Control] = [
        tagged(
            "host-status",
            ft.Container(
                content=ft.Text(status_text, color=theme.ON_SURFACE),
                bgcolor=theme.NOTICE_BG if status == "certified" else theme.UNCERTAIN_BG,
                padding=12,
                border_radius=8,
            ),
            label=status_text,
        ),
        button("host-edit", _("Edit my host profile"), lambda: set_editing(True), kind="text"),
        ft.Text(_("Stop being a host? Your host profile is then deleted."), color=theme.MUTED_TEXT),
        button(
            "host-withdraw",
            _("Delete profile"),
            None if hosts.busy else withdraw,
            icon=ft.Icons.DELETE_OUTLINE,
            kind="text",
        ),
    ]
    if status == "certified":
        rows.append(heading(_("Requests from families")))
        if not hosts.host_requests:
            rows.append(ft.Text(_("No requests yet."), color=theme.MUTED_TEXT))
        rows += [
            VisitCard(hosts, v, "host", nav, key=f"c-visit-{v['request_id']}") for v in hosts.host_requests
        ]
    rows.append(entry)
    return ft.Column(rows, spacing=10)
