"""The app's side of Nordhub for the family: joining the employer's relocation case with its code,
choosing what the employer sees, leaving. Spoken through the sync client's connection (same
token, retries and clock); failures raise SyncError with the server's code."""

from __future__ import annotations

from typing import Any

from services.sync_client import SyncClient, SyncError
from services.wire import ErrorCode


class _NordhubClient:
    """Speaks through the sync client's connection (same token, retries and clock)."""

    def __init__(self, sync: SyncClient) -> None:
        self.sync = sync

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.sync.request(method, path, **kwargs)
        return response.json() if response.content else {}


class EmployerClient(_NordhubClient):
    def preview_case(self, code: str) -> dict[str, Any]:
        """What the case pre-fills (the code stays unused)."""
        return self._json("POST", "/v1/case/preview", json={"code": code})

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


class EmployerStaffClient(_NordhubClient):
    """The app's side of Nordhub for an employer's staff: registering the organisation, staff
    codes, relocation cases, the employer's own tasks, messages to newcomers and the CSV list."""

    def my_employer(self) -> dict[str, Any] | None:
        """The organisation this phone's staff member belongs to; None when it belongs to none."""
        try:
            return self._json("GET", "/v1/employer")
        except SyncError as exc:
            if exc.code == ErrorCode.NOT_EMPLOYER_STAFF:
                return None
            raise

    def register(self, org_number: str, name: str, municipality: int, staff_name: str) -> dict[str, Any]:
        body = {
            "org_number": org_number,
            "name": name,
            "municipality": municipality,
            "staff_name": staff_name,
        }
        return self._json("POST", "/v1/employers", json=body)

    def join_staff(self, code: str, name: str) -> dict[str, Any]:
        return self._json("POST", "/v1/employer/staff-invites/redeem", json={"code": code, "name": name})

    def invite_staff(self, role: str) -> dict[str, Any]:
        return self._json("POST", "/v1/employer/staff-invites", json={"role": role})

    def cases(self) -> list[dict[str, Any]]:
        return self._json("GET", "/v1/employer/cases")["cases"]

    def create_case(self, fields: dict[str, Any]) -> dict[str, Any]:
        return self._json("POST", "/v1/employer/cases", json=fields)

    def renew_code(self, case_id: str) -> dict[str, Any]:
        return self._json("POST", f"/v1/employer/cases/{case_id}/code")

    def set_task(self, case_id: str, task_id: str, done: bool) -> dict[str, Any]:
        return self._json("PUT", f"/v1/employer/cases/{case_id}/tasks/{task_id}", json={"done": done})

    def send_message(self, case_id: str, template: str, note: str) -> dict[str, Any]:
        body = {"template": template, "note": note}
        return self._json("POST", f"/v1/employer/cases/{case_id}/messages", json=body)

    def cases_csv(self) -> str:
        return self.sync.request("GET", "/v1/employer/cases.csv").text
