"""Every error code the app can meet → what the user reads. One map for the whole app: codes come
from the server (`services/wire.py`, the Superhost endpoints), the sync client, the local store and
the profile's validation; state keeps codes, the views translate them here."""

from __future__ import annotations

from services.i18n import N_, Translator

ERRORS: dict[str, str] = {
    # Network and server, any screen.
    "offline": N_("No connection to the server. What you see was saved earlier; try again when online."),
    "rate_limited": N_("Too many tries. Wait a few minutes, then try again."),
    "unauthenticated": N_("This phone is no longer connected to the family. Join again with a new code."),
    "removed": N_("This phone was removed from the family. The shared checklist was removed from it."),
    "unsupported_protocol": N_("Update the app to keep sharing with your family."),
    # Family sharing.
    "invite_invalid": N_("This code does not work. It may be mistyped, used or expired: ask for a new one."),
    "not_a_code": N_(
        "That is not an invitation code. A code has 12 letters and digits, like ABCD-EFGH-JKMN."
    ),
    "too_many_invites": N_("There are already 5 open invitations. Wait until one is used or expires."),
    "already_in_household": N_("This phone is already part of a family."),
    "owner_only": N_("Only the person who started the family can do this."),
    "name_too_long": N_("The name is too long (at most 40 characters)."),
    "unknown_member": N_("Unknown family member."),
    # Steps and the local database.
    "unknown_status": N_("Unknown status."),
    "unknown_step": N_("Unknown step."),
    "note_too_long": N_("The note is too long (at most 2000 characters)."),
    "save_failed": N_("Something went wrong while saving."),
    "store_corrupt": N_("The data on this phone cannot be read."),
    # The wizard and the profile.
    "choose_option": N_("Choose one of the options."),
    "municipality_outside": N_("Choose a municipality in Nordland."),
    "date_out_of_range": N_("Enter a date between 2000 and 2100."),
    "arrival_date_format": N_("Write the date as year-month-day, for example 2027-01-15."),
    "child_incomplete": N_("Choose the birth year and month."),
    "child_label_too_long": N_("Give the child a short name or label (up to 40 characters)."),
    "bad_month": N_("Choose a month from 1 to 12."),
    "birth_in_future": N_("The birth month cannot be in the future."),
    "child_too_old": N_("Children are under 18. Add older family members as adults."),
    "invalid_profile": N_("Choose one of the options."),
    # Superhost.
    "no_household": N_("Start family sharing first: hosts meet your household."),
    "no_seeker_profile": N_("Tell us a little about your family first."),
    "host_not_found": N_("This host is no longer available. Choose another one."),
    "no_shared_language": N_("This host does not speak any of your languages."),
    "too_many_pending": N_("You can have 3 requests waiting for an answer. Wait for one or cancel one."),
    "duplicate_request": N_("You already asked this host. Wait for the answer."),
    "time_in_past": N_("The meeting time must be in the future."),
    "time_too_far": N_("Choose a time within the next six months."),
    "time_and_place_required": N_("Give a date, a time and a public meeting place."),
    "not_public_place": N_("Meet at a public place such as a library or a café. No home addresses."),
    "place_too_long": N_("Describe the meeting place in at most 120 characters."),
    "invalid_transition": N_("This visit has changed meanwhile. Look at it again."),
    "not_yet": N_("You can mark the visit as done once its time has come."),
    "feedback_given": N_("You already left feedback for this visit."),
    "not_completed": N_("Feedback is for visits that took place."),
    "not_certified": N_("Hosts receive requests once a coordinator has certified them."),
    "not_a_host": N_("This phone has no host profile yet."),
    "enrolment_invalid": N_("This code does not work. Ask for a new one."),
    "already_coordinator": N_("This phone already belongs to a coordinator."),
    "not_coordinator": N_("Only a county service coordinator can do this."),
    "valid_too_long": N_("A certification is valid for at most 3 years."),
    "valid_until_past": N_("A certification must be valid after today."),
    "date_in_future": N_("The dates of the checks cannot be in the future."),
    "first_name_required": N_("Write a first name."),
    "unknown_municipality": N_("Choose your municipality first (Settings → Change your answers)."),
    "no_language": N_("Choose at least one language."),
    "bad_date": N_("Write the date as YYYY-MM-DD, for example 2027-01-15."),
    "bad_time": N_("Write the time as HH:MM, for example 15:30."),
    "bad_ages": N_("Write children's ages as numbers from 0 to 17, for example 4, 9."),
}
OTHER_ERROR = N_("Something went wrong on the server. Try again later.")


def error_text(t: Translator, code: str) -> str:
    """What the user reads for an error code, in their language (a general message for a code
    this version does not know, never the code itself)."""
    return t.gettext(ERRORS.get(code, OTHER_ERROR))
