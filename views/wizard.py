"""First run: 'who are you?' in ten short, skippable questions (also Settings → Profile)."""

from __future__ import annotations

from datetime import date

import flet as ft

from app import theme
from app.state import WIZARD_STEPS, AppState
from services.i18n import N_, get_translator
from services.languages import LANGUAGES
from services.municipalities import get_municipality, search_municipalities
from views.common import button, error_banner, readable, tagged

QUESTIONS = {
    "language": N_("Which language do you want to use?"),
    "group": N_("Which citizenship do you have?"),
    "reason": N_("Why do you come to Nordland?"),
    "municipality": N_("Which municipality will you live in?"),
    "arrival": N_("When do you arrive (or when did you arrive)?"),
    "stay": N_("How long do you expect to stay?"),
    "partner": N_("Is your partner coming with you?"),
    "children": N_("Are children coming with you?"),
    "profession": N_("Does your profession need approval in Norway?"),
    "licence": N_("Which driving licence do you have?"),
}

CHOICES: dict[str, tuple[str, tuple[tuple[object, str], ...]]] = {
    "group": (
        "group",
        (
            ("nordic", N_("Nordic (Denmark, Finland, Iceland, Sweden)")),
            ("eea", N_("EU / EEA")),
            ("non_eu", N_("Outside the EU / EEA")),
        ),
    ),
    "reason": (
        "reason",
        (
            ("work", N_("I come to work")),
            ("family", N_("I join a family member who works here")),
        ),
    ),
    "stay": (
        "long_stay",
        (
            (False, N_("Less than 6 months")),
            (True, N_("6 months or more")),
        ),
    ),
    "partner": ("partner", ((True, N_("Yes")), (False, N_("No")))),
    "profession": (
        "profession",
        (
            ("health", N_("Health personnel (nurse, doctor, dentist …)")),
            ("recognition", N_("Another profession: I want my education recognised")),
            ("none", N_("No")),
        ),
    ),
    "licence": (
        "licence",
        (
            ("eea", N_("From an EU / EEA country")),
            ("non_eea", N_("From outside the EU / EEA")),
            ("none", N_("No driving licence")),
        ),
    ),
}

MONTHS = range(1, 13)


def _option(
    identifier: str, text: str, selected: bool, on_click: object, font_family: str | None = None
) -> ft.Control:
    return ft.Semantics(
        identifier=identifier,
        key=identifier,
        selected=selected,
        content=ft.OutlinedButton(
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.CHECK_CIRCLE if selected else ft.Icons.CIRCLE_OUTLINED,
                        color=theme.SEED,
                    ),
                    ft.Text(text, expand=True, size=16, color=theme.ON_SURFACE, font_family=font_family),
                ],
            ),
            on_click=on_click,
            height=56,
            tooltip=text,
        ),
    )


@ft.component
def Wizard(state: AppState) -> ft.View:
    t = get_translator(state.language)
    _ = t.gettext
    key = WIZARD_STEPS[state.wizard_step]
    body: list[ft.Control] = [
        ft.Text(
            _("Step {n} of {total}").format(n=state.wizard_step + 1, total=len(WIZARD_STEPS)),
            color=theme.MUTED_TEXT,
        ),
        ft.ProgressBar(
            value=(state.wizard_step + 1) / len(WIZARD_STEPS),
            color=theme.SEED,
            semantics_label=_("Progress"),
        ),
        ft.Text(_(QUESTIONS[key]), size=22, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
    ]
    if key == "language":
        body += [
            _option(
                f"wizard-lang-{lang.code}",
                lang.native_name,
                lang.code == state.language,
                lambda _e, c=lang.code: (state.set_language(c), state.next_wizard_step()),
                font_family=lang.font_family,  # each name in its own script, whatever the UI language
            )
            for lang in LANGUAGES
        ]
        body.append(
            button(
                "wizard-join",
                _("I have an invitation code from my family"),
                lambda: state.start_joining(),
                icon=ft.Icons.GROUP_ADD,
                kind="outlined",
            )
        )
        body.append(
            button(
                "wizard-host",
                _("I live here and want to be a host"),
                state.start_host_mode,
                icon=ft.Icons.WAVING_HAND,
                kind="text",
            )
        )
    elif key in CHOICES:
        field_name, options = CHOICES[key]
        current = getattr(state.draft, field_name)
        body += [
            _option(
                f"wizard-option-{str(value).lower()}",
                _(label),
                value == current,
                lambda _e, v=value, f=field_name: state.answer(**{f: v}),
            )
            for value, label in options
        ]
    elif key == "municipality":
        body.append(MunicipalityPicker(state))
    elif key == "arrival":
        body.append(ArrivalDate(state))
    elif key == "children":
        body.append(ChildrenEditor(state))
    body.append(error_banner(t, state.error))

    nav: list[ft.Control] = []
    if state.wizard_step > 0:
        nav.append(button("wizard-back", _("Back"), state.previous_wizard_step, kind="text"))
    if state.editing_profile:
        nav.append(button("wizard-cancel", _("Cancel"), state.cancel_edit_profile, kind="text"))
    last = state.wizard_step == len(WIZARD_STEPS) - 1
    nav.append(ft.Container(expand=True))
    nav.append(
        button(
            "wizard-next",
            _("Finish") if last else _("Next"),
            state.next_wizard_step,
            icon=ft.Icons.ARROW_FORWARD,
        )
    )
    return ft.View(
        route="/welcome",
        can_pop=False,
        appbar=ft.AppBar(
            title=ft.Text(_("Welcome to Nordland") if not state.editing_profile else _("Your profile"))
        ),
        controls=[
            readable(
                ft.Column(
                    [ft.Column(body, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True), ft.Row(nav)],
                    expand=True,
                )
            )
        ],
        padding=16,
    )


@ft.component
def MunicipalityPicker(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    query, set_query = ft.use_state("")
    found = search_municipalities(query)
    chosen = get_municipality(state.draft.municipality)
    rows: list[ft.Control] = [
        tagged(
            "municipality-search",
            ft.TextField(
                label=_("Search by name or region"),
                value=query,
                prefix_icon=ft.Icons.SEARCH,
                on_change=lambda e: set_query(e.control.value or ""),
                autofocus=True,
            ),
        ),
    ]
    if chosen:
        rows.append(ft.Text(_("Chosen: {name}").format(name=chosen.name), color=theme.DONE_TEXT))
    if not found:
        rows.append(ft.Text(_("No municipality matches your search."), color=theme.MUTED_TEXT))
    for m in found:
        subtitle = m.region
        if m.official_sami_name:
            subtitle = f"{m.official_sami_name} · {m.region}"
        rows.append(
            tagged(
                f"municipality-{m.number}",
                ft.ListTile(
                    title=ft.Text(m.name),
                    subtitle=ft.Text(subtitle, color=theme.MUTED_TEXT),
                    selected=m.number == state.draft.municipality,
                    min_height=theme.MIN_TAP,
                    on_click=lambda _e, n=m.number: state.answer(municipality=n),
                ),
            )
        )
    return ft.Column(rows, spacing=4)


@ft.component
def ArrivalDate(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    current = state.draft.arrival_date
    text, set_text = ft.use_state(current.isoformat() if current else "")

    def submit() -> None:
        try:
            value = date.fromisoformat(text.strip())
        except ValueError:
            state.error = N_("Write the date as year-month-day, for example 2027-01-15.")
            return
        state.answer(arrival_date=value)

    def picked(e: ft.Event[ft.DatePicker]) -> None:
        if e.control.value:
            state.answer(arrival_date=e.control.value.date())

    return ft.Column(
        [
            tagged(
                "arrival-date",
                ft.TextField(
                    label=_("Arrival date (year-month-day)"),
                    value=text,
                    hint_text="2027-01-15",
                    on_change=lambda e: set_text(e.control.value or ""),
                    on_submit=lambda e: submit(),
                    keyboard_type=ft.KeyboardType.DATETIME,
                ),
            ),
            ft.Text(t.format_date(current) if current else "", color=theme.MUTED_TEXT),
            ft.Row(
                [
                    button("arrival-save", _("Use this date"), submit, icon=ft.Icons.CHECK),
                    button(
                        "arrival-today",
                        _("Today"),
                        lambda: state.answer(arrival_date=state.today),
                        kind="outlined",
                    ),
                    button(
                        "arrival-calendar",
                        _("Calendar"),
                        lambda: ft.context.page.show_dialog(
                            ft.DatePicker(
                                first_date=date(2000, 1, 1),
                                last_date=date(2100, 12, 31),
                                value=current or state.today,
                                on_change=picked,
                            )
                        ),
                        icon=ft.Icons.CALENDAR_MONTH,
                        kind="outlined",
                    ),
                ],
                wrap=True,
            ),
        ]
    )


@ft.component
def ChildrenEditor(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    label, set_label = ft.use_state("")
    year, set_year = ft.use_state(None)
    month, set_month = ft.use_state(None)
    this_year = state.today.year

    def add() -> None:
        name = label or _("Child {n}").format(n=len(state.draft.children) + 1)
        if state.add_child(name, year, month):
            set_label("")
            set_year(None)
            set_month(None)

    rows: list[ft.Control] = []
    for child in state.draft.children:
        born = t.format_date(date(child.birth_year, child.birth_month, 1), "LLLL y")
        rows.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHILD_CARE, color=theme.SEED),
                    ft.Text(
                        f"{child.label} · {born}",
                        expand=True,
                    ),
                    tagged(
                        f"child-remove-{child.id}",
                        ft.IconButton(
                            ft.Icons.DELETE_OUTLINE,
                            tooltip=_("Remove {name}").format(name=child.label),
                            on_click=lambda _e, cid=child.id: state.remove_child(cid),
                        ),
                    ),
                ]
            )
        )
    if not state.draft.children:
        rows.append(
            ft.Text(
                _("No children added. Skip this step if no children come with you."),
                color=theme.MUTED_TEXT,
            )
        )
    rows += [
        ft.Text(_("Add a child"), weight=ft.FontWeight.BOLD),
        tagged(
            "child-label",
            ft.TextField(
                label=_("Name or label (optional)"),
                max_length=40,
                value=label,
                on_change=lambda e: set_label(e.control.value or ""),
            ),
        ),
        ft.Row(
            [
                tagged(
                    "child-year",
                    ft.Dropdown(
                        label=_("Birth year"),
                        value=str(year) if year else None,
                        width=150,
                        options=[
                            ft.DropdownOption(key=str(y), text=str(y))
                            for y in range(this_year, this_year - 18, -1)
                        ],
                        on_select=lambda e: set_year(int(e.control.value)),
                    ),
                ),
                tagged(
                    "child-month",
                    ft.Dropdown(
                        label=_("Birth month"),
                        value=str(month) if month else None,
                        width=180,
                        options=[
                            ft.DropdownOption(key=str(m), text=t.format_date(date(2000, m, 1), "LLLL"))
                            for m in MONTHS
                        ],
                        on_select=lambda e: set_month(int(e.control.value)),
                    ),
                ),
            ],
            wrap=True,
        ),
        button("child-add", _("Add child"), add, icon=ft.Icons.ADD, kind="outlined"),
    ]
    return ft.Column(rows, spacing=8)
