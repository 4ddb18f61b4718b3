"""SMTP for the support address, fed through the SES receipt rules exactly as SES would feed it:
the raw message stored by the S3 action, then the inbound function invoked with an SES-shaped event."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

RAW_ALPHABET = string.ascii_lowercase + string.digits


def ses_message_id() -> str:
    return "".join(secrets.choice(RAW_ALPHABET) for _ in range(32))


def _header_pairs(raw: bytes) -> list[dict[str, str]]:
    try:
        message = message_from_bytes(raw, policy=policy.compat32)
        return [{"name": str(k), "value": str(v)} for k, v in message.items()][:200]
    except Exception:  # noqa: BLE001 - SES passes what it can; so do we
        return []


# What SES finds for mail from a well-run domain; a test sends FAIL through ``deliver_mail(verdicts=)`` or,
# over SMTP, with a header ``X-Local-Verdicts: dmarc=FAIL, spf=FAIL`` (read by the local stack only).
PASSING = {"spam": "PASS", "virus": "PASS", "spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
VERDICT_HEADER = "X-Local-Verdicts"


def verdicts_asked(raw: bytes) -> dict[str, str]:
    """The verdicts a local test asks for in ``X-Local-Verdicts`` (``name=STATUS, ...``), if any."""
    from email.parser import BytesHeaderParser

    text = BytesHeaderParser().parsebytes(raw).get(VERDICT_HEADER) or ""
    asked: dict[str, str] = {}
    for part in str(text).split(","):
        name, _, status = part.partition("=")
        if name.strip().lower() in PASSING and status.strip().upper() in ("PASS", "FAIL", "GRAY"):
            asked[name.strip().lower()] = status.strip().upper()
    return asked


def ses_event(
    raw: bytes,
    *,
    message_id: str,
    sender: str,
    recipients: list[str],
    function_arn: str,
    verdicts: dict[str, str] | None = None,
) -> dict[str, Any]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    verdicts = {**PASSING, **(verdicts or {})}
    return {
        "Records": [
            {
                "eventSource": "aws:ses",
                "eventVersion": "1.0",
                "ses": {
                    "mail": {
                        "timestamp": now,
                        "source": sender,
                        "messageId": message_id,
                        "destination": recipients,
                        "headersTruncated": False,
                        "headers": _header_pairs(raw),
                    },
                    "receipt": {
                        "timestamp": now,
                        "processingTimeMillis": 1,
                        "recipients": recipients,
                        **{f"{name}Verdict": {"status": status} for name, status in verdicts.items()},
                        "action": {"type": "Lambda", "functionArn": function_arn, "invocationType": "Event"},
                    },
                },
            }
        ]
    }


def matches(rule_recipients: list[str], address: str) -> bool:
    if not rule_recipients:
        return True
    address = address.lower()
    domain = address.rsplit("@", 1)[-1]
    for recipient in rule_recipients:
        recipient = recipient.lower()
        if (
            recipient == address
            or recipient == domain
            or (recipient.startswith(".") and domain.endswith(recipient))
        ):
            return True
    return False


class SmtpListener:
    """aiosmtpd on 127.0.0.1; each accepted message goes to ``deliver(raw, sender, recipients)``."""

    def __init__(self, deliver: Any, host: str = "127.0.0.1", port: int = 2525):
        self.deliver = deliver
        self.host, self.port = host, port
        self._controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        listener = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                accepted = listener.deliver(
                    bytes(envelope.original_content or envelope.content),
                    envelope.mail_from or "",
                    list(envelope.rcpt_tos),
                )
                return "250 Message accepted" if accepted else "550 No such recipient here"

        self._controller = Controller(
            Handler(), hostname=self.host, port=self.port, data_size_limit=40 * 1024 * 1024
        )
        self._controller.start()
        self.port = self._controller.port if hasattr(self._controller, "port") else self.port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
