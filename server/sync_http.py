"""Push and pull over HTTP, as plain ASGI in front of FastAPI's routing.

These two endpoints carry nearly all of the load, and FastAPI's per-request machinery (exception
and routing layers, dependency solving, body and response models, anyio's thread hop) cost more
CPU than their database work. So they are answered here: the wire parser checks a push once,
all database work runs in one executor hop and one transaction, orjson writes the answer (pulled
values are spliced in as the JSON text they are stored as), and the answer is gzipped here.
The body limit, gzip request bodies and `X-Server-Time` are the same middleware as for every
other endpoint (this one sits inside them), and `document_sync` puts both endpoints into the
OpenAPI document from the same models as before.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import orjson
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from server.auth import DeviceContext, authenticate, require_household
from server.clock import server_time_ms
from server.compression import ASGIApp, Message, Receive, Scope, Send
from server.db import read_transaction
from server.errors import DATABASE_DOWN, ApiError, database_down, error_body
from server.live import LIVE_PATH, LiveHub, household_seq
from server.rate_limit import count_request
from server.settings import Settings
from server.sync import Quota, pull, push
from services.wire import (
    PROTOCOL_HEADER,
    PULL_PAGE,
    SUPPORTED_VERSIONS,
    ErrorCode,
    Op,
    WireError,
    parse_batch,
    parse_whole_number,
)

PUSH_PATH, PULL_PATH = "/v1/sync/push", "/v1/sync/pull"
GZIP_FROM_BYTES = 1000  # as GZipMiddleware does for every other answer


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


def read_push(body: bytes) -> list[Op]:
    """A push body checked by the wire parser (one pass, no model in between), or a 4xx ApiError."""
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(422, ErrorCode.INVALID_REQUEST, f"body: not valid JSON ({exc.msg}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("protocol"), int) or "ops" not in raw:
        raise ApiError(422, ErrorCode.INVALID_REQUEST, 'body: expected {"protocol": <int>, "ops": [...]}.')
    check_protocol_version(raw["protocol"])
    try:
        return parse_batch(raw["ops"])
    except WireError as exc:
        raise ApiError(422 if exc.code != ErrorCode.BATCH_TOO_LARGE else 413, exc.code, exc.message) from exc


def check_protocol_version(version: int | str) -> None:
    """426 for a sync protocol version this server does not speak (ASCII digits only)."""
    number = version if type(version) is int else parse_whole_number(str(version), 10**6)
    if number not in SUPPORTED_VERSIONS:
        raise ApiError(
            426,
            ErrorCode.UNSUPPORTED_PROTOCOL,
            f"This server speaks sync protocol versions {min(SUPPORTED_VERSIONS)} to "
            f"{max(SUPPORTED_VERSIONS)}; update the app.",
        )


def read_pull_query(query_string: bytes) -> tuple[int, int]:
    """`since` and `limit` of a pull, or 422 invalid_request."""
    values = {"since": 0, "limit": PULL_PAGE}
    for name, raw in parse_qsl(query_string.decode("latin-1")):
        if name in values:
            number = parse_whole_number(raw)
            if number is None:
                raise ApiError(422, ErrorCode.INVALID_REQUEST, f"query.{name}: must be a whole number.")
            values[name] = number
    if not 1 <= values["limit"] <= PULL_PAGE:
        raise ApiError(422, ErrorCode.INVALID_REQUEST, f"query.limit: must be between 1 and {PULL_PAGE}.")
    return values["since"], values["limit"]


Work = Callable[[Connection, DeviceContext], dict[str, Any]]


def sync_threads(pool_size: int) -> ThreadPoolExecutor:
    """The threads that do sync requests' database work (one per pooled connection, so no more
    requests reach the database at once than the pool holds). asyncio's executor hop costs a
    fraction of anyio's."""
    return ThreadPoolExecutor(pool_size, thread_name_prefix="sync")


class SyncEndpoints:
    """ASGI middleware answering `POST /v1/sync/push`, `GET /v1/sync/pull` and the live stream
    `GET /v1/sync/live` (server/live.py); everything else goes on to the app."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.quota = Quota(settings.household_max_rows, settings.household_max_bytes)
        self.routes = {
            PUSH_PATH: ("POST", self._push),
            PULL_PATH: ("GET", self._pull),
            LIVE_PATH: ("GET", None),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if route is None:
            await self.app(scope, receive, send)
            return
        method, handler = route
        headers: dict[str, str] = {}
        try:
            if scope["method"] != method:
                headers = {"Allow": method}
                raise ApiError(405, ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed")
            if handler is None:  # the live stream answers by itself once its device is known
                await self._live(Request(scope), receive, send)
                return
            status, body = 200, await handler(Request(scope), receive)
        except DATABASE_DOWN:
            exc = database_down()
            status, headers, body = exc.status, {**headers, **exc.headers}, error_body(exc.code, exc.message)
        except ApiError as exc:
            status, headers = exc.status, {**headers, **exc.headers}
            body = error_body(exc.code, exc.message)
        await self._answer(scope, send, status, orjson.dumps(body), headers)

    async def _push(self, request: Request, receive: Receive) -> dict[str, Any]:
        ops = read_push(await self._body(receive))
        changed: list[tuple[str, int]] = []

        def work(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
            now = server_time_ms()
            result = push(conn, ctx, ops, now, self.quota)
            if result.applied:
                changed.append((ctx.household_id, result.seq))
            return {"acked_counter": result.acked_counter, "applied": result.applied, "server_time": now}

        answer = await self._in_thread(request, work, read_only=False)
        hub: LiveHub = request.app.state.live_hub
        for household_id, seq in changed:  # committed: poke the open phones
            hub.pushed(household_id, seq)
        return answer

    async def _pull(self, request: Request, _receive: Receive) -> dict[str, Any]:
        since, limit = read_pull_query(request.scope["query_string"])

        def work(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
            return {**pull(conn, ctx, since, limit), "server_time": server_time_ms()}

        return await self._in_thread(request, work, read_only=True)

    async def _live(self, request: Request, receive: Receive, send: Send) -> None:
        """Open a live stream: the device is checked like for push and pull (token, protocol,
        rate limit, household), then `LiveHub.serve` streams until the phone goes away."""

        def work(conn: Connection, ctx: DeviceContext) -> dict[str, Any]:
            household_id = require_household(ctx)
            return {"ctx": ctx, "seq": household_seq(conn, household_id)}

        opened = await self._in_thread(request, work, read_only=True)
        ctx: DeviceContext = opened["ctx"]
        hub: LiveHub = request.app.state.live_hub
        sub = hub.open(ctx.household_id, ctx.device_id, ctx.used_token_hash, opened["seq"])
        await hub.serve(sub, receive, send)

    async def _body(self, receive: Receive) -> bytes:
        """The whole request body, within the body limit (a chunked body has no Content-Length)."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ApiError(400, ErrorCode.INVALID_REQUEST, "The client went away.")
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.settings.max_body_bytes:
                raise ApiError(
                    413,
                    ErrorCode.BODY_TOO_LARGE,
                    f"Request bodies are limited to {self.settings.max_body_bytes} bytes.",
                )
        return b"".join(chunks)

    async def _in_thread(self, request: Request, work: Work, read_only: bool) -> dict[str, Any]:
        threads: ThreadPoolExecutor = request.app.state.sync_threads  # see `sync_threads`
        job = (self._transaction, request, work, read_only)
        return await asyncio.get_running_loop().run_in_executor(threads, *job)

    def _transaction(self, request: Request, work: Work, read_only: bool) -> dict[str, Any]:
        """Everything a sync request does with the database, in one transaction (a read-only one
        for pulls when nothing is counted). A request that fails after its device was known still
        counts against the rate limit, in a transaction of its own."""
        engine: Engine = request.app.state.engine
        limit = self.settings.sync_rate_per_min
        ctx: DeviceContext | None = None
        try:
            with read_transaction(engine) if read_only and limit <= 0 else engine.begin() as conn:
                ctx = self._device(conn, request)
                return work(conn, ctx)
        except ApiError as exc:
            if limit > 0 and ctx is not None and exc.code != "rate_limited":
                with engine.begin() as conn, suppress(ApiError):
                    count_request(conn, ctx.device_id, server_time_ms(), limit)
            raise

    def _device(self, conn: Connection, request: Request) -> DeviceContext:
        """The calling device: protocol window, rate limit, and a nudge to rotate an old token."""
        check_protocol_version(request.headers.get(PROTOCOL_HEADER, "1"))
        ctx = authenticate(conn, request)
        count_request(conn, ctx.device_id, server_time_ms(), self.settings.sync_rate_per_min)
        issued = ctx.token_issued_at
        if issued is not None and issued.tzinfo is None:
            issued = issued.replace(tzinfo=UTC)  # SQLite returns naive datetimes
        if issued is None or datetime.now(UTC) - issued > timedelta(days=self.settings.token_refresh_days):
            request.state.token_refresh = True
        return ctx

    @staticmethod
    async def _answer(scope: Scope, send: Send, status: int, body: bytes, extra: dict[str, str]) -> None:
        headers = [(b"content-type", b"application/json")]
        if len(body) >= GZIP_FROM_BYTES and _accepts_gzip(scope):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
        start: Message = {"type": "http.response.start", "status": status, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _accepts_gzip(scope: Scope) -> bool:
    return any(k == b"accept-encoding" and b"gzip" in v for k, v in scope["headers"])


def document_sync(app: FastAPI) -> None:
    """Add push and pull, which FastAPI does not route, to the app's OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        ref = "#/components/schemas/{model}"
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (PushRequest, PushResponse, PullResponse):
            model_schema = model.model_json_schema(ref_template=ref)
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema

        protocol = {
            "name": PROTOCOL_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "default": 1},
            "description": "The sync protocol the app speaks (426 `unsupported_protocol` when this "
            "server does not).",
        }

        def answer(model: type[BaseModel]) -> dict[str, Any]:
            content = {"application/json": {"schema": {"$ref": ref.format(model=model.__name__)}}}
            error = {"description": 'Error: `{"error": {"code", "message"}, "server_time"}`'}
            return {"200": {"description": "Successful Response", "content": content}, "4XX": error}

        schema["paths"][PUSH_PATH] = {
            "post": {
                "tags": ["sync"],
                "summary": "Push",
                "operationId": "post_push",
                "description": "Apply a batch of field writes exactly once; returns the highest "
                "counter now applied. Rate-limited per device (429 with Retry-After).",
                "parameters": [protocol],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": ref.format(model="PushRequest")}}},
                },
                "responses": answer(PushResponse),
            }
        }
        query = [
            ("since", {"minimum": 0, "default": 0}, "Cursor from the previous pull (0 for everything)."),
            ("limit", {"minimum": 1, "maximum": PULL_PAGE, "default": PULL_PAGE}, "Changes per page."),
        ]
        schema["paths"][PULL_PATH] = {
            "get": {
                "tags": ["sync"],
                "summary": "Pull",
                "operationId": "get_pull",
                "description": "Current values of fields changed after `since`, oldest first; page "
                "until `more` is false. 409 `reset_required` when deletes newer than `since` were "
                "purged. Rate-limited per device.",
                "parameters": [
                    {
                        "name": n,
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", **s},
                        "description": d,
                    }
                    for n, s, d in query
                ]
                + [protocol],
                "responses": answer(PullResponse),
            }
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
