"""Sending mail against the in-memory twin of SES: a message leaves once, whole, with the desk's headers
and a Message-ID that names its request and cannot be forged; a sender SES refuses is refused to the
caller, who records it; ``date`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from twins.adapters import InMemoryMailer
from twins.desk import Twins

from desk.mail import send
from desk.mail.outbox import MessageRejected
from desk.signing import KeyRing, SigningKey

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
RING = KeyRing(current=SigningKey(kid="k1", secret=b"k" * 32))
SENDER = "layanan@lkpp.go.id"


@pytest.fixture
def ses(twins: Twins) -> InMemoryMailer:
    return twins.mailer  # verified: the desk's domain, lkpp.go.id


def _mail(**changes: object) -> send.OutgoingMail:
    fields: dict[str, object] = {
        "to": ("ani@pemda.go.id",),
        "subject": "Permohonan diterima",
        "text": "Nomor permohonan Anda EP-2026-000001.",
        "html": "<p>Nomor permohonan Anda EP-2026-000001.</p>",
        "number": "EP-2026-000001",
        **changes,
    }
    return send.OutgoingMail(**fields)  # type: ignore[arg-type]


def test_an_acknowledgement_leaves_once_tagged_signed_and_marked_automatic(ses: InMemoryMailer) -> None:
    message_id = send.send(_mail(), sender=SENDER, ring=RING, date=NOW)
    (sent,) = ses.sent
    assert (sent.sender, sent.to) == (SENDER, ("ani@pemda.go.id",))
    message = message_from_bytes(sent.raw, policy=policy.default)
    assert message["Subject"] == "[EP-2026-000001] Permohonan diterima"
    assert str(message["Message-ID"]).strip() == message_id and message_id.endswith("@lkpp.go.id>")
    assert send.number_from_message_id(message_id, RING) == "EP-2026-000001"
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Auto-Response-Suppress"] == "All"
    assert message["From"] == f"Layanan e-Purchasing LKPP <{SENDER}>"
    assert message["Date"] == "Thu, 03 Dec 2026 02:00:00 +0000"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


def test_a_persons_reply_threads_under_the_mail_it_answers_and_is_not_automatic(ses: InMemoryMailer) -> None:
    asked = "<CAF1234@mail.pemda.go.id>"
    send.send(_mail(automatic=False, in_reply_to=asked), sender=SENDER, ring=RING, date=NOW)
    message = message_from_bytes(ses.sent[0].raw, policy=policy.default)
    assert message["In-Reply-To"] == asked and message["References"] == asked
    assert message["Auto-Submitted"] is None


def test_a_forged_or_foreign_message_id_names_no_request(ses: InMemoryMailer) -> None:
    message_id = send.send(_mail(), sender=SENDER, ring=RING, date=NOW)
    forged = message_id.replace("EP-2026-000001", "EP-2026-000002")
    assert send.number_from_message_id(forged, RING) is None
    other = KeyRing(current=SigningKey(kid="k1", secret=b"o" * 32))
    assert send.number_from_message_id(message_id, other) is None


def test_a_sender_ses_refuses_is_refused_to_the_caller_and_nothing_leaves(ses: InMemoryMailer) -> None:
    with pytest.raises(MessageRejected) as refused:
        send.send(_mail(), sender="layanan@elsewhere.example", ring=RING, date=NOW)
    assert type(refused.value).__name__ == "MessageRejected"  # the name the request log records
    assert ses.sent == []
