"""The training workflow's own Lambda tasks (seats, refusal, reply letter) and the daily reminder."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.observability import start_invocation
from desk.training import steps


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    return steps.run(str(event.get("action")), event, now=clock.now())
