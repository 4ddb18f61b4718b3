"""The training rules, pure: no table, no clock, no mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Protocol

MAX_FEE = 1_000_000_000  # rupiah per participant: far above any training's, far below what storage takes

UNIT = "pelatihan"  # the organiser's unit (seeded); its staff with role training decide the reply
SESSION_DAYS = 2  # domain rules §2: a training lasts 2 working days
MAX_PARTICIPANTS = 500  # per request: a larger group sends more than one request (decision)
REMIND_DAYS_BEFORE = 2  # participants are reminded 2 working days before the first day


class Calendar(Protocol):
    def is_working_day(self, d: date) -> bool: ...

    def span_end(self, start: date, n: int) -> date: ...

    def working_days_between(self, d1: date, d2: date) -> int: ...


def session_end(calendar: Calendar, start: date) -> date:
    """The last day of a session starting on ``start``: the start and the next working day, so a
    session starting the day before a holiday (or a run of cuti bersama) ends after it."""
    return calendar.span_end(start, SESSION_DAYS)


def start_problem(calendar: Calendar, start: date, *, today: date) -> str | None:
    """Why a session cannot start on ``start``, or None."""
    if start <= today:
        return "tanggal mulai harus setelah hari ini"
    if not calendar.is_working_day(start):
        return "bukan hari kerja; pilih hari kerja"  # shown beside the date field that holds the day
    return None


def seats_left(session: Mapping[str, Any]) -> int:
    return max(int(session.get("capacity", 0)) - int(session.get("booked", 0)), 0)


def attendance_days(session: Mapping[str, Any]) -> list[str]:
    """The session's two days (ISO dates): its start and the next working day."""
    return [str(session["start_date"]), str(session["end_date"])]


def trained(days: Mapping[str, bool], session_days: Iterable[str]) -> bool:
    """Present on every day of the session (both of them)."""
    return all(bool(days.get(day)) for day in session_days)


def remind_on(calendar: Calendar, start: date, today: date) -> bool:
    """Whether today is the day to remind participants: the working day 2 working days before the first
    day (Monday for a Wednesday start: one working day lies between)."""
    return (
        today < start
        and calendar.is_working_day(today)
        and calendar.working_days_between(today, start) == REMIND_DAYS_BEFORE - 1
    )
