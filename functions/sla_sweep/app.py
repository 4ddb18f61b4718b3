"""Every few minutes: open deadlines follow calendar changes (and, later, reminders and escalations)."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.observability import instrumented, logger, metrics
from desk.requests import sweep


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = sweep.recompute_deadlines(now=clock.now())
    logger().info("sla sweep", extra={"checked": result["checked"], "moved": len(result["moved"])})
    for number in result["breached"]:
        logger().warning("deadline passed", extra={"number": number})
    metrics().add_metric(name="DeadlinesMoved", unit="Count", value=len(result["moved"]))
    metrics().add_metric(name="SlaBreaches", unit="Count", value=len(result["breached"]))
    return result
