"""The API's routes, one module per resource; `ROUTERS` is what `create_app` mounts. Push, pull and
the live stream are answered before FastAPI's routing (server/sync_http.py, server/live.py)."""

from __future__ import annotations

from fastapi import APIRouter

from server.routes import (
    cases,
    coordinators,
    devices,
    employers,
    hosts,
    households,
    inbox,
    invites,
    me,
    meta,
    seekers,
    visits,
)

ROUTERS: tuple[APIRouter, ...] = (
    meta.router,
    devices.router,
    households.router,
    invites.router,
    hosts.router,
    seekers.router,
    visits.router,
    inbox.router,
    coordinators.router,
    me.router,
    employers.router,
    cases.router,
)
