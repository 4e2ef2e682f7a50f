"""Limits against floods from one client address and from everyone together: registering
devices, creating households, redeeming invites and enrolling coordinators. Counted per minute in
the database (several API processes share the count), in a transaction of their own so refused
and failing attempts count too. Over a limit: 429 with Retry-After.

Addresses are kept only as a truncated hash inside the current minute's counter (then purged):
they are personal data and nothing else needs them."""

from __future__ import annotations

import hashlib
import os

from fastapi import Request
from sqlalchemy import Engine

from server.clock import server_time_ms
from server.errors import ApiError
from server.rate_limit import WINDOW_MS, bump
from services.wire import ErrorCode

REGISTER, CREATE_HOUSEHOLD, REDEEM, ENROL = "register", "household", "redeem", "enrol"
# Per minute: (per client address, for everyone together). Generous for a family or an office
# behind one address; a flood stops within a minute. 0 turns one side off.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    REGISTER: (30, 1200),
    CREATE_HOUSEHOLD: (20, 600),
    REDEEM: (20, 600),
    ENROL: (5, 60),
}


def limits_from_env() -> dict[str, tuple[int, int]]:
    """NYIN_ABUSE_LIMITS: "off", or overrides like "register=30/1200,redeem=20/600"."""
    text = os.environ.get("NYIN_ABUSE_LIMITS", "").strip()
    if text == "off":
        return {}
    limits = dict(DEFAULT_LIMITS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        action, _, numbers = item.partition("=")
        per_address, _, overall = numbers.partition("/")
        limits[action.strip()] = (int(per_address), int(overall))
    return limits


def client_address(request: Request, trust_forwarded: bool) -> str:
    """The caller's address: the socket's peer, or behind a trusted reverse proxy the first
    address of X-Forwarded-For (never trusted otherwise: anyone can send it)."""
    if trust_forwarded:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.client.host if request.client else "unknown"


def check_abuse_limit(engine: Engine, request: Request, action: str) -> None:
    """Count one `action` from the caller's address and in total; 429 once either is over."""
    settings = request.app.state.settings
    per_address, overall = settings.abuse_limits.get(action, (0, 0))
    if not per_address and not overall:
        return
    address = client_address(request, settings.trust_forwarded_for)
    digest = hashlib.sha256(f"{action}:{address}".encode()).hexdigest()[:20]
    now_ms = server_time_ms()
    with engine.begin() as conn:
        over = (per_address and bump(conn, f"a:{action[:8]}:{digest}", now_ms) > per_address) or (
            overall and bump(conn, f"g:{action[:8]}", now_ms) > overall
        )
    if over:
        retry_after = max(1, -(-(WINDOW_MS - now_ms % WINDOW_MS) // 1000))
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            f"Too many requests of this kind. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
