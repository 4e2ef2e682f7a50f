"""What a route asks for, as annotated dependencies: the request's transaction, the calling
device, its household, the coordinator behind it, the settings and the time. A route names what it
needs in its signature (`conn: Db, ctx: Device`); nothing here knows any route."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection

from server.abuse import check_abuse_limit
from server.auth import DeviceContext, authenticate, require_household
from server.clock import server_time_ms
from server.nordhub.employers import Staff, require_staff
from server.settings import Settings
from server.superhost.coordinators import require_coordinator


def connection(request: Request) -> Iterator[Connection]:
    """One transaction per request, committed when the route returns without an error."""
    with request.app.state.engine.begin() as conn:
        yield conn


Db = Annotated[Connection, Depends(connection, scope="function")]


def device(request: Request, conn: Db) -> DeviceContext:
    """The device whose bearer token came with the request (401 otherwise)."""
    return authenticate(conn, request)


Device = Annotated[DeviceContext, Depends(device)]


def household(ctx: Device) -> str:
    """The caller's household id (410 when removed from it, 409 before joining one)."""
    return require_household(ctx)


Household = Annotated[str, Depends(household)]


def coordinator(conn: Db, ctx: Device) -> str:
    """The id of the county coordinator this phone belongs to (403 otherwise)."""
    return require_coordinator(conn, ctx)


Coordinator = Annotated[str, Depends(coordinator)]


def employer_staff(conn: Db, ctx: Device) -> Staff:
    """The employer staff member this phone belongs to (403 otherwise)."""
    return require_staff(conn, ctx)


EmployerStaff = Annotated[Staff, Depends(employer_staff)]


def abuse_limit(action: str) -> Any:
    """A dependency counting one `action` against the flood limits (server/abuse.py). Declare it
    before `Db`: it commits its count in a transaction of its own, before the request's begins."""

    def check(request: Request) -> None:
        check_abuse_limit(request.app.state.engine, request, action)

    return Depends(check)


def settings(request: Request) -> Settings:
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(settings)]


def utc_now() -> datetime:
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(utc_now)]


def stamped(body: dict[str, Any]) -> dict[str, Any]:
    """An answer with the server's time, which every JSON answer carries."""
    return {**body, "server_time": server_time_ms()}
