"""The app's sync client: pushes the outbox oldest-first in batches, then pulls changes since its
cursor and applies them with per-field last-writer-wins. Plain httpx, no Flet.

Network errors and 5xx retry with exponential backoff and jitter; 429/503 honour Retry-After.
Unsent writes are never dropped: an op leaves the outbox only when the server acknowledged it.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from services.store import LocalStore
from services.wire import ENTITIES, MAX_BATCH, PROTOCOL_HEADER, PROTOCOL_VERSION, PULL_PAGE, ErrorCode

log = logging.getLogger(__name__)

GZIP_FROM_BYTES = 1024

# Codes of a push the server refused because of one op's content: retrying cannot help, so the op
# is found, taken out of the queue and undone locally, and the rest goes through.
OP_REJECTIONS = frozenset(
    {
        "invalid_op",
        ErrorCode.UNKNOWN_ENTITY,
        ErrorCode.UNKNOWN_FIELD,
        ErrorCode.VALUE_TOO_LARGE,
        ErrorCode.INVALID_STAMP,
        ErrorCode.HOUSEHOLD_FULL,  # bisected like the others: what still fits is shared
    }
)


class TokenStore(Protocol):
    """Where the device token lives: the platform's secure storage in a phone build
    (app/secure_tokens.py), else the app's own database (docs/privacy.md)."""

    def load(self) -> str | None: ...
    def save(self, token: str) -> None: ...
    def clear(self) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self.token: str | None = None

    def load(self) -> str | None:
        return self.token

    def save(self, token: str) -> None:
        self.token = token

    def clear(self) -> None:
        self.token = None


class StoreTokenStore:
    """The device token in the phone's own database: app-private storage on Android and iOS, and
    deleted with the app. It never appears in logs or exports."""

    KEY = "device_token"

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def load(self) -> str | None:
        return self.store.get_meta(self.KEY)

    def save(self, token: str) -> None:
        self.store.set_meta(self.KEY, token)

    def clear(self) -> None:
        self.store.delete_meta(self.KEY)


class SyncError(Exception):
    """Sync could not finish; `code` says why (offline, unauthenticated, removed, server_error)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int


class SyncClient:
    """One device's connection to the server."""

    def __init__(
        self,
        store: LocalStore,
        http: httpx.Client,
        tokens: TokenStore,
        max_attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.store, self.http, self.tokens = store, http, tokens
        self.max_attempts, self.sleep, self.rng = max_attempts, sleep, rng

    # --- identity and household ---------------------------------------------------------------

    def ensure_registered(self) -> None:
        if self.tokens.load() is None:
            body = self._request("POST", "/v1/devices", auth=False).json()
            self.tokens.save(body["token"])
            self.store.set_meta("server_device_id", body["device_id"])

    def create_household(self, display_name: str = "") -> dict[str, Any]:
        self.ensure_registered()
        return self._request("POST", "/v1/households", json={"display_name": display_name}).json()

    def create_invite(self) -> dict[str, Any]:
        return self._request("POST", "/v1/invites").json()

    def join(self, code: str, display_name: str = "") -> dict[str, Any]:
        self.ensure_registered()
        return self._request(
            "POST", "/v1/invites/redeem", json={"code": code, "display_name": display_name}
        ).json()

    def refresh_token(self) -> None:
        """Rotate the device token when the server asks. The old token keeps working until the
        new one is used, so a lost answer is harmless: the next request asks again."""
        try:
            body = self._request("POST", "/v1/devices/token").json()
        except SyncError as exc:
            log.info("sync: token rotation postponed (%s)", exc.code)
            return
        self.tokens.save(body["token"])

    def describe_household(self) -> dict[str, Any]:
        """Members of this phone's household and their devices."""
        return self._request("GET", "/v1/household").json()

    def revoke_device(self, device_id: str) -> None:
        """Owner: cut off a lost phone at once (or this phone's own access)."""
        self._request("POST", f"/v1/devices/{device_id}/revoke")

    def remove_member(self, member_id: str) -> None:
        """Leave (our own member id) or, as the owner, remove someone."""
        self._request("DELETE", f"/v1/household/members/{member_id}")

    def revoke_invite(self, invite_id: str) -> None:
        """Withdraw an open invitation (ours, or any as the owner): its code stops working."""
        self._request("DELETE", f"/v1/invites/{invite_id}")

    def set_invites_by(self, who: str) -> None:
        """Owner: "members" (everyone may invite) or "owner" (only the owner)."""
        self._request("PUT", "/v1/household/invites-by", json={"invites_by": who})

    # --- privacy rights -------------------------------------------------------------------------

    def export_server_data(self) -> dict[str, Any]:
        """Everything the server holds about this phone's person (nothing when never registered)."""
        if self.tokens.load() is None:
            return {}
        return self._request("GET", "/v1/me/export").json()["export"]

    def erase_server_data(self) -> dict[str, bool]:
        """Erase what the server holds about this phone's person; this phone's token stops working."""
        if self.tokens.load() is None:
            return {}
        erased = self._request("DELETE", "/v1/me").json()["erased"]
        self.tokens.clear()
        return erased

    # --- sync -----------------------------------------------------------------------------------

    def sync(self, page_size: int = PULL_PAGE) -> SyncResult:
        """Push everything waiting, then pull everything new."""
        pushed = self.push_all()
        return SyncResult(pushed, self.pull_all(page_size))

    def push_all(self) -> int:
        """Push the outbox oldest-first in batches; returns how many ops the server took."""
        pushed = 0
        while rows := self.store.pending_outbox(limit=MAX_BATCH):
            pushed += self._push_rows(rows)
        return pushed

    def _push_rows(self, rows: list[dict[str, Any]]) -> int:
        """Push `rows` and drop them from the outbox once acknowledged. When the server refuses
        one op's content, halve the batch until that op is found, then undo it locally."""
        try:
            pushed = self.push_batch(rows)
        except SyncError as exc:
            if exc.code not in OP_REJECTIONS:
                raise
            if len(rows) == 1:
                log.warning("sync: the server refused one change (%s); it is undone here", exc.code)
                self.store.reject_op(rows[0]["counter"], exc.code)
                self.store.reset_for_redownload()  # brings back the household's value of that field
                return 0
            middle = len(rows) // 2
            return self._push_rows(rows[:middle]) + self._push_rows(rows[middle:])
        self.store.acknowledge(rows[-1]["counter"])
        return pushed

    def push_batch(self, rows: list[dict[str, Any]]) -> int:
        """POST the shared writes among `rows` (the personal profile stays local but keeps its place
        in the counter sequence). If the server refuses our stamps as too far ahead, the phone's
        clock ran ahead: the error carried the server's time, so rewind the clock to it, re-stamp
        and send once more."""
        for attempt in range(2):
            ops = [
                {
                    "counter": r["counter"],
                    "entity": r["entity"],
                    "row_key": r["row_key"],
                    "field": r["field"],
                    "value": json.loads(r["value"]),
                    "stamp": r["stamp"],
                }
                for r in rows
                if r["entity"] in ENTITIES and r["field"] in ENTITIES[r["entity"]]
            ]
            if not ops:
                return 0
            try:
                self._request("POST", "/v1/sync/push", json={"protocol": PROTOCOL_VERSION, "ops": ops})
                return len(ops)
            except SyncError as exc:
                if exc.code != ErrorCode.STAMP_IN_FUTURE or attempt == 1:
                    raise
                self.store.rewind_clock()
                rows = self.store.pending_outbox(limit=len(rows))
        raise AssertionError("unreachable")

    def pull_all(self, page_size: int = PULL_PAGE) -> int:
        """Pull every page since our cursor. If the server has forgotten deletes older than our
        cursor (reset required), download everything again; unsent local writes stay queued."""
        pulled = 0
        while True:
            try:
                page = self._request(
                    "GET", "/v1/sync/pull", params={"since": self.store.sync_cursor(), "limit": page_size}
                ).json()
            except SyncError as exc:
                if exc.code != ErrorCode.RESET_REQUIRED or self.store.sync_cursor() == 0:
                    raise
                log.info("sync: reset required, downloading the household again")
                self.store.reset_for_redownload()
                continue
            pulled += self.store.apply_remote(page["changes"], page["cursor"])
            if not page["more"]:
                return pulled

    # --- transport ------------------------------------------------------------------------------

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … capped at 30 s."""
        return min(30.0, 0.5 * 2**attempt) * (0.5 + self.rng() / 2)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An authenticated call with this client's retries, backoff and clock correction
        (other services, such as Superhost, speak to the server through it)."""
        self.ensure_registered()
        return self._request(method, path, **kwargs)

    def _request(
        self,
        method: str,
        path: str,
        auth: bool = True,
        extra_headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **(extra_headers or {})}
        if "json" in kwargs:
            # Large bodies (pushes) go gzipped: phones pay for every byte on mobile data.
            body = json.dumps(kwargs.pop("json"), separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
            if len(body) > GZIP_FROM_BYTES:
                body = gzip.compress(body, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
            kwargs["content"] = body
        if auth:
            token = self.tokens.load()
            if token is None:
                raise SyncError(ErrorCode.UNAUTHENTICATED, "This phone is not registered.")
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(self.max_attempts):
            try:
                response = self.http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                log.info("sync: network error (%s), attempt %d", type(exc).__name__, attempt + 1)
                self.sleep(self.backoff(attempt))
                continue
            self._correct_clock(response)
            if response.status_code in (429, 503) or response.status_code >= 500:
                retry_after = response.headers.get("Retry-After", "")
                wait = float(retry_after) if retry_after.isdigit() else self.backoff(attempt)
                self.sleep(wait)
                continue
            if response.status_code == 401:
                self.tokens.clear()
                raise SyncError(ErrorCode.UNAUTHENTICATED, "This phone's token is no longer valid.")
            if response.status_code == 410:
                self.store.wipe_household_data()
                raise SyncError("removed", "This phone is no longer part of the household.")
            if response.status_code >= 400:
                error = response.json().get("error", {})
                raise SyncError(error.get("code", ErrorCode.HTTP_ERROR), error.get("message", response.text))
            if response.headers.get("X-Token-Refresh") == "1" and path != "/v1/devices/token":
                self.refresh_token()
            return response
        raise SyncError("offline", "The server could not be reached. Your changes are kept on this phone.")

    def _correct_clock(self, response: httpx.Response) -> None:
        server = response.headers.get("X-Server-Time", "")
        if server.isdigit():
            self.store.clock.offset_ms = int(server) - self.store.clock.physical()
