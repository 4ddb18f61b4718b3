"""The SLA clock of a request, derived from its event log alone (pure).

The log holds what moves the clock: ``created`` (received at, working days, zone, scopes), ``held`` and
``resumed`` (a pause while waiting for the requester: working time paused moves the due instant later),
``extended`` (N more working days, counted from the current due day), the first ``answered``, and
``reopened`` (the requester wrote after the answer: a new answer time counts from then). The
request item keeps a snapshot of the result (written with each event), and replaying the log with any
calendar gives the same answer, which is how a calendar change is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, NamedTuple

from desk import clock
from desk.calendar import ScopedCalendar, WorkingCalendar

AT_RISK_FRACTION = 0.7  # domain-rules: "70% used"


@dataclass(frozen=True)
class Clock:
    started_at: datetime  # receipt
    counting_from: datetime  # 00:00 of the first counted working day
    due_at: datetime
    paused_since: datetime | None
    answered_at: datetime | None
    calendar_version: int
    tz: str
    scopes: tuple[str, ...]

    def snapshot(self) -> dict[str, Any]:
        return {
            "started_at": clock.iso(self.started_at),
            "counting_from": clock.iso(self.counting_from),
            "due_at": clock.iso(self.due_at),
            "paused_since": clock.iso(self.paused_since) if self.paused_since else None,
            "answered_at": clock.iso(self.answered_at) if self.answered_at else None,
            "calendar_version": self.calendar_version,
            "tz": self.tz,
            "scopes": list(self.scopes),
        }


CLOCK_EVENTS = frozenset({"created", "held", "resumed", "extended", "answered", "reopened"})


def replay(events: Iterable[Mapping[str, Any]], calendar: WorkingCalendar) -> Clock | None:
    """The clock after these events (in log order); None for a request without a deadline."""
    result: Clock | None = None
    paused_since: datetime | None = None
    for event in events:
        kind = event.get("kind")
        data = event.get("data") or {}
        at = clock.parse_iso(str(event["at"]))
        if kind == "created":
            result = _started(event, data, calendar)
            if result is None:
                return None
            continue
        if result is None:
            continue
        cal = calendar.scoped(*result.scopes)
        step = _STEPS.get(kind) if isinstance(kind, str) else None
        if step is not None:
            result, paused_since = step(_Replayed(result, paused_since), at, data, cal)
    return result


class _Replayed(NamedTuple):
    """The clock replayed so far, and since when the log has kept it paused (tracked apart from the
    clock's own ``paused_since``, which a reopening without new working days leaves as it was)."""

    current: Clock
    paused_since: datetime | None


def _started(event: Mapping[str, Any], data: Mapping[str, Any], calendar: WorkingCalendar) -> Clock | None:
    """The clock a ``created`` event starts; None when the request has no deadline."""
    working_days = data.get("working_days")
    if not working_days:
        return None
    tz = str(data.get("tz") or "Asia/Jakarta")
    scopes = tuple(data.get("scopes") or ())
    cal = calendar.scoped(*scopes)
    received = clock.parse_iso(str(data.get("received_at") or event["at"]))
    return Clock(
        started_at=received,
        counting_from=cal.counting_start(received, tz),
        due_at=cal.add_working_days(received, int(working_days), tz),
        paused_since=None,
        answered_at=None,
        calendar_version=calendar.version,
        tz=tz,
        scopes=scopes,
    )


def _held(replayed: _Replayed, at: datetime, _data: Mapping[str, Any], _cal: ScopedCalendar) -> _Replayed:
    if replayed.paused_since is None and replayed.current.answered_at is None:
        return _Replayed(_with(replayed.current, paused_since=at), at)
    return replayed


def _reopened(replayed: _Replayed, at: datetime, data: Mapping[str, Any], cal: ScopedCalendar) -> _Replayed:
    # The requester wrote again after the answer: a fresh answer time starts from now.
    current = replayed.current
    days = int(data.get("working_days") or 0)
    if days > 0:
        current = _with(
            current,
            counting_from=cal.counting_start(at, current.tz),
            due_at=cal.add_working_days(at, days, current.tz),
            answered_at=None,
            paused_since=None,
        )
    return _Replayed(current, None)


def _resumed(replayed: _Replayed, at: datetime, _data: Mapping[str, Any], cal: ScopedCalendar) -> _Replayed:
    current, paused_since = replayed
    if paused_since is None:
        return replayed
    paused = cal.working_time_between(paused_since, at, current.tz)
    due = cal.add_working_time(current.due_at, max(paused, timedelta(0)), current.tz)
    return _Replayed(_with(current, due_at=due, paused_since=None), None)


def _extended(replayed: _Replayed, _at: datetime, data: Mapping[str, Any], cal: ScopedCalendar) -> _Replayed:
    current = replayed.current
    days = int(data.get("working_days") or 0)
    if days > 0:
        return replayed._replace(
            current=_with(current, due_at=cal.add_working_days(current.due_at, days, current.tz))
        )
    return replayed


def _answered(replayed: _Replayed, at: datetime, _data: Mapping[str, Any], _cal: ScopedCalendar) -> _Replayed:
    current, paused_since = replayed
    if current.answered_at is not None:  # the first answer counts
        return replayed
    if paused_since is not None:  # answering while paused ends the pause there
        current = _with(current, paused_since=None)
    return _Replayed(_with(current, answered_at=at), None)


#: How each event that moves the clock moves it, by kind (``created`` starts it).
_STEPS: Final[Mapping[str, Callable[[_Replayed, datetime, Mapping[str, Any], ScopedCalendar], _Replayed]]] = {
    "held": _held,
    "reopened": _reopened,
    "resumed": _resumed,
    "extended": _extended,
    "answered": _answered,
}


def from_snapshot(snapshot: Mapping[str, Any] | None) -> Clock | None:
    """The clock as stored on the request item (what a queue page reads without the log)."""
    if not snapshot or not snapshot.get("due_at"):
        return None

    def instant(name: str) -> datetime | None:
        value = snapshot.get(name)
        return clock.parse_iso(str(value)) if value else None

    due = clock.parse_iso(str(snapshot["due_at"]))
    return Clock(
        started_at=instant("started_at") or due,
        counting_from=instant("counting_from") or instant("started_at") or due,
        due_at=due,
        paused_since=instant("paused_since"),
        answered_at=instant("answered_at"),
        calendar_version=int(snapshot.get("calendar_version") or 0),
        tz=str(snapshot.get("tz") or "Asia/Jakarta"),
        scopes=tuple(snapshot.get("scopes") or ()),
    )


def _with(current: Clock, **changes: Any) -> Clock:
    values = {**current.__dict__, **changes}
    return Clock(**values)


def state(current: Clock | None, now: datetime, calendar: WorkingCalendar) -> dict[str, Any] | None:
    """The contract's ``sla``: ``{due_at, state, working_days_left}``, and the zone ``tz`` its deadline
    is read in."""
    if current is None:
        return None
    cal = calendar.scoped(*current.scopes)
    due = current.due_at
    if current.answered_at is not None:
        label = "met" if current.answered_at <= due else "missed"
        left = cal.working_days_left(current.answered_at, due, current.tz)
    else:
        reference = current.paused_since or now
        left = cal.working_days_left(reference, due, current.tz)
        budget = cal.working_time_between(current.counting_from, due, current.tz)
        used = cal.working_time_between(current.counting_from, reference, current.tz)
        if current.paused_since is not None:
            label = "paused"
        elif reference > due:
            label = "breached"
        elif budget > timedelta(0) and used >= budget * AT_RISK_FRACTION:
            label = "at_risk"
        else:
            label = "on_time"
    return {
        "due_at": clock.iso(due),
        "state": label,
        "working_days_left": round(left, 2),
        "tz": current.tz,
    }
