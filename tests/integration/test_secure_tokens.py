"""The device token in the phone's secure storage: registration against the real server writes it
there (never into the app's database), an older install's token moves in, a vault that refuses a
write never loses the token, and erasure removes it. The Keystore/Keychain itself cannot run here
(it lives in the Flutter client of a phone build): `DictVault` stands at that boundary."""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft
import httpx
import pytest

from app.secure_tokens import KEY, SecureTokenStore, wants_secure_storage
from services.store import open_store
from services.sync_client import StoreTokenStore, SyncClient


class DictVault:
    """The phone's keystore as the app sees it: async get/set/remove, optionally refusing."""

    def __init__(self, refuse: bool = False) -> None:
        self.values: dict[str, Any] = {}
        self.refuse = refuse

    async def get(self, key: str) -> Any:
        return self.values.get(key)

    async def set(self, key: str, value: Any) -> None:
        await asyncio.sleep(0)  # answers later on the page's loop, like the client does
        if self.refuse:
            raise RuntimeError("keystore locked")
        self.values[key] = value

    async def remove(self, key: str) -> None:
        self.values.pop(key, None)


@pytest.mark.parametrize(
    ("platform", "web", "secure"),
    [
        (ft.PagePlatform.ANDROID, False, True),
        (ft.PagePlatform.IOS, False, True),
        (ft.PagePlatform.ANDROID, True, False),  # a phone's browser: no extension, no keystore
        (ft.PagePlatform.LINUX, False, False),
        (None, False, False),
    ],
)
def test_only_an_android_or_ios_build_uses_secure_storage(platform, web, secure):
    assert wants_secure_storage(platform, web) is secure


async def test_registering_puts_the_token_in_the_vault_and_not_in_the_database(tmp_path, live_server):
    store = open_store(tmp_path)
    vault = DictVault()
    tokens = await SecureTokenStore.open(vault, lambda: StoreTokenStore(store))
    client = SyncClient(store, httpx.Client(base_url=live_server), tokens)
    await asyncio.to_thread(client.ensure_registered)  # sync runs in a worker thread
    token = vault.values[KEY]
    assert token and tokens.load() == token
    assert store.get_meta("device_token") is None
    answer = httpx.get(f"{live_server}/v1/household", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code != 401  # the server knows the token the vault holds

    # Erasing the server's data clears the token everywhere.
    await asyncio.to_thread(client.erase_server_data)
    await asyncio.sleep(0.05)
    assert KEY not in vault.values and tokens.load() is None


async def test_an_older_installs_token_moves_from_the_database_into_the_vault(tmp_path):
    store = open_store(tmp_path)
    StoreTokenStore(store).save("old-token")
    vault = DictVault()
    tokens = await SecureTokenStore.open(vault, lambda: StoreTokenStore(store))
    assert tokens.load() == "old-token" and vault.values[KEY] == "old-token"
    assert store.get_meta("device_token") is None


async def test_a_refused_write_keeps_the_token_in_the_database_and_the_next_start_moves_it(tmp_path):
    store = open_store(tmp_path)
    vault = DictVault(refuse=True)
    tokens = await SecureTokenStore.open(vault, lambda: StoreTokenStore(store))
    await asyncio.to_thread(tokens.save, "new-token")
    assert tokens.load() == "new-token"
    assert store.get_meta("device_token") == "new-token"  # not lost: the membership hangs on it

    vault.refuse = False
    again = await SecureTokenStore.open(vault, lambda: StoreTokenStore(store))
    assert again.load() == "new-token" and vault.values[KEY] == "new-token"
    assert store.get_meta("device_token") is None


async def test_a_save_on_the_ui_loop_finishes_in_the_background(tmp_path):
    store = open_store(tmp_path)
    vault = DictVault()
    tokens = await SecureTokenStore.open(vault, lambda: StoreTokenStore(store))
    tokens.save("rotated")  # on the loop: must not block it
    assert tokens.load() == "rotated"
    for _ in range(10):
        await asyncio.sleep(0)
    assert vault.values[KEY] == "rotated"
