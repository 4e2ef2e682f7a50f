"""The Family tab's "Your employer" section (Nordhub): link the family to the employer's
relocation case with its code, choose what the employer sees, unlink."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.employer_case import EmployerCaseState
from app.state.hosts import HostsState
from services.dates import as_date
from services.i18n import N_, Translator
from services.nordhub_wire import EMPLOYER_MESSAGE, MILESTONES
from views.common import button, checkbox, code_field, confirm_buttons, error_banner, heading, tagged, use_t

# Children as the employer knows them: age groups, never names or exact ages.
CHILD_BAND_NAMES = {"0-5": N_("0–5 years"), "6-12": N_("6–12 years"), "13-17": N_("13–17 years")}
# What each milestone shows the employer, in the family's words.
MILESTONE_NAMES = {
    "permit": N_("Residence permit or EU/EEA registration"),
    "id_number": N_("National identity number or D-number"),
    "tax_card": N_("Tax deduction card"),
    "bank_account": N_("Bank account"),
    "gp": N_("GP (fastlege)"),
    "childcare_school": N_("Kindergarten or school place"),
}

# What each message says, in the family's own language (the app words it on their phone).
MESSAGES = {
    "welcome": N_("Welcome! We look forward to working with you."),
    "documents": N_("Please send us the documents we asked for."),
    "id_check": N_("We can help you book the ID check at the police or the tax office."),
    "housing": N_("There is news about your housing."),
    "first_day": N_("Your plan for the first day is ready."),
    "contact_us": N_("Please get in touch with us."),
}


def employer_message(t: Translator, message: dict) -> list[ft.Control]:
    """An employer's inbox message: the template in the reader's language, then the employer's
    own note as they wrote it, marked as not translated."""
    _ = t.gettext
    words = _(MESSAGES.get(message.get("template", ""), N_("A message from your employer.")))
    rows: list[ft.Control] = [
        ft.Text(
            _("{employer}: {message}").format(employer=message.get("employer", ""), message=words),
            color=theme.ON_SURFACE,
        )
    ]
    if message.get("note"):
        rows.append(ft.Text(f"“{message['note']}”", color=theme.ON_SURFACE, selectable=True))
        rows.append(ft.Text(_("In their own words, not translated."), color=theme.MUTED_TEXT, size=13))
    return rows


@ft.component
def EmployerSection(cases: EmployerCaseState, hosts: HostsState) -> ft.Control:
    t = use_t()
    _ = t.gettext
    code, set_code = ft.use_state(cases.pending_code)
    known = cases.case or {}
    chosen, set_chosen = ft.use_state(list(known.get("consents", [])))
    leaving, set_leaving = ft.use_state(False)
    rows: list[ft.Control] = [heading(_("Your employer"))]
    rows.append(error_banner(t, cases.error, "case-error"))
    if not cases.case:

        async def join(_e: object = None) -> None:
            await cases.join(code)
            if cases.case:
                set_chosen(list(cases.case.get("consents", [])))

        rows += [
            ft.Text(
                _(
                    "Did your employer give you a code for Ny i Nordland? Link your family to "
                    "prepare the move together. Your employer sees nothing until you choose what "
                    "to share."
                ),
                color=theme.ON_SURFACE,
            ),
            code_field("case-code", _("Code from your employer"), code, set_code),
            button("case-join", _("Link"), None if cases.busy else join, icon=ft.Icons.LINK),
        ]
        return ft.Column(rows, spacing=12)

    start = as_date(known["start_date"])
    rows.append(
        ft.Text(
            _("{employer}: {role}, starting {date}.").format(
                employer=known["employer"], role=known["role_title"], date=t.format_date(start)
            ),
            color=theme.ON_SURFACE,
        )
    )
    rows.append(
        ft.Text(
            _(
                "Tick what {employer} may see. They see only whether each one is done, never "
                "your notes or your other steps. You can change this at any time."
            ).format(employer=known["employer"]),
            color=theme.MUTED_TEXT,
        )
    )

    def toggle(milestone: str) -> None:
        set_chosen([m for m in MILESTONES if (m in chosen) != (m == milestone)])

    for milestone in MILESTONES:
        rows.append(
            checkbox(
                f"consent-{milestone}",
                _(MILESTONE_NAMES[milestone]),
                milestone in chosen,
                lambda _e=None, m=milestone: toggle(m),
            )  # fmt: skip
        )

    async def save(_e: object = None) -> None:
        await cases.save_consents(list(chosen))

    async def leave(_e: object = None) -> None:
        set_leaving(False)
        await cases.leave()
        set_chosen([])

    rows.append(
        button("case-consents-save", _("Save choices"), None if cases.busy else save, icon=ft.Icons.CHECK)
    )
    letters = [m["message"] for m in hosts.inbox if m.get("kind") == EMPLOYER_MESSAGE and m.get("message")]
    if letters:
        rows.append(heading(_("Messages from {employer}").format(employer=known["employer"]), size=16))
        for index, letter in enumerate(reversed(letters[-5:])):
            rows.append(
                tagged(f"employer-message-{index}", ft.Column(employer_message(t, letter), spacing=2))
            )
    if leaving:
        rows += [
            ft.Text(
                _("Unlink {employer}? They will see nothing more about your family.").format(
                    employer=known["employer"]
                ),
                color=theme.OVERDUE_TEXT,
            ),  # fmt: skip
            confirm_buttons("case-leave", _("Unlink"), leave, lambda: set_leaving(False), t),
        ]
    else:
        rows.append(button("case-leave", _("Unlink employer"), lambda: set_leaving(True), kind="text"))
    return ft.Column(rows, spacing=12)
