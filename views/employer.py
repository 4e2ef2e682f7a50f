"""The Employer tab (Nordhub) for an employer's staff: register the organisation or join its staff,
then the dashboard: every incoming employee with the milestones their family chose to show, the
employer's own tasks (due, overdue, with their sources), a message to the newcomer, their code,
colleagues' codes and the list as CSV. Works on a phone and, wider, on a desktop."""

from __future__ import annotations

from datetime import date

import flet as ft

from app import theme
from app.state.employer import EmployerState
from app.state.navigation import Navigation
from services.dates import as_date
from services.employer_tasks import task_text, tasks_by_id
from services.i18n import N_, Translator
from services.municipalities import load_municipalities
from services.nordhub_wire import CHILD_BANDS, MESSAGE_TEMPLATES
from services.org_number import normalize_org_number
from views.common import (
    banner,
    button,
    card,
    checkbox,
    code_display,
    code_field,
    dropdown,
    error_banner,
    heading,
    icon_button,
    screen,
    tagged,
    text_field,
    translation_notes,
    use_t,
)
from views.downloads import offer_file
from views.employer_case import CHILD_BAND_NAMES, MESSAGES, MILESTONE_NAMES
from views.superhost_text import municipality_name

GROUPS = {
    "nordic": N_("Nordic citizen"),
    "eea": N_("EU/EEA citizen"),
    "non_eu": N_("Citizen of a country outside the EU/EEA"),
}
STATES = {
    "done": N_("done"),
    "open": N_("not yet"),
    "blocked": N_("waiting"),
    "not_needed": N_("not needed"),
}


@ft.component
def EmployerTab(employer: EmployerState, nav: Navigation) -> ft.Control:
    t = use_t()
    _ = t.gettext
    rows: list[ft.Control] = [error_banner(t, employer.error, "employer-error")]
    if not employer.is_staff:
        rows += [RegisterForm(employer, key="register"), StaffJoinForm(employer, key="staff-join")]
        return screen("employer", rows)
    org = employer.employer["employer"]

    async def refresh(_e: object = None) -> None:
        await employer.refresh()

    rows += [
        ft.Row(
            [
                ft.Container(heading(org["name"]), expand=True),
                icon_button("employer-refresh", ft.Icons.REFRESH, _("Refresh"), refresh),
            ]
        ),
        ft.Text(
            _("Organisation number {number} · {place}").format(
                number=org_number_text(org["org_number"]), place=municipality_name(org["municipality"])
            ),
            color=theme.MUTED_TEXT,
        ),
    ]
    if not org["verified"]:
        rows.append(
            banner(
                "employer-unverified",
                ft.Icons.HOURGLASS_TOP,
                _(
                    "Waiting for the county coordinator to verify your organisation. You can add "
                    "newcomers once it is verified."
                ),
                theme.ON_SURFACE,
                theme.NEXT_BG,
            )
        )
    if employer.new_code:
        rows.append(code_card(t, employer))
    rows.append(summary(t, employer))
    if employer.adding:
        rows.append(CaseForm(employer, key="case-form"))
    elif org["verified"]:
        rows.append(
            button(
                "case-add", _("Add a newcomer"), lambda: employer.show_form(True), icon=ft.Icons.PERSON_ADD
            )
        )
    rows += [CaseCard(employer, case, key=f"case-{case['case_id']}") for case in employer.cases]

    async def export(_e: object = None) -> None:
        await employer.export_csv()
        if employer.csv_text is not None:
            data, employer.csv_text = employer.csv_text.encode("utf-8"), None
            await offer_file(nav, "relocation-cases.csv", data, N_("The list was saved as {name}."))

    if employer.cases:
        rows.append(
            button(
                "cases-export", _("Download the list (CSV)"), export, icon=ft.Icons.DOWNLOAD, kind="outlined"
            )
        )
    rows.append(StaffSection(employer, key="staff"))
    return screen("employer", rows)


def summary(t: Translator, employer: EmployerState) -> ft.Control:
    _ = t.gettext
    overdue = sum(c["overdue_tasks"] for c in employer.cases)
    lines = [
        t.ngettext("{n} newcomer on the way", "{n} newcomers on the way", len(employer.cases)).format(
            n=len(employer.cases)
        )
    ]
    if overdue:
        lines.append(t.ngettext("{n} task overdue", "{n} tasks overdue", overdue).format(n=overdue))
    return tagged(
        "cases-summary",
        ft.Text(" · ".join(lines), size=16, weight=ft.FontWeight.W_500, color=theme.ON_SURFACE),
    )


def code_card(t: Translator, employer: EmployerState) -> ft.Control:
    """The code just made for a newcomer: spelled out for screen readers, with its link."""
    _ = t.gettext
    made = employer.new_code or {}
    code = made["code"]
    return card(
        "case-code-card",
        [
            ft.Text(
                _("Give {name} this code. It works once, for 72 hours.").format(name=made["first_name"]),
                color=theme.ON_SURFACE,
            ),
            code_display("case-new-code", code, _("Code: {code}")),
            ft.Text(_("Or send this link:"), color=theme.ON_SURFACE),
            ft.Text(made["link"], selectable=True, color=theme.ON_SURFACE),
            button("case-code-done", _("Done"), employer.dismiss_code, kind="text"),
        ],
    )


@ft.component
def RegisterForm(employer: EmployerState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    number, set_number = ft.use_state("")
    name, set_name = ft.use_state("")
    place, set_place = ft.use_state("")
    person, set_person = ft.use_state("")

    async def register(_e: object = None) -> None:
        await employer.register(number, name, int(place) if place else None, person)

    return card(
        "register-card",
        [
            heading(_("Register your organisation"), size=17),
            ft.Text(
                _(
                    "Prepare your new employees' move with their families. The county coordinator "
                    "verifies your organisation first; families then choose what you see."
                ),
                color=theme.MUTED_TEXT,
            ),
            text_field(
                "register-org-number",
                _("Organisation number (9 digits)"),
                number,
                set_number,
                keyboard_type=ft.KeyboardType.NUMBER,
            ),
            text_field("register-name", _("Name of the organisation"), name, set_name),
            municipality_dropdown(t, "register-municipality", place, set_place),
            text_field("register-person", _("Your name"), person, set_person),
            button("register-send", _("Register"), None if employer.busy else register, icon=ft.Icons.CHECK),
        ],
        spacing=10,
    )


def municipality_dropdown(t: Translator, identifier: str, value: str, on_value: object) -> ft.Control:
    places = sorted(load_municipalities(), key=lambda m: m.name)
    return dropdown(
        identifier,
        t.gettext("Municipality"),
        value or None,
        [(str(m.number), m.name) for m in places],
        on_value,  # type: ignore[arg-type]
    )


@ft.component
def StaffJoinForm(employer: EmployerState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    code, set_code = ft.use_state("")
    person, set_person = ft.use_state("")

    async def join(_e: object = None) -> None:
        await employer.join_staff(code, person)

    return card(
        "staff-join-card",
        [
            heading(_("Join your organisation"), size=17),
            ft.Text(_("Did a colleague give you a staff code? Type it here."), color=theme.MUTED_TEXT),
            code_field("staff-join-code", _("Staff code"), code, set_code),
            text_field("staff-join-name", _("Your name"), person, set_person),
            button("staff-join-send", _("Join"), None if employer.busy else join, icon=ft.Icons.LOGIN),
        ],
        spacing=10,
    )


@ft.component
def CaseForm(employer: EmployerState) -> ft.Control:
    """A newcomer on the way: what the family's first answers will be pre-filled with."""
    t = use_t()
    _ = t.gettext
    today = employer.runtime.today
    first_name, set_first_name = ft.use_state("")
    role, set_role = ft.use_state("")
    start, set_start = ft.use_state("")
    place, set_place = ft.use_state(str(employer.employer["employer"]["municipality"]))
    group, set_group = ft.use_state("eea")
    partner, set_partner = ft.use_state(False)
    bands, set_bands = ft.use_state(list[str]())
    approval, set_approval = ft.use_state(False)

    async def save(_e: object = None) -> None:
        fields = {
            "first_name": first_name.strip(),
            "role_title": role.strip(),
            "start_date": start.strip(),
            "municipality": int(place) if place else None,
            "citizenship_group": group,
            "partner": partner,
            "child_bands": bands,
            "needs_approval": approval,
        }
        await employer.create_case(fields, today)

    def add_band(band: str) -> None:
        set_bands(sorted([*bands, band], key=CHILD_BANDS.index))

    def remove_band(band: str) -> None:
        left = list(bands)
        left.remove(band)
        set_bands(left)

    children = [
        ft.Text(_("Children coming (age groups; never names or exact ages):"), color=theme.ON_SURFACE),
        ft.Row(
            [
                button(
                    f"case-child-add-{b}",
                    _(CHILD_BAND_NAMES[b]),
                    lambda _e=None, b=b: add_band(b),
                    kind="outlined",
                )
                for b in CHILD_BANDS
            ],
            wrap=True,
        ),
    ]
    for index, band in enumerate(bands):
        children.append(
            ft.Row(
                [
                    ft.Text(
                        _("Child {n}: {band}").format(n=index + 1, band=_(CHILD_BAND_NAMES[band])),
                        color=theme.ON_SURFACE,
                        expand=True,
                    ),
                    button(
                        f"case-child-remove-{index}",
                        _("Remove"),
                        lambda _e=None, b=band: remove_band(b),
                        kind="text",
                    ),
                ]
            )
        )
    return card(
        "case-form",
        [
            heading(_("A newcomer on the way"), size=17),
            ft.Text(
                _("The family confirms or corrects every answer when they join."), color=theme.MUTED_TEXT
            ),
            text_field("case-first-name", _("First name"), first_name, set_first_name),
            text_field("case-role", _("Job title"), role, set_role),
            text_field(
                "case-start",
                _("First working day (YYYY-MM-DD)"),
                start,
                set_start,
                hint_text=(today.replace(day=1) if today.day == 1 else today).isoformat(),
            ),
            municipality_dropdown(t, "case-municipality", place, set_place),
            dropdown(
                "case-group",
                _("Citizenship"),
                group,
                [(key, _(label)) for key, label in GROUPS.items()],
                set_group,
            ),
            checkbox(
                "case-partner", _("A partner comes too"), partner, lambda _e=None: set_partner(not partner)
            ),
            *children,
            checkbox(
                "case-approval",
                _("The job needs an approved profession (for example nurse, doctor, electrician)"),
                approval,
                lambda _e=None: set_approval(not approval),
            ),
            ft.Row(
                [
                    button(
                        "case-save",
                        _("Save and make the code"),
                        None if employer.busy else save,
                        icon=ft.Icons.CHECK,
                    ),
                    button("case-cancel", _("Cancel"), lambda: employer.show_form(False), kind="text"),
                ],
                wrap=True,
            ),
        ],
        spacing=10,
    )


def start_text(t: Translator, start: date, days: int) -> str:
    _ = t.gettext
    if days > 0:
        when = t.ngettext("in {n} day", "in {n} days", days).format(n=days)
    elif days == 0:
        when = _("today")
    else:
        when = t.ngettext("{n} day ago", "{n} days ago", -days).format(n=-days)
    return _("Starts {date} ({when})").format(date=t.format_date(start), when=when)


def milestone_line(t: Translator, case: dict) -> ft.Control:
    """What the family chose to show: each milestone with its state, or that they show nothing."""
    _ = t.gettext
    if not case["joined"]:
        return ft.Text(_("Has not joined yet."), color=theme.MUTED_TEXT)
    if not case["milestones"]:
        return ft.Text(_("Joined. The family shares no milestones with you yet."), color=theme.MUTED_TEXT)
    lines: list[ft.Control] = []
    for m in case["milestones"]:
        state = _(STATES[m["state"]])
        if m["state"] == "blocked" and m.get("waits_for"):
            waits = t.format_list([_(MILESTONE_NAMES[w]) for w in m["waits_for"]])
            state = _("waiting for: {what}").format(what=waits)
        icon = (
            ft.Icons.CHECK_CIRCLE if m["state"] in ("done", "not_needed") else ft.Icons.RADIO_BUTTON_UNCHECKED
        )
        lines.append(
            tagged(
                f"milestone-{case['case_id']}-{m['id']}",
                ft.Row(
                    [
                        ft.Icon(icon, color=theme.SEED, size=18),
                        ft.Text(
                            f"{_(MILESTONE_NAMES[m['id']])}: {state}", color=theme.ON_SURFACE, expand=True
                        ),
                    ]
                ),
            )
        )
    return ft.Column(lines, spacing=4)


@ft.component
def CaseCard(employer: EmployerState, case: dict) -> ft.Control:
    t = use_t()
    _ = t.gettext
    cid = case["case_id"]
    start = as_date(case["start_date"])
    unfolded = employer.open_case == cid
    rows: list[ft.Control] = [
        heading(f"{case['first_name']} · {case['role_title']}", size=17),
        ft.Text(start_text(t, start, case["days_to_start"]), color=theme.ON_SURFACE),
        milestone_line(t, case),
    ]
    if case["overdue_tasks"]:
        rows.append(
            ft.Text(
                t.ngettext(
                    "{n} of your tasks is overdue", "{n} of your tasks are overdue", case["overdue_tasks"]
                ).format(n=case["overdue_tasks"]),
                color=theme.OVERDUE_TEXT,
                weight=ft.FontWeight.W_500,
            )
        )
    rows.append(
        button(
            f"case-open-{cid}",
            _("Hide details") if unfolded else _("Your tasks and messages"),
            lambda: employer.toggle_case(cid),
            icon=ft.Icons.EXPAND_LESS if unfolded else ft.Icons.EXPAND_MORE,
            kind="text",
        )
    )
    if unfolded:
        rows += task_rows(t, employer, case)
        if case["joined"]:
            rows.append(MessageForm(employer, cid, key=f"message-{cid}"))
        else:

            async def renew(_e: object = None) -> None:
                await employer.renew_code(cid, case["first_name"])

            rows.append(
                button(f"case-renew-{cid}", _("Make a new code"), renew, icon=ft.Icons.KEY, kind="outlined")
            )
    return card(f"case-card-{cid}", rows, spacing=8)


def task_rows(t: Translator, employer: EmployerState, case: dict) -> list[ft.Control]:
    """The employer's own tasks for this case: due date, overdue, source; tick when done."""
    _ = t.gettext
    rows: list[ft.Control] = [heading(_("Your tasks"), size=16)]
    for task in case["tasks"]:
        text, facts = task_text(task["id"], t.code), tasks_by_id()[task["id"]]
        due = as_date(task["due"])
        when = _("Due {date}").format(date=t.format_date(due))
        if not facts.deadline_is_official:
            when += " · " + _("our planning advice, not a legal deadline")
        if task["overdue"]:
            when = _("Overdue: {when}").format(when=when)
        if facts.uncertain:
            when += " · " + _("not confirmed: check the source")

        async def flip(_e: object = None, task: dict = task) -> None:
            await employer.set_task(case["case_id"], task["id"], not task["done"])

        if len(rows) == 1:  # one note for the list: every task's text comes from the same pack
            rows += translation_notes(t, text)
        rows.append(
            checkbox(f"task-{case['case_id']}-{task['id']}", text.title, task["done"], flip, subtitle=when)
        )
    return rows


@ft.component
def MessageForm(employer: EmployerState, case_id: str) -> ft.Control:
    """A message to the newcomer: the app words it in the family's language; a note is shown as
    written."""
    t = use_t()
    _ = t.gettext
    template, set_template = ft.use_state("welcome")
    note, set_note = ft.use_state("")

    async def send(_e: object = None) -> None:
        if await employer.send_message(case_id, template, note):
            set_note("")

    return ft.Column(
        [
            heading(_("Write to the newcomer"), size=16),
            dropdown(
                f"message-template-{case_id}",
                _("Message (they read it in their language)"),
                template,
                [(key, _(MESSAGES[key])) for key in MESSAGE_TEMPLATES],
                set_template,
            ),
            text_field(
                f"message-note-{case_id}",
                _("Your own note (optional, not translated)"),
                note,
                set_note,
                max_length=500,
                multiline=True,
            ),
            button(f"message-send-{case_id}", _("Send"), None if employer.busy else send, icon=ft.Icons.SEND),
        ],
        spacing=8,
    )


@ft.component
def StaffSection(employer: EmployerState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    info = employer.employer or {}
    roles = {"admin": _("administrator"), "hr": _("HR")}
    rows: list[ft.Control] = [heading(_("Staff"), size=17)]
    rows += [
        ft.Text(f"{p['name']} · {roles[p['role']]}", color=theme.ON_SURFACE) for p in info.get("staff", [])
    ]
    if employer.is_admin:

        async def invite_hr(_e: object = None) -> None:
            await employer.invite_staff("hr")

        async def invite_admin(_e: object = None) -> None:
            await employer.invite_staff("admin")

        rows.append(
            ft.Row(
                [
                    button("staff-invite-hr", _("Code for an HR colleague"), invite_hr, kind="outlined"),
                    button(
                        "staff-invite-admin", _("Code for an administrator"), invite_admin, kind="outlined"
                    ),
                ],
                wrap=True,
            )
        )
    if employer.staff_code:
        code = employer.staff_code["code"]
        rows += [
            ft.Text(_("Give your colleague this code. It works once, for 72 hours."), color=theme.ON_SURFACE),
            code_display("staff-code", code, _("Code: {code}")),
        ]
    return card("staff-card", rows, spacing=8)


def org_number_text(number: str) -> str:
    """'923609016' → '923 609 016', as the Brønnøysund Register writes it."""
    digits = normalize_org_number(number)
    return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))
