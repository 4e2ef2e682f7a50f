"""What a step's date and place rest on, said plainly on its detail screen: whose rule set the
deadline (the municipality's own, or a common date to check), closed offices on the due day, the
start of a school or kindergarten place, the Sámi language area, and the municipality's own pages."""

from __future__ import annotations

import flet as ft

from app import theme
from services.closed_days import holiday_name, last_open_day_before, offices_closed
from services.deadlines import COMMON_DATE, SET_BY_MUNICIPALITY
from services.i18n import N_, Translator
from services.municipal import MunicipalData
from services.municipalities import get_municipality
from services.timeline import TimelineItem
from views.common import button, tagged

# Which of the municipality's own pages belongs to which step.
STEP_PAGES = {
    "kindergarten": ("kindergarten", N_("The municipality's kindergarten page")),
    "school": ("school", N_("The municipality's school page")),
    "after_school_care": ("school", N_("The municipality's school page")),
    "norwegian_course": ("language_training", N_("The municipality's language training page")),
    "rental_deposit": ("newcomer", N_("The municipality's page for newcomers")),
}
SAMI_STEPS = ("kindergarten", "school")


def closed_day_text(t: Translator, item: TimelineItem) -> str | None:
    """'Offices are closed that day (Grunnlovsdag): go by Friday 14 May.' when the due date is a
    weekend or public holiday. The rule's own date is kept: the law counts calendar days."""
    due = item.due
    if due is None or item.step.phase == "before_arrival" or not offices_closed(due):
        return None
    before = t.format_date(last_open_day_before(due), "EEEE d MMMM")
    if holiday := holiday_name(due):
        return t.gettext("Offices are closed that day ({holiday}): go by {date}.").format(
            holiday=holiday, date=before
        )
    return t.gettext("Offices are closed that day (weekend): go by {date}.").format(date=before)


def deadline_rule_text(
    t: Translator, item: TimelineItem, municipality: int | None, data: MunicipalData
) -> str | None:
    """Whose deadline this is: the municipality's own (with the day its page was read), or a common
    date that the municipality may not use."""
    _ = t.gettext
    m = get_municipality(municipality)
    name = m.name if m else _("your municipality")
    if item.deadline.set_by == SET_BY_MUNICIPALITY:
        layer = data.layer(municipality)
        own = layer.kindergarten_apply_by if layer else None
        assert own is not None and own.checked is not None  # the layer refuses a deadline without one
        text = _("This is {municipality}'s own deadline (its page was checked {date}).").format(
            municipality=name, date=t.format_date(own.checked)
        )
        if item.deadline.uncertain:
            note = own.note if own and own.note else ""
            text += (
                " "
                + _("It may have changed since: check with the municipality.")
                + (f" ({note})" if note else "")
            )
        return text
    if item.deadline.set_by == COMMON_DATE:
        return _(
            "Each municipality sets this deadline. {municipality}'s own date could not be confirmed: "
            "the date shown is a common one. Check with the municipality."
        ).format(municipality=name)
    return None


def place_text(t: Translator, item: TimelineItem) -> str | None:
    """When the place starts: kindergarten's right to a place, a school start, or a rolling place."""
    _ = t.gettext
    d = item.deadline
    if d.rolling:
        return _(
            "Outside the main intake there is no right to a place: the municipality gives one if a place is "
            "free, until school starts."
        )
    if d.place_from is None:
        return None
    month = t.format_date(d.place_from, "LLLL y")
    if item.step.id in ("school", "upper_secondary"):
        return _("School starts in {month}.").format(month=month)
    msg = (
        _("Right to a place by the end of {month}")
        if d.place_by_end_of_month
        else _("Right to a place from {month}")
    )
    return msg.format(month=month)


def municipal_notes(
    t: Translator, item: TimelineItem, municipality: int | None, data: MunicipalData
) -> list[ft.Control]:
    """The Sámi language area note and a link to the municipality's own page for this step."""
    _ = t.gettext
    layer = data.layer(municipality)
    if layer is None:
        return []
    controls: list[ft.Control] = []
    m = get_municipality(municipality)
    if layer.sami_admin_area and item.step.id in SAMI_STEPS and m:
        controls.append(
            tagged(
                "detail-sami",
                ft.Text(
                    _(
                        "{municipality} is in the administrative area for Sámi language. Sámi children "
                        "have the right to a kindergarten that builds on Sámi language and culture, and to "
                        "teaching in Sámi at school."
                    ).format(municipality=m.name),
                    color=theme.ON_SURFACE,
                ),
            )
        )
    if item.step.id in STEP_PAGES:
        kind, label = STEP_PAGES[item.step.id]
        page = layer.pages.get(kind)
        if page is not None:
            controls.append(
                button(
                    "detail-municipal-page",
                    _(label),
                    None,
                    icon=ft.Icons.OPEN_IN_NEW,
                    kind="outlined",
                    url=page.value,
                )
            )
    return controls
