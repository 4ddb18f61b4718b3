"""Mail to the support address, delivered by SES's receipt rule (S3 action, then this function), and
SES's bounce and complaint notifications for mail the desk sent (through SNS)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.parser import parse

from desk import clock
from desk.data.requests import repository as requests_repository
from desk.event_models import SesEvent, SnsEvent
from desk.mail import feedback, inbound
from desk.observability import instrumented, logger, metrics
from desk.settings import get_settings


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    store = requests_repository()
    if (event.get("Records") or [{}])[0].get("EventSource") == "aws:sns":
        notes = [
            feedback.handle(r.Sns.Message, now=clock.now(), store=store)
            for r in parse(event=event, model=SnsEvent).Records
        ]
        logger().info("mail feedback", extra={"notes": notes})
        return {"feedback": notes}
    records = parse(event=event, model=SesEvent).Records
    settings = get_settings()
    outcomes = [
        inbound.receive(record, settings=settings, now=clock.now(), store=store) for record in records
    ]
    for outcome in outcomes:
        logger().info("mail received", extra={"outcome": asdict(outcome)})
        metrics().add_metric(name="MailReceived", unit="Count", value=1)
        if outcome.acknowledged:
            metrics().add_metric(name="MailAcknowledged", unit="Count", value=1)
    return {"received": [asdict(o) for o in outcomes]}
