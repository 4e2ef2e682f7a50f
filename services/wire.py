"""The sync wire protocol, shared by the app's sync client and the server (no Flet, no server deps).

An op is one field write: (entity, row_key, field) gets `value`, ordered by its hybrid-logical-clock
`stamp`; `counter` numbers the device's outbox so the server applies each op exactly once.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any, NamedTuple

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)
PROTOCOL_HEADER = "X-Protocol-Version"  # sent by the app on every sync request
MAX_BATCH = 500  # ops per push
MAX_VALUE_BYTES = 4096  # one field's JSON value
MAX_KEY_LENGTH = 100
MAX_FUTURE_MS = 5 * 60 * 1000  # stamps further ahead of server time are refused
PULL_PAGE = 1000  # default and maximum page of a pull
# Every integer the server takes (counters, cursors, ids) fits a signed 64-bit column.
MAX_SQL_INT = 2**63 - 1
MAX_DEVICE_IN_STAMP = 32  # the stamp column holds 13 + 1 + 5 + 1 + 32 characters and more

# What can be synced: entity → its fields. Deletes are a field write (`deleted`).
# `household/main/profile` is the family's shared profile (without the phone's own language), so
# every phone computes the same timeline; `device/<local device id>/name` names who ticked a step.
ENTITIES: dict[str, frozenset[str]] = {
    "step_state": frozenset({"status", "note", "assignee", "deleted"}),
    "household": frozenset({"profile"}),
    "device": frozenset({"name"}),
}


class ErrorCode(StrEnum):
    """Every error code the server answers with (`{"error": {"code", "message"}}`): one list for the
    server that sends them and the app that reads them. Members are strings, so they compare and
    serialise as their value."""

    ADMIN_ONLY = "admin_only"
    ALREADY_COORDINATOR = "already_coordinator"
    ALREADY_EMPLOYER_STAFF = "already_employer_staff"
    ALREADY_IN_CASE = "already_in_case"
    ALREADY_IN_HOUSEHOLD = "already_in_household"
    BATCH_TOO_LARGE = "batch_too_large"
    BODY_TOO_LARGE = "body_too_large"
    CASE_ALREADY_JOINED = "case_already_joined"
    CASE_CODE_INVALID = "case_code_invalid"
    CASE_NOT_FOUND = "case_not_found"
    CASE_NOT_JOINED = "case_not_joined"
    CODE_OF_CONDUCT_REQUIRED = "code_of_conduct_required"
    CONSENT_REQUIRED = "consent_required"
    DATABASE_UNAVAILABLE = "database_unavailable"
    DATE_IN_FUTURE = "date_in_future"
    DUPLICATE_REQUEST = "duplicate_request"
    EMPLOYER_EXISTS = "employer_exists"
    EMPLOYER_NOT_VERIFIED = "employer_not_verified"
    ENROLMENT_INVALID = "enrolment_invalid"
    FEEDBACK_GIVEN = "feedback_given"
    FIRST_NAME_REQUIRED = "first_name_required"
    HOST_FULL = "host_full"
    HOST_NOT_FOUND = "host_not_found"
    HOUSEHOLD_FULL = "household_full"
    HTTP_ERROR = "http_error"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    INVALID_BATCH = "invalid_batch"
    INVALID_ENCODING = "invalid_encoding"
    INVALID_OP = "invalid_op"
    INVALID_ORG_NUMBER = "invalid_org_number"
    INVALID_REQUEST = "invalid_request"
    INVALID_STAMP = "invalid_stamp"
    INVALID_TRANSITION = "invalid_transition"
    INVITE_INVALID = "invite_invalid"
    LIVE_UNAVAILABLE = "live_unavailable"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_A_HOST = "not_a_host"
    NOT_CERTIFIED = "not_certified"
    NOT_COMPLETED = "not_completed"
    NOT_CONFIRMED = "not_confirmed"
    NOT_COORDINATOR = "not_coordinator"
    NOT_EMPLOYER_STAFF = "not_employer_staff"
    NOT_FOUND = "not_found"
    NOT_PUBLIC_PLACE = "not_public_place"
    NOT_YET = "not_yet"
    NO_CASE = "no_case"
    NO_HOUSEHOLD = "no_household"
    NO_LANGUAGE = "no_language"
    NO_SEEKER_PROFILE = "no_seeker_profile"
    NO_SHARED_LANGUAGE = "no_shared_language"
    OWNER_ONLY = "owner_only"
    OWN_EMPLOYER = "own_employer"
    OWN_HOST_PROFILE = "own_host_profile"
    PLACE_TOO_LONG = "place_too_long"
    RATE_LIMITED = "rate_limited"
    REMOVED_FROM_HOUSEHOLD = "removed_from_household"
    REPORT_NOT_FOUND = "report_not_found"
    REPORT_OPEN = "report_open"
    RESET_REQUIRED = "reset_required"
    STAFF_CODE_INVALID = "staff_code_invalid"
    STAMP_IN_FUTURE = "stamp_in_future"
    START_DATE_PAST = "start_date_past"
    START_DATE_TOO_FAR = "start_date_too_far"
    TIME_AND_PLACE_REQUIRED = "time_and_place_required"
    TIME_IN_PAST = "time_in_past"
    TIME_TOO_FAR = "time_too_far"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    TOO_MANY_INVITES = "too_many_invites"
    TOO_MANY_MESSAGES = "too_many_messages"
    TOO_MANY_MOVES = "too_many_moves"
    TOO_MANY_PENDING = "too_many_pending"
    UNAUTHENTICATED = "unauthenticated"
    UNKNOWN_ENTITY = "unknown_entity"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_INTEREST = "unknown_interest"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_MILESTONE = "unknown_milestone"
    UNKNOWN_MUNICIPALITY = "unknown_municipality"
    UNKNOWN_REASON = "unknown_reason"
    UNKNOWN_TASK = "unknown_task"
    UNSUPPORTED_PROTOCOL = "unsupported_protocol"
    VALID_TOO_LONG = "valid_too_long"
    VALID_UNTIL_PAST = "valid_until_past"
    VALUE_TOO_LARGE = "value_too_large"
    VISIT_NOT_FOUND = "visit_not_found"


def value_size(value: Any) -> int:
    """Bytes of a value as JSON in UTF-8 (what a field's size limit counts)."""
    return len(json.dumps(value, ensure_ascii=False).encode())


def has_nul(value: Any) -> bool:
    """Whether a NUL character hides anywhere in a JSON value (PostgreSQL text cannot hold one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}", re.ASCII)


def parse_whole_number(text: str, maximum: int = MAX_SQL_INT) -> int | None:
    """ASCII digits within 0..maximum, else None. `str.isdigit` and `int` also read superscripts
    and other scripts' digits ("²", "٣"): never use them on what a client sends."""
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


class WireError(ValueError):
    """A malformed op or batch: `code` is machine-readable, `message` says what is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Op(NamedTuple):
    """One field write (a named tuple: a push parses hundreds of them)."""

    counter: int
    entity: str
    row_key: str
    field: str
    value: Any
    stamp: str


# A stamp as Stamp.encode writes it: fixed width, so stamps compare as text (the server compares
# them in SQL). Anything else, even if it decodes, would sort wrongly: ASCII digits only, because
# `\d` and `int` also take other scripts' digits, which sort above every ASCII stamp.
_STAMP = re.compile(rf"[0-9]{{13}}-[0-9]{{5}}-[0-9A-Za-z_-]{{1,{MAX_DEVICE_IN_STAMP}}}", re.ASCII)
# Values that cannot exceed MAX_VALUE_BYTES as JSON, so need no encoding to check (a character
# takes at most 6 bytes, as a \u escape).
_SMALL_TYPES = (bool, int, float, type(None))
_SMALL_STR = MAX_VALUE_BYTES // 6 - 2


def parse_op(raw: Any) -> Op:
    """Validate one op from JSON; raises WireError with a precise code."""
    if not isinstance(raw, dict):
        raise WireError(ErrorCode.INVALID_OP, "Each op must be a JSON object.")
    try:
        counter, entity, row_key, field = raw["counter"], raw["entity"], raw["row_key"], raw["field"]
        value, stamp = raw["value"], raw["stamp"]
    except KeyError as exc:
        raise WireError(ErrorCode.INVALID_OP, f"Missing key {exc.args[0]!r}.") from exc
    if type(counter) is not int or not 1 <= counter <= MAX_SQL_INT:
        raise WireError(ErrorCode.INVALID_OP, "counter must be a positive 64-bit integer.")
    fields = ENTITIES.get(entity) if isinstance(entity, str) else None
    if fields is None:
        raise WireError(ErrorCode.UNKNOWN_ENTITY, f"Unknown entity {entity!r}.")
    if not isinstance(field, str) or field not in fields:
        raise WireError(ErrorCode.UNKNOWN_FIELD, f"Unknown field {field!r} of {entity}.")
    if not isinstance(row_key, str) or not 0 < len(row_key) <= MAX_KEY_LENGTH or "\x00" in row_key:
        raise WireError(
            ErrorCode.INVALID_OP, "row_key must be a non-empty string of at most 100 characters, without NUL."
        )
    small = isinstance(value, _SMALL_TYPES) or (isinstance(value, str) and len(value) <= _SMALL_STR)
    if not small and value_size(value) > MAX_VALUE_BYTES:
        raise WireError(ErrorCode.VALUE_TOO_LARGE, "A field value may be at most 4096 bytes of JSON.")
    if not isinstance(value, _SMALL_TYPES) and has_nul(value):
        raise WireError(ErrorCode.INVALID_OP, "Text in a value may not contain the NUL character.")
    if not isinstance(stamp, str) or not _STAMP.fullmatch(stamp):
        raise WireError(ErrorCode.INVALID_STAMP, "stamp is not a hybrid-logical-clock stamp.")
    return Op(counter, entity, row_key, field, value, stamp)


def stamp_wall_ms(stamp: str) -> int:
    """The wall time of a stamp `parse_op` accepted (its first 13 ASCII digits)."""
    return int(stamp[:13])


def parse_batch(raw: Any) -> list[Op]:
    """Validate a push batch: 1..MAX_BATCH ops with strictly increasing counters."""
    if not isinstance(raw, list) or not raw:
        raise WireError(ErrorCode.INVALID_BATCH, "ops must be a non-empty list.")
    if len(raw) > MAX_BATCH:
        raise WireError(ErrorCode.BATCH_TOO_LARGE, f"At most {MAX_BATCH} ops per push.")
    ops = [parse_op(r) for r in raw]
    if any(b.counter <= a.counter for a, b in zip(ops, ops[1:], strict=False)):
        raise WireError(ErrorCode.INVALID_BATCH, "Op counters must increase within a batch.")
    return ops
