"""Small building blocks every screen uses: the translator, accessible buttons and fields, headings,
banners, chips, step titles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import flet as ft

from app import theme
from app.state.navigation import Navigation
from app.state.settings import SettingsState
from services.content import StepText, step_text
from services.employer_tasks import TaskText
from services.i18n import N_, Translator, get_translator
from services.timeline import Timeline, TimelineItem
from views.messages import error_text

Handler = Callable[..., Any]

# The settings slice, provided by the shell: a component that translates subscribes to it and so
# re-renders when the language changes.
SETTINGS = ft.create_context(None)


def use_t() -> Translator:
    """The translator for the language on screen (inside a component)."""
    settings: SettingsState | None = ft.use_context(SETTINGS)
    return get_translator(settings.language if settings is not None else None)


def tagged(
    identifier: str,
    control: ft.Control,
    label: str | None = None,
    expand: bool | int | None = None,
    **flags: Any,
) -> ft.Semantics:
    """Give a control a stable, language-independent test handle (flt-semantics-identifier).

    The identifier is also the control's key, so list diffs never reuse a node for another item
    (Flutter web does not refresh a reused node's identifier). `expand` must be set here when the
    control expands: a Semantics wrapper that does not expand keeps its content from scrolling.
    `flags` are Semantics properties (selected, checked, button, header …)."""
    return ft.Semantics(
        identifier=identifier, label=label, content=control, key=identifier, expand=expand, **flags
    )


def button(
    identifier: str,
    text: str,
    on_click: Handler | None,
    icon: ft.IconData | None = None,
    kind: str = "filled",
    url: str | None = None,
) -> ft.Semantics:
    """A labelled button ("filled", "outlined" or "text"), 48 px tall for one line of text and
    taller when large text wraps its label (a fixed height would cut it off). Its text is its
    name: no tooltip, which screen readers would read a second time."""
    cls = {"filled": ft.FilledButton, "outlined": ft.OutlinedButton, "text": ft.TextButton}[kind]
    return tagged(
        identifier,
        cls(
            content=text,
            icon=icon,
            on_click=on_click,
            url=url,
            style=_button_style(12 if kind == "text" else 24),
        ),
    )


def confirm_buttons(
    identifier: str, confirm_label: str, on_confirm: Handler | None, on_cancel: Handler, t: Translator
) -> ft.Row:
    """The two answers to "are you sure?": `<identifier>-confirm` and `<identifier>-cancel`."""
    return ft.Row(
        [
            button(f"{identifier}-confirm", confirm_label, on_confirm, kind="outlined"),
            button(f"{identifier}-cancel", t.gettext("Cancel"), on_cancel, kind="text"),
        ],
        wrap=True,
    )


def _button_style(horizontal: int) -> ft.ButtonStyle:
    # Standard density everywhere: Flutter makes desktop and browser buttons compact (32 px), and
    # 14 px above and below one line of 20 px text is the 48 px target.
    padding = ft.Padding.symmetric(vertical=(theme.MIN_TAP - 20) // 2, horizontal=horizontal)
    return ft.ButtonStyle(visual_density=ft.VisualDensity.STANDARD, padding=padding)


def icon_button(
    identifier: str, icon: ft.IconData, name: str, on_click: Handler | None, color: str = theme.SEED
) -> ft.Semantics:
    """An icon-only button, 48×48: one semantics node with the button role and `name` (an
    IconButton would name only a wrapper around its own unnamed button node)."""
    return tagged(
        identifier,
        ft.Container(
            content=ft.Icon(icon, color=color if on_click else theme.MUTED_TEXT),
            width=theme.MIN_TAP,
            height=theme.MIN_TAP,
            alignment=ft.Alignment.CENTER,
            border_radius=theme.MIN_TAP // 2,
            on_click=on_click,
            ink=True,
        ),
        label=name,
        button=True,
    )


def choice(
    identifier: str,
    text: str,
    selected: bool,
    on_click: Handler,
    subtitle: str = "",
    font_family: str | None = None,
    compact: bool = False,
) -> ft.Semantics:
    """One of several answers, at least 48 px tall: tapping selects it (it never moves on), and it
    says to screen readers whether it is the selected one. `compact`: centred text, no mark (a
    switch between sections, where the border and colour show the choice)."""
    lines: list[ft.Control] = [
        ft.Text(
            text,
            size=16,
            color=theme.ON_SURFACE,
            font_family=font_family,
            text_align=ft.TextAlign.CENTER if compact else ft.TextAlign.START,
            weight=ft.FontWeight.W_500 if compact and selected else ft.FontWeight.NORMAL,
        )
    ]
    if subtitle:
        lines.append(ft.Text(subtitle, size=13, color=theme.MUTED_TEXT))
    column = ft.Column(
        lines,
        spacing=0,
        tight=True,
        expand=True,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER if compact else ft.CrossAxisAlignment.START,
    )
    mark = ft.Icon(ft.Icons.CHECK_CIRCLE if selected else ft.Icons.CIRCLE_OUTLINED, color=theme.SEED)
    vertical = 14 if compact else (16 if not subtitle else 8)
    return tagged(
        identifier,
        ft.Container(
            content=ft.Row([column] if compact else [mark, column]),
            padding=ft.Padding.symmetric(horizontal=8 if compact else 16, vertical=vertical),
            border=ft.Border.all(2 if selected else 1, theme.SEED if selected else theme.OUTLINE),
            border_radius=12,
            bgcolor=theme.NEXT_BG if selected else None,
            on_click=on_click,
            ink=True,
        ),
        button=True,
        selected=selected,
    )


def disclosure(identifier: str, text: str, expanded: bool, on_toggle: Handler) -> ft.Semantics:
    """A heading-like row that shows or hides what follows it (a notice, a list); says to screen
    readers whether it is expanded."""
    return tagged(
        identifier,
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.EXPAND_LESS if expanded else ft.Icons.EXPAND_MORE, color=theme.SEED),
                    ft.Text(text, color=theme.SEED, weight=ft.FontWeight.W_500),
                ],
                tight=True,
            ),
            height=theme.MIN_TAP,
            padding=ft.Padding.symmetric(horizontal=12),
            on_click=on_toggle,
            border_radius=theme.MIN_TAP // 2,
            ink=True,
        ),
        button=True,
        expanded=expanded,
    )


def checkbox(
    identifier: str, text: str, checked: bool, on_change: Handler, subtitle: str = ""
) -> ft.Semantics:
    """A yes/no the person ticks (consent, a choice that stays): the whole row is the 48 px target
    and says to screen readers whether it is checked."""
    lines: list[ft.Control] = [ft.Text(text, size=16, color=theme.ON_SURFACE)]
    if subtitle:
        lines.append(ft.Text(subtitle, size=13, color=theme.MUTED_TEXT))
    mark = ft.Icon(ft.Icons.CHECK_BOX if checked else ft.Icons.CHECK_BOX_OUTLINE_BLANK, color=theme.SEED)
    return tagged(
        identifier,
        ft.Container(
            content=ft.Row([mark, ft.Column(lines, spacing=0, tight=True, expand=True)]),
            padding=ft.Padding.symmetric(horizontal=12, vertical=12),
            border_radius=12,
            on_click=on_change,
            ink=True,
        ),
        checked=checked,  # its name is its text (a label too would be read twice)
    )


def text_field(
    identifier: str, label: str, value: str, on_value: Callable[[str], None], **options: Any
) -> ft.Semantics:
    """A labelled text field whose every change goes to `on_value`, at least 48 px tall."""
    return tagged(
        identifier,
        ft.TextField(
            label=label, value=value, on_change=lambda e: on_value(e.control.value or ""), **options
        ),
    )


def code_field(identifier: str, label: str, value: str, on_value: Callable[[str], None]) -> ft.Semantics:
    """A field for a single-use code (family, employer, staff): capitals, the code's shape as hint;
    a pasted link fits too."""
    return text_field(
        identifier,
        label,
        value,
        on_value,
        hint_text="ABCD-EFGH-JKMN",
        max_length=80,
        capitalization=ft.TextCapitalization.CHARACTERS,
    )


def code_display(identifier: str, code: str, label: str) -> ft.Semantics:
    """A code to read out or type on another phone: large, selectable, and spelled character by
    character for screen readers (`label` has a {code} slot)."""
    text = ft.Text(
        code,
        size=28,
        weight=ft.FontWeight.BOLD,
        font_family="monospace",
        selectable=True,
        color=theme.ON_SURFACE,
    )
    return tagged(
        identifier,
        ft.Container(text, height=56, alignment=ft.Alignment.CENTER_LEFT),
        label=label.format(code=" ".join(code)),
    )


def welcome_view(
    route: str, identifier: str, body: list[ft.Control], back: tuple[str, Handler], t: Translator
) -> ft.View:
    """A first-run screen other than the questions (joining a family, an employer's code): the
    app's welcome title and a back arrow to the questions."""
    back_id, on_back = back
    return ft.View(
        route=route,
        can_pop=False,
        appbar=ft.AppBar(
            title=ft.Text(t.gettext("Welcome to Nordland")),
            leading=icon_button(back_id, ft.Icons.ARROW_BACK, t.gettext("Back"), on_back),
        ),
        controls=[readable(screen(identifier, body))],
        padding=16,
    )


def dropdown(
    identifier: str,
    label: str,
    value: str | None,
    options: Sequence[tuple[str, str]],
    on_value: Callable[[str], None],
    width: int | None = None,
) -> ft.Semantics:
    """A labelled dropdown (key, text options); the label is also its accessible name."""
    return tagged(
        identifier,
        ft.Dropdown(
            label=label,
            value=value,
            width=width,
            options=[ft.DropdownOption(key=key, text=text) for key, text in options],
            on_select=lambda e: on_value(e.control.value or ""),
        ),
        label=label,
    )


def heading(text: str, size: int = 20) -> ft.Control:
    """A section heading, announced as a heading by screen readers."""
    return ft.Semantics(
        header=True,
        content=ft.Text(text, size=size, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
    )


END_SPACE = 24  # below the last control, so that it never ends flush with the bottom edge


def screen(identifier: str, rows: list[ft.Control], spacing: int = 12) -> ft.Control:
    """A tab's content: one column that scrolls (wheel, touch, keyboard) and fills the space left."""
    column = ft.Column(
        [*rows, ft.Container(height=END_SPACE)], spacing=spacing, scroll=ft.ScrollMode.AUTO, expand=True
    )
    return tagged(identifier, column, expand=True)


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


def banner(
    identifier: str,
    icon: ft.IconData,
    text: str,
    color: str,
    bg: str,
    close: Handler | None = None,
    t: Translator | None = None,
    icon_color: str | None = None,
) -> ft.Control:
    """A message across the screen (an error, a confirmation), read out by screen readers when it
    appears; with `close`, a button to dismiss it."""
    row: list[ft.Control] = [
        ft.Icon(icon, color=icon_color or color),
        ft.Text(text, color=color, expand=True),
    ]
    if close is not None and t is not None:
        row.append(icon_button(f"{identifier}-close", ft.Icons.CLOSE, t.gettext("Close"), close))
    return tagged(
        identifier,
        ft.Container(
            content=ft.Row(row),
            bgcolor=bg,
            padding=ft.Padding.only(left=12) if close else 12,
            border_radius=8,
        ),
        label=text,
        live_region=True,
    )


def error_banner(t: Translator, code: str | None, identifier: str = "error") -> ft.Control:
    """A translated error message, announced to screen readers (`identifier` tells two apart)."""
    if not code:
        return ft.Container(height=0)
    return banner(
        identifier, ft.Icons.ERROR_OUTLINE, error_text(t, code), theme.OVERDUE_TEXT, theme.OVERDUE_BG
    )


@ft.component
def NoticeBar(nav: Navigation) -> ft.Control:
    """The confirmation of the last action on this screen ('Saved on this phone'), dismissible,
    read out by screen readers. It goes when the user moves to another screen."""
    t = use_t()
    if not nav.notice:
        return ft.Container(height=0)
    text = t.gettext(nav.notice).format(name=nav.notice_arg)
    return banner(
        "notice", ft.Icons.CHECK_CIRCLE, text, theme.ON_SURFACE, theme.NOTICE_BG, nav.clear_notice, t
    )


def chip_group(
    prefix: str, options: Sequence[tuple[str, str]], chosen: Sequence[str], on_toggle: Callable[[str], None]
) -> ft.Control:
    """Chips to pick several (code, text) options; each says whether it is selected."""
    return ft.Row(
        [
            tagged(
                f"{prefix}-{code}",
                # A chip is a checkbox to screen readers: its text and checked state, nothing added.
                ft.Chip(
                    label=ft.Text(text),
                    selected=code in chosen,
                    on_select=lambda _e, c=code: on_toggle(c),
                    height=theme.MIN_TAP,
                ),
            )
            for code, text in options
        ],
        wrap=True,
        spacing=6,
        run_spacing=6,
    )


def toggled(chosen: Sequence[str], code: str) -> list[str]:
    """`chosen` with `code` added at the end, or removed when it was there (order kept)."""
    return [c for c in chosen if c != code] if code in chosen else [*chosen, code]


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


def translation_notes(t: Translator, text: StepText | TaskText) -> list[ft.Control]:
    """Say honestly when a text is a fallback or a machine-drafted translation."""
    if text.language != t.code:
        note = t.gettext("Not translated yet — shown in English.")
    elif text.machine_drafted:
        note = t.gettext("Machine-translated, not yet reviewed.")
    else:
        return []
    return [ft.Text(note, color=theme.MUTED_TEXT, italic=True, size=13)]


def child_name(t: Translator, label: str, position: int) -> str:
    """A child's label, or "Child 2" (by position, from 1) in the reader's language."""
    return label.strip() or t.gettext("Child {n}").format(n=position)


def item_title(t: Translator, item: TimelineItem, children: Sequence[Any] = ()) -> str:
    """The step's title in the user's language; per-child steps carry the child's name."""
    title = step_text(item.step.id, t.code).title
    if item.child is None:
        return title
    position = next((n for n, c in enumerate(children, 1) if c.id == item.child.id), 1)
    return t.gettext("{title} ({child})").format(title=title, child=child_name(t, item.child.label, position))


def waiting_for(t: Translator, timeline: Timeline, item: TimelineItem, children: Sequence[Any] = ()) -> str:
    """'Waiting for: A and B' — the open prerequisites of an item, by title."""
    names = [item_title(t, timeline.items[k], children) for k in item.blocked_by]
    return t.gettext("Waiting for: {steps}").format(steps=t.format_list(names))


def due_text(t: Translator, item: TimelineItem, today: date) -> str | None:
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


def done_by_text(t: Translator, author: tuple[str, int] | None, status: str) -> str:
    """'Done by Ana, 3 December 2026' when a family member's name is known for the tick."""
    if not author or status == "todo":
        return ""
    name, wall_ms = author
    when = t.format_date(datetime.fromtimestamp(wall_ms / 1000, UTC).date())
    if status == "done":
        return t.gettext("Done by {name}, {date}").format(name=name, date=when)
    return t.gettext("Marked not relevant by {name}, {date}").format(name=name, date=when)


def assignee_text(t: Translator, name: str) -> str:
    """'For Marek' when the step is assigned to someone in the family."""
    return t.gettext("For {name}").format(name=name) if name else ""
