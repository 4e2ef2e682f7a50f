"""Group formats (theme evenings, language cafés) a coordinator keeps current: what a family is
offered while it waits for a host, so that the screen is never empty. Only facts from
`reference/nordland.md` are seeded, without times or addresses; uncertain ones are flagged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, or_, select

from server.auth import new_id
from server.tables import group_events

# Seeded by the demo and by `python -m server.coordinators seed-events`; the coordinator edits them.
REFERENCE_EVENTS: tuple[dict[str, Any], ...] = (
    {
        "municipality": 1804,
        "kind": "language_cafe",
        "title": "Lån en bodøværing",
        "organiser": "Bodø Red Cross",
        "details": "Meetings at Stormen library. Ask the library or the Red Cross for the next date.",
        "uncertain": False,
    },
    {
        "municipality": None,
        "kind": "language_cafe",
        "title": "Language café (norsktrening)",
        "organiser": "Red Cross",
        "details": "Free Norwegian practice. Ask your local Red Cross or volunteer centre "
        "(frivilligsentral) whether there is one near you.",
        "uncertain": True,
    },
    {
        "municipality": None,
        "kind": "theme_evening",
        "title": "Ny i Norge theme evenings",
        "organiser": "Municipal volunteer centres (the Vesterålen model)",
        "details": "Evenings on school and education, health and family life, and volunteering. "
        "Ask your municipality whether they run this year.",
        "uncertain": True,
    },
)


def seed_reference_events(conn: Connection) -> int:
    """Insert the reference events once (by title); returns how many were added."""
    existing = set(conn.execute(select(group_events.c.title)).scalars())
    added = [dict(e, id=new_id()) for e in REFERENCE_EVENTS if e["title"] not in existing]
    if added:
        conn.execute(insert(group_events), added)
    return len(added)


def events_for(conn: Connection, municipality: int) -> list[dict[str, Any]]:
    """The municipality's own events first, then county-wide ones."""
    rows = conn.execute(
        select(group_events).where(
            or_(group_events.c.municipality == municipality, group_events.c.municipality.is_(None))
        )
    ).all()
    rows = sorted(rows, key=lambda r: (r.municipality is None, r.title))
    return [
        {
            "kind": r.kind,
            "title": r.title,
            "organiser": r.organiser,
            "details": r.details,
            "municipality": r.municipality,
            "source_url": r.source_url,
            "uncertain": bool(r.uncertain),
        }
        for r in rows
    ]
