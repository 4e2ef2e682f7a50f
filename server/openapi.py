"""The OpenAPI document, completed: FastAPI writes the routes, their parameters and request models,
and `complete_openapi` adds what it cannot know. The bearer device token and which operations need
it; every error status an operation can answer, each in the one error shape (`Error`) with the
`error.code` values it carries; `Retry-After` on 429 and `X-Server-Time` on every answer; response
schemas for answers FastAPI only knows as `dict[str, Any]`.

The error statuses are read off the code (routes, server/households.py, server/invites.py,
server/superhost/, server/sync_http.py, server/middleware.py, server/compression.py): keep
`OPERATIONS` in step when an operation gains or loses an answer. The Schemathesis test
(tests/integration/server/test_schemathesis.py) fails on an answer that is not documented here."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any

from fastapi import FastAPI

from services.wire import PROTOCOL_HEADER, SUPPORTED_VERSIONS

REF = "#/components/schemas/{name}"
BEARER = "bearer"  # the security scheme's name

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": 'Every error: `{"error": {"code", "message"}, "server_time"}`. `code` is '
    "machine-readable (services/wire.py `ErrorCode`), `message` is for people.",
    "required": ["error", "server_time"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
        "server_time": {"type": "integer", "description": "The server's clock, ms since the epoch."},
    },
}

SERVER_TIME_HEADER = {
    "description": "The server's clock (ms since the epoch); every answer carries it.",
    "required": True,
    "schema": {"type": "integer"},
}
RETRY_AFTER_HEADER = {
    "description": "Seconds until a new attempt can succeed.",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
ALLOW_HEADER = {
    "description": "The methods the path does answer.",
    "required": True,
    "schema": {"type": "string"},
}

# ---- what each operation answers ------------------------------------------------------------------
# Marks: PUBLIC needs no device token (every other operation answers 401 `unauthenticated` without
# a valid one); HOUSEHOLD needs the device to be in a household (409 `no_household`, 410
# `removed_from_household`); COORDINATOR needs a coordinator's phone (403 `not_coordinator`);
# STAFF an employer staff member's phone (403 `not_employer_staff`).
PUBLIC, HOUSEHOLD, COORDINATOR, STAFF = "public", "household", "coordinator", "staff"

UNSUPPORTED_PROTOCOL = (
    f"`unsupported_protocol`: the `{PROTOCOL_HEADER}` header (default 1) names a sync protocol this "
    f"server does not speak (it speaks {', '.join(map(str, SUPPORTED_VERSIONS))}); update the app"
)
FLOOD = "`rate_limited`: too many of these from this address or in total this minute (server/abuse.py)"

# (method, path) → (marks, {status: error codes and when}). Beyond these, every operation answers 422
# `invalid_request` (a NUL in the path or query is refused for every route, server/middleware.py),
# and one with a request body 400 `invalid_encoding` (gzip body that is not gzip) and 413
# `body_too_large` (server/compression.py, server/middleware.py).
OPERATIONS: dict[tuple[str, str], tuple[frozenset[str], dict[int, str]]] = {
    ("GET", "/v1/health"): (frozenset({PUBLIC}), {}),
    ("POST", "/v1/devices"): (frozenset({PUBLIC}), {429: FLOOD}),
    ("POST", "/v1/devices/token"): (frozenset(), {}),
    ("POST", "/v1/devices/{device_id}/revoke"): (
        frozenset({HOUSEHOLD}),
        {
            403: "`owner_only`: only the owner revokes other members' devices",
            404: "`not_found`: no such device in your household",
        },
    ),
    ("POST", "/v1/households"): (
        frozenset(),
        {409: "`already_in_household`: this device belongs to a household", 429: FLOOD},
    ),
    ("GET", "/v1/household"): (frozenset({HOUSEHOLD}), {}),
    ("DELETE", "/v1/household/members/{member_id}"): (
        frozenset({HOUSEHOLD}),
        {
            403: "`owner_only`: only the owner removes other members",
            404: "`not_found`: no such member in your household",
        },
    ),
    ("GET", "/v1/invites"): (frozenset({HOUSEHOLD}), {}),
    ("POST", "/v1/invites"): (
        frozenset({HOUSEHOLD}),
        {
            403: "`owner_only`: in this household only the owner invites",
            409: "`too_many_invites`: 5 open invites already",
        },
    ),
    ("POST", "/v1/invites/redeem"): (
        frozenset(),
        {
            404: "`invite_invalid`: the code is not valid, expired or used (one answer for all three)",
            409: "`already_in_household`: this device belongs to a household",
            429: "`rate_limited`: too many attempts from this device, this address or in total",
        },
    ),
    ("DELETE", "/v1/invites/{invite_id}"): (
        frozenset({HOUSEHOLD}),
        {
            403: "`owner_only`: only the owner withdraws another member's invite",
            404: "`not_found`: no such open invite in your household",
        },
    ),
    ("PUT", "/v1/household/invites-by"): (
        frozenset({HOUSEHOLD}),
        {403: "`owner_only`: only the owner chooses who may invite"},
    ),
    ("GET", "/v1/host"): (frozenset(), {404: "`not_a_host`: this phone has no host profile"}),
    ("PUT", "/v1/host"): (
        frozenset(),
        {
            422: "`consent_required`, `first_name_required`, `unknown_municipality`, `unknown_language`, "
            "`no_language`, `unknown_interest`"
        },
    ),
    ("DELETE", "/v1/host"): (frozenset(), {404: "`not_a_host`: this phone has no host profile"}),
    ("GET", "/v1/host/requests"): (
        frozenset(),
        {
            403: "`not_certified`: not (or no longer) certified, or suspended",
            404: "`not_a_host`: this phone has no host profile",
        },
    ),
    ("PUT", "/v1/seeker"): (
        frozenset({HOUSEHOLD}),
        {
            422: "`consent_required`, `first_name_required`, `unknown_municipality`, `unknown_language`, "
            "`no_language`, `unknown_interest`",
            429: "`too_many_moves`: the municipality changed too often",
        },
    ),
    ("DELETE", "/v1/seeker"): (
        frozenset({HOUSEHOLD}),
        {409: "`no_seeker_profile`: the household has no matching profile"},
    ),
    ("GET", "/v1/seeker/suggestions"): (
        frozenset({HOUSEHOLD}),
        {409: "`no_seeker_profile`: tell us about the family first"},
    ),
    ("GET", "/v1/group-events"): (
        frozenset(),
        {422: "`unknown_municipality`: not a municipality in Nordland"},
    ),
    ("POST", "/v1/visits"): (
        frozenset({HOUSEHOLD}),
        {
            400: "`idempotency_key_required`: send an Idempotency-Key of 8 to 64 characters",
            404: "`host_not_found`: no such certified host (also: blocked, or declined before)",
            409: "`idempotency_conflict`, `no_seeker_profile`, `duplicate_request`, `host_full`, "
            "`too_many_pending`",
            422: "`no_shared_language`: the host speaks none of the family's languages",
        },
    ),
    ("GET", "/v1/visits"): (frozenset({HOUSEHOLD}), {}),
    ("GET", "/v1/visits/{request_id}"): (
        frozenset(),
        {404: "`visit_not_found`: no such visit on the caller's side"},
    ),
    ("POST", "/v1/visits/{request_id}/feedback"): (
        frozenset(),
        {
            404: "`visit_not_found`: no such visit on the caller's side",
            409: "`not_completed`, `feedback_given`",
        },
    ),
    ("GET", "/v1/visits/{request_id}/ics"): (
        frozenset(),
        {
            404: "`visit_not_found`: no such visit on the caller's side",
            409: "`not_confirmed`: only a confirmed visit goes into a calendar",
        },
    ),
    ("POST", "/v1/visits/{request_id}/report"): (
        frozenset(),
        {
            404: "`visit_not_found`: no such visit on the caller's side",
            409: "`report_open`: this side already has an open report about the visit",
            422: "`unknown_reason`",
            429: "`rate_limited`: too many reports today from this household or host",
        },
    ),
    ("POST", "/v1/visits/{request_id}/block"): (
        frozenset(),
        {404: "`visit_not_found`: no such visit on the caller's side"},
    ),
    ("POST", "/v1/visits/{request_id}/{action}"): (
        frozenset(),
        {
            403: "`not_certified`: a host acts only while certified",
            404: "`visit_not_found`: no such visit on the caller's side",
            409: "`invalid_transition`, `not_yet`",
            422: "`time_and_place_required`, `time_in_past`, `time_too_far`, `place_too_long`, "
            "`not_public_place`",
        },
    ),
    ("GET", "/v1/inbox"): (frozenset(), {}),
    ("POST", "/v1/inbox/read"): (frozenset(), {}),
    ("POST", "/v1/coordinator/enrol"): (
        frozenset(),
        {
            404: "`enrolment_invalid`: the code is not valid, expired, used or revoked",
            409: "`already_coordinator`: this phone already belongs to a coordinator",
            429: FLOOD,
        },
    ),
    ("GET", "/v1/coordinator/me"): (frozenset({COORDINATOR}), {}),
    ("GET", "/v1/coordinator/hosts"): (frozenset({COORDINATOR}), {}),
    ("POST", "/v1/coordinator/hosts/{host_id}/certification"): (
        frozenset({COORDINATOR}),
        {
            403: "`own_host_profile`: another coordinator must certify your own host profile",
            404: "`host_not_found`",
            422: "`date_in_future`, `valid_until_past`, `valid_too_long`, `code_of_conduct_required`",
        },
    ),
    ("POST", "/v1/coordinator/hosts/{host_id}/suspend"): (
        frozenset({COORDINATOR}),
        {404: "`host_not_found`"},
    ),
    ("GET", "/v1/coordinator/reports"): (frozenset({COORDINATOR}), {}),
    ("POST", "/v1/coordinator/reports/{report_id}/handled"): (
        frozenset({COORDINATOR}),
        {404: "`report_not_found`: no such open report"},
    ),
    ("PUT", "/v1/coordinator/municipalities/{municipality}/neighbours"): (
        frozenset({COORDINATOR}),
        {422: "`unknown_municipality`: not a municipality in Nordland"},
    ),
    ("POST", "/v1/coordinator/rounds"): (frozenset({COORDINATOR}), {}),
    ("GET", "/v1/coordinator/audit"): (frozenset({COORDINATOR}), {}),
    # Nordhub: employers, staff, relocation cases; the family's side.
    ("POST", "/v1/employers"): (
        frozenset(),
        {
            409: "`already_employer_staff`: this phone is an employer's staff already; "
            "`employer_exists`: the organisation is registered (ask its administrator)",
            422: "`invalid_org_number`: not nine digits with a valid check digit; "
            "`unknown_municipality`: not a municipality in Nordland",
            429: FLOOD,
        },
    ),
    ("GET", "/v1/employer"): (frozenset({STAFF}), {}),
    ("POST", "/v1/employer/staff-invites"): (
        frozenset({STAFF}),
        {403: "`admin_only`: only administrators invite staff"},
    ),
    ("POST", "/v1/employer/staff-invites/redeem"): (
        frozenset(),
        {
            404: "`staff_code_invalid`: unknown, used or expired code",
            409: "`already_employer_staff`: this phone is an employer's staff already",
            429: FLOOD,
        },
    ),
    ("DELETE", "/v1/employer/staff/{staff_id}"): (
        frozenset({STAFF}),
        {403: "`admin_only`: only administrators remove staff", 404: "`not_found`: no such staff member"},
    ),
    ("POST", "/v1/employer/cases"): (
        frozenset({STAFF}),
        {
            403: "`employer_not_verified`: a coordinator has not verified the organisation yet",
            422: "`start_date_past`, `start_date_too_far`: the start date is not from today to two "
            "years ahead; `unknown_municipality`",
        },
    ),
    ("GET", "/v1/employer/cases"): (frozenset({STAFF}), {}),
    ("GET", "/v1/employer/cases.csv"): (frozenset({STAFF}), {}),
    ("POST", "/v1/employer/cases/{case_id}/code"): (
        frozenset({STAFF}),
        {
            404: "`case_not_found`: no such case of this organisation",
            409: "`case_already_joined`: the newcomer joined already",
        },
    ),
    ("PUT", "/v1/employer/cases/{case_id}/tasks/{task_id}"): (
        frozenset({STAFF}),
        {
            404: "`case_not_found`: no such case of this organisation",
            422: "`unknown_task`: not a task of the employer's checklist",
        },
    ),
    ("POST", "/v1/employer/cases/{case_id}/messages"): (
        frozenset({STAFF}),
        {
            404: "`case_not_found`: no such case of this organisation",
            409: "`case_not_joined`: the newcomer has not joined yet",
            429: "`too_many_messages`: ten messages to this family in the last day",
        },
    ),
    ("POST", "/v1/case/preview"): (
        frozenset(),
        {404: "`case_code_invalid`: unknown, used or expired code", 429: FLOOD},
    ),
    ("POST", "/v1/case/join"): (
        frozenset({HOUSEHOLD}),
        {
            404: "`case_code_invalid`: unknown, used or expired code",
            409: "`already_in_case`: the family is linked to an employer already",
            429: FLOOD,
        },
    ),
    ("GET", "/v1/case"): (
        frozenset({HOUSEHOLD}),
        {404: "`no_case`: the family is not linked to an employer"},
    ),
    ("PUT", "/v1/case/consents"): (
        frozenset({HOUSEHOLD}),
        {
            404: "`no_case`: the family is not linked to an employer",
            422: "`unknown_milestone`: not one of the milestones",
        },
    ),
    ("DELETE", "/v1/case"): (frozenset({HOUSEHOLD}), {}),
    ("GET", "/v1/coordinator/employers"): (frozenset({COORDINATOR}), {}),
    ("POST", "/v1/coordinator/employers/{employer_id}/verify"): (
        frozenset({COORDINATOR}),
        {
            403: "`own_employer`: another coordinator verifies your own organisation",
            404: "`not_found`: no such employer",
        },
    ),
    ("GET", "/v1/me/export"): (frozenset(), {}),
    ("DELETE", "/v1/me"): (frozenset(), {}),
    ("POST", "/v1/sync/push"): (
        frozenset({HOUSEHOLD}),
        {
            413: "`batch_too_large`: more than 500 ops; `household_full`: the household would store "
            "more fields or bytes than its quota",
            422: "`invalid_batch`, `invalid_op`, `unknown_entity`, `unknown_field`, `value_too_large`, "
            "`invalid_stamp`, `stamp_in_future`",
            426: UNSUPPORTED_PROTOCOL,
            429: "`rate_limited`: too many sync requests from this device this minute",
        },
    ),
    ("GET", "/v1/sync/pull"): (
        frozenset({HOUSEHOLD}),
        {
            409: "`reset_required`: deletes newer than `since` were purged; pull from 0",
            426: UNSUPPORTED_PROTOCOL,
            429: "`rate_limited`: too many sync requests from this device this minute",
        },
    ),
}

STATUS_TITLES = {
    400: "Bad request",
    401: "No valid device token",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    410: "Gone",
    413: "Request body too large",
    422: "Invalid request",
    426: "Upgrade required",
    429: "Too many requests",
    503: "Service unavailable",
}


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> dict[int, list[str]]:
    """Every error status `operation` answers, with the error codes each carries."""
    marks, own = OPERATIONS.get((method, path), (frozenset(), {}))
    found: dict[int, list[str]] = {
        422: ["`invalid_request`: a parameter or the body does not validate"],
        503: ["`database_unavailable`: the database cannot be reached now; retry after Retry-After"],
    }
    if PUBLIC not in marks:
        found[401] = ["`unauthenticated`: no device token, or an unknown or revoked one"]
    if HOUSEHOLD in marks:
        found[409] = ["`no_household`: this device has not joined a household"]
        found[410] = ["`removed_from_household`: this phone was removed from its household"]
    if COORDINATOR in marks:
        found[403] = ["`not_coordinator`: only a county service coordinator can do this"]
    if STAFF in marks:
        found[403] = ["`not_employer_staff`: only an employer's staff can do this"]
    if "requestBody" in operation:
        found[400] = ["`invalid_encoding`: a `Content-Encoding: gzip` body that is not gzip"]
        found[413] = ["`body_too_large`: the body is over the server's limit"]
    for status, text in own.items():
        found.setdefault(status, []).append(text)
    return dict(sorted(found.items()))


# ---- answers FastAPI knows only as dict[str, Any] -------------------------------------------------
# Loose where the shape is rich or still changing (they keep `additionalProperties`); every JSON
# answer carries `server_time` (server/deps.py `stamped`).
def _obj(required: dict[str, Any] | None = None) -> dict[str, Any]:
    properties = {"server_time": {"type": "integer"}, **(required or {})}
    return {"type": "object", "required": sorted(properties), "properties": properties}


_STRING, _INT = {"type": "string"}, {"type": "integer"}
_OBJECTS = {"type": "array", "items": {"type": "object"}}
_INVITES_BY = {"type": "string", "enum": ["members", "owner"]}

ANSWERS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/v1/health"): _obj({"status": {"type": "string", "enum": ["ok"]}}),
    ("GET", "/v1/household"): _obj(
        {"household_id": _STRING, "members": _OBJECTS, "open_invites": _OBJECTS, "invites_by": _INVITES_BY}
    ),
    ("GET", "/v1/invites"): _obj({"open_invites": _OBJECTS, "invites_by": _INVITES_BY}),
    ("PUT", "/v1/household/invites-by"): _obj({"invites_by": _INVITES_BY}),
    ("GET", "/v1/host/requests"): _obj({"requests": _OBJECTS}),
    ("GET", "/v1/group-events"): _obj({"events": _OBJECTS}),
    ("GET", "/v1/visits"): _obj({"requests": _OBJECTS}),
    ("POST", "/v1/visits/{request_id}/report"): _obj({"report_id": _STRING}),
    ("GET", "/v1/inbox"): _obj({"items": _OBJECTS, "unread": _INT}),
    ("POST", "/v1/inbox/read"): _obj({"marked": _INT}),
    ("POST", "/v1/coordinator/enrol"): _obj({"coordinator_id": _STRING, "name": _STRING}),
    ("GET", "/v1/coordinator/me"): _obj({"coordinator_id": _STRING}),
    ("GET", "/v1/coordinator/hosts"): _obj({"hosts": _OBJECTS}),
    ("GET", "/v1/coordinator/reports"): _obj({"reports": _OBJECTS}),
    ("PUT", "/v1/coordinator/municipalities/{municipality}/neighbours"): _obj(
        {"municipality": _INT, "neighbours": {"type": "array", "items": _INT}}
    ),
    ("GET", "/v1/coordinator/audit"): _obj({"actions": _OBJECTS}),
    ("GET", "/v1/me/export"): _obj({"export": {"type": "object"}}),
    ("DELETE", "/v1/me"): _obj({"erased": {"type": "object", "additionalProperties": {"type": "boolean"}}}),
}


def _complete_answers(method: str, path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation["responses"]
    for status, response in responses.items():
        if not status.startswith("2"):
            continue
        content = response.get("content", {}).get("application/json")
        schema = content.get("schema") if content else None
        if schema is not None and "$ref" not in schema and schema.get("type") == "object":
            # FastAPI's `{"type": "object", "additionalProperties": true}` for dict[str, Any]
            schema.update(deepcopy(ANSWERS.get((method, path), _obj())))
    if (method, path) == ("GET", "/v1/visits/{request_id}/ics"):
        responses["200"]["content"] = {"text/calendar": {"schema": {"type": "string"}}}
        responses["200"]["description"] = "The visit as an iCalendar (RFC 5545) file."
    if (method, path) == ("GET", "/v1/employer/cases.csv"):
        responses["200"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
        responses["200"]["description"] = "The organisation's cases as CSV (consented milestones only)."
    if (method, path) == ("POST", "/v1/visits") and "201" in responses:
        # The same Idempotency-Key again: the first request, 200 instead of a second one.
        responses["200"] = {**responses["201"], "description": "A repeated request (same Idempotency-Key)."}
    if path in ("/v1/sync/push", "/v1/sync/pull"):
        responses.pop("4XX", None)  # replaced by each status below
        responses["200"].setdefault("headers", {})["X-Token-Refresh"] = {
            "description": "`1` when this device's token is old: rotate it (POST /v1/devices/token).",
            "schema": {"type": "string", "enum": ["1"]},
        }


def _complete_operation(method: str, path: str, operation: dict[str, Any]) -> None:
    marks, _ = OPERATIONS.get((method, path), (frozenset(), {}))
    if PUBLIC not in marks:
        operation["security"] = [{BEARER: []}]
    _complete_answers(method, path, operation)
    responses: dict[str, Any] = operation["responses"]
    for status, codes in error_statuses(method, path, operation).items():
        response: dict[str, Any] = {
            "description": f"{STATUS_TITLES.get(status, 'Error')}: " + "; ".join(codes) + ".",
            "content": {"application/json": {"schema": {"$ref": REF.format(name="Error")}}},
        }
        if status in (429, 503):
            response["headers"] = {"Retry-After": deepcopy(RETRY_AFTER_HEADER)}
        responses[str(status)] = response  # also replaces FastAPI's 422 (HTTPValidationError)
    for response in responses.values():
        response.setdefault("headers", {})["X-Server-Time"] = deepcopy(SERVER_TIME_HEADER)
    operation["responses"] = dict(sorted(responses.items()))


def complete_document(schema: dict[str, Any]) -> dict[str, Any]:
    """Complete an OpenAPI document of this API in place (see the module's docstring)."""
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "The device token from `POST /v1/devices`: `Authorization: Bearer <token>`.",
    }
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = deepcopy(ERROR_SCHEMA)
    for name in ("HTTPValidationError", "ValidationError"):  # our 422 is an `Error`
        schemas.pop(name, None)
    components.setdefault("responses", {})["MethodNotAllowed"] = {
        "description": "`method_not_allowed`: the path exists, the method does not (any path).",
        "headers": {"Allow": deepcopy(ALLOW_HEADER), "X-Server-Time": deepcopy(SERVER_TIME_HEADER)},
        "content": {"application/json": {"schema": {"$ref": REF.format(name="Error")}}},
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            _complete_operation(method.upper(), path, operation)
    return schema


def complete_openapi(app: FastAPI) -> None:
    """Wrap `app.openapi` (after server/sync_http.py `document_sync`) to complete its document."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    completed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        if not completed:  # `generate` caches FastAPI's document in app.openapi_schema: completed once
            completed.append(complete_document(generate()))
        return completed[0]

    app.openapi = openapi  # type: ignore[method-assign]
