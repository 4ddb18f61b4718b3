"""One behaviour suite for sending mail, against SES v2 (moto) and the in-memory twin: a message leaves
whole, from its sender to its recipients, and a sender SES has not verified is refused."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from twins.adapters import InMemoryMailer, SentMail

from desk.data.mailer import SesMailer
from desk.mail.outbox import Mailer, MessageRejected

Sent = Callable[[], list[SentMail]]


def _moto_sent() -> list[SentMail]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    # moto's SES v2 keeps what it sent in SES's backend; it adds the To header's addresses to the
    # destinations it was given, so they are read as a set.
    return [
        SentMail(m.source, tuple(dict.fromkeys(m.destinations)), m.raw_data.encode())
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"].sent_messages
    ]


@pytest.fixture(params=["moto", "twin"])
def outbox(request: pytest.FixtureRequest) -> tuple[Mailer, Sent]:
    if request.param == "twin":
        twin = InMemoryMailer(verified=["desk.example"])
        return twin, lambda: twin.sent
    return SesMailer(request.getfixturevalue("moto_ses")), _moto_sent


def _raw(sender: str, *to: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = "[EP-2026-000001] Permohonan diterima"
    message["Message-ID"] = "<EP-2026-000001.abc@desk.example>"
    message.set_content("Nomor permohonan Anda EP-2026-000001.")
    return message.as_bytes()


def test_a_message_leaves_whole_from_its_sender_to_its_recipients(outbox: tuple[Mailer, Sent]) -> None:
    mailer, sent = outbox
    raw = _raw("layanan@desk.example", "ani@pemda.go.id", "budi@pemda.go.id")
    mailer.send("layanan@desk.example", ("ani@pemda.go.id", "budi@pemda.go.id"), raw)
    (mail,) = sent()
    assert mail.sender == "layanan@desk.example"
    assert set(mail.to) == {"ani@pemda.go.id", "budi@pemda.go.id"}
    assert mail.raw == raw


def test_a_sender_ses_has_not_verified_is_refused_and_nothing_leaves(outbox: tuple[Mailer, Sent]) -> None:
    mailer, sent = outbox
    with pytest.raises(MessageRejected):
        mailer.send(
            "layanan@elsewhere.example",
            ("ani@pemda.go.id",),
            _raw("layanan@elsewhere.example", "ani@pemda.go.id"),
        )
    assert sent() == []
