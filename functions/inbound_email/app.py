"""Mail to the support address, delivered by SES's receipt rule (S3 action, then this function)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from desk import clock
from desk.mail import inbound
from desk.observability import logger, start_invocation
from desk.requests.store import RequestStore
from desk.settings import get_settings


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    settings, store = get_settings(), RequestStore()
    outcomes = [
        inbound.receive(record, settings=settings, now=clock.now(), store=store)
        for record in event.get("Records", [])
        if record.get("eventSource") == "aws:ses"
    ]
    for outcome in outcomes:
        logger().info("mail received", extra={"outcome": asdict(outcome)})
    return {"received": [asdict(o) for o in outcomes]}
