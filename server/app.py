"""The FastAPI application factory. No engine exists until `create_app` runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

import orjson
from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.auth import DeviceContext, authenticate, register_device, rotate_token
from server.clock import server_time_ms
from server.compression import GzipRequestMiddleware
from server.db import POOL_SIZE, make_engine, migrate, read_transaction
from server.errors import ApiError, install_error_handlers
from server.households import create_household, describe_household, remove_member, revoke_device
from server.invites import create_invite, record_attempt, redeem_invite
from server.maintenance import purge
from server.middleware import LimitsAndServerTime
from server.rate_limit import count_request
from server.settings import Settings
from server.superhost.routes import superhost_router
from server.sync import pull, push
from services.wire import PROTOCOL_HEADER, PULL_PAGE, SUPPORTED_VERSIONS, Op, WireError, parse_batch


class TokenRotated(BaseModel):
    token: str = Field(description="The new token; the one used for this call works until this is used.")
    server_time: int


class DeviceCreated(BaseModel):
    device_id: str
    token: str = Field(description="Shown once; send it as 'Authorization: Bearer <token>'.")
    server_time: int


class HouseholdRequest(BaseModel):
    display_name: str = Field("", max_length=40, description="The owner's first name (optional).")


class HouseholdCreated(BaseModel):
    household_id: str
    member_id: str
    role: str
    server_time: int


class InviteCreated(BaseModel):
    code: str = Field(description="12 base32 characters in groups of 4, for typing.")
    link: str = Field(description="Deep link the app shows as a QR code.")
    expires_at: datetime
    server_time: int


class RedeemRequest(BaseModel):
    code: str = Field(max_length=40)
    display_name: str = Field("", max_length=40)


class Joined(BaseModel):
    household_id: str
    member_id: str
    role: str
    server_time: int


class PushRequest(BaseModel):
    protocol: int = Field(description="Wire protocol version; see services/wire.py.")
    ops: list[dict[str, Any]] = Field(description="1–500 field writes with increasing counters.")


class PushResponse(BaseModel):
    acked_counter: int
    applied: int
    server_time: int


class Change(BaseModel):
    entity: str
    row_key: str
    field: str
    value: Any
    stamp: str
    seq: int


class PullResponse(BaseModel):
    changes: list[Change]
    cursor: int
    more: bool
    server_time: int


def request_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a JSON request body the endpoint reads itself."""
    schema = {"content": {"application/json": {"schema": model.model_json_schema()}}, "required": True}
    return {"requestBody": schema}


def read_push(body: bytes) -> list[Op]:
    """A push body checked by the wire parser (one pass, no model in between), or a 4xx ApiError."""
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(422, "invalid_request", f"body: not valid JSON ({exc.msg}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("protocol"), int) or "ops" not in raw:
        raise ApiError(422, "invalid_request", 'body: expected {"protocol": <int>, "ops": [...]}.')
    check_protocol_version(raw["protocol"])
    try:
        return parse_batch(raw["ops"])
    except WireError as exc:
        raise ApiError(422 if exc.code != "batch_too_large" else 413, exc.code, exc.message) from exc


def check_protocol_version(version: int | str) -> None:
    """426 for a sync protocol version this server does not speak."""
    if not str(version).isdigit() or int(version) not in SUPPORTED_VERSIONS:
        raise ApiError(
            426,
            "unsupported_protocol",
            f"This server speaks sync protocol versions {min(SUPPORTED_VERSIONS)} to "
            f"{max(SUPPORTED_VERSIONS)}; update the app.",
        )


PULL_PARAMETERS = [
    {
        "name": "since",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "default": 0},
        "description": "Cursor from the previous pull (0 for everything).",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": PULL_PAGE, "default": PULL_PAGE},
        "description": "Changes per page.",
    },
]


def read_pull_query(query_string: bytes) -> tuple[int, int]:
    """`since` and `limit` of a pull, or 422 invalid_request."""
    values = {"since": 0, "limit": PULL_PAGE}
    for name, raw in parse_qsl(query_string.decode("latin-1")):
        if name in values:
            if not raw.isdigit() or len(raw) > 18:
                raise ApiError(422, "invalid_request", f"query.{name}: must be a whole number.")
            values[name] = int(raw)
    if not 1 <= values["limit"] <= PULL_PAGE:
        raise ApiError(422, "invalid_request", f"query.limit: must be between 1 and {PULL_PAGE}.")
    return values["since"], values["limit"]


def json_response(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for one database (SQLite by default, PostgreSQL via DATABASE_URL)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Iterator[None]:
        engine = make_engine(settings.database_url)
        if settings.run_migrations:
            migrate(engine)
            purge(engine, settings)
        app.state.engine = engine
        # Sync requests' database work runs here: asyncio's executor hop costs a fraction of
        # anyio's, and no more requests reach the database at once than the pool holds.
        app.state.sync_threads = ThreadPoolExecutor(POOL_SIZE["pool_size"], thread_name_prefix="sync")
        yield
        app.state.sync_threads.shutdown()
        engine.dispose()

    app = FastAPI(
        title="Ny i Nordland API",
        version="1",
        description="Devices, households and offline sync for the Ny i Nordland app. Every error is "
        '`{"error": {"code", "message"}, "server_time"}`; every response carries `X-Server-Time`.',
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # Responses of 1 KB or more are gzipped for clients that accept it; gzip request bodies too.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(GzipRequestMiddleware, max_body_bytes=settings.max_body_bytes)

    app.add_middleware(LimitsAndServerTime, max_body_bytes=settings.max_body_bytes)

    def connection(request: Request) -> Iterator[Connection]:
        with request.app.state.engine.begin() as conn:
            yield conn

    def device(request: Request, conn: Connection = Depends(connection, scope="function")) -> DeviceContext:
        return authenticate(conn, request)

    def sync_device(conn: Connection, request: Request) -> DeviceContext:
        """The calling device for a sync request: protocol window, rate limit, and a nudge to
        rotate an old token."""
        check_protocol_version(request.headers.get(PROTOCOL_HEADER, "1"))
        ctx = authenticate(conn, request)
        count_request(conn, ctx.device_id, server_time_ms(), settings.sync_rate_per_min)
        issued = ctx.token_issued_at
        if issued is not None and issued.tzinfo is None:
            issued = issued.replace(tzinfo=UTC)  # SQLite returns naive datetimes
        if issued is None or datetime.now(UTC) - issued > timedelta(days=settings.token_refresh_days):
            request.state.token_refresh = True
        return ctx

    @app.get("/v1/health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "server_time": server_time_ms()}

    @app.post("/v1/devices", status_code=201, response_model=DeviceCreated, tags=["devices"])
    def post_device(conn: Connection = Depends(connection, scope="function")) -> dict[str, Any]:
        """Register this phone. No account, no password: the token is its identity."""
        device_id, token = register_device(conn)
        return {"device_id": device_id, "token": token, "server_time": server_time_ms()}

    @app.post("/v1/devices/token", response_model=TokenRotated, tags=["devices"])
    def post_token(
        conn: Connection = Depends(connection, scope="function"), ctx: DeviceContext = Depends(device)
    ) -> dict:
        """Rotate this device's token (the app does it when a response carries X-Token-Refresh)."""
        return {"token": rotate_token(conn, ctx), "server_time": server_time_ms()}

    @app.post("/v1/households", status_code=201, response_model=HouseholdCreated, tags=["households"])
    def post_household(
        body: HouseholdRequest,
        conn: Connection = Depends(connection, scope="function"),
        ctx: DeviceContext = Depends(device),
    ) -> dict[str, Any]:
        """Create a household; the calling device's member becomes its owner."""
        return {**create_household(conn, ctx, body.display_name.strip()), "server_time": server_time_ms()}

    @app.get("/v1/household", tags=["households"])
    def get_household(
        conn: Connection = Depends(connection, scope="function"), ctx: DeviceContext = Depends(device)
    ) -> dict:
        """Your household's members and their devices (never another household's)."""
        return {**describe_household(conn, ctx), "server_time": server_time_ms()}

    @app.delete("/v1/household/members/{member_id}", status_code=204, tags=["households"])
    def delete_member(
        member_id: str,
        conn: Connection = Depends(connection, scope="function"),
        ctx: DeviceContext = Depends(device),
    ) -> Response:
        """Leave (your own member id) or remove a member (owner). Their phones answer 410 on next sync."""
        remove_member(conn, ctx, member_id, datetime.now(UTC))
        return Response(status_code=204)

    @app.post("/v1/devices/{device_id}/revoke", status_code=204, tags=["devices"])
    def post_revoke(
        device_id: str,
        conn: Connection = Depends(connection, scope="function"),
        ctx: DeviceContext = Depends(device),
    ) -> Response:
        """Revoke a device's token at once (your own, or any in the household as owner)."""
        revoke_device(conn, ctx, device_id, datetime.now(UTC))
        return Response(status_code=204)

    @app.post("/v1/invites", status_code=201, response_model=InviteCreated, tags=["households"])
    def post_invite(
        conn: Connection = Depends(connection, scope="function"), ctx: DeviceContext = Depends(device)
    ) -> dict[str, Any]:
        """A single-use invite to this household, valid 72 hours (at most 5 open at once)."""
        return {**create_invite(conn, ctx, datetime.now(UTC)), "server_time": server_time_ms()}

    @app.post("/v1/invites/redeem", response_model=Joined, tags=["households"])
    def post_redeem(body: RedeemRequest, request: Request) -> dict[str, Any]:
        """Join a household with a typed code or a link. Invalid, expired and used codes get the same
        404; attempts are rate-limited per device (429 with Retry-After)."""
        engine, now = request.app.state.engine, datetime.now(UTC)
        with engine.begin() as conn:  # the attempt counts even when the redemption fails
            record_attempt(conn, authenticate(conn, request), now)
        with engine.begin() as conn:
            joined = redeem_invite(
                conn, authenticate(conn, request), body.code, body.display_name.strip(), now
            )
        return {**joined, "server_time": server_time_ms()}

    def in_sync_transaction(
        request: Request, work: Callable[[Connection, DeviceContext], dict], read_only: bool = False
    ) -> dict:
        """Everything a sync request does with the database, in one worker-thread hop and one
        transaction (a read-only one for pulls when nothing is counted). A request that fails
        after its device was known still counts against the rate limit, in a transaction of its own."""
        engine = request.app.state.engine
        counting = settings.sync_rate_per_min > 0
        ctx: DeviceContext | None = None
        try:
            with read_transaction(engine) if read_only and not counting else engine.begin() as conn:
                ctx = sync_device(conn, request)
                return work(conn, ctx)
        except ApiError as exc:
            if counting and ctx is not None and exc.code != "rate_limited":
                with engine.begin() as conn, suppress(ApiError):
                    count_request(conn, ctx.device_id, server_time_ms(), settings.sync_rate_per_min)
            raise

    async def in_sync_thread(
        request: Request, work: Callable[[Connection, DeviceContext], dict], read_only: bool = False
    ) -> dict:
        loop = asyncio.get_running_loop()
        job = partial(in_sync_transaction, request, work, read_only)
        return await loop.run_in_executor(request.app.state.sync_threads, job)

    # Push and pull carry the load, so they skip FastAPI's body model and response model: the
    # wire parser checks a push once, orjson encodes the answer (pulled values are spliced in as
    # the JSON text they are stored as), and all database work is one worker-thread hop. Their
    # bodies are documented from the same models.
    @app.post(
        "/v1/sync/push",
        responses={200: {"model": PushResponse}},
        openapi_extra=request_body_doc(PushRequest),
        tags=["sync"],
    )
    async def post_push(request: Request) -> Response:
        """Apply a batch of field writes exactly once; returns the highest counter now applied.
        Rate-limited per device (429 with Retry-After)."""
        ops = read_push(await request.body())

        def work(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
            now = server_time_ms()
            result = push(conn, ctx, ops, now)
            return {"acked_counter": result.acked_counter, "applied": result.applied, "server_time": now}

        return json_response(await in_sync_thread(request, work))

    @app.get(
        "/v1/sync/pull",
        responses={200: {"model": PullResponse}},
        openapi_extra={"parameters": PULL_PARAMETERS},
        tags=["sync"],
    )
    async def get_pull(request: Request) -> Response:
        """Current values of fields changed after `since`, oldest first; page until `more` is false.
        409 `reset_required` when deletes newer than `since` were purged. Rate-limited per device."""
        since, limit = read_pull_query(request.scope["query_string"])

        def work(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
            return {**pull(conn, ctx, since, limit), "server_time": server_time_ms()}

        return json_response(await in_sync_thread(request, work, read_only=True))

    app.include_router(superhost_router(connection, device, settings.request_expiry_days))
    return app
