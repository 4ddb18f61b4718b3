"""The one place the desk reads the time, so rules can take it as a value and tests can fix it.

In AWS nothing moves it: ``now()`` is the real time. A local desk (``python -m desk_local --now``, or a
test's stack) may pin it to any instant, past or future, when it starts; from there it runs on with the
real time, and ``advance_to`` only moves it forward, since moving back after acting ahead would leave
records from the future. AWS signatures, Cognito tokens and Step Functions timers keep real time: the
desk hands timers durations, which are the same on either clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """To the microsecond (audit keys order changes by it); instants stored with ``iso`` keep whole
    seconds, so a moment that is computed to be compared with a stored one is floored first."""
    return datetime.now(UTC) + _offset


def offset() -> timedelta:
    """How far the desk's time is from the real time (zero unless a local desk pinned it)."""
    return _offset


def pin(moment: datetime) -> timedelta:
    """Put the desk's time at ``moment`` (any instant with an offset); answers the previous offset, so
    the one who pinned it can put it back."""
    global _offset
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    previous, _offset = _offset, moment.astimezone(UTC) - datetime.now(UTC)
    return previous


def restore(previous: timedelta) -> None:
    """Put back the offset that ``pin`` answered."""
    global _offset
    _offset = previous


def advance_to(moment: datetime) -> None:
    """Move the desk's time forward to ``moment``; a moment already past changes nothing."""
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    if moment.astimezone(UTC) > now():
        pin(moment)


def iso(moment: datetime) -> str:
    """Stored form: UTC with a ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    return moment.astimezone(UTC)
