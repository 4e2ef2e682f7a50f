"""First run: 'who are you?' in ten short, skippable questions (also Settings → Change your answers).

Choosing an answer selects it; Next moves on (and takes what was typed); the last question's
button says Finish. Nothing moves by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import flet as ft

from app import theme
from app.state import AppState
from app.state.profile import WIZARD_STEPS, ProfileState
from services.countries import country_name, find_countries, group_of
from services.i18n import N_, Translator
from services.languages import LANGUAGES
from services.municipalities import find_municipalities, get_municipality
from views.common import (
    button,
    child_name,
    choice,
    code_field,
    dropdown,
    error_banner,
    heading,
    icon_button,
    readable,
    screen,
    tagged,
    use_t,
    welcome_view,
)
from views.employer_case import CHILD_BAND_NAMES

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
            ("family", N_("I join a family member who is not an EU/EEA citizen")),
            ("family_eea", N_("I join a family member who is an EU/EEA citizen")),
        ),
    ),
    "stay": (
        "stay",
        (
            ("under_3", N_("Less than 3 months")),
            ("3_6", N_("3 to 6 months")),
            ("6_12", N_("More than 6 months, up to 12")),
            ("over_12", N_("More than 12 months")),
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
            ("uk", N_("From the United Kingdom")),
            ("non_eea", N_("From another country")),
            ("none", N_("No driving licence")),
        ),
    ),
}


@ft.component
def Wizard(state: AppState, profile: ProfileState) -> ft.View:
    t = use_t()
    _ = t.gettext
    key = profile.question
    body: list[ft.Control] = [
        ft.Text(
            _("Step {n} of {total}").format(n=profile.wizard_step + 1, total=len(WIZARD_STEPS)),
            color=theme.MUTED_TEXT,
        ),
        ft.ProgressBar(
            value=(profile.wizard_step + 1) / len(WIZARD_STEPS),
            color=theme.SEED,
            semantics_label=_("Progress"),
        ),
        ft.Semantics(
            header=True,
            content=ft.Text(_(QUESTIONS[key]), size=22, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
        ),
    ]
    if state.employer_case.prefill and not profile.editing:
        body += prefill_notes(t, state.employer_case.prefill, key)
    if key == "language":
        body += [
            choice(
                f"wizard-lang-{lang.code}",
                lang.native_name,
                lang.code == state.settings.language,
                lambda _e, c=lang.code: state.settings.set_language(c),
                font_family=lang.font_family,  # each name in its own script, whatever the UI language
            )
            for lang in LANGUAGES
        ]
    elif key in CHOICES:
        field_name, options = CHOICES[key]
        current = getattr(profile.draft, field_name)
        body += [
            choice(
                f"wizard-option-{str(value).lower()}",
                _(label),
                value == current,
                lambda _e, v=value, f=field_name: profile.choose(**{f: v}),
            )
            for value, label in options
        ]
    if key == "group":
        body.append(CountryPicker(profile))
    elif key == "municipality":
        body.append(MunicipalityPicker(profile))
    elif key == "arrival":
        body.append(arrival_date(t, profile))
    elif key == "children":
        body.append(children_editor(t, profile))
    body.append(error_banner(t, profile.error))
    if key == "language":  # the other ways in, after the language, well above the buttons
        body += [
            ft.Divider(),
            *(
                button(identifier, _(label), action, icon=icon, kind="outlined")
                for identifier, label, action, icon in (
                    (
                        "wizard-join",
                        N_("I have an invitation code from my family"),
                        lambda: state.family.start_joining(),
                        ft.Icons.GROUP_ADD,
                    ),
                    (
                        "wizard-employer-code",
                        N_("I have a code from my employer"),
                        lambda: state.employer_case.start_code_entry(),
                        ft.Icons.BADGE,
                    ),
                    (
                        "wizard-host",
                        N_("I live here and want to be a host"),
                        state.start_host_mode,
                        ft.Icons.WAVING_HAND,
                    ),
                    (
                        "wizard-employer",
                        N_("I prepare new employees' moves for an employer"),
                        state.start_employer_mode,
                        ft.Icons.BUSINESS_CENTER,
                    ),
                )  # fmt: skip
            ),
        ]

    nav: list[ft.Control] = []
    if profile.wizard_step > 0:
        nav.append(button("wizard-back", _("Back"), profile.previous_question, kind="text"))
    if profile.editing:
        nav.append(button("wizard-cancel", _("Cancel"), profile.cancel_edit, kind="text"))
    nav.append(ft.Container(expand=True))
    nav.append(
        button(
            "wizard-next",
            _("Finish") if profile.last_question else _("Next"),
            state.next_question,
            icon=ft.Icons.CHECK if profile.last_question else ft.Icons.ARROW_FORWARD,
        )
    )
    return ft.View(
        route="/welcome",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Your profile") if profile.editing else _("Welcome to Nordland"))),
        controls=[
            readable(
                ft.Column(
                    [
                        screen("wizard", body),
                        ft.Container(ft.Row(nav), padding=ft.Padding.only(top=8)),
                    ],
                    expand=True,
                )
            )
        ],
        padding=16,
    )


def prefill_notes(t: Translator, prefill: dict, key: str) -> list[ft.Control]:
    """Where the answers came from, and what the employer told us that the person completes:
    their first working day (arrival) and the children's age groups (birth dates)."""
    _ = t.gettext
    employer = prefill["employer"]
    lines = [
        _("{employer} filled in some answers. Check each one and correct it where needed.").format(
            employer=employer
        )
    ]
    if key == "arrival":
        start = date.fromisoformat(str(prefill["start_date"]))
        lines.append(
            _("{employer}: your first working day is {date}.").format(
                employer=employer, date=t.format_date(start)
            )
        )
    if key == "children" and prefill.get("child_bands"):
        bands = t.format_list(
            [_(CHILD_BAND_NAMES[b]) for b in prefill["child_bands"] if b in CHILD_BAND_NAMES]
        )
        expects = _("{employer} expects children aged {bands}. Add each child with birth year and month.")
        lines.append(expects.format(employer=employer, bands=bands))
    return [
        tagged(
            "wizard-prefill",
            ft.Container(
                ft.Column([ft.Text(line, color=theme.ON_SURFACE) for line in lines], spacing=4),
                bgcolor=theme.NEXT_BG,
                padding=12,
                border_radius=8,
            ),
        )
    ]


@ft.component
def CaseCodeView(state: AppState) -> ft.View:
    """First run with a code from the employer: the case pre-fills the questions, which the
    newcomer then confirms or corrects; the family is linked when they are done."""
    t = use_t()
    _ = t.gettext
    cases = state.employer_case
    code, set_code = ft.use_state(cases.pending_code)

    async def go_on(_e: object = None) -> None:
        found = await cases.preview(code)
        if found is not None:
            state.profile.apply_case(found)

    body: list[ft.Control] = [
        heading(_("Your employer's code"), size=22),
        ft.Text(
            _(
                "Your employer's answers fill in the first questions; you check each one. Your "
                "employer sees nothing about your family until you choose what to share."
            ),
            color=theme.ON_SURFACE,
        ),
        code_field("prefill-code", _("Code from your employer"), code, set_code),
        button("prefill-continue", _("Continue"), None if cases.busy else go_on, icon=ft.Icons.ARROW_FORWARD),
        error_banner(t, cases.error),
    ]
    return welcome_view("/welcome", "prefill", body, ("prefill-back", cases.stop_code_entry), t)


def chosen_line(t: Translator, identifier: str, name: str) -> ft.Control:
    """'Chosen: Rana', announced when it changes (the pickers' answer, above their results)."""
    text = ft.Text(
        t.gettext("Chosen: {name}").format(name=name), color=theme.DONE_TEXT, weight=ft.FontWeight.BOLD
    )
    return tagged(identifier, text, live_region=True)


def search_field(identifier: str, label: str, query: str, set_query: Callable[[str], None],
                 autofocus: bool = False) -> ft.Control:  # fmt: skip
    """A text field that narrows a list below it as the person types."""
    return tagged(
        identifier,
        ft.TextField(
            label=label,
            value=query,
            prefix_icon=ft.Icons.SEARCH,
            on_change=lambda e: set_query(e.control.value or ""),
            autofocus=autofocus,
        ),
    )


@ft.component
def CountryPicker(profile: ProfileState) -> ft.Control:
    """The country of citizenship, optional: named in the reader's language (CLDR); choosing one
    also sets the group above. It decides whether the tuberculosis check applies."""
    t = use_t()
    _ = t.gettext
    query, set_query = ft.use_state("")
    chosen = profile.draft.citizenship
    rows: list[ft.Control] = [
        ft.Text(
            _("Your country (optional): it tells whether a health check for tuberculosis applies to you."),
            color=theme.ON_SURFACE,
        ),
        search_field("country-search", _("Search for your country"), query, set_query),
    ]
    if chosen:
        rows.append(chosen_line(t, "country-chosen", country_name(chosen, t.code)))
    found = find_countries(query, t.code)
    if query.strip() and not found:
        rows.append(ft.Text(_("No country matches your search."), color=theme.MUTED_TEXT))
    rows += [
        choice(
            f"country-{c.code}",
            c.name,
            c.code == chosen,
            lambda _e, code=c.code: profile.choose(citizenship=code, group=group_of(code)),
        )
        for c in found
    ]
    return ft.Column(rows, spacing=4)


@ft.component
def MunicipalityPicker(profile: ProfileState) -> ft.Control:
    """Search by municipality, town or village (Mo i Rana finds Rana), or by region."""
    t = use_t()
    _ = t.gettext
    query, set_query = ft.use_state("")
    found = find_municipalities(query)
    chosen = get_municipality(profile.draft.municipality)
    rows: list[ft.Control] = [
        search_field(
            "municipality-search",
            _("Search by town, municipality or region"),
            query,
            set_query,
            autofocus=True,
        ),
    ]
    if chosen:
        rows.append(chosen_line(t, "municipality-chosen", chosen.name))
    if not found:
        rows.append(ft.Text(_("No municipality matches your search."), color=theme.MUTED_TEXT))
    for match in found:
        m = match.municipality
        facts = [m.region]
        if m.official_sami_name:
            facts.insert(0, m.official_sami_name)
        if match.via_place:
            facts.insert(0, match.via_place)
        rows.append(
            choice(
                f"municipality-{m.number}",
                m.name,
                m.number == profile.draft.municipality,
                lambda _e, n=m.number: profile.choose(municipality=n),
                subtitle=" · ".join(facts),
            )
        )
    return ft.Column(rows, spacing=4)


def arrival_date(t: Translator, profile: ProfileState) -> ft.Control:
    """The arrival date: typed (kept as typed, taken by Next), today, or from a calendar."""
    _ = t.gettext
    current = profile.draft.arrival_date
    today = profile.runtime.today

    def picked(e: ft.Event[ft.DatePicker]) -> None:
        if e.control.value:
            profile.choose_arrival(e.control.value.date())

    return ft.Column(
        [
            tagged(
                "arrival-date",
                ft.TextField(
                    label=_("Arrival date (year-month-day)"),
                    value=profile.arrival_text,
                    hint_text="2027-01-15",
                    on_change=lambda e: profile.set_arrival_text(e.control.value or ""),
                    keyboard_type=ft.KeyboardType.DATETIME,
                ),
            ),
            ft.Text(t.format_date(current) if current else "", color=theme.MUTED_TEXT),
            ft.Row(
                [
                    button(
                        "arrival-today", _("Today"), lambda: profile.choose_arrival(today), kind="outlined"
                    ),
                    button(
                        "arrival-calendar",
                        _("Calendar"),
                        lambda: ft.context.page.show_dialog(
                            ft.DatePicker(
                                first_date=date(2000, 1, 1),
                                last_date=date(2100, 12, 31),
                                value=current or today,
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


def children_editor(t: Translator, profile: ProfileState) -> ft.Control:
    """Children as birth year and month (a name is optional); a child half typed when Next is
    pressed is added when complete, or stops Next with a message."""
    _ = t.gettext
    this_year = profile.runtime.today.year
    form = profile.child
    rows: list[ft.Control] = []
    for n, child in enumerate(profile.draft.children, 1):
        born = t.format_date(date(child.birth_year, child.birth_month, 1), "LLLL y")
        name = child_name(t, child.label, n)
        rows.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHILD_CARE, color=theme.SEED),
                    ft.Text(f"{name} · {born}", expand=True, color=theme.ON_SURFACE),
                    icon_button(
                        f"child-remove-{child.id}",
                        ft.Icons.DELETE_OUTLINE,
                        _("Remove {name}").format(name=name),
                        lambda _e, cid=child.id: profile.remove_child(cid),
                    ),
                ]
            )
        )
    if not profile.draft.children:
        rows.append(
            ft.Text(
                _("No children added. Skip this step if no children come with you."), color=theme.MUTED_TEXT
            )
        )
    rows += [
        ft.Semantics(header=True, content=ft.Text(_("Add a child"), weight=ft.FontWeight.BOLD)),
        tagged(
            "child-label",
            ft.TextField(
                label=_("Name or label (optional)"),
                max_length=40,
                value=form.label,
                on_change=lambda e: profile.set_child_form(label=e.control.value or ""),
            ),
        ),
        ft.Row(
            [
                dropdown(
                    "child-year",
                    _("Birth year"),
                    str(form.birth_year) if form.birth_year else None,
                    [(str(y), str(y)) for y in range(this_year, this_year - 18, -1)],
                    lambda v: profile.set_child_form(birth_year=int(v) if v else None),
                    width=150,
                ),
                dropdown(
                    "child-month",
                    _("Birth month"),
                    str(form.birth_month) if form.birth_month else None,
                    [(str(m), t.format_date(date(2000, m, 1), "LLLL")) for m in range(1, 13)],
                    lambda v: profile.set_child_form(birth_month=int(v) if v else None),
                    width=180,
                ),
            ],
            wrap=True,
        ),
        button("child-add", _("Add child"), profile.add_child, icon=ft.Icons.ADD, kind="outlined"),
    ]
    return ft.Column(rows, spacing=8)
