"""One visit request as either side sees it, with the actions that side may take now: answer with
a time and a public place, confirm, mark as met, cancel, leave feedback, add to the calendar,
report or block."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.hosts import HostsState
from app.state.navigation import Navigation
from services.i18n import N_
from views.common import button, card, dropdown, tagged, text_field, use_t
from views.downloads import offer_file
from views.superhost_text import (
    ACTION_LABELS,
    HOST_STATE_LABELS,
    REPORT_REASONS,
    STATE_LABELS,
    municipality_name,
    when_text,
)

CALENDAR_SAVED = N_("The visit was saved as a calendar file: {name}. Open it to add it to your calendar.")


@ft.component
def AnswerForm(hosts: HostsState, request_id: str, action: str, on_sent: object) -> ft.Control:
    """Host: a date, a time and a public meeting place (accept or propose another time)."""
    t = use_t()
    _ = t.gettext
    day, set_day = ft.use_state("")
    clock, set_clock = ft.use_state("")
    place, set_place = ft.use_state("")

    async def send(_e: object = None) -> None:
        if await hosts.visit_action(request_id, action, day, clock, place):
            on_sent()

    return ft.Column(
        [
            text_field(f"visit-date-{request_id}", _("Date (YYYY-MM-DD)"), day, set_day),
            text_field(f"visit-time-{request_id}", _("Time (HH:MM)"), clock, set_clock),
            text_field(
                f"visit-place-{request_id}",
                _("Public meeting place (library, café …)"),
                place,
                set_place,
                helper=_("First meetings are at public places. No home addresses."),
                max_length=120,
            ),
            button(f"visit-send-{action}-{request_id}", _("Send"), None if hosts.busy else send),
        ],
        spacing=8,
    )


@ft.component
def FeedbackForm(hosts: HostsState, request_id: str) -> ft.Control:
    t = use_t()
    _ = t.gettext
    rating, set_rating = ft.use_state(0)
    comment, set_comment = ft.use_state("")

    async def send(_e: object = None) -> None:
        await hosts.leave_feedback(request_id, rating, comment)

    stars = [
        tagged(
            f"visit-rating-{n}-{request_id}",
            ft.IconButton(
                icon=ft.Icons.STAR if n <= rating else ft.Icons.STAR_BORDER,
                icon_color=theme.SEED,
                tooltip=t.ngettext("{n} star", "{n} stars", n).format(n=n),
                on_click=lambda _e, n=n: set_rating(n),
                width=theme.MIN_TAP,
                height=theme.MIN_TAP,
            ),
            label=t.ngettext("{n} star", "{n} stars", n).format(n=n),
            button=True,
            selected=n == rating,
        )
        for n in range(1, 6)
    ]
    return ft.Column(
        [
            ft.Text(_("How was the visit?"), color=theme.ON_SURFACE, weight=ft.FontWeight.BOLD),
            ft.Row(stars, wrap=True, spacing=0),
            text_field(
                f"visit-comment-{request_id}",
                _("A few words (optional)"),
                comment,
                set_comment,
                max_length=500,
                multiline=True,
            ),
            button(
                f"visit-feedback-send-{request_id}",
                _("Send feedback"),
                None if rating == 0 or hosts.busy else send,
            ),
        ],
        spacing=8,
    )


@ft.component
def SafetyRow(hosts: HostsState, request_id: str) -> ft.Control:
    """Report the other side to the coordinators, or block them."""
    t = use_t()
    _ = t.gettext
    reporting, set_reporting = ft.use_state(False)
    reason, set_reason = ft.use_state("")

    async def send(_e: object = None) -> None:
        if await hosts.report_visit(request_id, reason, ""):
            set_reporting(False)

    async def block(_e: object = None) -> None:
        await hosts.block_visit(request_id)

    if not reporting:
        return ft.Row(
            [
                button(f"visit-report-{request_id}", _("Report"), lambda: set_reporting(True), kind="text"),
                button(f"visit-block-{request_id}", _("Block"), block, kind="text"),
            ],
            wrap=True,
        )
    return ft.Column(
        [
            dropdown(
                f"visit-report-reason-{request_id}",
                _("What happened?"),
                reason or None,
                [(k, _(v)) for k, v in REPORT_REASONS.items()],
                set_reason,
            ),
            ft.Row(
                [
                    button(f"visit-report-send-{request_id}", _("Send report"), send if reason else None),
                    button(
                        f"visit-report-cancel-{request_id}",
                        _("Cancel"),
                        lambda: set_reporting(False),
                        kind="text",
                    ),
                ],
                wrap=True,
            ),
        ]
    )


@ft.component
def VisitCard(hosts: HostsState, visit: dict, side: str, nav: Navigation) -> ft.Control:
    """A visit as `side` ("newcomer" or "host") sees it."""
    t = use_t()
    _ = t.gettext
    rid = visit["request_id"]
    answering, set_answering = ft.use_state("")
    declining, set_declining = ft.use_state(False)
    reason, set_reason = ft.use_state("")
    if side == "newcomer":
        other = visit["host"]["first_name"]
        title = _("Visit with {name}").format(name=other)
        label = STATE_LABELS.get(visit["state"], visit["state"])
    else:
        family = visit["family"]
        other = family["first_name"]
        title = t.ngettext("{name}, {count} person", "{name}, {count} people", visit["party_size"]).format(
            name=other, count=visit["party_size"]
        )
        label = HOST_STATE_LABELS.get(visit["state"], STATE_LABELS.get(visit["state"], visit["state"]))
    rows: list[ft.Control] = [
        ft.Text(title, size=17, weight=ft.FontWeight.BOLD, color=theme.ON_SURFACE),
        tagged(f"visit-state-{rid}", ft.Text(_(label), color=theme.SEED), label=_(label)),
    ]
    if side == "host":
        langs = t.format_list([t.language_name(c) for c in family["languages"]])
        rows.append(
            ft.Text(
                _("{place} · speaks {languages}").format(
                    place=municipality_name(family["municipality"]), languages=langs
                ),
                color=theme.MUTED_TEXT,
            )
        )
    if visit.get("message"):
        rows.append(ft.Text(f"“{visit['message']}”", italic=True, color=theme.ON_SURFACE))
    if visit.get("starts_at"):
        rows.append(
            tagged(
                f"visit-when-{rid}",
                ft.Text(
                    _("{when} at {place}").format(
                        when=when_text(t, visit["starts_at"]), place=visit["meeting_place"]
                    ),
                    color=theme.ON_SURFACE,
                    weight=ft.FontWeight.BOLD,
                ),
            )
        )
    if visit.get("decline_reason") and visit["state"] == "declined":
        rows.append(
            ft.Text(_("Reason: {reason}").format(reason=visit["decline_reason"]), color=theme.MUTED_TEXT)
        )

    def simple(action: str):  # noqa: ANN202 - an event handler
        async def act(_e: object = None) -> None:
            await hosts.visit_action(rid, action)

        return act

    actions: list[ft.Control] = []
    for action in visit.get("actions", []):
        text = _(ACTION_LABELS[action])
        if action in ("accept", "propose"):
            actions.append(
                button(
                    f"visit-{action}-{rid}", text, lambda _e=None, a=action: set_answering(a), kind="outlined"
                )
            )
        elif action == "decline":
            actions.append(button(f"visit-decline-{rid}", text, lambda: set_declining(True), kind="text"))
        else:
            actions.append(
                button(
                    f"visit-{action}-{rid}",
                    text,
                    None if hosts.busy else simple(action),
                    kind="filled" if action in ("confirm", "complete") else "text",
                )
            )
    if visit["state"] in ("confirmed", "completed") and visit.get("starts_at"):

        async def to_calendar(_e: object = None) -> None:
            name, data = hosts.calendar_file(visit, other)
            await offer_file(nav, name, data, CALENDAR_SAVED)

        actions.append(
            button(
                f"visit-calendar-{rid}",
                _("Add to calendar"),
                to_calendar,
                icon=ft.Icons.EVENT,
                kind="outlined",
            )
        )
    if actions:
        rows.append(ft.Row(actions, wrap=True, spacing=8))
    if answering:
        rows.append(
            AnswerForm(hosts, rid, answering, lambda: set_answering(""), key=f"answer-{answering}-{rid}")
        )
    if declining:

        async def decline(_e: object = None) -> None:
            if await hosts.visit_action(rid, "decline", reason=reason):
                set_declining(False)

        rows += [
            text_field(
                f"visit-decline-reason-{rid}",
                _("Reason (optional, the family sees it)"),
                reason,
                set_reason,
                max_length=300,
            ),
            button(f"visit-decline-send-{rid}", _("Decline"), decline),
        ]
    if visit["state"] == "completed" and not visit.get("feedback_given"):
        rows.append(FeedbackForm(hosts, rid))
    if visit["state"] not in ("declined", "expired"):
        rows.append(SafetyRow(hosts, rid))
    return card(f"visit-{rid}", rows, spacing=8)
