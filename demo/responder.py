"""The demo hosts answer by themselves, so a newcomer trying the demo sees the whole visit flow.

Every few seconds the responder asks the server, as each demo host (with the device token the
seeding kept, over the same HTTP API a host's phone uses), for that host's requests. A request
that has waited `NYIN_DEMO_ANSWER_SECONDS` (5 by default) is accepted with a meeting time at least
a day ahead in Norwegian time (one of the host's weekly free times, else a weekday at 15:00) and a
public place in the host's municipality: its public library's main entrance (every municipality
in Norway has a public library by law; nothing more specific is claimed).

Only hosts the server labels as demo hosts, whose first names end in "(demo)", are ever answered
for; without the token file (a server with no demo data) the responder does nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from demo.hosts import is_demo_name, load_tokens
from services import host_wire as wire
from services.municipalities import get_municipality

log = logging.getLogger("ny-i-nordland.demo.responder")

OSLO = ZoneInfo("Europe/Oslo")
DEFAULT_ANSWER_SECONDS = 5.0
POLL_SECONDS = 2.0
MIN_NOTICE = timedelta(days=1)
# Start of each part of the day (host_wire.DAY_PARTS: morning, afternoon, evening), Norwegian time.
PART_STARTS = (time(10, 0), time(15, 0), time(18, 0))
AFTERNOON = 1


def answer_delay() -> float:
    """Seconds a request waits before a demo host answers (NYIN_DEMO_ANSWER_SECONDS)."""
    try:
        return max(0.0, float(os.environ.get("NYIN_DEMO_ANSWER_SECONDS", DEFAULT_ANSWER_SECONDS)))
    except ValueError:
        return DEFAULT_ANSWER_SECONDS


def meeting_time(now: datetime, availability: int = 0) -> datetime:
    """The first of the host's weekly free times at least a day after `now` (Norwegian time), or,
    when the host gave none, the first weekday at 15:00 at least a day ahead. Aware, in Oslo time."""
    local = now.astimezone(OSLO)
    earliest = now + MIN_NOTICE
    for offset in range(1, 16):
        day = local.date() + timedelta(days=offset)
        for part, start in enumerate(PART_STARTS):
            if availability:
                free = bool(availability & wire.slot_bit(day.weekday(), part))
            else:
                free = day.weekday() < 5 and part == AFTERNOON
            candidate = datetime.combine(day, start, OSLO)
            if free and candidate >= earliest:
                return candidate
    raise AssertionError("a week always has a free slot")  # any non-zero availability repeats weekly


def meeting_place(municipality: int) -> str:
    """A public meeting place in the host's municipality, worded generically (nothing invented)."""
    found = get_municipality(municipality)
    if found is None:
        return "The public library, main entrance"
    return f"The public library in {found.name}, main entrance"


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class DemoResponder:
    """Answers the demo hosts' new visit requests through the HTTP API, as those hosts."""

    def __init__(self, http: httpx.Client, tokens_file: Path, delay: float | None = None) -> None:
        self.http = http
        self.tokens_file = tokens_file
        self.delay = answer_delay() if delay is None else delay
        self._unavailable: set[str] = set()  # hosts whose requests could not be read (logged once)
        self._not_demo: set[str] = set()  # never answered for while this process runs

    def _get(self, path: str, token: str) -> httpx.Response:
        return self.http.get(path, headers={"Authorization": f"Bearer {token}"})

    def run_once(self) -> list[str]:
        """One look at every demo host's requests; returns the ids of the requests accepted."""
        accepted: list[str] = []
        for host_id, token in load_tokens(self.tokens_file).items():
            if host_id in self._not_demo:
                continue
            try:
                accepted += self._answer_for(host_id, token)
            except (httpx.TransportError, ValueError, KeyError) as exc:
                log.info("Demo responder: could not reach the server (%s)", type(exc).__name__)
                break
        return accepted

    def _answer_for(self, host_id: str, token: str) -> list[str]:
        answer = self._get("/v1/host/requests", token)
        if answer.status_code != 200:  # unknown token, host suspended or expired: nothing to do
            if host_id not in self._unavailable:
                self._unavailable.add(host_id)
                log.info("Demo responder: a demo host cannot receive requests (%s)", answer.status_code)
            return []
        self._unavailable.discard(host_id)
        body = answer.json()
        server_now = datetime.fromtimestamp(body["server_time"] / 1000, UTC)
        due = [
            r
            for r in body["requests"]
            if r["state"] == "requested"
            and server_now - _parse_time(r["created_at"]) >= timedelta(seconds=self.delay)
        ]
        if not due:
            return []
        host = self._get("/v1/host", token)
        if host.status_code != 200:
            return []
        profile = host.json()
        if not (profile.get("demo") and is_demo_name(profile.get("first_name", ""))) or (
            profile.get("host_id") != host_id
        ):
            self._not_demo.add(host_id)
            log.warning("Demo responder: host %s is not a demo host; it is never answered for", host_id)
            return []
        accepted = []
        for request in due:
            starts = meeting_time(server_now, profile.get("availability", 0))
            moved = self.http.post(
                f"/v1/visits/{request['request_id']}/accept",
                json={
                    "starts_at": starts.isoformat(),
                    "meeting_place": meeting_place(profile["municipality"]),
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            if moved.status_code == 200:
                accepted.append(request["request_id"])
                log.info(
                    "Demo host %s accepted a visit for %s",
                    profile["first_name"],
                    starts.strftime("%a %d %b %H:%M"),
                )
            else:  # the family cancelled meanwhile, or the host was suspended: leave it
                log.info(
                    "Demo host %s could not accept a visit (%s)", profile["first_name"], moved.status_code
                )
        return accepted

    def run(self, interval: float = POLL_SECONDS, stop: threading.Event | None = None) -> None:
        """Look every `interval` seconds until `stop` is set (forever without one)."""
        stop = stop or threading.Event()
        log.info("Demo responder: demo hosts answer requests after %.0f s", self.delay)
        while not stop.is_set():
            self.run_once()
            stop.wait(interval)


def respond(server: str, tokens_file: Path, interval: float = POLL_SECONDS,
            stop: threading.Event | None = None, delay: float | None = None) -> None:  # fmt: skip
    """Run the responder against `server` until `stop` is set."""
    with httpx.Client(base_url=server, timeout=10) as http:
        DemoResponder(http, tokens_file, delay).run(interval, stop)
