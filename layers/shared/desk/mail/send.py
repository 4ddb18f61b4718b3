"""The one way the desk sends mail: raw MIME through SES with our headers and a signed Message-ID."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from desk.ids import NUMBER, new_opaque_id
from desk.mail.outbox import Mailer
from desk.signing import KeyRing, sign, verify

_OURS = re.compile(
    rf"^<?(?P<number>{NUMBER}|none)"
    r"\.(?P<nonce>[A-Za-z0-9_-]{8,32})\.(?P<kid>[A-Za-z0-9_-]{1,32})"
    r"\.(?P<sig>[A-Za-z0-9_-]{16,64})@(?P<domain>[^>]+)>?$"
)

SENDER_NAME = "Layanan e-Purchasing LKPP"


@dataclass(frozen=True)
class OutgoingMail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    number: str | None = None
    automatic: bool = True  # acknowledgements and reminders; a person's reply is not
    in_reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def subject_with_tag(number: str | None, subject: str) -> str:
    if number and f"[{number}]" not in subject:
        return f"[{number}] {subject}"
    return subject


def new_message_id(number: str | None, ring: KeyRing, domain: str) -> str:
    """``<EP-YYYY-NNNNNN.nonce.kid.sig@domain>``: a reply quoting it can be matched and cannot be forged."""
    nonce = new_opaque_id(12)[:16]
    tag = number or "none"
    signature = sign(f"{tag}.{nonce}", ring.current, length=16)
    return f"<{tag}.{nonce}.{ring.current.kid}.{signature}@{domain}>"


def number_from_message_id(message_id: str, ring: KeyRing) -> str | None:
    """The request number a Message-ID of ours names, if its signature holds."""
    match = _OURS.match(message_id.strip())
    if not match:
        return None
    tag, nonce = match["number"], match["nonce"]
    if not verify(f"{tag}.{nonce}", match["kid"], match["sig"], ring, length=16):
        return None
    return None if tag == "none" else tag


def build_message(mail: OutgoingMail, *, sender: str, message_id: str, date: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, sender))
    message["To"] = ", ".join(mail.to)
    message["Subject"] = subject_with_tag(mail.number, mail.subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
        message["References"] = mail.in_reply_to
    if mail.automatic:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: robots must not answer this
    message["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office replies to us
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


@dataclass(frozen=True)
class Prepared:
    """A message built and given its Message-ID, so the log can record it before it leaves."""

    message_id: str
    sender: str
    to: tuple[str, ...]
    raw: bytes


def prepare(mail: OutgoingMail, *, sender: str, ring: KeyRing, date: datetime) -> Prepared:
    domain = sender.rsplit("@", 1)[-1]
    message_id = new_message_id(mail.number, ring, domain)
    message = build_message(mail, sender=sender, message_id=message_id, date=date)
    return Prepared(message_id, sender, mail.to, message.as_bytes())


def mailer() -> Mailer:
    """Where mail leaves (SES; the tests may hold a twin in its place)."""
    from desk.data.mailer import mailer as ses

    return ses()


def deliver(prepared: Prepared) -> None:
    mailer().send(prepared.sender, prepared.to, prepared.raw)


def send(mail: OutgoingMail, *, sender: str, ring: KeyRing, date: datetime) -> str:
    """Send through SES; returns our Message-ID."""
    prepared = prepare(mail, sender=sender, ring=ring, date=date)
    deliver(prepared)
    return prepared.message_id
