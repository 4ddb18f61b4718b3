"""The working calendar as the desk uses it: the official table plus stored overrides, their version,
and what the use cases need of their storage (:class:`CalendarRepository`; DynamoDB's is
``desk.data.calendar``). Every change bumps the version and is recorded with who, when, before and
after, so a version always names exactly one set of overrides."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Protocol

from desk import runtime
from desk.calendar import Override, WorkingCalendar
from desk.errors import Conflict, NotFound

RELOAD_SECONDS = 60.0  # a change reaches every warm function within a minute


class CalendarRepository(Protocol):
    """The calendar's overrides and its version: every change bumps the version and is recorded.
    ``desk.data.calendar.CalendarStore`` is DynamoDB's; the tests hold an in-memory twin to the same
    behaviour suite."""

    def load(self) -> tuple[list[Override], int]: ...

    def add(self, override: Override, *, actor: str, now: datetime) -> tuple[Override, int]: ...

    def remove(self, day: date, scope: str, *, actor: str, now: datetime) -> tuple[Override, int]: ...


def override_exists() -> Conflict:
    return Conflict(
        "Sudah ada pengecualian untuk tanggal dan cakupan itu; hapus dulu sebelum menggantinya.",
        code="override_exists",
        fields={"date": "sudah ada pengecualian untuk cakupan ini"},
    )


def override_missing() -> NotFound:
    return NotFound(
        "Tidak ada pengecualian kalender untuk tanggal dan cakupan itu.", code="override_not_found"
    )


class _CalendarCache:
    def __init__(self) -> None:
        self.calendar: WorkingCalendar | None = None
        self.loaded_at = 0.0


@runtime.cached
def _cache() -> _CalendarCache:
    return _CalendarCache()


def current_calendar(*, fresh: bool = False, overrides: CalendarRepository | None = None) -> WorkingCalendar:
    """The official table plus the stored overrides, loaded once per container and refreshed each minute
    (at once with ``fresh``, from ``overrides`` when given, else from the table)."""
    cache = _cache()
    now = time.monotonic()
    if fresh or cache.calendar is None or now - cache.loaded_at > RELOAD_SECONDS:
        if overrides is None:
            from desk.data.calendar import repository

            overrides = repository()
        stored, version = overrides.load()
        cache.calendar = WorkingCalendar.from_official(overrides=stored, version=version)
        cache.loaded_at = now
    return cache.calendar
