"""The FastAPI application factory. No engine exists until `create_app` runs."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from server.compression import GzipRequestMiddleware
from server.db import POOL_SIZE, make_engine, migrate
from server.errors import install_error_handlers
from server.live import LiveHub, end_streams_on_signal
from server.maintenance import purge
from server.middleware import LimitsAndServerTime
from server.openapi import complete_openapi
from server.routes import ROUTERS
from server.settings import Settings
from server.sync_http import SyncEndpoints, document_sync, sync_threads


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
        # Everything loaded so far lives as long as the process: out of the collector's sight, a
        # full collection during a large answer (the employer's dashboard) no longer costs a
        # 50 ms pause (p95 74 -> 31 ms, bench/employer_dashboard.py).
        gc.freeze()
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
    app.state.settings = settings  # read by routes through server/deps.py
    install_error_handlers(app)
    # Responses of 1 KB or more are gzipped for clients that accept it; gzip request bodies too.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    # Push and pull are answered before FastAPI's routing (see server/sync_http.py).
    app.add_middleware(SyncEndpoints, settings=settings)
    document_sync(app)
    complete_openapi(app)  # security, every error status, response schemas (server/openapi.py)
    app.add_middleware(GzipRequestMiddleware, max_body_bytes=settings.max_body_bytes)

    app.add_middleware(LimitsAndServerTime, max_body_bytes=settings.max_body_bytes)

    for router in ROUTERS:
        app.include_router(router)
    return app
