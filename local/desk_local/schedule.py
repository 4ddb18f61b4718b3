"""EventBridge schedules of the template, fired locally (moto stores rules but never runs them)."""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")


@dataclass(frozen=True)
class Schedule:
    rule: str
    expression: str
    targets: tuple[tuple[str, Any], ...]  # (function ARN, fixed input or None)

    def event(self, at: datetime) -> dict[str, Any]:
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": [self.rule],
            "detail": {},
        }


def _field_matches(field: str, value: int, names: dict[str, int] | None = None) -> bool:
    if field in ("*", "?"):
        return True
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            low, high = 0, 10_000
        elif "-" in part:
            a, b = part.split("-", 1)
            low, high = int((names or {}).get(a, a)), int((names or {}).get(b, b))
        else:
            low = high = int((names or {}).get(part, part))
            if step > 1:
                high = 10_000
        if low <= value <= high and (value - low) % step == 0:
            return True
    return False


_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


def due(expression: str, last: datetime | None, now: datetime) -> bool:
    """Whether a schedule fires in the minute ``now`` (``last`` = when it last fired)."""
    rate = _RATE.match(expression.strip())
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        period = timedelta(**{f"{unit}s": amount})
        return last is None or now - last >= period
    cron = _CRON.match(expression.strip())
    if not cron:
        raise ValueError(f"unsupported schedule expression {expression!r}")
    minute, hour, day, month, weekday, *year = cron.group(1).split()
    if last is not None and now - last < timedelta(minutes=1):
        return False
    aws_weekday = (now.isoweekday() % 7) + 1  # AWS cron: 1 = Sunday
    return (
        _field_matches(minute, now.minute)
        and _field_matches(hour, now.hour)
        and _field_matches(day, now.day)
        and _field_matches(month, now.month)
        and _field_matches(weekday, aws_weekday, _DAYS)
        and (not year or _field_matches(year[0], now.year))
    )


class Scheduler:
    """Checks every few seconds which schedules are due and fires them (``make run`` only)."""

    def __init__(self, schedules: list[Schedule], fire: Any, tick_seconds: float = 5.0):
        self.schedules = schedules
        self.fire = fire
        self.tick = tick_seconds
        self.last: dict[str, datetime] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="desk-schedules", daemon=True)

    def start(self) -> None:
        now = datetime.now(UTC)
        for schedule in self.schedules:
            self.last[schedule.rule] = now  # first firing one period after start, as in AWS
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.tick):
            now = datetime.now(UTC).replace(second=0, microsecond=0)
            for schedule in self.schedules:
                if due(schedule.expression, self.last.get(schedule.rule), now):
                    self.last[schedule.rule] = now
                    self.fire(schedule.rule)

    def stop(self) -> None:
        self._stop.set()
