"""The user-ID workflow's own Lambda tasks: mark the step, provision the account, tell the applicant."""

from __future__ import annotations

from typing import Any

from desk import clock, registrations
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return registrations.step(str(event.get("action")), event, now=clock.now())
