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
