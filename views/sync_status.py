"""The sync status line: up to date / n changes waiting / offline / a problem and what to do.

It never blocks anything: reading and editing work the same whatever it says."""

from __future__ import annotations

import flet as ft

from app import theme
from app.state.family import FamilyState
from app.state.profile import ProfileState
from app.state.steps import StepsState
from services.i18n import N_, Translator
from services.sync_scheduler import NOT_SET_UP, OFFLINE, PROBLEM, SYNCING, UP_TO_DATE, WAITING, SyncStatus
from services.wire import ErrorCode
from views.common import banner, button, icon_button, item_title, use_t
from views.messages import error_text

PROBLEM_ADVICE = {
    "unsupported_protocol": N_("Update the app to keep sharing with your family."),
    "rate_limited": N_("The server is busy. Syncing continues by itself in a few minutes."),
    "stamp_in_future": N_("This phone's clock is far off. Set the date and time automatically."),
}
PROBLEM_OTHER = N_("Sharing with your family has a problem. Your changes are kept on this phone.")


def status_text(t: Translator, status: SyncStatus) -> str:
    """What the line says, in the user's language."""
    _ = t.gettext
    if status.state == UP_TO_DATE:
        return _("Up to date with your family")
    if status.state == SYNCING:
        return _("Syncing…")
    if status.state == WAITING:
        return t.ngettext("{n} change waiting to sync", "{n} changes waiting to sync", status.pending).format(
            n=status.pending
        )
    if status.state == OFFLINE:
        return t.ngettext(
            "Offline. {n} change is saved on this phone and will sync later.",
            "Offline. {n} changes are saved on this phone and will sync later.",
            status.pending,
        ).format(n=status.pending)
    return _(PROBLEM_ADVICE.get(status.problem or "", PROBLEM_OTHER))


@ft.component
def SyncStatusLine(family: FamilyState) -> ft.Control:
    """One line under the app bar; hidden while the checklist lives only on this phone."""
    status = family.sync_status
    t = use_t()
    if status.state == NOT_SET_UP or not family.household_id:
        return ft.Container(height=0)
    text = status_text(t, status)
    icon, color = {
        UP_TO_DATE: (ft.Icons.CLOUD_DONE, theme.DONE_TEXT),
        SYNCING: (ft.Icons.SYNC, theme.MUTED_TEXT),
        WAITING: (ft.Icons.CLOUD_UPLOAD, theme.MUTED_TEXT),
        OFFLINE: (ft.Icons.CLOUD_OFF, theme.MUTED_TEXT),
        PROBLEM: (ft.Icons.ERROR_OUTLINE, theme.OVERDUE_TEXT),
    }.get(status.state, (ft.Icons.SYNC, theme.MUTED_TEXT))
    row: list[ft.Control] = [
        ft.Icon(icon, color=color, size=18),
        ft.Text(text, color=color, size=14, expand=True),
    ]
    if status.state in (OFFLINE, PROBLEM):
        row.append(button("sync-retry", t.gettext("Try again"), family.sync_now, kind="text"))
    elif status.state != SYNCING:
        row.append(icon_button("sync-now", ft.Icons.REFRESH, t.gettext("Sync now"), family.sync_now))
    return ft.Semantics(
        identifier="sync-status",
        key="sync-status",
        label=text,
        live_region=True,
        content=ft.Row(row, spacing=6),
    )


@ft.component
def RejectedBanner(steps: StepsState, profile_state: ProfileState) -> ft.Control:
    """Changes the server refused: they were undone on this phone; say which, and why it matters."""
    t = use_t()
    if not steps.rejections:
        return ft.Container(height=0)
    profile = profile_state.profile
    items = steps.timeline(profile).items if profile else {}
    children = profile.children if profile else ()
    names = [
        item_title(t, items[r["row_key"]], children) if r["row_key"] in items else t.gettext("a change")
        for r in steps.rejections
    ]
    steps_text = t.format_list(list(dict.fromkeys(names)))
    if any(r.get("code") == ErrorCode.HOUSEHOLD_FULL for r in steps.rejections):
        # Trying again cannot help here: say what can.
        text = t.gettext(
            "Could not be shared with your family, so it was undone on this phone: {steps}."
        ).format(steps=steps_text)
        text = f"{text} {error_text(t, ErrorCode.HOUSEHOLD_FULL)}"
    else:
        text = t.gettext(
            "Could not be shared with your family, so it was undone on this phone: {steps}. Try it again."
        ).format(steps=steps_text)
    return banner(
        "rejected", ft.Icons.UNDO, text, theme.OVERDUE_TEXT, theme.OVERDUE_BG, steps.dismiss_rejections, t
    )
