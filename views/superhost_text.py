"""Words for Superhost codes (states, reasons, inbox messages, interests, time slots): the server
sends codes, the app says them in the user's language."""

from __future__ import annotations

from services.dates import LOCAL_ZONE, parse_timestamp
from services.host_wire import DAY_PARTS, DAYS, slot_bit
from services.i18n import N_, Translator
from services.municipalities import get_municipality

STATE_LABELS = {
    "requested": N_("Waiting for the host's answer"),
    "accepted": N_("Accepted — confirm the time"),
    "proposed": N_("The host proposed another time"),
    "confirmed": N_("Confirmed"),
    "completed": N_("Done"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
    "expired": N_("No answer in time"),
}
HOST_STATE_LABELS = {
    "requested": N_("New request — answer it"),
    "accepted": N_("Accepted — waiting for the family to confirm"),
    "proposed": N_("You proposed a time — waiting for the family"),
}
ACTION_LABELS = {
    "accept": N_("Accept"),
    "propose": N_("Propose another time"),
    "decline": N_("Decline"),
    "confirm": N_("Confirm the time"),
    "complete": N_("We met"),
    "cancel": N_("Cancel the visit"),
}
INBOX_LABELS = {
    "new_request": N_("New visit request"),
    "visit_accepted": N_("Your visit request was accepted"),
    "visit_proposed": N_("The host proposed another time"),
    "visit_declined": N_("A host declined your request"),
    "visit_confirmed": N_("A visit is confirmed"),
    "visit_completed": N_("A visit was marked as done"),
    "visit_cancelled": N_("A visit was cancelled"),
    "expired": N_("A request got no answer in time"),
    "host_unavailable": N_("A host is no longer available; the visit is cancelled"),
    "new_suggestion": N_("A new host is suggested for you"),
    "waitlisted": N_("No host is free right now; you are on the waiting list"),
    "feedback_received": N_("You received feedback on a visit"),
}
INTEREST_LABELS = {
    "outdoors": N_("Outdoor life and hiking"),
    "fishing": N_("Fishing"),
    "skiing": N_("Skiing"),
    "football": N_("Football"),
    "music": N_("Music"),
    "cooking": N_("Cooking"),
    "crafts": N_("Crafts"),
    "reading": N_("Reading"),
    "volunteering": N_("Volunteering"),
    "faith": N_("Faith and church life"),
    "games": N_("Games"),
    "family_activities": N_("Activities for children"),
}
REPORT_REASONS = {
    "no_show": N_("Did not come"),
    "inappropriate": N_("Inappropriate behaviour"),
    "unsafe": N_("I felt unsafe"),
    "spam": N_("Spam or advertising"),
    "other": N_("Something else"),
}
HOST_STATUS = {
    "pending": N_(
        "Waiting for certification by the county's coordinator. You receive no requests until then."
    ),
    "certified": N_("Certified until {date}. Families can ask you for a visit."),
    "expired": N_("Your certification has expired. Contact the county's coordinator."),
    "suspended": N_("Your host profile is suspended. Contact the county's coordinator."),
}

# Three simple choices of when one is free, each a set of weekly slots.
TIME_CHOICES = {
    "weekday_daytime": (
        N_("Weekdays, daytime"),
        sum(slot_bit(d, p) for d in range(5) for p in (0, 1)),
    ),
    "weekday_evenings": (N_("Weekday evenings"), sum(slot_bit(d, 2) for d in range(5))),
    "weekends": (N_("Weekends"), sum(slot_bit(d, p) for d in (5, 6) for p in range(len(DAY_PARTS)))),
}
assert len(DAYS) == 7


def municipality_name(number: int | None) -> str:
    place = get_municipality(number)
    return place.name if place else ""


def reason_text(t: Translator, reason: dict) -> str:
    """One line of 'why this host', from the server's reason code."""
    code = reason["code"]
    if code == "preferred_language":
        return t.gettext("Speaks {language}, your first language").format(
            language=t.language_name(reason["language"])
        )
    if code == "shared_languages":
        names = [t.language_name(c) for c in reason["languages"]]
        return t.gettext("Also speaks {languages}").format(languages=t.format_list(names))
    if code == "children_same_age":
        return t.gettext("Has children the same age as yours")
    if code == "host_has_children":
        return t.gettext("Has children too")
    if code == "shared_interests":
        names = [t.gettext(INTEREST_LABELS.get(i, i)) for i in reason["interests"]]
        return t.gettext("You both like {interests}").format(interests=t.format_list(names))
    if code == "same_occupation":
        return t.gettext("Works in the same field as you")
    if code == "availability":
        return t.gettext("Free at the same times as you")
    if code == "nearby":
        return t.gettext("Lives nearby, in {place}").format(place=municipality_name(reason["municipality"]))
    return ""


def when_text(t: Translator, iso: str | None) -> str:
    if not iso:
        return ""
    return t.format_datetime(parse_timestamp(iso).astimezone(LOCAL_ZONE))
