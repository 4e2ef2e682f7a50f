"""One step in full: why it matters, what to bring, where to go, the source, notes, actions."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from services.content import step_text
from services.i18n import get_translator
from services.timeline import DONE, NOT_RELEVANT, TODO
from views.common import (
    agency_text,
    button,
    done_by_text,
    due_text,
    error_banner,
    item_title,
    readable,
    tagged,
    translation_notes,
    waiting_for,
)


def _section(title: str, body: list[ft.Control]) -> ft.Control:
    return ft.Column(
        [ft.Text(title, size=18, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE), *body],
        spacing=4,
    )


@ft.component
def StepDetail(state: AppState, item_key: str) -> ft.View:
    t = get_translator(state.language)
    _ = t.gettext
    if state.profile is None:  # the family's profile just left this phone; the wizard follows
        return ft.Container()
    timeline = state.timeline()
    item = timeline.items.get(item_key)
    note, set_note = ft.use_state(state.notes.get(item_key, ""))
    if item is None:  # the profile changed and the step no longer applies
        return ft.View(
            route=f"/step/{item_key}",
            appbar=ft.AppBar(title=ft.Text(_("Step"))),
            controls=[ft.Text(_("This step is no longer part of your timeline."))],
        )
    text = step_text(item.step.id, t.code)
    body: list[ft.Control] = [
        ft.Text(item_title(t, item), size=24, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
        *translation_notes(t, text),
    ]
    status_text = {DONE: _("Done"), NOT_RELEVANT: _("Not relevant to me"), TODO: _("To do")}
    body.append(
        ft.Text(
            _("Status: {status}").format(status=status_text[item.status]),
            color=theme.DONE_TEXT if item.status == DONE else theme.MUTED_TEXT,
        )
    )
    if by := done_by_text(t, state, item.key, item.status):
        body.append(tagged("detail-done-by", ft.Text(by, color=theme.MUTED_TEXT)))
    if state.household_id and state.family:
        body.append(AssigneePicker(state, item.key))
    if due := due_text(t, item, state.today):
        body.append(
            tagged(
                "detail-due",
                ft.Text(
                    due,
                    size=16,
                    weight=ft.FontWeight.W_500,
                    color=theme.OVERDUE_TEXT if item.overdue else theme.ON_SURFACE,
                ),
            )
        )
    if item.deadline.place_from:
        place = t.format_date(item.deadline.place_from, "LLLL y")
        msg = (
            _("Right to a place by the end of {month}")
            if item.deadline.place_by_end_of_month
            else _("Right to a place from {month}")
        )
        body.append(ft.Text(msg.format(month=place), color=theme.ON_SURFACE))
    if item.blocked_by:
        body.append(ft.Text(waiting_for(t, timeline, item), color=theme.MUTED_TEXT))
    body.append(_section(_("Why it matters"), [ft.Text(text.why, color=theme.ON_SURFACE)]))
    if text.bring:
        body.append(
            _section(
                _("What to bring"),
                [ft.Text(f"• {thing}", color=theme.ON_SURFACE) for thing in text.bring],
            )
        )
    where = [ft.Text(text.where, color=theme.ON_SURFACE)]
    if item.step.agency:
        agency = agency_text(t, item.step.agency)
        where.append(ft.Text(_("Agency: {agency}").format(agency=agency), color=theme.MUTED_TEXT))
    body.append(_section(_("Where to go"), where))
    if item.step.uncertain:
        body.append(
            tagged(
                "detail-uncertain",
                ft.Container(
                    content=ft.Column(
                        [
                            ft.Row(
                                [
                                    ft.Icon(ft.Icons.HELP_OUTLINE, color=theme.UNCERTAIN_TEXT),
                                    ft.Text(
                                        _("Not fully confirmed"),
                                        weight=ft.FontWeight.BOLD,
                                        color=theme.UNCERTAIN_TEXT,
                                    ),
                                ]
                            ),
                            ft.Text(
                                text.uncertain_note
                                or _(
                                    "Part of this information could not be "
                                    "confirmed. Check the official source."
                                ),
                                color=theme.UNCERTAIN_TEXT,
                            ),
                        ]
                    ),
                    bgcolor=theme.UNCERTAIN_BG,
                    padding=12,
                    border_radius=8,
                ),
            )
        )
    body += [
        button(
            "detail-source",
            _("Official source"),
            None,
            icon=ft.Icons.OPEN_IN_NEW,
            kind="outlined",
            url=item.step.source_url,
        ),
        ft.Text(
            _("Last checked {date}").format(date=t.format_date(item.step.last_checked)),
            color=theme.MUTED_TEXT,
            size=13,
        ),
        _section(
            _("Your notes"),
            [
                tagged(
                    "detail-note",
                    ft.TextField(
                        value=note,
                        multiline=True,
                        min_lines=2,
                        max_length=2000,
                        label=_("Notes"),
                        on_change=lambda e: set_note(e.control.value or ""),
                    ),
                ),
                button(
                    "detail-note-save",
                    _("Save note"),
                    lambda: state.save_note(item_key, note),
                    icon=ft.Icons.SAVE,
                    kind="outlined",
                ),
            ],
        ),
        error_banner(t, state.error),
    ]
    actions: list[ft.Control] = []
    if item.status == TODO:
        actions += [
            button(
                "detail-done",
                _("Mark as done"),
                lambda: state.set_status(item_key, DONE),
                icon=ft.Icons.CHECK,
            ),
            button(
                "detail-not-relevant",
                _("Not relevant to me"),
                lambda: state.set_status(item_key, NOT_RELEVANT),
                kind="outlined",
            ),
        ]
    else:
        actions.append(
            button(
                "detail-undo",
                _("Undo"),
                lambda: state.set_status(item_key, TODO),
                icon=ft.Icons.UNDO,
                kind="outlined",
            )
        )
    return ft.View(
        route=f"/step/{item_key}",
        appbar=ft.AppBar(
            title=ft.Text(_("Step")),
            leading=ft.Semantics(
                identifier="detail-back",
                content=ft.IconButton(ft.Icons.ARROW_BACK, tooltip=_("Back"), on_click=state.close_step),
            ),
        ),
        controls=[
            readable(
                ft.Column(
                    [
                        ft.Column(body, spacing=14, scroll=ft.ScrollMode.AUTO, expand=True),
                        ft.Row(actions, wrap=True),
                    ],
                    expand=True,
                )
            )
        ],
        padding=16,
    )


def AssigneePicker(state: AppState, item_key: str) -> ft.Control:
    """'Who does this': anyone in the family, or nobody yet."""
    t = get_translator(state.language)
    _ = t.gettext
    nobody = "-"
    members = state.family.get("members", []) if state.family else []
    return tagged(
        "detail-assignee",
        ft.Dropdown(
            label=_("Who does this"),
            value=state.assignees.get(item_key) or nobody,
            options=[ft.DropdownOption(key=nobody, text=_("Nobody yet"))]
            + [
                ft.DropdownOption(key=m["member_id"], text=m["display_name"] or _("(no name)"))
                for m in members
            ],
            on_select=lambda e: state.assign_step(
                item_key, "" if e.control.value == nobody else e.control.value
            ),
        ),
    )
