"""The FastAPI application factory. No engine exists until `create_app` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import BackgroundTasks, Depends, FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.auth import DeviceContext, authenticate, register_device, rotate_token
from server.clock import server_time_ms
from server.compression import GzipRequestMiddleware
from server.db import POOL_SIZE, make_engine, migrate
from server.errors import install_error_handlers
from server.households import create_household, describe_household, remove_member, revoke_device
from server.invites import create_invite, record_attempt, redeem_invite
from server.live import LiveHub, end_streams_on_signal, members_changed
from server.maintenance import purge
from server.middleware import LimitsAndServerTime
from server.settings import Settings
from server.superhost.routes import superhost_router
from server.sync_http import SyncEndpoints, document_sync, sync_threads


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
    invite_id: str = Field(description="Listed under the household's open_invites until it is used.")
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


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for one database (SQLite by default, PostgreSQL via DATABASE_URL)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        if settings.run_migrations:
            migrate(engine)
            purge(engine, settings)
        app.state.engine = engine
        app.state.sync_threads = sync_threads(POOL_SIZE["pool_size"])
        app.state.live_hub = hub = LiveHub(engine, settings, app.state.sync_threads)
        await hub.start()
        restore_signals = end_streams_on_signal(hub)
        yield
        restore_signals()
        await hub.close()
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
    # Push and pull are answered before FastAPI's routing (see server/sync_http.py).
    app.add_middleware(SyncEndpoints, settings=settings)
    document_sync(app)
    app.add_middleware(GzipRequestMiddleware, max_body_bytes=settings.max_body_bytes)

    app.add_middleware(LimitsAndServerTime, max_body_bytes=settings.max_body_bytes)

    def connection(request: Request) -> Iterator[Connection]:
        with request.app.state.engine.begin() as conn:
            yield conn

    def device(request: Request, conn: Connection = Depends(connection, scope="function")) -> DeviceContext:
        return authenticate(conn, request)

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
        request: Request,
        background: BackgroundTasks,
        conn: Connection = Depends(connection, scope="function"),
        ctx: DeviceContext = Depends(device),
    ) -> Response:
        """Leave (your own member id) or remove a member (owner). Their phones answer 410 on next sync."""
        remove_member(conn, ctx, member_id, datetime.now(UTC))
        members_changed(request.app.state.live_hub, conn, background, ctx.household_id)  # streams end
        return Response(status_code=204)

    @app.post("/v1/devices/{device_id}/revoke", status_code=204, tags=["devices"])
    def post_revoke(
        device_id: str,
        request: Request,
        background: BackgroundTasks,
        conn: Connection = Depends(connection, scope="function"),
        ctx: DeviceContext = Depends(device),
    ) -> Response:
        """Revoke a device's token at once (your own, or any in the household as owner)."""
        revoke_device(conn, ctx, device_id, datetime.now(UTC))
        members_changed(request.app.state.live_hub, conn, background, ctx.household_id)  # streams end
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

    app.include_router(superhost_router(connection, device, settings.request_expiry_days))
    return app
