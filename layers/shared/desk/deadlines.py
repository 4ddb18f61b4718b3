"""Deadlines for requests, from the working-day calendar. Nothing else counts days."""

from __future__ import annotations

from datetime import datetime

from desk.calendar_store import current_calendar

LKPP_ZONE = "Asia/Jakarta"


def due_at(
    received: datetime, working_days: int, *, tz: str = LKPP_ZONE, scopes: tuple[str, ...] = ()
) -> tuple[datetime, int]:
    """The due instant (UTC) and the calendar version it was computed with."""
    calendar = current_calendar()
    return calendar.scoped(*scopes).add_working_days(received, working_days, tz), calendar.version
