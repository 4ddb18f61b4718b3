"""The user-ID workflow's own Lambda tasks: mark the step, provision the account, tell the applicant."""

from __future__ import annotations

from typing import Any

from desk import clock, registrations
from desk.observability import start_invocation


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    return registrations.step(str(event.get("action")), event, now=clock.now())
