"""One JSON error shape for every failure: {"error": {"code": ..., "message": ...}}."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.clock import server_time_ms
from services.wire import ErrorCode

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An expected failure with its status, machine code and human message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(code: str, message: str) -> dict[str, Any]:
    """The one error shape, stamped with the server's time."""
    return {"error": {"code": code, "message": message}, "server_time": server_time_ms()}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


# The database is down or restarting: a 503 in the one error shape (clients retry after it), and
# one log line per OUTAGE_LOG_S however many requests fail (a traceback each flooded the log).
DATABASE_DOWN = (OperationalError, InterfaceError)
OUTAGE_RETRY_S = 5
OUTAGE_LOG_S = 10.0
_outage = {"logged_at": float("-inf"), "since_log": 0}


def database_down() -> ApiError:
    """The answer to a request that failed because the database cannot be reached."""
    _outage["since_log"] += 1
    now = time.monotonic()
    if now - _outage["logged_at"] >= OUTAGE_LOG_S:
        log.warning("database unavailable: %d requests answered 503", _outage["since_log"])
        _outage["logged_at"], _outage["since_log"] = now, 0
    return ApiError(
        503,
        ErrorCode.DATABASE_UNAVAILABLE,
        "The service is briefly unavailable. Try again in a few seconds.",
        headers={"Retry-After": str(OUTAGE_RETRY_S)},
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database_down(_request: Request, _exc: Exception) -> JSONResponse:
        exc = database_down()
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, ErrorCode.INVALID_REQUEST, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}.get(
            exc.status_code, ErrorCode.HTTP_ERROR
        )
        headers = dict(exc.headers or {})  # Starlette's own headers pass through
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        return error_response(exc.status_code, code, str(exc.detail), headers)


def allowed_methods(request: Request) -> str:
    """The methods of the request's path in the OpenAPI document, for the `Allow` of a 405 (RFC
    9110). Starlette's own 405 names only the first route of the path (only PUT for GET/PUT/DELETE
    /v1/host). As in OpenAPI, the path with the fewest templated segments wins (/v1/invites/redeem
    over /v1/invites/{invite_id}). Empty for a path the document does not have."""
    found: dict[int, set[str]] = {}
    for template, item in request.app.openapi()["paths"].items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.scope["path"]):
            found.setdefault(template.count("{"), set()).update(method.upper() for method in item)
    return ", ".join(sorted(found[min(found)])) if found else ""
