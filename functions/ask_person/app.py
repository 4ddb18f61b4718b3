"""The "ask a person" step's Lambda tasks: plan, hold the token (and mail the link), checkpoint, flag."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.approvals import flow
from desk.observability import instrumented, logger, metrics


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action, now = event.get("action"), clock.now()
    if action == "plan":
        result = flow.plan_next(event, now=now)
    elif action == "hold":
        result = flow.hold_token(event, now=now)
    elif action == "checkpoint":
        result = flow.checkpoint(event, now=now)
    elif action == "flag":
        error = event.get("error") or {}
        reason = f"Langkah {event.get('step')} gagal: {error.get('Error', 'kesalahan')}."
        flow.flag(event["number"], reason, now=now)
        metrics().add_metric(name="RequestsFlagged", unit="Count", value=1)
        result = {
            "task_id": event.get("task_id") or "",
            "mail": False,
            "flags": int(event.get("flags") or 0) + 1,
        }
    else:
        raise ValueError(f"unknown action {action!r}")
    # What the step did, in one line (the token never: it stays in the task item).
    logger().info("ask step", extra={"action": action, **{k: v for k, v in result.items() if k != "token"}})
    return result
