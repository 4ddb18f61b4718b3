"""The desk's time as the tests see it. A test that needs a date counts it from the desk's clock (or pins
the clock with the ``pinned_clock`` fixture), never from a literal near the day it was written.

``DESK_TEST_NOW`` (an instant with its offset) starts every desk of a run at that instant: ``make test``
runs the component and workflow tiers again on hard days this way (``make hard-days``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from desk import clock
from desk.calendar import ScopedCalendar, WorkingCalendar

PINNED_START = "DESK_TEST_NOW"
# The ``pinned_clock`` fixture: pinned_clock("2026-03-17T10:00:00+07:00") puts the desk on that instant.
type PinClock = Callable[[str | datetime], datetime]
JAKARTA = ZoneInfo("Asia/Jakarta")


def pinned_start() -> datetime | None:
    """The instant ``DESK_TEST_NOW`` asks every desk of this run to start at, if any."""
    text = os.environ.get(PINNED_START, "").strip()
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{PINNED_START}={text!r} needs an offset, e.g. 2026-12-24T09:00:00+07:00")
    return moment


def now() -> datetime:
    return clock.now()


def today() -> date:
    """The desk's date at LKPP (WIB)."""
    return clock.now().astimezone(JAKARTA).date()


@cache
def national() -> ScopedCalendar:
    """The official calendar with no overrides (tests that add overrides pin days they do not ask here)."""
    return WorkingCalendar.from_official().scoped()


def working_day(after: date | None = None, n: int = 1) -> date:
    """The ``n``-th working day after ``after`` (default: the desk's today), skipping holidays."""
    day = after or today()
    for _ in range(n):
        day = national().next_working_day(day)
    return day


def at(day: date, hour: int, minute: int = 0, zone: str = "Asia/Jakarta") -> datetime:
    """That day at that local time, as an aware instant."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def wib(moment: datetime, zone: str = "Asia/Jakarta") -> str:
    """An instant as a form sends it: ISO with the zone's offset (WIB's +07:00 unless told), to the second."""
    return moment.astimezone(ZoneInfo(zone)).replace(microsecond=0).isoformat()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)
