"""The training workflow's own Lambda tasks (seats, refusal, reply letter) and the daily reminder."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.observability import instrumented
from desk.training import steps


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return steps.run(str(event.get("action")), event, now=clock.now())
