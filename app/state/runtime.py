"""What every feature's state shares and none owns: this phone's database, its connection to the
server, the sync scheduler and today's date. Not observable: nothing on screen depends on it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import httpx

from services.employer_client import EmployerClient, EmployerStaffClient
from services.store import LocalStore
from services.superhost_client import SuperhostClient
from services.sync_client import StoreTokenStore, SyncClient, SyncError, TokenStore
from services.sync_scheduler import SyncScheduler

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The phone's plumbing, handed to each feature's state."""

    data_dir: Path
    server_url: str = ""
    today_fn: Callable[[], date] = date.today
    store: LocalStore | None = None
    scheduler: SyncScheduler | None = None
    in_foreground: bool = True
    # The platform's secure storage in a phone build (app/secure_tokens.py); else the local store.
    secure_tokens: TokenStore | None = None
    _client: SyncClient | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        return self.today_fn()

    def sync_client(self) -> SyncClient:
        """This phone's connection to the server (made on first use)."""
        assert self.store is not None
        if self._client is None:
            # Idle connections close before the server's keep-alive (uvicorn: 5 s) would close them
            # under a request being sent (a stray transport error the soak benchmark found).
            limits = httpx.Limits(keepalive_expiry=4.0)
            timeout = httpx.Timeout(10.0, connect=5.0)
            http = httpx.Client(base_url=self.server_url, timeout=timeout, limits=limits)
            self._client = SyncClient(self.store, http, self.token_store(), max_attempts=3)
        return self._client

    def token_store(self) -> TokenStore:
        """Where the device token lives: secure storage when the phone offers it."""
        return self.secure_tokens or self.local_tokens()

    def local_tokens(self) -> TokenStore:
        assert self.store is not None
        return StoreTokenStore(self.store)

    def superhost(self) -> SuperhostClient:
        return SuperhostClient(self.sync_client())

    def employer(self) -> EmployerClient:
        return EmployerClient(self.sync_client())

    def employer_staff(self) -> EmployerStaffClient:
        return EmployerStaffClient(self.sync_client())

    def edited(self) -> None:
        """A change was saved on this phone: the scheduler shares it with the family soon."""
        if self.scheduler is not None:
            self.scheduler.local_edit()

    def sync_soon(self) -> None:
        if self.scheduler is not None:
            self.scheduler.sync_soon()

    def forget_client(self) -> None:
        """Drop the connection (the store it wrote to was replaced)."""
        self._client = None


async def off_ui_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking server call in a worker thread; SyncError propagates with its code."""
    return await asyncio.to_thread(fn, *args)


class ServerCaller(Protocol):
    """A slice of state that shows a server call's progress and failure."""

    busy: bool
    error: str | None


async def call_server(state: ServerCaller, fn: Callable[..., Any], *args: Any) -> Any:
    """One server call off the UI thread for `state`: `busy` while it runs, a failure becomes
    the error code in `state.error` (the views word it) and the answer None."""
    state.busy, state.error = True, None
    try:
        return await off_ui_thread(fn, *args)
    except SyncError as exc:
        log.info("server call: %s", exc.code)
        state.error = exc.code
        return None
    finally:
        state.busy = False


__all__ = ["Runtime", "SyncError", "call_server", "off_ui_thread"]
