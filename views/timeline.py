"""The timeline tab: the next three actions on top, then each phase with its progress."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state import AppState
from services.i18n import get_translator
from services.municipalities import get_municipality
from services.timeline import DONE, TODO, Phase, Timeline, TimelineItem
from views.common import PHASE_TITLES, assignee_text, done_by_text, due_text, item_title, tagged, waiting_for


def _badges(state: AppState, timeline: Timeline, item: TimelineItem) -> list[ft.Control]:
    t = get_translator(state.language)
    _ = t.gettext
    badges: list[ft.Control] = []

    def badge(text: str, color: str, bg: str, icon: ft.IconData) -> ft.Control:
        return ft.Container(
            content=ft.Row(
                [ft.Icon(icon, size=16, color=color), ft.Text(text, color=color, size=13)],
                spacing=4,
                tight=True,
            ),
            bgcolor=bg,
            padding=ft.Padding.symmetric(horizontal=8, vertical=2),
            border_radius=12,
        )

    if item.overdue:
        badges.append(badge(_("Overdue"), theme.OVERDUE_TEXT, theme.OVERDUE_BG, ft.Icons.WARNING))
    elif item.due_soon:
        badges.append(badge(_("Due soon"), theme.SOON_TEXT, theme.SOON_BG, ft.Icons.SCHEDULE))
    if item.state == "blocked":
        badges.append(ft.Text(waiting_for(t, timeline, item), color=theme.MUTED_TEXT, size=13))
    if item.status == "not_relevant":
        badges.append(ft.Text(_("Not relevant to me"), color=theme.MUTED_TEXT, size=13))
    if item.step.uncertain:
        badges.append(
            badge(
                _("Not fully confirmed"),
                theme.UNCERTAIN_TEXT,
                theme.UNCERTAIN_BG,
                ft.Icons.HELP_OUTLINE,
            )
        )
    return badges


def item_row(state: AppState, timeline: Timeline, item: TimelineItem, prefix: str = "item") -> ft.Control:
    """One step: a tick button, its title, due date and badges; tapping opens the details."""
    t = get_translator(state.language)
    _ = t.gettext
    title = item_title(t, item)
    done = item.status == DONE
    subtitle: list[ft.Control] = []
    if due := due_text(t, item, state.today):
        subtitle.append(ft.Text(due, color=theme.OVERDUE_TEXT if item.overdue else theme.MUTED_TEXT, size=14))
    family = [
        x for x in (assignee_text(t, state, item.key), done_by_text(t, state, item.key, item.status)) if x
    ]
    if family:
        subtitle.append(ft.Text(" · ".join(family), color=theme.MUTED_TEXT, size=13))
    subtitle.append(ft.Row(_badges(state, timeline, item), wrap=True, spacing=6))
    tick_label = (_("Mark as not done: {step}") if done else _("Mark as done: {step}")).format(step=title)
    return ft.Container(
        content=ft.Row(
            [
                tagged(
                    f"tick-{item.key}",
                    ft.IconButton(
                        icon=ft.Icons.CHECK_BOX if done else ft.Icons.CHECK_BOX_OUTLINE_BLANK,
                        icon_color=theme.DONE_TEXT if done else theme.SEED,
                        tooltip=tick_label,
                        width=theme.MIN_TAP,
                        height=theme.MIN_TAP,
                        on_click=lambda: state.set_status(item.key, TODO if done else DONE),
                    ),
                    label=tick_label,
                ),
                ft.Container(
                    expand=True,
                    content=tagged(
                        f"{prefix}-{item.key}",
                        ft.ListTile(
                            title=ft.Text(
                                title,
                                size=16,
                                color=theme.MUTED_TEXT if done else theme.ON_SURFACE,
                                weight=ft.FontWeight.W_500,
                            ),
                            subtitle=ft.Column(subtitle, spacing=2, tight=True),
                            min_height=theme.MIN_TAP,
                            content_padding=ft.Padding.only(left=4, right=4),
                            on_click=lambda: state.open_step(item.key),
                            tooltip=_("Open details"),
                        ),
                    ),
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
            spacing=0,
        ),
        bgcolor=theme.OVERDUE_BG if item.overdue else None,
        border_radius=8,
    )


def phase_section(state: AppState, timeline: Timeline, phase: Phase) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    if not phase.items:
        return ft.Container(height=0)
    return tagged(
        f"phase-{phase.id}",
        ft.Column(
            [
                ft.Text(
                    _(PHASE_TITLES[phase.id]),
                    size=20,
                    weight=ft.FontWeight.BOLD,
                    color=theme.ON_SURFACE,
                ),
                ft.Row(
                    [
                        ft.ProgressBar(
                            value=phase.progress,
                            color=theme.SEED,
                            expand=True,
                            semantics_label=_(PHASE_TITLES[phase.id]),
                        ),
                        ft.Text(
                            t.ngettext(
                                "{done} of {total} done", "{done} of {total} done", phase.relevant
                            ).format(done=phase.done, total=phase.relevant),
                            color=theme.MUTED_TEXT,
                            size=14,
                        ),
                    ]
                ),
                *[item_row(state, timeline, item) for item in phase.items],
            ],
            spacing=6,
        ),
    )


@ft.component
def TimelineTab(state: AppState) -> ft.Control:
    t = get_translator(state.language)
    _ = t.gettext
    if state.profile is None:  # the family's profile just left this phone; the wizard follows
        return ft.Container()
    timeline = state.timeline()
    profile = state.profile
    place = get_municipality(profile.municipality) if profile else None
    header = (
        _("Your first year in {place}").format(place=place.name)
        if place
        else _("Your first year in Nordland")
    )
    intro: list[ft.Control] = [ft.Text(header, size=24, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)]
    if profile and profile.arrival_date is None:
        intro.append(
            ft.Text(_("Add your arrival date in Settings to see deadlines."), color=theme.MUTED_TEXT)
        )
    if not state.lang.reviewed:
        intro.append(
            ft.Text(
                _("Machine-translated, not yet reviewed."),
                color=theme.MUTED_TEXT,
                italic=True,
                size=13,
            )
        )
    next_block: list[ft.Control] = [
        ft.Text(_("Next steps"), size=20, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE)
    ]
    if timeline.next_actions:
        next_block += [item_row(state, timeline, item, prefix="next") for item in timeline.next_actions]
    else:
        next_block.append(ft.Text(_("Nothing waiting right now. Well done!"), color=theme.DONE_TEXT))
    return tagged(
        "timeline",
        ft.Column(
            [
                *intro,
                ft.Container(
                    content=ft.Column(next_block, spacing=6),
                    bgcolor=theme.NEXT_BG,
                    padding=12,
                    border_radius=12,
                ),
                *[phase_section(state, timeline, phase) for phase in timeline.phases],
            ],
            spacing=16,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        ),
    )
