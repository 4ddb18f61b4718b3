"""AWS API calls each user action makes inside the functions, counted at botocore's client, and the warm
handler time, on the embedded local desk."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from desk import runtime

_counting = threading.local()


@contextmanager
def counted_calls() -> Iterator[Counter[str]]:
    """Count the API calls made by function code (inside an activated runtime) while the block runs."""
    from botocore.client import BaseClient

    counter: Counter[str] = Counter()
    original = BaseClient._make_api_call
    lock = threading.Lock()

    def counting(self: Any, operation_name: str, api_params: Any) -> Any:
        if runtime._active.get() is not None:
            with lock:
                counter[f"{self.meta.service_model.service_name}:{operation_name}"] += 1
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def measure(action: Callable[[int], Any], repeats: int = 30) -> dict[str, Any]:
    """Calls per action (from one warm run) and the median warm time over ``repeats`` runs."""
    action(0)  # cold start and caches, not counted
    with counted_calls() as counter:
        action(1)
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        action(i + 2)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "calls": sum(counter.values()),
        "by_operation": dict(counter),
        "warm_median_ms": round(statistics.median(times), 2),
    }


def run() -> dict[str, Any]:
    from desk_local.stack import LocalDesk

    results: dict[str, Any] = {}
    with LocalDesk() as desk:
        desk.seed()
        token = desk.login("helpdesk")

        def create(i: int) -> Any:
            form = {
                "kind": "complaint",
                "subject": f"Bench {i}",
                "message": "Akun terkunci.",
                "name": "Ani",
                "email": "ani@example.go.id",
            }
            response = desk.http("POST", "/tickets", json_body=form)
            assert response.status == 201, response.text
            return response.json()

        receipt = create(-1)
        results["create_ticket"] = measure(create)
        results["read_status"] = measure(
            lambda i: desk.http("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}")
        )
        results["staff_whoami"] = measure(lambda i: desk.http("GET", "/staff/me", token=token))
    return results
