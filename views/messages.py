"""Every error code the app can meet → what the user reads. One map for the whole app: codes come
from the server (`services/wire.py`, the Superhost endpoints), the sync client, the local store and
the profile's validation; state keeps codes, the views translate them here."""

from __future__ import annotations

from services.i18n import N_, Translator
from services.wire import ErrorCode

ERRORS: dict[str, str] = {
    # Network and server, any screen.
    "offline": N_("No connection to the server. What you see was saved earlier; try again when online."),
    ErrorCode.RATE_LIMITED: N_("Too many tries. Wait a few minutes, then try again."),
    ErrorCode.HOUSEHOLD_FULL: N_(
        "Your family has stored as much as the server keeps for one family. "
        "Shorten or delete notes to make room."
    ),
    ErrorCode.UNAUTHENTICATED: N_(
        "This phone is no longer connected to the family. Join again with a new code."
    ),
    "removed": N_("This phone was removed from the family. The shared checklist was removed from it."),
    ErrorCode.UNSUPPORTED_PROTOCOL: N_("Update the app to keep sharing with your family."),
    # Family sharing.
    ErrorCode.INVITE_INVALID: N_(
        "This code does not work. It may be mistyped, used or expired: ask for a new one."
    ),
    "not_a_code": N_(
        "That is not an invitation code. A code has 12 letters and digits, like ABCD-EFGH-JKMN."
    ),
    ErrorCode.TOO_MANY_INVITES: N_(
        "There are already 5 open invitations. Wait until one is used or expires."
    ),
    ErrorCode.ALREADY_IN_HOUSEHOLD: N_("This phone is already part of a family."),
    ErrorCode.OWNER_ONLY: N_("Only the person who started the family can do this."),
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
    ErrorCode.NO_HOUSEHOLD: N_("Start family sharing first: hosts meet your household."),
    ErrorCode.NO_SEEKER_PROFILE: N_("Tell us a little about your family first."),
    ErrorCode.HOST_NOT_FOUND: N_("This host is no longer available. Choose another one."),
    ErrorCode.HOST_FULL: N_("This host has no room for more visits now. Choose another one."),
    ErrorCode.REPORT_OPEN: N_("You already reported this visit. A coordinator is looking at it."),
    ErrorCode.OWN_HOST_PROFILE: N_("Another coordinator must certify your own host profile."),
    ErrorCode.CONSENT_REQUIRED: N_("Tick the box to agree, or the profile cannot be saved."),
    ErrorCode.TOO_MANY_MOVES: N_(
        "You changed the municipality too often this month. Ask the coordinator for help."
    ),
    ErrorCode.NO_SHARED_LANGUAGE: N_("This host does not speak any of your languages."),
    ErrorCode.TOO_MANY_PENDING: N_(
        "You can have 3 requests waiting for an answer. Wait for one or cancel one."
    ),
    ErrorCode.DUPLICATE_REQUEST: N_("You already asked this host. Wait for the answer."),
    ErrorCode.TIME_IN_PAST: N_("The meeting time must be in the future."),
    ErrorCode.TIME_TOO_FAR: N_("Choose a time within the next six months."),
    ErrorCode.TIME_AND_PLACE_REQUIRED: N_("Give a date, a time and a public meeting place."),
    ErrorCode.NOT_PUBLIC_PLACE: N_("Meet at a public place such as a library or a café. No home addresses."),
    ErrorCode.PLACE_TOO_LONG: N_("Describe the meeting place in at most 120 characters."),
    ErrorCode.INVALID_TRANSITION: N_("This visit has changed meanwhile. Look at it again."),
    ErrorCode.NOT_YET: N_("You can mark the visit as done once its time has come."),
    ErrorCode.FEEDBACK_GIVEN: N_("You already left feedback for this visit."),
    ErrorCode.NOT_COMPLETED: N_("Feedback is for visits that took place."),
    ErrorCode.NOT_CERTIFIED: N_("Hosts receive requests once a coordinator has certified them."),
    ErrorCode.NOT_A_HOST: N_("This phone has no host profile yet."),
    ErrorCode.ENROLMENT_INVALID: N_("This code does not work. Ask for a new one."),
    ErrorCode.ALREADY_COORDINATOR: N_("This phone already belongs to a coordinator."),
    ErrorCode.NOT_COORDINATOR: N_("Only a county service coordinator can do this."),
    ErrorCode.VALID_TOO_LONG: N_("A certification is valid for at most 3 years."),
    ErrorCode.VALID_UNTIL_PAST: N_("A certification must be valid after today."),
    ErrorCode.DATE_IN_FUTURE: N_("The dates of the checks cannot be in the future."),
    ErrorCode.OWN_EMPLOYER: N_("Another coordinator must verify your own organisation."),
    # Nordhub: employers and relocation cases.
    ErrorCode.INVALID_ORG_NUMBER: N_(
        "This is not a valid organisation number. It has 9 digits; check it in the Brønnøysund Register."
    ),
    ErrorCode.EMPLOYER_EXISTS: N_(
        "This organisation is registered already. Ask its administrator for a staff code."
    ),
    ErrorCode.ALREADY_EMPLOYER_STAFF: N_("This phone already belongs to an employer's staff."),
    ErrorCode.STAFF_CODE_INVALID: N_("This code does not work. Ask your organisation for a new one."),
    ErrorCode.NOT_EMPLOYER_STAFF: N_("Only the employer's staff can do this."),
    ErrorCode.ADMIN_ONLY: N_("Only the organisation's administrators can do this."),
    ErrorCode.EMPLOYER_NOT_VERIFIED: N_(
        "The county coordinator has not verified your organisation yet. You can add newcomers "
        "once it is verified."
    ),
    ErrorCode.START_DATE_PAST: N_("The start date is in the past. Choose today or a later day."),
    ErrorCode.START_DATE_TOO_FAR: N_("The start date is more than two years ahead. Check the year."),
    ErrorCode.CASE_CODE_INVALID: N_(
        "This code does not work. It may be mistyped, used or expired: ask your employer for a new one."
    ),
    ErrorCode.ALREADY_IN_CASE: N_("Your family is linked to an employer already."),
    ErrorCode.NO_CASE: N_("Your family is not linked to an employer."),
    ErrorCode.CASE_NOT_FOUND: N_("This newcomer is no longer in your list."),
    ErrorCode.CASE_ALREADY_JOINED: N_("The newcomer has joined already: no new code is needed."),
    ErrorCode.CASE_NOT_JOINED: N_("The newcomer has not joined yet. Give them their code first."),
    ErrorCode.TOO_MANY_MESSAGES: N_("That is enough messages for today. Let the family read them first."),
    "org_name_required": N_("Write the organisation's name and your own name."),
    "staff_name_required": N_("Write your name."),
    "case_name_required": N_("Write the newcomer's first name and their job."),
    ErrorCode.VISIT_NOT_FOUND: N_("This visit is no longer available."),
    ErrorCode.REPORT_NOT_FOUND: N_("This report is no longer available."),
    ErrorCode.NOT_CONFIRMED: N_("Only a confirmed visit goes into the calendar."),
    ErrorCode.CODE_OF_CONDUCT_REQUIRED: N_("Write the version of the code of conduct the host signed."),
    ErrorCode.FIRST_NAME_REQUIRED: N_("Write a first name."),
    ErrorCode.UNKNOWN_MUNICIPALITY: N_("Choose your municipality first (Settings → Change your answers)."),
    ErrorCode.NO_LANGUAGE: N_("Choose at least one language."),
    "bad_date": N_("Write the date as YYYY-MM-DD, for example 2027-01-15."),
    "bad_time": N_("Write the time as HH:MM, for example 15:30."),
    "bad_ages": N_("Write children's ages as numbers from 0 to 17, for example 4, 9."),
}
# Server codes a correct app never causes (malformed requests, protocol details the sync client
# handles by itself): the user reads OTHER_ERROR for them.
TECHNICAL_CODES = frozenset(
    {
        ErrorCode.BATCH_TOO_LARGE,
        ErrorCode.BODY_TOO_LARGE,
        ErrorCode.DATABASE_UNAVAILABLE,  # the sync client retries; people read "no connection"
        ErrorCode.HTTP_ERROR,
        ErrorCode.IDEMPOTENCY_CONFLICT,
        ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
        ErrorCode.INVALID_BATCH,
        ErrorCode.INVALID_ENCODING,
        ErrorCode.INVALID_OP,
        ErrorCode.INVALID_REQUEST,
        ErrorCode.INVALID_STAMP,
        ErrorCode.LIVE_UNAVAILABLE,
        ErrorCode.METHOD_NOT_ALLOWED,
        ErrorCode.NOT_FOUND,
        ErrorCode.REMOVED_FROM_HOUSEHOLD,  # the sync client turns it into "removed"
        ErrorCode.RESET_REQUIRED,
        ErrorCode.STAMP_IN_FUTURE,
        ErrorCode.TOO_MANY_CONNECTIONS,
        ErrorCode.UNKNOWN_ENTITY,
        ErrorCode.UNKNOWN_FIELD,
        ErrorCode.UNKNOWN_INTEREST,
        ErrorCode.UNKNOWN_LANGUAGE,
        ErrorCode.UNKNOWN_MILESTONE,
        ErrorCode.UNKNOWN_TASK,
        ErrorCode.UNKNOWN_REASON,
        ErrorCode.VALUE_TOO_LARGE,
    }
)
OTHER_ERROR = N_("Something went wrong on the server. Try again later.")


def error_text(t: Translator, code: str) -> str:
    """What the user reads for an error code, in their language (a general message for a code
    this version does not know, never the code itself)."""
    return t.gettext(ERRORS.get(code, OTHER_ERROR))
