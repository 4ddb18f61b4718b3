"""When the ask step next wakes up (pure): the reminder, the deadline, or the link's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from desk.calendar import ScopedCalendar

_DAY = timedelta(days=1)
MIN_WAIT_SECONDS = 1


@dataclass(frozen=True)
class Checkpoint:
    kind: str  # "reminder" | "deadline" | "expiry"
    moment: datetime


def reminder_moment(
    calendar: ScopedCalendar, counting_from: datetime, due: datetime, fraction: float, tz: str
) -> datetime:
    """``fraction`` of the working time to the deadline, moved into office hours (people are told then)."""
    budget = calendar.working_time_between(counting_from, due, tz)
    moment = (
        calendar.add_working_time(counting_from, budget * fraction, tz)
        if budget > timedelta(0)
        else counting_from
    )
    return calendar.next_office_moment(moment, tz)


def next_checkpoint(
    calendar: ScopedCalendar,
    *,
    counting_from: datetime,
    due: datetime,
    link_expires: datetime,
    reminded: bool,
    escalated: bool,
    fraction: float,
    tz: str,
) -> Checkpoint:
    if not reminded:
        moment = reminder_moment(calendar, counting_from, due, fraction, tz)
        if moment < due:
            return Checkpoint("reminder", moment)
    if not escalated:
        return Checkpoint("deadline", due)
    return Checkpoint("expiry", link_expires)


def wait_seconds(
    calendar: ScopedCalendar,
    checkpoint: Checkpoint,
    *,
    now: datetime,
    since: datetime,
    tz: str,
    working_day_seconds: float,
) -> int:
    """Seconds to wait for ``checkpoint``: real time, or, in the local demonstration mode, one working day
    of waiting lasting ``working_day_seconds`` (counted from the previous checkpoint ``since``)."""
    if working_day_seconds > 0:
        working = calendar.working_time_between(since, checkpoint.moment, tz)
        return max(MIN_WAIT_SECONDS, round(working / _DAY * working_day_seconds))
    return max(MIN_WAIT_SECONDS, int((checkpoint.moment - now).total_seconds()))
