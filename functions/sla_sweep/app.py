"""Every few minutes: open deadlines follow calendar changes (and, later, reminders and escalations)."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.observability import flush_metrics, logger, metrics, start_invocation
from desk.requests import sweep


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    result = sweep.recompute_deadlines(now=clock.now())
    logger().info("sla sweep", extra={"checked": result["checked"], "moved": len(result["moved"])})
    metrics().add_metric(name="DeadlinesMoved", unit="Count", value=len(result["moved"]))
    flush_metrics()
    return result
