"""When the ask step next wakes up (pure): the reminder, the deadline, or the link's end."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desk.calendar import OFFICE_OPENS, ScopedCalendar, zone

_DAY = timedelta(days=1)
MIN_WAIT_SECONDS = 1


@dataclass(frozen=True)
class Checkpoint:
    kind: str  # "reminder" | "deadline" | "expiry"
    moment: datetime


def reminder_moment(
    calendar: ScopedCalendar, counting_from: datetime, due: datetime, fraction: float, tz: str
) -> datetime:
    """``fraction`` of the working time to the deadline, moved into office hours (people are told then), in
    whole seconds: the moment is stored to the second, and the one planned must equal the one read back.

    When the next opening comes only after the deadline (a one-day step: 70 % falls at 16:48 of its only
    day), the reminder goes out at the opening of that last working day instead (**decision**: a reminder
    that arrives after the deadline reminds of nothing)."""
    budget = calendar.working_time_between(counting_from, due, tz)
    moment = (
        calendar.add_working_time(counting_from, budget * fraction, tz)
        if budget > timedelta(0)
        else counting_from
    )
    told = calendar.next_office_moment(moment, tz)
    if told >= due:
        told = max(_opening_on_or_before(calendar, moment, tz), counting_from)
    return told.replace(microsecond=0)


def _opening_on_or_before(calendar: ScopedCalendar, moment: datetime, tz: str) -> datetime:
    """07:30 local on the last working day on or before ``moment``'s day."""
    local_zone = zone(tz)
    day = moment.astimezone(local_zone).date()
    while not calendar.is_working_day(day):
        day -= _DAY
    return datetime.combine(day, OFFICE_OPENS, local_zone).astimezone(UTC)


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


def moved(planned_kind: str, planned_moment: datetime, fresh: Checkpoint) -> bool:
    """Whether the checkpoint a wait was planned for is no longer the next one (a calendar change moved
    the deadline later, or another checkpoint comes first): then the step plans again instead of acting."""
    return fresh.kind != planned_kind or fresh.moment > planned_moment


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
    # Rounded up: the timer never wakes the step before its moment (a reminder at 07:29:59.9 is outside
    # office hours, an escalation a fraction before the deadline is early).
    return max(MIN_WAIT_SECONDS, math.ceil((checkpoint.moment - now).total_seconds()))
