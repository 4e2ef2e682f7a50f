"""Small building blocks every screen uses: accessible buttons, banners, step titles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from app import theme
from services.content import StepText, step_text
from services.i18n import N_, Translator
from services.timeline import Timeline, TimelineItem

Handler = Callable[[], None]


def tagged(identifier: str, control: ft.Control, label: str | None = None) -> ft.Semantics:
    """Give a control a stable, language-independent test handle (flt-semantics-identifier).

    The identifier is also the control's key, so list diffs never reuse a node for another item
    (Flutter web does not refresh a reused node's identifier)."""
    return ft.Semantics(identifier=identifier, label=label, content=control, key=identifier)


def button(
    identifier: str,
    text: str,
    on_click: Handler | None,
    icon: ft.IconData | None = None,
    kind: str = "filled",
    url: str | None = None,
) -> ft.Semantics:
    """A labelled button at least 48 px tall ("filled", "outlined" or "text")."""
    cls = {"filled": ft.FilledButton, "outlined": ft.OutlinedButton, "text": ft.TextButton}[kind]
    return tagged(
        identifier,
        cls(content=text, icon=icon, on_click=on_click, height=theme.MIN_TAP, url=url, tooltip=text),
    )


def icon_button(identifier: str, icon: ft.IconData, tooltip: str, on_click: Handler) -> ft.Semantics:
    """An icon-only button: the tooltip is its accessible name."""
    return tagged(
        identifier,
        ft.IconButton(
            icon=icon, tooltip=tooltip, on_click=on_click, width=theme.MIN_TAP, height=theme.MIN_TAP
        ),
    )


READABLE_WIDTH = 760


def readable(content: ft.Control) -> ft.Control:
    """Phones use the full width; on a desktop the content stays a comfortable column, centred."""
    width = ft.context.page.width or 0
    if width <= READABLE_WIDTH + 40:
        return content
    return ft.Row(
        [ft.Container(content=content, width=READABLE_WIDTH)],
        alignment=ft.MainAxisAlignment.CENTER,
        vertical_alignment=ft.CrossAxisAlignment.STRETCH,
        expand=True,
    )


def error_banner(t: Translator, message: str | None) -> ft.Control:
    """A translated error message, announced to screen readers."""
    if not message:
        return ft.Container(height=0)
    return tagged(
        "error",
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, color=theme.OVERDUE_TEXT),
                    ft.Text(t.gettext(message), color=theme.OVERDUE_TEXT, expand=True),
                ]
            ),
            bgcolor=theme.OVERDUE_BG,
            padding=12,
            border_radius=8,
        ),
    )


def translation_notes(t: Translator, text: StepText) -> list[ft.Control]:
    """Say honestly when a text is a fallback or a machine-drafted translation."""
    notes: list[ft.Control] = []
    if text.is_fallback(t.code):
        notes.append(
            ft.Text(
                t.gettext("Not translated yet — shown in English."),
                color=theme.MUTED_TEXT,
                italic=True,
                size=13,
            )
        )
    elif text.machine_drafted:
        notes.append(
            ft.Text(
                t.gettext("Machine-translated, not yet reviewed."),
                color=theme.MUTED_TEXT,
                italic=True,
                size=13,
            )
        )
    return notes


def item_title(t: Translator, item: TimelineItem) -> str:
    """The step's title in the user's language; per-child steps carry the child's label."""
    title = step_text(item.step.id, t.code).title
    if item.child is not None:
        return t.gettext("{title} ({child})").format(title=title, child=item.child.label)
    return title


def waiting_for(t: Translator, timeline: Timeline, item: TimelineItem) -> str:
    """'Waiting for: A and B' — the open prerequisites of an item, by title."""
    names = [item_title(t, timeline.items[k]) for k in item.blocked_by]
    return t.gettext("Waiting for: {steps}").format(steps=t.format_list(names))


def due_text(t: Translator, item: TimelineItem, today: object) -> str | None:
    """'Due 1 March 2027 · in 3 months', or None when the step has no deadline."""
    if item.due is None:
        return None
    return t.gettext("Due {date} · {relative}").format(
        date=t.format_date(item.due), relative=t.format_relative(item.due, today)
    )


# Agencies in the catalog are proper names (UDI, NAV …) or these generic words, which translate.
AGENCY_WORDS = (N_("Police"), N_("Municipality"), N_("Bank"))


def agency_text(t: Translator, agency: str) -> str:
    """'UDI / Police' → 'UDI / Politiet': generic words translated, proper names kept."""
    return " / ".join(t.gettext(part) if part in AGENCY_WORDS else part for part in agency.split(" / "))


PHASE_TITLES = {  # msgids, translated where shown
    "before_arrival": N_("Before arrival"),
    "first_week": N_("First week"),
    "first_month": N_("First month"),
    "first_three_months": N_("First three months"),
    "first_year": N_("First year"),
}


def done_by_text(t: Translator, state: object, item_key: str, status: str) -> str:
    """'Done by Ana, 3 December 2026' when a family member's name is known for the tick."""
    author = state.authors.get(item_key)  # type: ignore[attr-defined]
    if not author or status == "todo":
        return ""
    name, wall_ms = author
    when = t.format_date(datetime.fromtimestamp(wall_ms / 1000, UTC).date())
    if status == "done":
        return t.gettext("Done by {name}, {date}").format(name=name, date=when)
    return t.gettext("Marked not relevant by {name}, {date}").format(name=name, date=when)


def assignee_text(t: Translator, state: object, item_key: str) -> str:
    """'For Marek' when the step is assigned to someone in the family."""
    member = state.assignees.get(item_key)  # type: ignore[attr-defined]
    name = state.member_name(member) if member else ""  # type: ignore[attr-defined]
    return t.gettext("For {name}").format(name=name) if name else ""


def card(identifier: str, rows: list[ft.Control], spacing: int = 6) -> ft.Semantics:
    """A bordered card of rows (a host, a visit), with its test handle."""
    return tagged(
        identifier,
        ft.Container(
            content=ft.Column(rows, spacing=spacing),
            padding=12,
            border=ft.Border.all(1, theme.OUTLINE),
            border_radius=12,
        ),
    )


def text_input(
    identifier: str, label: str, value: str, on_value: Callable[[str], None], **options: object
) -> ft.Semantics:
    """A labelled text field whose every change goes to `on_value` (a use_state setter)."""
    return tagged(
        identifier,
        ft.TextField(
            label=label, value=value, on_change=lambda e: on_value(e.control.value or ""), **options
        ),
    )
