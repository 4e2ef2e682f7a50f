"""The app's side of Nordhub for the family: joining the employer's relocation case with its code,
choosing what the employer sees, leaving. Spoken through the sync client's connection (same
token, retries and clock); failures raise SyncError with the server's code."""

from __future__ import annotations

from typing import Any

from services.sync_client import SyncClient, SyncError
from services.wire import ErrorCode


class EmployerClient:
    def __init__(self, sync: SyncClient) -> None:
        self.sync = sync

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.sync.request(method, path, **kwargs)
        return response.json() if response.content else {}

    def join_case(self, code: str) -> dict[str, Any]:
        """Link this phone's household to the employer's case; returns the case (pre-fill)."""
        return self._json("POST", "/v1/case/join", json={"code": code})

    def my_case(self) -> dict[str, Any] | None:
        """The household's case and its consents; None when it is linked to no employer."""
        try:
            return self._json("GET", "/v1/case")
        except SyncError as exc:
            if exc.code == ErrorCode.NO_CASE:
                return None
            raise

    def set_consents(self, milestones: list[str]) -> dict[str, Any]:
        """Exactly these milestones are shown to the employer from now on."""
        return self._json("PUT", "/v1/case/consents", json={"milestones": milestones})

    def leave_case(self) -> None:
        self._json("DELETE", "/v1/case")
