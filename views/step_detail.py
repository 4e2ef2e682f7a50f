"""One step in full: why it matters, what to bring, where to go, the source, notes, actions."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.family import FamilyState
from app.state.navigation import Navigation
from app.state.profile import ProfileState
from app.state.steps import StepsState
from services.content import step_text
from services.i18n import Translator
from services.municipal import load_municipal
from services.timeline import DONE, NOT_RELEVANT, TODO
from views.common import (
    NoticeBar,
    agency_text,
    button,
    done_by_text,
    dropdown,
    due_text,
    error_banner,
    heading,
    icon_button,
    item_title,
    readable,
    screen,
    tagged,
    translation_notes,
    use_t,
    waiting_for,
)
from views.step_rules import closed_day_text, deadline_rule_text, municipal_notes, place_text

NOBODY = "-"


def section(title: str, body: list[ft.Control]) -> ft.Control:
    return ft.Column([heading(title, size=18), *body], spacing=4)


def uncertain_box(t: Translator, note: str) -> ft.Control:
    _ = t.gettext
    return tagged(
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
                        note
                        or _("Part of this information could not be confirmed. Check the official source."),
                        color=theme.UNCERTAIN_TEXT,
                    ),
                ]
            ),
            bgcolor=theme.UNCERTAIN_BG,
            padding=12,
            border_radius=8,
        ),
    )


def assignee_picker(t: Translator, steps: StepsState, family: FamilyState, item_key: str) -> ft.Control:
    """'Who does this': anyone in the family, or nobody yet."""
    _ = t.gettext
    members = (family.family or {}).get("members", [])
    return dropdown(
        "detail-assignee",
        _("Who does this"),
        steps.assignees.get(item_key) or NOBODY,
        [(NOBODY, _("Nobody yet"))]
        + [(m["member_id"], m["display_name"] or _("(no name)")) for m in members],
        lambda value: steps.assign(item_key, "" if value == NOBODY else value),
    )


@ft.component
def StepDetail(item_key: str, steps: StepsState, profile_state: ProfileState, family: FamilyState,
               nav: Navigation) -> ft.View:  # fmt: skip
    t = use_t()
    _ = t.gettext
    note, set_note = ft.use_state(steps.notes.get(item_key, ""))
    profile = profile_state.profile
    item = steps.timeline(profile).items.get(item_key) if profile else None
    appbar = ft.AppBar(
        title=ft.Text(_("Step")),
        leading=icon_button("detail-back", ft.Icons.ARROW_BACK, _("Back"), nav.back),
    )
    if item is None or profile is None:  # the profile changed and the step no longer applies
        return ft.View(
            route=f"/steps/{item_key}",
            appbar=appbar,
            controls=[ft.Text(_("This step is no longer part of your timeline."), color=theme.ON_SURFACE)],
            padding=16,
        )
    timeline = steps.timeline(profile)
    text = step_text(item.step.id, t.code)
    status_text = {DONE: _("Done"), NOT_RELEVANT: _("Not relevant to me"), TODO: _("To do")}
    body: list[ft.Control] = [
        heading(item_title(t, item, profile.children), size=24),
        *translation_notes(t, text),
        ft.Text(
            _("Status: {status}").format(status=status_text[item.status]),
            color=theme.DONE_TEXT if item.status == DONE else theme.MUTED_TEXT,
        ),
    ]
    if by := done_by_text(t, steps.authors.get(item.key), item.status):
        body.append(tagged("detail-done-by", ft.Text(by, color=theme.MUTED_TEXT)))
    if family.household_id and family.family:
        body.append(assignee_picker(t, steps, family, item.key))
    if due := due_text(t, item, steps.runtime.today):
        color = theme.OVERDUE_TEXT if item.overdue else theme.ON_SURFACE
        body.append(tagged("detail-due", ft.Text(due, size=16, weight=ft.FontWeight.W_500, color=color)))
    municipal = load_municipal()
    for identifier, line in (
        ("detail-closed-day", closed_day_text(t, item)),
        ("detail-deadline-rule", deadline_rule_text(t, item, profile.municipality, municipal)),
        ("detail-place", place_text(t, item)),
    ):
        if line:
            body.append(tagged(identifier, ft.Text(line, color=theme.ON_SURFACE)))
    if item.blocked_by:
        body.append(ft.Text(waiting_for(t, timeline, item, profile.children), color=theme.MUTED_TEXT))
    body.append(section(_("Why it matters"), [ft.Text(text.why, color=theme.ON_SURFACE)]))
    if text.bring:
        body.append(
            section(
                _("What to bring"), [ft.Text(f"• {thing}", color=theme.ON_SURFACE) for thing in text.bring]
            )
        )
    where: list[ft.Control] = [ft.Text(text.where, color=theme.ON_SURFACE)]
    if item.step.agency:
        where.append(
            ft.Text(
                _("Agency: {agency}").format(agency=agency_text(t, item.step.agency)), color=theme.MUTED_TEXT
            )
        )
    where += municipal_notes(t, item, profile.municipality, municipal)
    body.append(section(_("Where to go"), where))
    if item.step.uncertain:
        body.append(uncertain_box(t, text.uncertain_note))
    body += [
        button(
            "detail-source",
            _("Official source"),
            None,
            icon=ft.Icons.OPEN_IN_NEW,
            kind="outlined",
            url=item.step.source_url,
        ),
        tagged(
            "detail-checked",
            ft.Text(
                _("Last checked {date}").format(date=t.format_date(item.step.last_checked))
                if item.step.last_checked
                else _("Not yet checked against the source"),
                color=theme.MUTED_TEXT,
                size=13,
            ),
        ),
        section(
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
                    lambda: steps.save_note(item_key, note),
                    icon=ft.Icons.SAVE,
                    kind="outlined",
                ),
            ],
        ),
        error_banner(t, steps.error),
    ]
    if item.status == TODO:
        actions = [
            button(
                "detail-done",
                _("Mark as done"),
                lambda: steps.set_status(item_key, DONE),
                icon=ft.Icons.CHECK,
            ),
            button(
                "detail-not-relevant",
                _("Not relevant to me"),
                lambda: steps.set_status(item_key, NOT_RELEVANT),
                kind="outlined",
            ),
        ]
    else:
        actions = [
            button(
                "detail-undo",
                _("Undo"),
                lambda: steps.set_status(item_key, TODO),
                icon=ft.Icons.UNDO,
                kind="outlined",
            )
        ]
    return ft.View(
        route=f"/steps/{item_key}",
        appbar=appbar,
        controls=[
            readable(
                ft.Column(
                    [
                        NoticeBar(nav),
                        screen("detail", body, spacing=14),
                        ft.Row(actions, wrap=True),
                    ],
                    expand=True,
                )
            )
        ],
        padding=16,
    )
