"""Mail to the support address: SES stored the raw message in S3, and this turns it into a request.

The raw file is kept whatever happens; a message that cannot be understood still becomes a request,
flagged for staff with the raw file attached. SES delivers at least once, so the SES message id and
the mail's own Message-ID both guard against duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desk import aws
from desk.calendar_store import current_calendar
from desk.event_models import SesRecord
from desk.mail.automated import classify
from desk.mail.parse import ParsedMessage, parse_message
from desk.requests import acknowledge, intake
from desk.requests.model import Channel, RequestType
from desk.requests.store import RequestStore
from desk.settings import Settings

RAW_MAIL_PREFIX = "inbound-mail/"
NO_SUBJECT = "(tanpa subjek)"


@dataclass(frozen=True)
class Outcome:
    ses_message_id: str
    number: str | None
    acknowledged: bool
    repeated: bool
    reason: str | None = None


def fetch_raw(settings: Settings, ses_message_id: str) -> bytes:
    answer = aws.client("s3").get_object(
        Bucket=settings.documents_bucket, Key=RAW_MAIL_PREFIX + ses_message_id
    )
    return answer["Body"].read()


def to_new_request(parsed: ParsedMessage, *, raw_key: str, verdicts: dict[str, str]) -> intake.NewRequest:
    flagged = not parsed.understood or verdicts.get("spam") == "FAIL" or verdicts.get("virus") == "FAIL"
    requester: dict[str, Any] = {"email": parsed.from_address or "", "name": parsed.from_name or ""}
    return intake.NewRequest(
        type=RequestType.COMPLAINT,
        channel=Channel.EMAIL,
        subject=(parsed.subject or NO_SUBJECT)[:200],
        body=parsed.text[:20_000],
        requester=requester,
        working_days=intake.working_days_for(RequestType.COMPLAINT),
        details={
            "raw_key": raw_key,
            "message_id": parsed.message_id,
            "verdicts": verdicts,
            "problems": list(parsed.problems),
            "flagged": flagged,
            "attachments": [a.filename for a in parsed.attachments],
        },
    )


def receive(record: SesRecord, *, settings: Settings, now: datetime, store: RequestStore) -> Outcome:
    ses_message_id = record.ses.mail.messageId
    verdicts = record.ses.receipt.verdicts()
    raw = fetch_raw(settings, ses_message_id)
    parsed = parse_message(raw)
    # SES's envelope sender: empty or MAILER-DAEMON marks a bounce even when the headers do not.
    automation = classify(
        parsed, {"return-path": record.ses.mail.source or "<>"}, own_addresses=[settings.support_address]
    )
    new = to_new_request(parsed, raw_key=RAW_MAIL_PREFIX + ses_message_id, verdicts=verdicts)
    keys = (f"ses:{ses_message_id}",) + ((f"mid:{parsed.message_id}",) if parsed.message_id else ())
    receipt = intake.submit(new, now=now, store=store, idempotency_keys=keys, calendar=current_calendar())
    quiet = automation.automated or bool(new.details and new.details["flagged"]) or not parsed.from_address
    if not quiet and not receipt.repeated:
        acknowledge.acknowledge(new, receipt, settings=settings, store=store, now=now)
    return Outcome(
        ses_message_id=ses_message_id,
        number=receipt.number,
        acknowledged=not quiet and not receipt.repeated,
        repeated=receipt.repeated,
        reason=automation.reason,
    )
