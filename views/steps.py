"""My steps: the next three actions on top, then each phase with its progress."""

from __future__ import annotations

from datetime import date

import flet as ft

from app import theme
from app.state.family import FamilyState
from app.state.navigation import Navigation
from app.state.profile import ProfileState
from app.state.settings import SettingsState
from app.state.steps import StepsState
from services.i18n import Translator
from services.municipalities import get_municipality
from services.profile import Profile
from services.timeline import DONE, TODO, Phase, Timeline, TimelineItem
from views.common import (
    PHASE_TITLES,
    assignee_text,
    done_by_text,
    due_text,
    error_banner,
    heading,
    item_title,
    screen,
    tagged,
    use_t,
    waiting_for,
)


def badge(text: str, color: str, bg: str, icon: ft.IconData) -> ft.Control:
    return ft.Container(
        content=ft.Row(
            [ft.Icon(icon, size=16, color=color), ft.Text(text, color=color, size=13)], spacing=4, tight=True
        ),
        bgcolor=bg,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
        border_radius=12,
    )


def badges(t: Translator, timeline: Timeline, item: TimelineItem, profile: Profile) -> list[ft.Control]:
    _ = t.gettext
    found: list[ft.Control] = []
    if item.overdue:
        found.append(badge(_("Overdue"), theme.OVERDUE_TEXT, theme.OVERDUE_BG, ft.Icons.WARNING))
    elif item.due_soon:
        found.append(badge(_("Due soon"), theme.SOON_TEXT, theme.SOON_BG, ft.Icons.SCHEDULE))
    if item.state == "blocked":
        found.append(
            ft.Text(waiting_for(t, timeline, item, profile.children), color=theme.MUTED_TEXT, size=13)
        )
    if item.status == "not_relevant":
        found.append(ft.Text(_("Not relevant to me"), color=theme.MUTED_TEXT, size=13))
    if item.step.uncertain:
        found.append(
            badge(_("Not fully confirmed"), theme.UNCERTAIN_TEXT, theme.UNCERTAIN_BG, ft.Icons.HELP_OUTLINE)
        )
    return found


def item_row(
    t: Translator,
    today: date,
    steps: StepsState,
    family: FamilyState,
    nav: Navigation,
    timeline: Timeline,
    item: TimelineItem,
    profile: Profile,
    prefix: str = "item",
) -> ft.Control:
    """One step: a checkbox (role, name and checked state for screen readers), its title, due date
    and badges; tapping the text opens the details."""
    _ = t.gettext
    title = item_title(t, item, profile.children)
    done = item.status == DONE
    lines: list[ft.Control] = [
        ft.Text(
            title, size=16, color=theme.MUTED_TEXT if done else theme.ON_SURFACE, weight=ft.FontWeight.W_500
        )
    ]
    if due := due_text(t, item, today):
        lines.append(ft.Text(due, color=theme.OVERDUE_TEXT if item.overdue else theme.MUTED_TEXT, size=14))
    member = steps.assignees.get(item.key)
    family_facts = [
        x
        for x in (
            assignee_text(t, family.member_name(member) if member else ""),
            done_by_text(t, steps.authors.get(item.key), item.status),
        )
        if x
    ]
    if family_facts:
        lines.append(ft.Text(" · ".join(family_facts), color=theme.MUTED_TEXT, size=13))
    if found := badges(t, timeline, item, profile):
        lines.append(ft.Row(found, wrap=True, spacing=6))
    return ft.Container(
        content=ft.Row(
            [
                tagged(
                    f"tick-{item.key}",
                    ft.Checkbox(
                        value=done,
                        semantics_label=title,
                        active_color=theme.DONE_TEXT,
                        on_change=lambda e: steps.set_status(item.key, DONE if e.control.value else TODO),
                        width=theme.MIN_TAP,
                        height=theme.MIN_TAP,
                    ),
                ),
                tagged(
                    f"{prefix}-{item.key}",
                    ft.Container(
                        content=ft.Column(lines, spacing=2, tight=True),
                        padding=ft.Padding.symmetric(vertical=14, horizontal=4),
                        on_click=lambda: nav.open_step(item.key),
                        border_radius=8,
                    ),
                    button=True,
                    expand=True,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
            spacing=0,
        ),
        bgcolor=theme.OVERDUE_BG if item.overdue else None,
        border_radius=8,
    )


def phase_section(t: Translator, phase: Phase, rows: list[ft.Control]) -> ft.Control:
    _ = t.gettext
    if not phase.items:
        return ft.Container(height=0)
    progress = t.ngettext("{done} of {total} done", "{done} of {total} done", phase.relevant).format(
        done=phase.done, total=phase.relevant
    )
    return tagged(
        f"phase-{phase.id}",
        ft.Column(
            [
                heading(_(PHASE_TITLES[phase.id])),
                ft.Row(
                    [
                        ft.ProgressBar(
                            value=phase.progress,
                            color=theme.SEED,
                            expand=True,
                            semantics_label=f"{_(PHASE_TITLES[phase.id])}: {progress}",
                        ),
                        ft.Text(progress, color=theme.MUTED_TEXT, size=14),
                    ]
                ),
                *rows,
            ],
            spacing=6,
        ),
    )


@ft.component
def StepsTab(steps: StepsState, profile_state: ProfileState, family: FamilyState, settings: SettingsState,
             nav: Navigation) -> ft.Control:  # fmt: skip
    t = use_t()
    _ = t.gettext
    profile = profile_state.profile
    if profile is None:  # the family's profile just left this phone; the wizard follows
        return ft.Container()
    today = steps.runtime.today
    timeline = steps.timeline(profile)
    place = get_municipality(profile.municipality)
    header = (
        _("Your first year in {place}").format(place=place.name)
        if place
        else _("Your first year in Nordland")
    )
    intro: list[ft.Control] = [heading(header, size=24)]
    if profile.arrival_date is None:
        intro.append(
            ft.Text(_("Add your arrival date in Settings to see deadlines."), color=theme.MUTED_TEXT)
        )
    if not settings.lang.reviewed:
        intro.append(
            ft.Text(_("Machine-translated, not yet reviewed."), color=theme.MUTED_TEXT, italic=True, size=13)
        )

    def row(item: TimelineItem, prefix: str = "item") -> ft.Control:
        return item_row(t, today, steps, family, nav, timeline, item, profile, prefix)

    next_block: list[ft.Control] = [heading(_("Next steps"))]
    if timeline.next_actions:
        next_block += [row(item, prefix="next") for item in timeline.next_actions]
    else:
        next_block.append(ft.Text(_("Nothing waiting right now. Well done!"), color=theme.DONE_TEXT))
    return screen(
        "timeline",
        [
            *intro,
            error_banner(t, steps.error),
            ft.Container(
                content=ft.Column(next_block, spacing=6), bgcolor=theme.NEXT_BG, padding=12, border_radius=12
            ),
            *[phase_section(t, phase, [row(item) for item in phase.items]) for phase in timeline.phases],
        ],
        spacing=16,
    )
