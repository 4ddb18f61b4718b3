"""Email to the support address through the local stack as SES feeds it (raw message stored by the
receipt rule's S3 action, then the inbound function): requests, threading, acknowledgements for people
and not robots, bounces, verdicts and duplicates, and the whole test corpus with nothing dropped."""

from __future__ import annotations

import smtplib
import socket
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest

from desk_local.smtp import verdicts_asked
from desk_local.stack import LocalDesk
from flows import until

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"
SUPPORT = "layanan@epurchasing.example.go.id"


# Long Message-IDs stay on one line, as mail clients write them (no encoded words in In-Reply-To).
POLICY = policy.SMTP.clone(max_line_length=998)


def _mail(sender: str, subject: str, body: str = "Mohon bantuan.", **headers: str) -> bytes:
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="pemda.go.id")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def _deliver(desk: LocalDesk, raw: bytes, sender: str = "", **verdicts: str) -> dict[str, Any]:
    before = len(desk.functions.history)
    desk.deliver_mail(raw, sender or "someone@pemda.go.id", [SUPPORT], verdicts=verdicts or None)
    runs = [i for i in desk.functions.history[before:] if i.function.endswith("InboundEmailFunction")]
    assert runs and runs[-1].error is None, runs[-1].error if runs else "not invoked"
    return runs[-1].result["received"][0]  # type: ignore[no-any-return]


def _acks(desk: LocalDesk, number: str) -> list[dict[str, Any]]:
    return [m for m in desk.outbox() if number in m["subject"] and "telah kami terima" in m["subject"]]


def test_a_mail_becomes_a_request_and_is_acknowledged(desk: LocalDesk, tokens: dict[str, str]) -> None:
    outcome = _deliver(desk, _mail("Budi <budi@pemprov-jatim.go.id>", "Gagal unggah bukti bayar"))
    assert outcome["kind"] == "new" and outcome["acknowledged"] is True
    (ack,) = _acks(desk, outcome["number"])
    assert ack["to"] == ["budi@pemprov-jatim.go.id"]
    page = desk.http("GET", f"/staff/tickets/{outcome['number']}", token=tokens["helpdesk"]).json()
    assert page["channel"] == "email" and page["subject"] == "Gagal unggah bukti bayar"
    assert page["details"]["verdicts"]["spam"] == "PASS"
    assert page["details"]["raw_key"].startswith("inbound-mail/")


def test_a_reply_to_our_message_joins_its_request_and_reopens_it(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    first = _deliver(desk, _mail("ani@pemkot.go.id", "Akun terkunci"))
    number = first["number"]
    answered = desk.http(
        "POST",
        f"/staff/tickets/{number}/replies",
        token=tokens["helpdesk"],
        json_body={"text": "Sudah kami buka.", "status": "answered"},
    )
    assert answered.json()["status"] == "answered"
    ours = next(m for m in desk.outbox() if number in m["subject"] and "Balasan" in m["subject"])
    reply = _mail(
        "ani@pemkot.go.id",
        "Re: sesuatu yang lain sama sekali",
        "Masih terkunci.",
        In_Reply_To=ours["message_id"],
        References=ours["message_id"],
    )
    outcome = _deliver(desk, reply)
    assert outcome == {**outcome, "kind": "reply", "number": number, "acknowledged": False}
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert page["status"] == "in_progress"
    assert [e for e in page["timeline"] if e["kind"] == "requester_wrote"][-1]["text"].startswith(
        "Masih terkunci"
    )


def test_the_subject_tag_joins_only_for_the_requester(desk: LocalDesk) -> None:
    number = _deliver(desk, _mail("sari@kemenkes.go.id", "Katalog tidak tampil"))["number"]
    own = _deliver(
        desk, _mail("sari@kemenkes.go.id", f"Re: [{number}] tambahan", "Tangkapan layar menyusul.")
    )
    assert own["kind"] == "reply" and own["number"] == number
    forged = _deliver(desk, _mail("mallory@elsewhere.example", f"[{number}] tolong tutup ini"))
    assert forged["kind"] == "new" and forged["number"] != number


def test_a_forged_from_with_the_tag_does_not_speak_on_the_request(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _deliver(desk, _mail("rina@kemenkes.go.id", "Akun penyedia"))["number"]
    forged = _mail("rina@kemenkes.go.id", f"Re: [{number}] batalkan saja", "Tolong tutup permintaan saya.")
    outcome = _deliver(desk, forged, dmarc="FAIL", spf="FAIL", dkim="FAIL")
    assert outcome["kind"] == "new" and outcome["number"] != number
    page = desk.http("GET", f"/staff/tickets/{outcome['number']}", token=tokens["helpdesk"]).json()
    assert page["details"]["follows"] == number and page["details"]["unverified_sender"] is True
    original = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert "requester_wrote" not in [e["kind"] for e in original["timeline"]]
    # Over SMTP, a local test asks for the verdicts with a header; mail SES vouches for threads.
    vouched = _deliver(desk, _mail("rina@kemenkes.go.id", f"Re: [{number}] tambahan", "Ini datanya."))
    assert vouched["kind"] == "reply" and vouched["number"] == number
    assert verdicts_asked(_mail("x@y.go.id", "s", X_Local_Verdicts="dmarc=FAIL, spf=fail, bogus=FAIL")) == {
        "dmarc": "FAIL",
        "spf": "FAIL",
    }


def test_robots_get_no_acknowledgement(desk: LocalDesk) -> None:
    auto = _deliver(desk, _mail("cuti@pemda.go.id", "Out of office", Auto_Submitted="auto-replied"))
    bulk = _deliver(desk, _mail("news@vendor.example", "Promo", Precedence="bulk", List_Id="<promo.vendor>"))
    own = _deliver(desk, _mail(SUPPORT, "Loop?"))
    for outcome in (auto, bulk, own):
        assert outcome["acknowledged"] is False and outcome["number"]
        assert not _acks(desk, outcome["number"])


def test_acknowledgements_are_limited_per_sender(desk: LocalDesk) -> None:
    outcomes = [_deliver(desk, _mail("chatty@pemda.go.id", f"Pertanyaan {i}")) for i in range(7)]
    assert [o["acknowledged"] for o in outcomes] == [True] * 5 + [False] * 2
    assert len({o["number"] for o in outcomes}) == 7  # every message is still a request


def test_spam_and_virus_verdicts_quarantine_without_acknowledgement(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    spam = _deliver(desk, _mail("x@spam.example", "Menang undian"), spam="FAIL")
    virus = _deliver(desk, _mail("y@bad.example", "Faktur"), virus="FAIL")
    for outcome, flag in ((spam, "spam"), (virus, "virus")):
        assert outcome["acknowledged"] is False
        page = desk.http("GET", f"/staff/tickets/{outcome['number']}", token=tokens["helpdesk"]).json()
        assert page["details"]["flagged"] == flag


def test_the_same_message_twice_is_one_request_and_one_acknowledgement(desk: LocalDesk) -> None:
    raw = _mail("dua@pemda.go.id", "Dikirim dua kali")
    first, second = _deliver(desk, raw), _deliver(desk, raw)  # two SES deliveries, one Message-ID
    assert second["number"] == first["number"] and second["repeated"] is True
    assert len(_acks(desk, first["number"])) == 1


def test_a_bounce_of_our_mail_marks_the_address_and_creates_nothing(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _deliver(desk, _mail("typo@pemda.go.id", "Alamat salah"))["number"]
    ack = _acks(desk, number)[0]
    bounce = (
        "From: MAILER-DAEMON@amazonses.com\r\nTo: " + SUPPORT + "\r\nSubject: Undelivered\r\n"
        "Message-ID: <bounce-1@amazonses.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amazonses.com\r\n\r\n"
        "Final-Recipient: rfc822; typo@pemda.go.id\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {ack['message_id']}\r\n"
        "Subject: x\r\n\r\n--b--\r\n"
    ).encode()
    before = desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["helpdesk"]).json()["items"]
    outcome = _deliver(desk, bounce, sender="")
    assert outcome["kind"] == "bounce" and outcome["number"] == number
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert "mail_bounced" in [e["kind"] for e in page["timeline"]]
    after = desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["helpdesk"]).json()["items"]
    assert len(after) == len(before)


def test_attachments_go_through_the_document_checks(desk: LocalDesk, tokens: dict[str, str]) -> None:
    from unit import docfactory

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "lampir@pemda.go.id", SUPPORT, "Dengan lampiran"
    message.set_content("Terlampir SK dan sebuah arsip.")
    message.add_attachment(docfactory.pdf_letter(), maintype="application", subtype="pdf", filename="SK.pdf")
    message.add_attachment(b"PK\x03\x04zip", maintype="application", subtype="zip", filename="arsip.zip")
    outcome = _deliver(desk, message.as_bytes())

    def checked() -> dict[str, Any] | None:
        page = desk.http("GET", f"/staff/tickets/{outcome['number']}", token=tokens["helpdesk"]).json()
        documents = page["documents"]
        return page if len(documents) == 2 and all(d["status"] != "pending" for d in documents) else None

    page = until(checked, what="for both attachments to be checked")
    by_name = {d["filename"]: d for d in page["documents"]}
    assert by_name["SK.pdf"]["status"] == "accepted" and by_name["SK.pdf"]["url"]
    assert by_name["arsip.zip"]["status"] == "rejected" and "url" not in by_name["arsip.zip"]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_every_corpus_message_is_kept_and_handled(desk: LocalDesk, path: Path) -> None:
    raw = path.read_bytes()
    before = len(desk.functions.history)
    stored = desk.deliver_mail(raw, "sender@corpus.example", [SUPPORT])
    assert len(stored) == 1
    bucket = desk.functions.get("InboundEmailFunction").environ["DOCUMENTS_BUCKET"]
    kept = desk.client("s3").get_object(Bucket=bucket, Key=f"inbound-mail/{stored[0]}")["Body"].read()
    assert kept == raw
    (run,) = [i for i in desk.functions.history[before:] if i.function.endswith("InboundEmailFunction")]
    assert run.error is None, run.error
    outcome = run.result["received"][0]
    assert outcome["kind"] == "bounce" or outcome["number"], outcome


def test_smtp_on_loopback_feeds_the_same_path(desk: LocalDesk) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    listener = desk.start_smtp(port)
    try:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            client.sendmail("smtp@pemda.go.id", [SUPPORT], _mail("smtp@pemda.go.id", "Lewat SMTP"))
        # Handled as SES would hand it over: a request, and its acknowledgement to the sender.
        until(lambda: any(m["to"] == ["smtp@pemda.go.id"] for m in desk.outbox()), 10)
    finally:
        listener.stop()
        desk.smtp = None


def test_the_forwarder_of_a_receiving_region_hands_mail_to_the_home_desk(desk: LocalDesk) -> None:
    """Where the home region receives no mail, SES in another region stores the raw message and the
    forwarder (receiving/template.yaml) copies it home and invokes the same inbound function."""
    import importlib.util
    import json

    from desk import runtime
    from desk_local.functions import LambdaContext

    path = Path(__file__).resolve().parents[2] / "functions" / "mail_forwarder" / "app.py"
    spec = importlib.util.spec_from_file_location("mail_forwarder_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    s3 = desk.client("s3")
    s3.create_bucket(
        Bucket="receiving-mail", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )
    raw = _mail("jauh@pemprov-papua.go.id", "Dari wilayah penerima")
    s3.put_object(Bucket="receiving-mail", Key="inbound-mail/forwarded0message0id0001", Body=raw)
    event = json.loads((Path(__file__).resolve().parents[2] / "events" / "ses-inbound.json").read_text())
    event["Records"][0]["ses"]["mail"]["messageId"] = "forwarded0message0id0001"
    inbound = desk.functions.get("InboundEmailFunction")
    environ = {
        "RECEIVING_BUCKET": "receiving-mail",
        "HOME_REGION": "ap-southeast-3",
        "HOME_BUCKET": inbound.environ["DOCUMENTS_BUCKET"],
        "INBOUND_FUNCTION_ARN": inbound.arn,
    }
    with runtime.activated(runtime.Runtime(environ)):
        result = module.handler(event, LambdaContext("forwarder", 512, "arn", 60))
    assert result == {"forwarded": ["forwarded0message0id0001"]}
    home = s3.get_object(Bucket=environ["HOME_BUCKET"], Key="inbound-mail/forwarded0message0id0001")[
        "Body"
    ].read()
    assert home == raw
    until(  # handled at home
        lambda: any(m["to"] == ["jauh@pemprov-papua.go.id"] for m in desk.outbox()),
        what="for the forwarded mail to be answered at home",
    )


def test_ses_bounce_and_complaint_notifications_are_noted_on_the_request(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    import json

    number = _deliver(desk, _mail("hilang@pemda.go.id", "Alamat yang hilang"))["number"]
    ack = _acks(desk, number)[0]

    def notification(kind: str, detail: dict[str, Any]) -> dict[str, Any]:
        message = {
            "notificationType": kind,
            "mail": {"messageId": "ses-1", "headers": [{"name": "Message-ID", "value": ack["message_id"]}]},
            kind.lower(): detail,
        }
        return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(message)}}]}

    bounce = desk.functions.invoke(
        "InboundEmailFunction",
        notification(
            "Bounce",
            {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "hilang@pemda.go.id"}]},
        ),
    )
    assert bounce.error is None and bounce.result["feedback"] == [{"kind": "bounce", "number": number}]
    complaint = desk.functions.invoke(
        "InboundEmailFunction",
        notification("Complaint", {"complainedRecipients": [{"emailAddress": "hilang@pemda.go.id"}]}),
    )
    assert complaint.result["feedback"] == [{"kind": "complaint", "number": number}]
    kinds = [
        e["kind"]
        for e in desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()["timeline"]
    ]
    assert "mail_bounced" in kinds and "mail_complaint" in kinds
    forged = desk.functions.invoke(
        "InboundEmailFunction",
        {
            "Records": [
                {
                    "EventSource": "aws:sns",
                    "Sns": {
                        "Message": json.dumps(
                            {
                                "notificationType": "Bounce",
                                "mail": {
                                    "headers": [
                                        {
                                            "name": "Message-ID",
                                            "value": ack["message_id"].replace("EP-", "EQ-"),
                                        }
                                    ]
                                },
                            }
                        )
                    },
                }
            ]
        },
    )
    assert forged.result["feedback"] == [{"kind": "bounce", "number": None}]


def test_an_admin_may_allow_another_attachment_type_to_be_served(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    import time

    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def mail_with_docx(subject: str) -> str:
        message = EmailMessage(policy=POLICY)
        message["From"], message["To"], message["Subject"] = "docx@pemda.go.id", SUPPORT, subject
        message.set_content("Terlampir daftar barang.")
        maintype, subtype = docx.split("/")
        message.add_attachment(
            b"PK\x03\x04 not really a document", maintype=maintype, subtype=subtype, filename="daftar.docx"
        )
        return str(_deliver(desk, message.as_bytes())["number"])

    def document(number: str) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
            if page["documents"] and page["documents"][0]["status"] != "pending":
                return page["documents"][0]  # type: ignore[no-any-return]
            time.sleep(0.05)
        raise AssertionError("the attachment was not checked")

    before = document(mail_with_docx("Daftar barang 1"))
    assert before["status"] == "rejected" and "url" not in before
    refused = desk.http(
        "PUT", "/staff/admin/attachment-types", token=tokens["admin"], json_body={"types": ["text/html"]}
    )
    assert refused.status == 400
    assert (
        desk.http(
            "PUT", "/staff/admin/attachment-types", token=tokens["helpdesk"], json_body={"types": [docx]}
        ).status
        == 403
    )
    allowed = desk.http(
        "PUT", "/staff/admin/attachment-types", token=tokens["admin"], json_body={"types": [docx]}
    )
    assert allowed.status == 200 and allowed.json() == {"types": [docx]}
    from desk import reference, runtime

    with runtime.activated(desk.functions.get("UploadCheckFunction").runtime):
        reference.forget("SETTING")  # the check function would see the change within a minute
    after = document(mail_with_docx("Daftar barang 2"))
    assert after["status"] == "accepted" and after["url"]


def test_saran_and_masukan_are_filed_as_suggestion_and_input(desk: LocalDesk, tokens: dict[str, str]) -> None:
    suggestion = _deliver(desk, _mail("dewi@pemda.go.id", "Saran: tambahkan ekspor ke Excel"))
    remark = _deliver(desk, _mail("dewi2@pemda.go.id", "Masukan: jam layanan diperpanjang"))
    kinds = [
        desk.http("GET", f"/staff/tickets/{o['number']}", token=tokens["helpdesk"]).json()["type"]
        for o in (suggestion, remark)
    ]
    assert kinds == ["suggestion", "input"]


def test_a_reply_to_an_ended_request_follows_it_as_one_of_its_kind_and_the_old_one_says_so(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    first = _deliver(desk, _mail("joko@pemda.go.id", "Saran: fitur pencarian"))
    number = first["number"]
    closed = desk.http(
        "POST",
        f"/staff/tickets/{number}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "close", "reason": "Sudah dicatat untuk pengembangan"},
    )
    assert closed.json()["status"] == "closed"
    ours = next(m for m in desk.outbox() if number in m["subject"])
    reply = _mail("joko@pemda.go.id", "Re: tanggapan", "Satu lagi.", In_Reply_To=ours["message_id"])
    outcome = _deliver(desk, reply)
    assert outcome["kind"] == "new" and outcome["number"] != number
    follower = desk.http("GET", f"/staff/tickets/{outcome['number']}", token=tokens["helpdesk"]).json()
    assert follower["type"] == "suggestion" and follower["details"]["follows"] == number
    old = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    followed = [e for e in old["timeline"] if e["kind"] == "followed"]
    assert followed and followed[0]["data"]["by"] == outcome["number"]
