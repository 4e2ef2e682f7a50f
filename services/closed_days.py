"""Days when Norwegian offices are closed: weekends and public holidays (helligdager).

Holidays come from the ``holidays`` library (pure Python, maintained, with Norway's statutory
holidays and their sources). Only its Norway module is loaded, by path: the library's country package
imports all of its 250 countries (about 0.1 s on a laptop), and the phone bundle ships only Norway's
file (``[tool.flet.cleanup]`` in pyproject.toml; sizes in bench/README.md).
"""

from __future__ import annotations

import importlib.util
import logging
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SATURDAY, SUNDAY = 5, 6


@lru_cache(maxsize=1)
def _norway_class() -> Any:
    """The library's Norway calendar, loaded without its 250-country package."""
    import holidays  # the base package only: holiday_base, groups, calendars (no countries)

    path = Path(holidays.__path__[0]) / "countries" / "norway.py"
    spec = importlib.util.spec_from_file_location("ny_i_nordland_holidays_norway", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a broken install
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Norway


@lru_cache(maxsize=16)
def _holidays(year: int) -> dict[date, str]:
    """Norway's public holidays in one year, by their Norwegian names (Sundays are not listed)."""
    calendar = _norway_class()(years=year, include_sundays=False, language="no")
    return dict(calendar.items())


def holiday_name(day: date) -> str | None:
    """The Norwegian name of the public holiday on ``day`` (``Grunnlovsdag``), or None."""
    return _holidays(day.year).get(day)


def offices_closed(day: date) -> bool:
    """True on a Saturday, a Sunday or a public holiday."""
    return day.weekday() in (SATURDAY, SUNDAY) or holiday_name(day) is not None


def last_open_day_before(day: date) -> date:
    """The last day before ``day`` on which offices are open (go then, not on the closed day)."""
    earlier = day - timedelta(days=1)
    while offices_closed(earlier):
        earlier -= timedelta(days=1)
    return earlier
