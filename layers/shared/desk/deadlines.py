"""Deadlines for requests, from the working-day calendar. Nothing else counts days."""

from __future__ import annotations

from datetime import datetime

from desk import runtime
from desk.calendar import WorkingCalendar

LKPP_ZONE = "Asia/Jakarta"


@runtime.cached
def working_calendar() -> WorkingCalendar:
    return WorkingCalendar.from_official()


def due_at(
    received: datetime, working_days: int, *, tz: str = LKPP_ZONE, scopes: tuple[str, ...] = ()
) -> tuple[datetime, int]:
    calendar = working_calendar()
    return calendar.scoped(*scopes).add_working_days(received, working_days, tz), calendar.version
