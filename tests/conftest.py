"""Shared test plumbing: factories and the headless Flet session (internal API, pinned Flet)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import flet as ft
import msgpack
import pytest
from flet.controls.context import _context_page, context
from flet.messaging.connection import Connection
from flet.messaging.protocol import MessageAction, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.shell import main
from app.state import AppState
from services.profile import Child, Profile

# Every test comes from one address ("testclient", 127.0.0.1) and registers hundreds of phones a
# minute: the flood limits are off except where a test sets them (test_abuse_limits.py).
os.environ.setdefault("NYIN_ABUSE_LIMITS", "off")

_ENCODE = configure_encode_object_for_msgpack(ft.BaseControl)


# --- factories --------------------------------------------------------------------------------


def make_profile(**overrides: object) -> Profile:
    """A valid profile: an EU citizen coming to work in Bodø, arriving 20 Nov 2026."""
    base = Profile(
        language="en",
        group="eea",
        reason="work",
        municipality=1804,
        arrival_date=date(2026, 11, 20),
        stay="over_12",
    )
    return dataclasses.replace(base, **overrides)


def make_child(label: str = "Ada", birth_year: int = 2023, birth_month: int = 5) -> Child:
    return Child(id=f"c-{label.lower()}", label=label, birth_year=birth_year, birth_month=birth_month)


def require_ci_tool(path: str, what: str) -> None:
    """Skip locally when a tool is missing, but fail in CI: CI must run these tests."""
    if shutil.which(path) or Path(path).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but {path} is missing")
    pytest.skip(f"{what} not installed ({path})")


# --- headless Flet session ------------------------------------------------------------------


class RecordingConnection(Connection):
    """A connection that serializes every message like the real socket server (which also takes
    the diff snapshots Flet needs) and keeps them. It answers the client calls the app makes as
    the Flutter client would: a pushed route comes back as a route change (as the browser's
    history does), and a file offered for saving is kept in `saved_files`."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []
        self.session: Session | None = None
        self.saved_files: dict[str, bytes] = {}
        self.routes: list[str] = []

    def send_message(self, message: object) -> None:
        msgpack.packb([message.action, message.body], default=_ENCODE)
        self.messages.append(message)
        if message.action == MessageAction.INVOKE_METHOD:
            self.loop.call_soon(self._answer, message.body)

    def _answer(self, call: object) -> None:
        session = self.session
        result = None
        if call.name == "push_route":
            route = call.args["route"]
            self.routes.append(route)
            session.apply_page_patch({"route": route})
            asyncio.ensure_future(session.dispatch_event(session.page._i, "route_change", {"route": route}))
        elif call.name == "save_file":
            self.saved_files[call.args["file_name"]] = call.args["src_bytes"]
            result = f"/saved/{call.args['file_name']}"
        session.handle_invoke_method_results(call.control_id, call.call_id, result, None)


def walk(node: object, out: list[ft.BaseControl] | None = None) -> list[ft.BaseControl]:
    """Every control under a node, components unwrapped."""
    out = [] if out is None else out
    node = ft.unwrap_component(node)
    if isinstance(node, list):
        for child in node:
            walk(child, out)
        return out
    if isinstance(node, ft.Page):
        return walk(node.views, out)
    if not isinstance(node, ft.BaseControl):
        return out
    out.append(node)
    for f in dataclasses.fields(node):
        if f.name.startswith("_") or f.name == "parent":
            continue
        value = getattr(node, f.name, None)
        if isinstance(value, list):
            for child in value:
                if isinstance(child, ft.BaseControl) or hasattr(child, "_b"):
                    walk(child, out)
        elif isinstance(value, ft.BaseControl) or hasattr(value, "_b"):
            walk(value, out)
    return out


class HeadlessApp:
    """The real app in a Flet session without Flutter: find controls, click, type."""

    def __init__(self, session: Session, state: AppState, connection: RecordingConnection) -> None:
        self.session = session
        self.state = state
        self.page = session.page
        self.connection = connection

    def controls(self) -> list[ft.BaseControl]:
        return walk(self.page)

    def texts(self) -> list[str]:
        return [c.value for c in self.controls() if isinstance(c, ft.Text) and c.value]

    def find(self, identifier: str) -> ft.BaseControl:
        for c in self.controls():
            if isinstance(c, ft.Semantics) and c.identifier == identifier:
                return ft.unwrap_component(c.content)
        raise AssertionError(f"no control tagged {identifier!r}; texts: {self.texts()[:30]}")

    def semantics(self, identifier: str) -> ft.Semantics:
        """The Semantics wrapper itself (its label and flags: selected, checked …)."""
        for c in self.controls():
            if isinstance(c, ft.Semantics) and c.identifier == identifier:
                return c
        raise AssertionError(f"no control tagged {identifier!r}")

    async def go(self, route: str) -> None:
        """The client changes the route (the browser's back button, a deep link)."""
        self.session.apply_page_patch({"route": route})
        await self.event(self.page, "route_change", {"route": route})

    async def until(self, condition: callable, timeout: float = 15) -> None:
        """Wait for background work (server calls, syncs) to show its effect."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; texts: {self.texts()[:30]}")
            await asyncio.sleep(0.05)
        await self.settle()

    def has(self, identifier: str) -> bool:
        return any(isinstance(c, ft.Semantics) and c.identifier == identifier for c in self.controls())

    async def settle(self) -> None:
        for _ in range(5):
            await asyncio.sleep(0.01)

    async def event(self, control: ft.BaseControl, name: str, data: object = None) -> None:
        await self.session.dispatch_event(control._i, name, data)
        await self.settle()

    async def click(self, identifier: str) -> None:
        await self.event(self.find(identifier), "click")

    async def type(self, identifier: str, text: str) -> None:
        control = self.find(identifier)
        self.session.apply_patch(control._i, {"value": text})  # as the client reports typing
        await self.event(control, "change", text)

    async def answer(self, identifier: str) -> None:
        """Choose an answer in the wizard, then Next (choosing never moves on by itself)."""
        await self.click(identifier)
        await self.click("wizard-next")

    async def tick(self, identifier: str) -> None:
        """Tap a checkbox: it flips, as the client reports it."""
        control = self.find(identifier)
        value = not control.value
        self.session.apply_patch(control._i, {"value": value})
        await self.event(control, "change", value)

    async def select(self, identifier: str, value: str) -> None:
        control = self.find(identifier)
        self.session.apply_patch(control._i, {"value": value})
        await self.event(control, "select", value)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def headless(data_dir: Path) -> Iterator[callable]:
    """Start the real app headless; returns an async factory taking an optional today()."""
    sessions: list[Session] = []

    async def start(
        today: date = date(2026, 11, 25),
        language: str = "en",
        server_url: str = "http://127.0.0.1:9",
        folder: Path | None = None,
    ) -> HeadlessApp:
        conn = RecordingConnection()
        conn.page_url = "http://127.0.0.1"
        conn.loop = asyncio.get_running_loop()
        conn.pubsubhub = PubSubHub(loop=conn.loop)
        session = Session(conn)
        conn.session = session
        session.apply_page_patch(
            {"route": "/", "width": 360, "height": 740, "platform": ft.PagePlatform.ANDROID.value}
        )
        # What registering a client does: mount the page and serialize it (taking diff snapshots).
        msgpack.packb(session.get_page_patch(), default=_ENCODE)
        _context_page.set(session.page)
        context.reset_auto_update()
        # Port 9 (discard) refuses connections: offline unless a test passes a live server.
        state = AppState(data_dir=folder or data_dir, today_fn=lambda: today, server_url=server_url)
        state.load(device_language=language)
        # Device info awaits the Flutter client, which is not here; the browser test covers it.
        main(session.page, state, detect_device_locale=False)
        sessions.append(session)
        app = HeadlessApp(session, state, conn)
        await app.settle()
        return app

    yield start
    sessions.clear()


# --- a live sync server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def start_live_server(folder: Path, **settings: Any) -> Iterator[str]:
    """The real sync server (uvicorn, SQLite file in `folder`) on a free port, in a thread of this
    process; `settings` override the server's defaults (e.g. a small household quota)."""
    import uvicorn

    from server.app import create_app
    from server.settings import Settings

    port = free_port()
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'server.db'}", **settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sync server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The real sync server with its default settings."""
    with start_live_server(tmp_path) as url:
        yield url
