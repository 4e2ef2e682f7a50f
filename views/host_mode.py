"""Host mode: a host profile, its certification status, and the requests families send."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from services.host_wire import MAX_VISITS_PER_MONTH
from services.i18n import get_translator
from services.municipalities import load_municipalities
from views.common import button, tagged, text_input
from views.superhost_text import HOST_STATUS
from views.visit_card import VisitCard


@ft.component
def HostForm(state: AppState, on_done: object = None) -> ft.Control:
    from views.hosts import interest_chips, language_chips, time_chips

    t = get_translator(state.language)
    _ = t.gettext
    known = state.host or {}
    default_place = known.get("municipality") or (state.profile.municipality if state.profile else None)
    first_name, set_first_name = ft.use_state(known.get("first_name", ""))
    place, set_place = ft.use_state(str(default_place) if default_place else "")
    languages, set_languages = ft.use_state(list(known.get("languages") or ["nb"]))
    interests, set_interests = ft.use_state(list(known.get("interests") or []))
    occupation, set_occupation = ft.use_state(known.get("occupation", ""))
    ages, set_ages = ft.use_state(", ".join(str(a) for a in known.get("children_ages", [])))
    per_month, set_per_month = ft.use_state(str(known.get("visits_per_month") or 2))
    slots, set_slots = ft.use_state(int(known.get("availability") or 0))
    intro, set_intro = ft.use_state(known.get("introduction", ""))

    async def save(_e: object = None) -> None:
        try:
            children = [int(a) for a in ages.replace(";", ",").split(",") if a.strip()]
        except ValueError:
            children = []
        await state.save_host_profile(
            {
                "first_name": first_name,
                "municipality": int(place) if place else 0,
                "languages": languages,
                "interests": interests,
                "occupation": occupation.strip(),
                "children_ages": [a for a in children if 0 <= a <= 17],
                "visits_per_month": int(per_month),
                "availability": slots,
                "introduction": intro.strip(),
            }
        )
        if on_done is not None and state.hosts_error is None:
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
            text_input("host-first-name", _("Your first name"), first_name, set_first_name, max_length=40),
            tagged(
                "host-municipality",
                ft.Dropdown(
                    label=_("Municipality"),
                    value=place or None,
                    options=[
                        ft.DropdownOption(key=str(m.number), text=m.name) for m in load_municipalities()
                    ],
                    on_select=lambda e: set_place(e.control.value or ""),
                ),
            ),
            ft.Text(_("Languages you speak"), color=theme.ON_SURFACE),
            language_chips(t, "host", languages, set_languages),
            ft.Text(_("What you like"), color=theme.ON_SURFACE),
            interest_chips(t, "host", interests, set_interests),
            text_input(
                "host-occupation",
                _("Your line of work (optional)"),
                occupation,
                set_occupation,
                max_length=60,
            ),
            text_input(
                "host-children", _("Ages of your children, if any (for example 4, 9)"), ages, set_ages
            ),
            tagged(
                "host-per-month",
                ft.Dropdown(
                    label=_("Visits a month you can take"),
                    value=per_month,
                    options=[
                        ft.DropdownOption(key=str(n), text=str(n)) for n in range(1, MAX_VISITS_PER_MONTH + 1)
                    ],
                    on_select=lambda e: set_per_month(e.control.value or "1"),
                ),
            ),
            ft.Text(_("When you are free"), color=theme.ON_SURFACE),
            time_chips(t, "host", slots, set_slots),
            text_input(
                "host-intro", _("A short introduction"), intro, set_intro, max_length=500, multiline=True
            ),
            button("host-save", _("Save my host profile"), None if state.hosts_busy else save),
        ],
        spacing=10,
    )


@ft.component
def HostModeSection(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    editing, set_editing = ft.use_state(False)
    code, set_code = ft.use_state("")
    host = state.host

    async def enrol(_e: object = None) -> None:
        await state.enrol_coordinator(code)

    coordinator_entry = (
        ft.Column(
            [
                ft.Divider(),
                ft.Text(
                    _("County coordinators: type the enrolment code you were given."), color=theme.MUTED_TEXT
                ),
                text_input("coordinator-code", _("Enrolment code"), code, set_code, max_length=40),
                button(
                    "coordinator-enrol",
                    _("Enrol as coordinator"),
                    enrol if code.strip() else None,
                    kind="outlined",
                ),
            ],
            spacing=8,
        )
        if not state.is_coordinator
        else ft.Container()
    )
    if host is None or editing:
        return ft.Column(
            [HostForm(state, (lambda: set_editing(False)) if editing else None), coordinator_entry],
            spacing=12,
        )
    status = host.get("status", "pending")
    until = host.get("certified_until")
    status_text = _(HOST_STATUS[status]).format(date=t.format_date(_as_date(until)) if until else "")
    rows: list[ft.Control] = [
        tagged(
            "host-status",
            ft.Container(
                content=ft.Text(status_text, color=theme.ON_SURFACE),
                bgcolor=theme.NOTICE_BG if status == "certified" else theme.UNCERTAIN_BG,
                padding=12,
                border_radius=8,
            ),
            label=status,
        ),
        button("host-edit", _("Edit my host profile"), lambda: set_editing(True), kind="text"),
    ]
    if status == "certified":
        rows.append(
            ft.Text(_("Requests from families"), size=20, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)
        )
        if not state.host_requests:
            rows.append(ft.Text(_("No requests yet."), color=theme.MUTED_TEXT))
        rows += [VisitCard(state, v, "host", key=f"c-visit-{v['request_id']}") for v in state.host_requests]
    rows.append(coordinator_entry)
    return ft.Column(rows, spacing=10)


def _as_date(value: object):  # noqa: ANN202 - date from JSON or a date
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
