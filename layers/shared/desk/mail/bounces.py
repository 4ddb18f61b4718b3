"""Bounces and other delivery reports: the parts of a ``multipart/report`` (DSN, read receipt,
returned headers) and the ``DeliveryReport`` read from them or from a mailer daemon's plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message

from desk.mail.decoding import decode_bytes, unsurrogate
from desk.mail.headers import HeaderPairs, first_message_id, header_pairs, is_address, unfold
from desk.mail.parts import safe

_MAILER_DAEMON = re.compile(r"^(mailer-daemon|mail-daemon|mailerdaemon)(@|$)", re.IGNORECASE)
_FAILED_LINE = re.compile(r"^\s*<?([^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+?)>?:?\s*$")
_BODY_MESSAGE_ID = re.compile(r"^\s*message-id\s*:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_RETURNED_COPY = re.compile(r"(?im)^.*(copy of the message|original message|message headers follow).*$")
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What a bounce says: the message it returns and the recipients that failed.

    ``report_type`` is the ``report-type`` of a ``multipart/report`` (``delivery-status`` for a DSN,
    ``disposition-notification`` for a read receipt), or None for a bounce that a mailer daemon sent
    as ordinary mail.
    """

    report_type: str | None
    original_message_id: str | None
    failed_recipients: tuple[str, ...] = ()


@dataclass
class BounceEvidence:
    """What the parts of a message say about a returned message, gathered while its body is read."""

    dsn_blocks: list[HeaderPairs] = field(default_factory=list)  # per-recipient DSN fields
    original_ids: list[str] = field(default_factory=list)  # ids of the messages it carries, in order

    def note_original(self, message_id: str | None) -> None:
        if message_id:
            self.original_ids.append(message_id)


def read_delivery_status(part: Message, evidence: BounceEvidence) -> bytes:
    """The content of a ``message/delivery-status`` part as text; its field blocks go to ``evidence``."""
    payload = safe(part.get_payload, None)
    chunks: list[bytes] = []
    if isinstance(payload, list):
        for block in payload:
            pairs = [
                (str(k).strip().lower(), unsurrogate(unfold(str(v))).strip())
                for k, v in safe(lambda block=block: list(block.raw_items()), [])
            ]
            evidence.dsn_blocks.append(pairs)
            chunks.append("\n".join(f"{k}: {v}" for k, v in pairs).encode("utf-8", "replace"))
    elif isinstance(payload, str):
        text = unsurrogate(payload)
        for block in _BLANK_LINE.split(text):
            pairs = header_pairs(block)
            if pairs:
                evidence.dsn_blocks.append(pairs)
        chunks.append(text.encode("utf-8", "replace"))
    return b"\n\n".join(chunks)


def note_disposition_notification(blocks: list[Message], evidence: BounceEvidence) -> None:
    """The ``Original-Message-ID`` of a read receipt's fields."""
    for block in blocks:
        fields = {str(k).lower(): str(v) for k, v in safe(block.raw_items, [])}
        evidence.note_original(first_message_id(fields.get("original-message-id")))


def note_returned_headers(data: bytes, evidence: BounceEvidence) -> None:
    """The ``Message-ID`` of a ``text/rfc822-headers`` part (the headers of the returned message)."""
    evidence.note_original(first_message_id(dict(header_pairs(decode_bytes(data, None))).get("message-id")))


def _address_from_field(value: str) -> str | None:
    """``rfc822; user@example.id`` (DSN Final-Recipient) to ``user@example.id``."""
    addr = value.split(";", 1)[1] if ";" in value else value
    addr = addr.strip().strip("<>").strip().lower()
    return addr if is_address(addr) else None


def _dsn_failures(blocks: list[HeaderPairs]) -> tuple[str, ...]:
    """Recipients whose DSN block says the delivery failed (``Action: failed``, or a 5.x.x status)."""
    failed: dict[str, None] = {}
    for block in blocks:
        fields = dict(block)
        if "final-recipient" not in fields and "original-recipient" not in fields:
            continue
        action = fields.get("action", "").strip().lower()
        status = fields.get("status", "").strip()
        if action == "failed" or (not action and status.startswith("5")):
            addr = _address_from_field(fields.get("final-recipient") or fields.get("original-recipient", ""))
            if addr:
                failed.setdefault(addr, None)
    return tuple(failed)


def _daemon_bounce(evidence: BounceEvidence, text: str) -> DeliveryReport:
    """A bounce sent as ordinary mail: failed addresses stand alone on lines above the returned copy."""
    original = evidence.original_ids[0] if evidence.original_ids else None
    marker = _RETURNED_COPY.search(text)
    head = text[: marker.start()] if marker else text
    if original is None:
        found = _BODY_MESSAGE_ID.search(text[marker.start() :] if marker else text)
        if found:
            original = found.group(1).strip("<>")
    failed: dict[str, None] = {}
    for line in head.split("\n"):
        match = _FAILED_LINE.match(line)
        if match:
            failed.setdefault(match.group(1).lower(), None)
    return DeliveryReport(None, original, tuple(failed))


def delivery_report(
    top_type: str, report_type: str | None, from_address: str | None, evidence: BounceEvidence, text: str
) -> DeliveryReport | None:
    """The report of a ``multipart/report`` or of mail from a mailer daemon; None for other mail."""
    if top_type == "multipart/report":
        original = evidence.original_ids[0] if evidence.original_ids else None
        return DeliveryReport(
            (report_type or "").lower() or None, original, _dsn_failures(evidence.dsn_blocks)
        )
    if from_address and _MAILER_DAEMON.match(from_address):
        return _daemon_bounce(evidence, text)
    return None
