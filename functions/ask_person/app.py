"""The "ask a person" step's Lambda tasks: plan, hold the token (and mail the link), checkpoint, flag."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.approvals import flow
from desk.observability import instrumented, metrics


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action, now = event.get("action"), clock.now()
    if action == "plan":
        return flow.plan_next(event, now=now)
    if action == "hold":
        return flow.hold_token(event, now=now)
    if action == "checkpoint":
        return flow.checkpoint(event, now=now)
    if action == "flag":
        error = event.get("error") or {}
        reason = f"Langkah {event.get('step')} gagal: {error.get('Error', 'kesalahan')}."
        flow.flag(event["number"], reason, now=now)
        metrics().add_metric(name="RequestsFlagged", unit="Count", value=1)
        return {
            "task_id": event.get("task_id") or "",
            "mail": False,
            "flags": int(event.get("flags") or 0) + 1,
        }
    raise ValueError(f"unknown action {action!r}")
