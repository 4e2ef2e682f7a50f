"""Settings: the app's language (the phone's until the user chooses) and the export of everything
this phone stores about the user."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import flet as ft

from app.state.profile import ProfileState
from app.state.runtime import Runtime, call_server
from services.languages import Language, get_language
from services.store import salvage_export


@ft.observable
@dataclass
class SettingsState:
    """The language on screen, and the data export."""

    runtime: Runtime = field(repr=False)
    profile: ProfileState = field(repr=False)
    language: str = "en"
    error: str | None = None  # a code from views/messages.py
    busy: bool = False

    async def server_export_file(self) -> tuple[str, bytes] | None:
        """What the server holds about this phone's person, as a JSON file (name, contents);
        None (with `error`) when the server cannot be reached."""
        if self.runtime.store is None:
            return None
        data = await call_server(self, self.runtime.sync_client().export_server_data)
        if data is None:
            return None
        now = datetime.now(UTC)
        text = json.dumps({"server": data, "exported_at": now.isoformat(timespec="seconds")},
                          ensure_ascii=False, indent=1, default=str)  # fmt: skip
        return f"ny-i-nordland-server-{now.strftime('%Y%m%d-%H%M%S')}.json", text.encode()

    @property
    def lang(self) -> Language:
        return get_language(self.language)

    def set_language(self, code: str) -> None:
        """Switch the UI language at once; stored with the profile when there is one."""
        lang = get_language(code)
        self.language = lang.code
        profile = self.profile
        profile.draft = profile.draft.with_changes(language=lang.code)
        if profile.profile is not None and self.runtime.store is not None:
            profile.save(profile.profile.with_changes(language=lang.code))

    def adopt_device_language(self, code: str | None) -> None:
        """Follow the device's language until the user has chosen one (first run only)."""
        if self.profile.profile is None and self.profile.wizard_step == 0 and code:
            self.language = get_language(code).code
            self.profile.draft = self.profile.draft.with_changes(language=self.language)

    def export_file(self) -> tuple[str, bytes]:
        """Everything this phone stores about the user as one JSON file (name, contents). A
        damaged database gives what can still be read."""
        store = self.runtime.store
        data = store.export_data() if store is not None else salvage_export(self.runtime.data_dir)
        now = datetime.now(UTC)
        data["exported_at"] = now.isoformat(timespec="seconds")
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
        return f"ny-i-nordland-{now.strftime('%Y%m%d-%H%M%S')}.json", text.encode()
