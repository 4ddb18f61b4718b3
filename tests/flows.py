"""Helpers for tests that wait on the desk's asynchronous work (workflows, checks, mail)."""

from __future__ import annotations

import time
from typing import Any


def until(predicate: Any, timeout: float = 30.0, what: str = "") -> Any:
    """The first truthy value ``predicate`` returns, polled every 50 ms; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting {what}".strip())


def history_length(desk: Any, execution_arn: str) -> int:
    """How many events an execution's history holds (Step Functions fails one at 25,000)."""
    sfn = desk.client("stepfunctions")
    count, token = 0, None
    while True:
        page = sfn.get_execution_history(
            executionArn=execution_arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        count += len(page["events"])
        token = page.get("nextToken")
        if not token:
            return count


def reminded_and_escalated(desk: Any, number: str, title: str, timeout: float = 60.0) -> None:
    """Waits until a step's reminder and its escalation have both been mailed for a request."""

    def mailed(kind: str) -> bool:
        return any(
            number in m["subject"] and title in m["subject"] and kind in m["subject"].lower()
            for m in desk.outbox()
        )

    until(
        lambda: mailed("pengingat") and mailed("eskalasi"),
        timeout,
        what=f"for the reminder and escalation of {title}",
    )
