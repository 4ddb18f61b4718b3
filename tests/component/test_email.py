"""Email to the support address through the local stack as SES feeds it (raw message stored by the
receipt rule's S3 action, then the inbound function): a request and its acknowledgement, SES's verdicts
reaching the function, attachments taken by the check on S3's event, the messages of the corpus whose bytes
test the receipt, SMTP on loopback, the forwarder of a receiving region, SES's bounce notifications.
The door's rules (threading, robots, limits, bounces, duplicates, every corpus message) are run on twins
in tests/service/test_mail_door.py."""

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


# The corpus messages whose bytes test the receipt itself: a bounce handled by the function, bytes no parser
# reads, raw 8-bit headers in the event's header list, CRLF and 8-bit kept as sent. The service tier runs
# every corpus message through the door.
RECEIPT_SAMPLES = (
    "17-dsn-bounce.eml",
    "33-binary-garbage.eml",
    "48-8bit-headers-latin1.eml",
    "50-crlf-outlook-8bit-name.eml",
)


@pytest.mark.parametrize("path", [CORPUS / name for name in RECEIPT_SAMPLES], ids=lambda p: p.name)
def test_corpus_messages_are_kept_byte_for_byte_and_handled(desk: LocalDesk, path: Path) -> None:
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
