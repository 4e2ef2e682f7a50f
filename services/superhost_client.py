"""The app's side of Superhost: host mode, finding a host, visits, inbox and the coordinator's
work, spoken through the sync client's connection (same token, retries and clock correction).
Every call raises SyncError with the server's code on failure; the app words it."""

from __future__ import annotations

import secrets
from typing import Any

from services.sync_client import SyncClient


class SuperhostClient:
    def __init__(self, sync: SyncClient) -> None:
        self.sync = sync

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.sync.request(method, path, **kwargs)
        return response.json() if response.content else {}

    # --- host mode ------------------------------------------------------------------------------
    def save_host_profile(self, profile: dict[str, Any]) -> dict[str, Any]:
        return self._json("PUT", "/v1/host", json=profile)

    def host_profile(self) -> dict[str, Any]:
        return self._json("GET", "/v1/host")

    def withdraw_host(self) -> None:
        """Withdraw consent: the host profile's details are erased on the server."""
        self._json("DELETE", "/v1/host")

    def host_requests(self) -> list[dict[str, Any]]:
        return self._json("GET", "/v1/host/requests")["requests"]

    # --- families -------------------------------------------------------------------------------
    def save_seeker(self, profile: dict[str, Any]) -> dict[str, Any]:
        return self._json("PUT", "/v1/seeker", json=profile)

    def withdraw_seeker(self) -> None:
        """Withdraw consent: the family's matching profile is deleted on the server."""
        self._json("DELETE", "/v1/seeker")

    def suggestions(self) -> dict[str, Any]:
        return self._json("GET", "/v1/seeker/suggestions")

    def request_visit(self, host_id: str, message: str, key: str | None = None) -> dict[str, Any]:
        """Ask a host; the key makes a retried request (lost answer, double tap) arrive once."""
        headers = {"Idempotency-Key": key or secrets.token_hex(12)}
        return self._json(
            "POST", "/v1/visits", json={"host_id": host_id, "message": message}, extra_headers=headers
        )

    def visits(self) -> list[dict[str, Any]]:
        return self._json("GET", "/v1/visits")["requests"]

    # --- both sides -----------------------------------------------------------------------------
    def act(self, request_id: str, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._json("POST", f"/v1/visits/{request_id}/{action}", json=body or {})

    def feedback(self, request_id: str, rating: int, comment: str = "") -> None:
        self._json("POST", f"/v1/visits/{request_id}/feedback", json={"rating": rating, "comment": comment})

    def report(self, request_id: str, reason: str, text: str = "") -> None:
        self._json("POST", f"/v1/visits/{request_id}/report", json={"reason": reason, "text": text})

    def block(self, request_id: str) -> None:
        self._json("POST", f"/v1/visits/{request_id}/block")

    def inbox(self, since: int = 0) -> dict[str, Any]:
        return self._json("GET", "/v1/inbox", params={"since": since})

    def mark_read(self, up_to: int) -> None:
        self._json("POST", "/v1/inbox/read", json={"up_to": up_to})

    # --- coordinators ---------------------------------------------------------------------------
    def enrol_coordinator(self, code: str) -> dict[str, Any]:
        return self._json("POST", "/v1/coordinator/enrol", json={"code": code})

    def pending_hosts(self, status: str = "pending") -> list[dict[str, Any]]:
        return self._json("GET", "/v1/coordinator/hosts", params={"status": status})["hosts"]

    def certify(self, host_id: str, facts: dict[str, str]) -> dict[str, Any]:
        return self._json("POST", f"/v1/coordinator/hosts/{host_id}/certification", json=facts)

    def suspend(self, host_id: str, reason: str) -> None:
        self._json("POST", f"/v1/coordinator/hosts/{host_id}/suspend", json={"reason": reason})

    def reports(self) -> list[dict[str, Any]]:
        return self._json("GET", "/v1/coordinator/reports")["reports"]

    def report_handled(self, report_id: str) -> None:
        self._json("POST", f"/v1/coordinator/reports/{report_id}/handled")

    def audit(self) -> list[dict[str, Any]]:
        """What coordinators did, newest first."""
        return self._json("GET", "/v1/coordinator/audit")["actions"]

    def run_round(self) -> dict[str, Any]:
        return self._json("POST", "/v1/coordinator/rounds")
