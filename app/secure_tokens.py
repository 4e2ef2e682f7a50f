"""The device token in the platform's secure storage (Android Keystore, iOS Keychain) through the
`flet-secure-storage` extension, on phones built with `flet build`. The browser and desktop keep
it in the app's own database (`services.sync_client.StoreTokenStore`): the prebuilt web client
has no such extension, and a browser has no keystore."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import flet as ft

from services.sync_client import TokenStore

log = logging.getLogger(__name__)

KEY = "device_token"
# A write from the sync thread waits this long for the phone to confirm it; then the token goes
# to the app's database instead, so it is never lost (a lost token is a lost family membership).
WRITE_TIMEOUT_S = 10.0
PHONE_PLATFORMS = frozenset({ft.PagePlatform.ANDROID, ft.PagePlatform.IOS})


class Vault(Protocol):
    """What the token store needs of secure storage (flet_secure_storage.SecureStorage)."""

    async def get(self, key: str) -> Any: ...
    async def set(self, key: str, value: Any) -> None: ...
    async def remove(self, key: str) -> None: ...


def wants_secure_storage(platform: ft.PagePlatform | None, web: bool) -> bool:
    """Only an app built for Android or iOS carries the extension; a phone's browser does not."""
    return not web and platform in PHONE_PLATFORMS


class SecureTokenStore:
    """A `TokenStore` whose reads come from memory (filled once at start) and whose writes go to
    the vault before they return. Sync calls it from a worker thread; the vault answers on the
    page's event loop."""

    def __init__(
        self,
        vault: Vault,
        loop: asyncio.AbstractEventLoop,
        fallback: Callable[[], TokenStore],
        token: str | None,
    ) -> None:
        # `fallback` is asked each time: the app's database is replaced by erasure and recovery.
        self.vault, self.loop, self.fallback = vault, loop, fallback
        self._token = token

    @classmethod
    async def open(cls, vault: Vault, fallback: Callable[[], TokenStore]) -> SecureTokenStore:
        """Read the token from the vault; a token the app's database still holds (an earlier
        version, or a write the vault refused) moves into the vault and leaves the database."""
        stored = await vault.get(KEY)
        store = cls(vault, asyncio.get_running_loop(), fallback, None)
        store._token = stored if isinstance(stored, str) and stored else None
        legacy = fallback().load()
        if legacy is not None:
            store._token = store._token or legacy
            try:
                await vault.set(KEY, store._token)
                fallback().clear()
            except Exception:  # noqa: BLE001 - keep it where it is; the next start tries again
                log.warning("secure storage refused the device token; kept in the app's database")
        return store

    def load(self) -> str | None:
        return self._token

    def save(self, token: str) -> None:
        self._token = token
        self._write(
            self.vault.set(KEY, token),
            on_success=lambda: self.fallback().clear(),
            on_failure=lambda: self.fallback().save(token),
        )

    def clear(self) -> None:
        self._token = None
        self.fallback().clear()
        self._write(self.vault.remove(KEY), on_success=_nothing, on_failure=_nothing)

    def _write(
        self,
        write: Coroutine[Any, Any, None],
        on_success: Callable[[], None],
        on_failure: Callable[[], None],
    ) -> None:
        """Run a vault write to the end, then `on_success`, or `on_failure` when it failed or
        took too long."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            # On the UI loop nothing may block: the write finishes in the background.
            task = self.loop.create_task(write)
            task.add_done_callback(lambda t: _settle(t, on_success, on_failure))
            return
        try:
            asyncio.run_coroutine_threadsafe(write, self.loop).result(timeout=WRITE_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - any failure: the token is kept elsewhere
            log.warning("secure storage did not take the device token in time")
            on_failure()
        else:
            on_success()


def _nothing() -> None:
    pass


def _settle(task: asyncio.Task[None], on_success: Callable[[], None], on_failure: Callable[[], None]) -> None:
    if task.cancelled() or task.exception() is not None:
        log.warning("secure storage write failed")
        on_failure()
    else:
        on_success()


async def open_token_store(page: ft.Page, fallback: Callable[[], TokenStore]) -> TokenStore | None:
    """Secure storage for the device token in a phone build; None where the app's database keeps
    it (browser, desktop, or a vault that does not answer, e.g. a build without the extension)."""
    if not wants_secure_storage(page.platform, page.web):
        return None
    from flet_secure_storage import SecureStorage  # the extension exists only in phone builds

    try:
        return await asyncio.wait_for(SecureTokenStore.open(SecureStorage(), fallback), 10)
    except Exception:  # noqa: BLE001
        log.warning("secure storage not available; the device token stays in the app's database")
        return None
