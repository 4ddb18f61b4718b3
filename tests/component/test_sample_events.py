"""The sample events under events/ drive their functions as they are (the same files serve sam local)."""

from __future__ import annotations

import json
from pathlib import Path

from desk_local.stack import LocalDesk

EVENTS = Path(__file__).resolve().parents[2] / "events"


def _event(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((EVENTS / name).read_text())


def test_the_sample_web_form_event_creates_a_ticket(desk: LocalDesk) -> None:
    invocation = desk.functions.invoke("PublicApiFunction", _event("post-ticket.json"))
    assert invocation.error is None, invocation.error
    assert invocation.result["statusCode"] == 201
    number = json.loads(invocation.result["body"])["number"]
    assert any(number in mail["subject"] for mail in desk.outbox())


def test_the_sample_ses_event_turns_the_stored_mail_into_a_request(desk: LocalDesk) -> None:
    event = _event("ses-inbound.json")
    message_id = event["Records"][0]["ses"]["mail"]["messageId"]
    bucket = desk.functions.get("InboundEmailFunction").environ["DOCUMENTS_BUCKET"]
    desk.client("s3").put_object(
        Bucket=bucket, Key=f"inbound-mail/{message_id}", Body=(EVENTS / "ses-inbound.eml").read_bytes()
    )
    first = desk.functions.invoke("InboundEmailFunction", event)
    assert first.error is None, first.error
    (outcome,) = first.result["received"]
    assert outcome["acknowledged"] is True
    # SES delivers at least once: the same event again is the same request, acknowledged once
    second = desk.functions.invoke("InboundEmailFunction", event).result["received"][0]
    assert second["number"] == outcome["number"] and second["repeated"] is True
    acknowledgements = [m for m in desk.outbox() if outcome["number"] in m["subject"]]
    assert len(acknowledgements) == 1
    assert acknowledgements[0]["to"] == ["budi@pemprov-jatim.go.id"]
