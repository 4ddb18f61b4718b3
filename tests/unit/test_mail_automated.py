"""desk.mail.automated: which inbound mail must never be acknowledged (domain-rules §4, RFC 3834)."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from desk.mail.automated import HUMAN, Automation, classify
from desk.mail.parse import DeliveryReport, ParsedMessage, parse_message

pytestmark = pytest.mark.unit

OWN = ("layanan@eproc.lkpp.go.id", "noreply@eproc.lkpp.go.id")


def mail(
    extra: str = "", sender: str = "Budi <budi@pemkab.go.id>", body: str = "Mohon bantuan."
) -> ParsedMessage:
    head = f"From: {sender}\nTo: layanan@eproc.lkpp.go.id\nSubject: Pertanyaan\n{extra}".strip("\n")
    return parse_message(f"{head}\n\n{body}\n".encode())


def reason(extra: str = "", **kw: str) -> str | None:
    return classify(mail(extra, **kw), own_addresses=OWN).reason


def test_a_person_is_not_automated() -> None:
    result = classify(mail("Return-Path: <budi@pemkab.go.id>"), own_addresses=OWN)
    assert result == HUMAN == Automation(automated=False, bounce=False, reason=None)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Auto-Submitted: auto-replied", "auto-submitted:auto-replied"),
        ("Auto-Submitted: auto-generated", "auto-submitted:auto-generated"),
        ("Auto-Submitted: Auto-Notified; owner-email=x@y.id", "auto-submitted:auto-notified"),
        ("Auto-Submitted: auto-replied (vacation)", "auto-submitted:auto-replied"),
        ("Auto-Submitted:", "auto-submitted:empty"),
        ("Precedence: bulk", "precedence:bulk"),
        ("Precedence: LIST", "precedence:list"),
        ("Precedence: junk", "precedence:junk"),
        ("Precedence: auto_reply", "precedence:auto_reply"),
        ("X-Autoreply: yes", "x-autoreply"),
        ("X-Autorespond: Terima kasih", "x-autorespond"),
        ("X-Auto-Response-Suppress: All", "x-auto-response-suppress"),
        ("X-Auto-Response-Suppress: DR, OOF", "x-auto-response-suppress"),
        ("List-Id: Forum PBJ <forum.pbj.example>", "list-id"),
        ("List-Unsubscribe: <mailto:leave@list.example>", "list-unsubscribe"),
        ("Return-Path: <>", "null-return-path"),
        ("Return-Path: <MAILER-DAEMON@mx.example.id>", "mailer-daemon"),
    ],
)
def test_automated_headers(header: str, expected: str) -> None:
    result = classify(mail(header), own_addresses=OWN)
    assert result.automated and not result.bounce
    assert result.reason == expected


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: no",
        "Auto-Submitted: No (a person)",
        "Precedence: normal",
        "Precedence: first-class",
        "X-Autoreply: no",
        "X-Autorespond: false",
        "X-Auto-Response-Suppress: DR, RN, NRN",
        "Return-Path: <budi@pemkab.go.id>",
        "X-Mailer: Microsoft Outlook 16.0",
    ],
)
def test_headers_that_do_not_make_mail_automated(header: str) -> None:
    assert reason(header) is None


def test_own_address_as_sender_is_automated_whatever_the_case_or_plus_tag() -> None:
    assert reason(sender="Layanan <LAYANAN@eproc.lkpp.go.id>") == "own-address"
    assert reason(sender="layanan+EP-2025-000001@eproc.lkpp.go.id") == "own-address"
    assert reason("Return-Path: <noreply@eproc.lkpp.go.id>") == "own-address"
    assert reason(sender="layanan@eproc.lkpp.go.id.evil.example") is None
    assert classify(mail(sender="layanan@eproc.lkpp.go.id"), own_addresses=()).reason is None


def test_mailer_daemon_sender_without_report_is_a_bounce() -> None:
    result = classify(mail(sender="MAILER-DAEMON@mx.example.id"), own_addresses=OWN)
    assert (result.automated, result.bounce, result.reason) == (True, True, "mailer-daemon")


def test_envelope_sender_from_ses_overrides_headers() -> None:
    parsed = mail("Return-Path: <budi@pemkab.go.id>")
    assert classify(parsed, {"return-path": "<>"}, own_addresses=OWN).reason == "null-return-path"
    assert classify(parsed, {"Return-Path": [""]}, own_addresses=OWN).reason == "null-return-path"
    assert classify(parsed, {"return-path": "budi@pemkab.go.id"}, own_addresses=OWN).automated is False
    assert classify(parsed, {"Precedence": ["bulk"]}, own_addresses=OWN).reason == "precedence:bulk"
    assert classify(parsed, {"precedence": None, "x-other": []}, own_addresses=OWN).automated is False


def test_raw_headers_alone_can_mark_a_report() -> None:
    parsed = mail()
    result = classify(
        parsed, {"content-type": "multipart/report; report-type=delivery-status"}, own_addresses=OWN
    )
    assert (result.automated, result.bounce, result.bounced_message_id) == (True, True, None)


def test_dsn_bounce_carries_the_original_message_and_failed_recipients() -> None:
    raw = (
        "From: MAILER-DAEMON@mx.example.id\nTo: layanan@eproc.lkpp.go.id\nSubject: Undelivered\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nGagal terkirim.\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.id\n\n"
        "Final-Recipient: rfc822; Gagal@Example.ID\nAction: failed\nStatus: 5.1.1\n\n"
        "Final-Recipient: rfc822; tertunda@example.id\nAction: delayed\nStatus: 4.4.1\n\n"
        "Final-Recipient: rfc822; terkirim@example.id\nAction: delivered\nStatus: 2.0.0\n\n"
        "Original-Recipient: rfc822; tanpa-action@example.id\nStatus: 5.0.0\n"
        "--B\nContent-Type: message/rfc822\n\n"
        "From: layanan@eproc.lkpp.go.id\nMessage-ID: <EP-2025-000001.1.sig@eproc.lkpp.go.id>\n\nisi\n"
        "--B--\n"
    )
    parsed = parse_message(raw.encode())
    assert parsed.delivery_report == DeliveryReport(
        "delivery-status",
        "EP-2025-000001.1.sig@eproc.lkpp.go.id",
        ("gagal@example.id", "tanpa-action@example.id"),
    )
    result = classify(parsed, own_addresses=OWN)
    assert result == Automation(
        automated=True,
        bounce=True,
        reason="multipart/report",
        bounced_message_id="EP-2025-000001.1.sig@eproc.lkpp.go.id",
        failed_recipients=("gagal@example.id", "tanpa-action@example.id"),
    )


def test_read_receipt_is_automated_but_not_a_bounce() -> None:
    raw = (
        "From: budi@pemkab.go.id\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="M"\n\n'
        "--M\nContent-Type: text/plain\n\nDibaca.\n"
        "--M\nContent-Type: message/disposition-notification\n\n"
        "Original-Message-ID: <EP-2025-000001.1.sig@eproc.lkpp.go.id>\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n"
        "--M--\n"
    )
    parsed = parse_message(raw.encode())
    assert parsed.delivery_report is not None
    assert parsed.delivery_report.original_message_id == "EP-2025-000001.1.sig@eproc.lkpp.go.id"
    result = classify(parsed, own_addresses=OWN)
    assert (result.automated, result.bounce, result.reason) == (True, False, "read-receipt")


def test_bounce_wins_over_other_signs() -> None:
    raw = (
        "From: MAILER-DAEMON@mx.example.id\nAuto-Submitted: auto-replied\nReturn-Path: <>\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n--B--\n'
    )
    assert classify(parse_message(raw.encode()), own_addresses=OWN).reason == "multipart/report"


def test_classify_never_raises_and_fails_safe() -> None:
    odd = ParsedMessage(header_flags=MappingProxyType({"return-path": "<>"}))
    assert classify(odd, own_addresses=OWN).reason == "null-return-path"
    broken = ParsedMessage(header_flags=None)  # type: ignore[arg-type]
    assert classify(broken, own_addresses=OWN).automated is False
    weird = classify(ParsedMessage(), {1: object()}, own_addresses=[None, ""])  # type: ignore[list-item, dict-item]
    assert isinstance(weird, Automation)
    failing = classify("not a message", own_addresses=OWN)  # type: ignore[arg-type]
    assert (failing.automated, failing.reason) == (True, "unclassifiable")
