"""The active hosts' matching columns, kept in memory per process and checked against the host
directory's version (how many hosts, when one last changed) on every use.

Suggestions read thousands of hosts; re-reading them from the database on every request costs
more than everything else together. Every change to a host (profile, certification, suspension)
sets `hosts.updated_at`, so the version moves in the same transaction and the next request of any
worker reloads: a suspension still takes effect at once. Expiry is checked per request."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, Engine, func, select

from server.tables import hosts


@dataclass(frozen=True)
class AreaHosts:
    """Hosts of one municipality as columns (one entry per host)."""

    ids: np.ndarray  # object (str)
    municipality: np.ndarray
    language_mask: np.ndarray
    interest_mask: np.ndarray
    child_bands: np.ndarray
    occupation: np.ndarray  # object (str)
    availability: np.ndarray
    visits_per_month: np.ndarray
    certified_until: np.ndarray  # proleptic ordinal; 0 = never certified
    suspended: np.ndarray  # bool


COLUMNS = (
    hosts.c.id, hosts.c.municipality, hosts.c.language_mask, hosts.c.interest_mask, hosts.c.child_bands,
    hosts.c.occupation, hosts.c.availability, hosts.c.visits_per_month, hosts.c.certified_until,
    hosts.c.suspended_at.is_not(None),
)  # fmt: skip


def _ordinal(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, str):  # SQLite through a plain cursor
        return date.fromisoformat(value[:10]).toordinal()
    return value.toordinal()  # type: ignore[attr-defined]


class HostDirectoryCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._areas: dict[int, AreaHosts] = {}

    def _load(self, conn: Connection) -> dict[int, AreaHosts]:
        rows = conn.execute(select(*COLUMNS)).all()
        grouped: dict[int, list] = {}
        for row in rows:
            grouped.setdefault(row[1], []).append(row)
        areas = {}
        for municipality, group in grouped.items():
            cols = list(zip(*group, strict=True))
            areas[municipality] = AreaHosts(
                ids=np.array(cols[0], dtype=object),
                municipality=np.array(cols[1], dtype=np.int32),
                language_mask=np.array(cols[2], dtype=np.int64),
                interest_mask=np.array(cols[3], dtype=np.int64),
                child_bands=np.array(cols[4], dtype=np.int64),
                occupation=np.array(cols[5], dtype=object),
                availability=np.array(cols[6], dtype=np.int64),
                visits_per_month=np.array(cols[7], dtype=np.int64),
                certified_until=np.array([_ordinal(v) for v in cols[8]], dtype=np.int64),
                suspended=np.array(cols[9], dtype=bool),
            )
        return areas

    def active_in(self, conn: Connection, areas: set[int], today: date, languages: int) -> AreaHosts | None:
        """Certified, in date, not suspended hosts of `areas` who speak one of `languages` (a mask)."""
        version = tuple(conn.execute(select(func.count(), func.max(hosts.c.updated_at))).one())
        with self._lock:
            if version != self._version:
                self._areas, self._version = self._load(conn), version
            parts = [self._areas[a] for a in sorted(areas) if a in self._areas]
        if not parts:
            return None
        merged = AreaHosts(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in AreaHosts.__dataclass_fields__)
        )
        keep = (
            (merged.certified_until >= today.toordinal())
            & ~merged.suspended
            & ((merged.language_mask & languages) != 0)
        )
        return AreaHosts(*(getattr(merged, f)[keep] for f in AreaHosts.__dataclass_fields__))


_CACHES: weakref.WeakKeyDictionary[Engine, HostDirectoryCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def host_directory(conn: Connection) -> HostDirectoryCache:
    """The cache for this connection's database (one per engine, so tests and tools that open
    several databases in one process never mix them)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(conn.engine)
        if cache is None:
            cache = _CACHES[conn.engine] = HostDirectoryCache()
        return cache
