"""The sync wire protocol, shared by the app's sync client and the server (no Flet, no server deps).

An op is one field write: (entity, row_key, field) gets `value`, ordered by its hybrid-logical-clock
`stamp`; `counter` numbers the device's outbox so the server applies each op exactly once.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)
PROTOCOL_HEADER = "X-Protocol-Version"  # sent by the app on every sync request
MAX_BATCH = 500  # ops per push
MAX_VALUE_BYTES = 4096  # one field's JSON value
MAX_KEY_LENGTH = 100
MAX_FUTURE_MS = 5 * 60 * 1000  # stamps further ahead of server time are refused
PULL_PAGE = 1000  # default and maximum page of a pull

# What can be synced: entity → its fields. Deletes are a field write (`deleted`).
# `household/main/profile` is the family's shared profile (without the phone's own language), so
# every phone computes the same timeline; `device/<local device id>/name` names who ticked a step.
ENTITIES: dict[str, frozenset[str]] = {
    "step_state": frozenset({"status", "note", "assignee", "deleted"}),
    "household": frozenset({"profile"}),
    "device": frozenset({"name"}),
}


def value_size(value: Any) -> int:
    """Bytes of a value as JSON in UTF-8 (what a field's size limit counts)."""
    return len(json.dumps(value, ensure_ascii=False).encode())


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
# them in SQL). Anything else, even if it decodes, would sort wrongly.
_STAMP = re.compile(r"\d{13}-\d{5}-[0-9A-Za-z_-]{1,64}")
# Values that cannot exceed MAX_VALUE_BYTES as JSON, so need no encoding to check (a character
# takes at most 6 bytes, as a \u escape).
_SMALL_TYPES = (bool, int, float, type(None))
_SMALL_STR = MAX_VALUE_BYTES // 6 - 2


def parse_op(raw: Any) -> Op:
    """Validate one op from JSON; raises WireError with a precise code."""
    if not isinstance(raw, dict):
        raise WireError("invalid_op", "Each op must be a JSON object.")
    try:
        counter, entity, row_key, field = raw["counter"], raw["entity"], raw["row_key"], raw["field"]
        value, stamp = raw["value"], raw["stamp"]
    except KeyError as exc:
        raise WireError("invalid_op", f"Missing key {exc.args[0]!r}.") from exc
    if type(counter) is not int or counter < 1:
        raise WireError("invalid_op", "counter must be a positive integer.")
    fields = ENTITIES.get(entity) if isinstance(entity, str) else None
    if fields is None:
        raise WireError("unknown_entity", f"Unknown entity {entity!r}.")
    if not isinstance(field, str) or field not in fields:
        raise WireError("unknown_field", f"Unknown field {field!r} of {entity}.")
    if not isinstance(row_key, str) or not 0 < len(row_key) <= MAX_KEY_LENGTH:
        raise WireError("invalid_op", "row_key must be a non-empty string of at most 100 characters.")
    small = isinstance(value, _SMALL_TYPES) or (isinstance(value, str) and len(value) <= _SMALL_STR)
    if not small and value_size(value) > MAX_VALUE_BYTES:
        raise WireError("value_too_large", "A field value may be at most 4096 bytes of JSON.")
    if not isinstance(stamp, str) or not _STAMP.fullmatch(stamp):
        raise WireError("invalid_stamp", "stamp is not a hybrid-logical-clock stamp.")
    return Op(counter, entity, row_key, field, value, stamp)


def parse_batch(raw: Any) -> list[Op]:
    """Validate a push batch: 1..MAX_BATCH ops with strictly increasing counters."""
    if not isinstance(raw, list) or not raw:
        raise WireError("invalid_batch", "ops must be a non-empty list.")
    if len(raw) > MAX_BATCH:
        raise WireError("batch_too_large", f"At most {MAX_BATCH} ops per push.")
    ops = [parse_op(r) for r in raw]
    if any(b.counter <= a.counter for a, b in zip(ops, ops[1:], strict=False)):
        raise WireError("invalid_batch", "Op counters must increase within a batch.")
    return ops
