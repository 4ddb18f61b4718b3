"""The acknowledgement against the twins: number, access code, deadline and status link mailed and logged;
at the public doors at most a few an hour to one address and a few dozen from one client, the rest held
back for staff; never the requester's own words. ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from twins import InMemoryRequests
from twins.desk import Twins

from desk.calendar_store import current_calendar
from desk.data.requests import repository as requests_repository
from desk.requests import acknowledge, intake, ratelimit
from desk.requests.model import Channel, RequestType
from desk.settings import get_settings

# Thursday 3 December 2026, 09:00 WIB: a complaint is answered by Thursday 10 December, 23:59 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ADDRESS = "ani@pemkot-bogor.go.id"


def _new(subject: str = "Akun terkunci", email: str | None = ADDRESS, **changes: Any) -> intake.NewRequest:
    requester = {"name": "Ani Wulandari", **({"email": email} if email else {"phone": "081234567890"})}
    fields: dict[str, Any] = {
        "type": RequestType.COMPLAINT,
        "channel": Channel.WEB,
        "subject": subject,
        "body": "Akun PPK kami terkunci sejak kemarin.",
        "requester": requester,
        **changes,
    }
    return intake.NewRequest(**fields)


def _acknowledged(
    new: intake.NewRequest, *, now: datetime = NOW, client: str | None = None, store: Any = None
) -> tuple[intake.Receipt, bool]:
    """The request made and acknowledged, as a door does (``client``: the public door's)."""
    store = store if store is not None else requests_repository()
    receipt = intake.submit(new, now=now, store=store, calendar=current_calendar())
    sent = acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now, client=client)
    return receipt, sent


def _mails(twins: Twins, to: str | None = None) -> list[EmailMessage]:
    found = [message_from_bytes(m.raw, policy=policy.default) for m in twins.mailer.sent]
    return [m for m in found if to is None or to in str(m["To"])]


def _text(message: EmailMessage) -> str:
    return str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def _logged(twins: Twins, number: str) -> list[dict[str, Any]]:
    stored = twins.requests.load(number)
    assert stored is not None
    return sorted(stored.events, key=lambda e: e["sk"])[1:]  # after "created"


def test_the_acknowledgement_gives_number_code_deadline_and_link_and_is_logged(twins: Twins) -> None:
    receipt, sent = _acknowledged(_new())
    assert sent
    (mail,) = _mails(twins)
    assert mail["To"] == ADDRESS and mail["From"] == "Layanan e-Purchasing LKPP <layanan@lkpp.go.id>"
    assert mail["Subject"] == f"[{receipt.number}] Pengaduan Anda telah kami terima"
    text = _text(mail)
    assert f"Nomor: {receipt.number}" in text and f"Kode akses: {receipt.access_code}" in text
    assert "paling lambat Kamis, 10 Desember 2026 pukul 23.59 WIB" in text
    (link,) = [word for word in text.split() if word.startswith("https://layanan.lkpp.go.id/status?")]
    assert parse_qs(urlsplit(link).query) == {"number": [receipt.number], "code": [receipt.access_code]}
    (event,) = _logged(twins, receipt.number)
    assert (event["kind"], event["public"], event["actor"]) == ("mail_sent", False, "system")
    assert event["data"] == {
        "to": ADDRESS,
        "message_id": str(mail["Message-ID"]).strip(),
        "purpose": "acknowledgement",
    }


def test_in_english_and_in_the_requesters_zone_when_the_request_is(twins: Twins) -> None:
    _acknowledged(_new(language="en", tz="Asia/Makassar"))
    (mail,) = _mails(twins)
    assert "We have received your complaint." in _text(mail)
    # The deadline is the end of the day where the request is handled, read there.
    assert "We will answer by Thursday, 10 December 2026 at 23:59 WITA." in _text(mail)


def test_a_repeat_or_a_requester_without_an_address_is_not_acknowledged(twins: Twins) -> None:
    first, _ = _acknowledged(_new())
    again, sent = _acknowledged(_new(), now=NOW + timedelta(minutes=5))
    assert again.number == first.number and not sent
    by_phone, sent_by_phone = _acknowledged(_new("Lewat telepon", email=None))
    assert not sent_by_phone and _logged(twins, by_phone.number) == []
    assert len(_mails(twins)) == 1


def test_no_text_of_the_requester_reaches_the_acknowledgement(twins: Twins) -> None:
    phishing = "<script>alert(1)</script> Akun Anda diblokir, masuk di https://phish.example/login"
    receipt, _ = _acknowledged(_new(phishing, body=phishing, requester={"name": phishing, "email": ADDRESS}))
    (mail,) = _mails(twins)
    html = str(mail.get_body(("html",)).get_content())  # type: ignore[union-attr]
    for part in (str(mail["Subject"]), _text(mail), html):
        assert "phish.example" not in part and "script" not in part and "diblokir" not in part
    assert receipt.access_code in _text(mail)


def test_a_request_waiting_for_its_requesters_confirmation_asks_for_it_not_for_patience(twins: Twins) -> None:
    details = {"awaiting_confirmation": True, "follows": "EP-2026-000042"}
    _acknowledged(_new(details=details))
    text = _text(_mails(twins)[0])
    assert "melanjutkan EP-2026-000042" in text and "konfirmasi" in text
    assert "paling lambat" not in text


def test_an_address_gets_five_acknowledgements_an_hour_from_the_forms_and_staff_see_the_rest_held(
    twins: Twins,
) -> None:
    # Every form from another client: the address's own limit holds them back.
    sent = [
        _acknowledged(_new(f"Relay {i}"), client=f"203.0.113.{i}")
        for i in range(ratelimit.ACKS_PER_ADDRESS_PER_HOUR + 2)
    ]
    assert [s for _, s in sent] == [True] * 5 + [False] * 2
    assert len(_mails(twins, ADDRESS)) == 5
    held = sent[-1][0]
    (event,) = _logged(twins, held.number)
    assert (event["kind"], event["data"]) == ("mail_withheld", {"to": ADDRESS, "purpose": "acknowledgement"})
    # The next hour the address hears from the desk again.
    _, next_hour = _acknowledged(_new("Jam berikut"), now=NOW + timedelta(hours=1), client="203.0.113.99")
    assert next_hour


def test_one_client_gets_twenty_acknowledgements_an_hour_whoever_they_go_to(twins: Twins) -> None:
    sent = [
        _acknowledged(_new(f"Banyak {i}", email=f"orang{i}@other.example.go.id"), client="2001:db8:1:2::/64")[
            1
        ]
        for i in range(ratelimit.ACKS_PER_CLIENT_PER_HOUR + 2)
    ]
    assert sent == [True] * 20 + [False] * 2
    _, elsewhere = _acknowledged(_new("Lain", email="lain@other.example.go.id"), client="198.51.100.1")
    assert elsewhere


def test_the_email_door_shares_the_address_limit_but_no_client_limit(twins: Twins) -> None:
    many = [
        _acknowledged(_new(f"Surel {i}", email=f"orang{i}@other.example.go.id"), client="")[1]
        for i in range(ratelimit.ACKS_PER_CLIENT_PER_HOUR + 2)
    ]
    assert all(many)
    to_one = [_acknowledged(_new(f"Satu {i}"), client="")[1] for i in range(6)]
    assert to_one == [True] * 5 + [False]


def test_a_staff_door_is_not_limited(twins: Twins) -> None:
    sent = [_acknowledged(_new(f"Telepon {i}"))[1] for i in range(ratelimit.ACKS_PER_ADDRESS_PER_HOUR + 2)]
    assert all(sent) and len(_mails(twins, ADDRESS)) == 7
    assert twins.counters.items == {}  # staff doors count nothing


def test_a_send_that_fails_is_logged_and_the_request_stands(twins: Twins) -> None:
    twins.mailer.verified.clear()  # SES refuses every message: the sender is not verified
    receipt, sent = _acknowledged(_new())
    assert not sent
    (event,) = _logged(twins, receipt.number)
    assert (event["kind"], event["data"]) == (
        "mail_failed",
        {"to": ADDRESS, "purpose": "acknowledgement", "error": "MessageRejected"},
    )


class Throttled(InMemoryRequests):
    """The request twin, its log refusing every line appended (the table throttled past every retry)."""

    def append_event(self, number: str, expected_version: int, event: dict[str, Any]) -> None:
        raise ConnectionError("ProvisionedThroughputExceededException")


def test_a_log_line_that_cannot_be_written_leaves_the_request_and_its_mail(
    twins: Twins, caplog: pytest.LogCaptureFixture
) -> None:
    store = Throttled()
    receipt, sent = _acknowledged(_new(), store=store)
    assert sent and len(_mails(twins)) == 1
    stored = store.load(receipt.number)
    assert stored is not None and [e["kind"] for e in stored.events] == ["created"]
    assert "acknowledgement not recorded" in caplog.text
