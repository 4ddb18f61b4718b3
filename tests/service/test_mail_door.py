"""The email door against the twins: mail SES stored in the documents bucket becomes a request, a reply on
one, or a bounce noted on one; mail nobody can read, spam and viruses are kept and shown to staff;
SES's retries and one Message-ID twice make nothing twice; attachments become uploads in quarantine.
``now`` given, no clock read."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from twins.desk import Twins

from desk.calendar_store import current_calendar
from desk.data import schema
from desk.event_models import SesRecord
from desk.keys import key_ring
from desk.mail import inbound
from desk.mail.send import number_from_message_id
from desk.registrations import step as registration_step
from desk.requests import intake, work
from desk.requests.model import Channel, RequestType
from desk.requests.store import StoredRequest
from desk.settings import Settings, get_settings
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=30)
CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"
HELPDESK = StaffUser("sari", "sari@lkpp.go.id", frozenset({"helpdesk"}), "helpdesk")
PASSING = {"spam": "PASS", "virus": "PASS", "spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
# Long Message-IDs stay on one line, as mail clients write them.
POLICY = policy.SMTP.clone(max_line_length=998)
# Unique SES message ids and Message-IDs for the mail of a test.
_serials = (f"ses{n:06d}" for n in itertools.count(1))


def _mail(sender: str, subject: str, body: str = "Mohon bantuan.", **headers: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = "layanan@lkpp.go.id"
    message["Subject"] = subject
    message["Message-ID"] = f"<{next(_serials)}@pemda.go.id>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def _receive(
    twins: Twins,
    raw: bytes | EmailMessage,
    *,
    ses_id: str = "",
    source: str = "pengirim@pemda.go.id",
    now: datetime = NOW,
    settings: Settings | None = None,
    **verdicts: str,
) -> inbound.Outcome:
    """What SES does: the receipt rule's S3 action stores the raw message, then the function is given the
    record naming it."""
    ses_id = ses_id or next(_serials)
    data = raw if isinstance(raw, bytes) else raw.as_bytes()
    if inbound.RAW_MAIL_PREFIX + ses_id not in twins.files.files:
        twins.files.write(inbound.RAW_MAIL_PREFIX + ses_id, data, content_type="application/octet-stream")
    receipt = {f"{name}Verdict": {"status": status} for name, status in {**PASSING, **verdicts}.items()}
    record = SesRecord.model_validate(
        {
            "eventSource": "aws:ses",
            "ses": {"mail": {"messageId": ses_id, "source": source}, "receipt": receipt},
        }
    )
    return inbound.receive(record, settings=settings or get_settings(), now=now, store=twins.requests)


def _stored(twins: Twins, number: str | None) -> StoredRequest:
    assert number
    stored = twins.requests.load(number)
    assert stored is not None
    return stored


def _kinds(twins: Twins, number: str | None) -> list[str]:
    return [e["kind"] for e in _stored(twins, number).events]


def _requests(twins: Twins) -> list[str]:
    return sorted(i["number"] for (_, sk), i in twins.requests.items.items() if sk == "REQ")


def _sent_to(twins: Twins, address: str) -> list[Any]:
    return [message_from_bytes(m.raw, policy=policy.default) for m in twins.mailer.sent if address in m.to]


def _marked(twins: Twins, *delivery_keys: str) -> bool:
    """Whether these deliveries are marked as handled (an SES id, a Message-ID)."""
    wanted = {(k["pk"], k["sk"]) for k in map(schema.mail_seen, delivery_keys)}
    return wanted <= set(twins.marks.items)


def _message_id(sent: Any) -> str:
    return str(sent["Message-ID"]).strip()


# --- a new request -------------------------------------------------------------------------------------


def test_a_mail_becomes_an_email_request_kept_raw_and_acknowledged_under_a_signed_message_id(
    twins: Twins,
) -> None:
    mail = _mail("Budi Santoso <budi@pemprov-jatim.go.id>", "Gagal unggah bukti bayar", "Selalu galat 500.")
    outcome = _receive(twins, mail, ses_id="sesfirst")
    assert (outcome.kind, outcome.acknowledged, outcome.repeated, outcome.reason) == (
        "new",
        True,
        False,
        None,
    )
    stored = _stored(twins, outcome.number)
    assert (stored.item["channel"], stored.item["type"], stored.item["unit"]) == (
        "email",
        "complaint",
        "helpdesk",
    )
    assert (stored.item["subject"], stored.item["body"]) == ("Gagal unggah bukti bayar", "Selalu galat 500.")
    assert stored.identity is not None
    assert (stored.identity["email"], stored.identity["name"]) == ("budi@pemprov-jatim.go.id", "Budi Santoso")
    details = stored.item["details"]
    assert details["raw_key"] == "inbound-mail/sesfirst" and details["verdicts"] == PASSING
    assert twins.files.read("inbound-mail/sesfirst") == mail.as_bytes()  # the raw message stays
    # 5 working days for a complaint, counted from Friday: Thursday 10 December, 23:59:59 WIB.
    assert stored.item["sla"]["due_at"] == "2026-12-10T16:59:59Z"
    (ack,) = _sent_to(twins, "budi@pemprov-jatim.go.id")
    assert outcome.number in str(ack["Subject"])
    assert number_from_message_id(_message_id(ack), key_ring()) == outcome.number
    assert _kinds(twins, outcome.number) == ["created", "mail_sent"]


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Saran: tambahkan ekspor ke Excel", RequestType.SUGGESTION),
        ("Masukan - jam layanan diperpanjang", RequestType.INPUT),
        ("[Feedback] tampilan katalog", RequestType.INPUT),
        ("Re: Fwd: saran: filter harga", RequestType.SUGGESTION),
        ("Keluhan: akun terkunci", RequestType.COMPLAINT),
        ("Akun terkunci sejak pagi", RequestType.COMPLAINT),
    ],
)
def test_the_first_word_of_the_subject_files_suggestions_and_input_and_the_rest_as_complaints(
    twins: Twins, subject: str, kind: RequestType
) -> None:
    outcome = _receive(twins, _mail("dewi@pemda.go.id", subject))
    assert _stored(twins, outcome.number).item["type"] == kind


# --- replies -------------------------------------------------------------------------------------------


def _answered(twins: Twins, requester: str = "ani@pemkot.go.id") -> tuple[str, str]:
    """A mailed request staff answered: its number and the Message-ID of the answer."""
    number = _receive(twins, _mail(requester, "Akun terkunci")).number
    assert number
    work.reply(number, "Sudah kami buka.", internal=False, set_status="answered", user=HELPDESK, now=NOW)
    answer = next(m for m in _sent_to(twins, requester) if "Sudah kami buka" in m.get_body().get_content())
    return number, _message_id(answer)


def test_a_reply_to_our_answer_joins_its_request_whatever_its_subject_and_reopens_it(twins: Twins) -> None:
    number, answer_id = _answered(twins)
    reply = _mail(
        "ani@pemkot.go.id", "Re: sesuatu yang lain sama sekali", "Masih terkunci.", In_Reply_To=answer_id
    )
    outcome = _receive(twins, reply, now=LATER)
    assert (outcome.kind, outcome.number, outcome.acknowledged) == ("reply", number, False)
    stored = _stored(twins, number)
    assert stored.item["status"] == "in_progress"
    wrote = [e for e in stored.events if e["kind"] == "requester_wrote"]
    assert [e["text"] for e in wrote] == ["Masih terkunci."]
    assert wrote[0]["data"]["channel"] == "email"
    assert "reopened" in _kinds(twins, number)
    assert _requests(twins) == [number]  # nothing new was opened


def test_our_signed_message_id_threads_even_mail_ses_cannot_vouch_for_and_a_forged_one_does_not(
    twins: Twins,
) -> None:
    number, answer_id = _answered(twins)
    unvouched = {"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}
    joined = _receive(
        twins, _mail("ani@pemkot.go.id", "Re: x", "Ini datanya.", References=answer_id), **unvouched
    )
    assert (joined.kind, joined.number) == ("reply", number)
    other_number = number.replace("000001", "000002")
    forged = _mail(
        "ani@pemkot.go.id", "Re: x", "Tutup saja.", In_Reply_To=answer_id.replace(number, other_number)
    )
    outcome = _receive(twins, forged, **unvouched)
    assert outcome.kind == "new" and outcome.number != number  # the forged id joined nothing
    assert "follows" not in _stored(twins, outcome.number).item["details"]
    assert _kinds(twins, number).count("requester_wrote") == 1


def test_the_subject_tag_joins_mail_from_the_requester_only(twins: Twins) -> None:
    number = _receive(twins, _mail("sari@kemenkes.go.id", "Katalog tidak tampil")).number
    own = _receive(
        twins, _mail("SARI@kemenkes.go.id", f"Re: [{number}] tambahan", "Tangkapan layar menyusul.")
    )
    assert (own.kind, own.number) == ("reply", number)
    stranger = _receive(twins, _mail("mallory@elsewhere.example", f"[{number}] tolong tutup ini"))
    assert stranger.kind == "new" and stranger.number != number
    assert "follows" not in _stored(twins, stranger.number).item["details"]
    assert _kinds(twins, number).count("requester_wrote") == 1


def test_the_requesters_tag_on_mail_ses_cannot_vouch_for_opens_an_unverified_follower_instead(
    twins: Twins,
) -> None:
    number = _receive(twins, _mail("rina@kemenkes.go.id", "Akun penyedia")).number
    forged = _mail("rina@kemenkes.go.id", f"Re: [{number}] batalkan saja", "Tolong tutup permintaan saya.")
    outcome = _receive(twins, forged, dmarc="FAIL", spf="FAIL", dkim="FAIL")
    assert outcome.kind == "new" and outcome.number != number
    details = _stored(twins, outcome.number).item["details"]
    assert details["follows"] == number and details["unverified_sender"] is True
    original = _stored(twins, number)
    assert "requester_wrote" not in [e["kind"] for e in original.events]
    assert original.item["status"] == "submitted" and original.item["followed_by"] == outcome.number
    # SPF alone vouches when DMARC did not fail.
    vouched = _receive(twins, _mail("rina@kemenkes.go.id", f"Re: [{number}] tambahan"), dmarc="", dkim="FAIL")
    assert (vouched.kind, vouched.number) == ("reply", number)


@pytest.mark.parametrize(
    ("subject", "follower_kind"),
    [
        ("Saran: fitur pencarian", RequestType.SUGGESTION),  # a conversation goes on as one of its kind
        ("Masukan: jam layanan", RequestType.INPUT),
    ],
)
def test_a_reply_to_an_ended_conversation_follows_it_as_one_of_its_kind_and_the_old_one_says_so(
    twins: Twins, subject: str, follower_kind: RequestType
) -> None:
    number = _receive(twins, _mail("joko@pemda.go.id", subject)).number
    assert number
    work.act(number, "close", {"reason": "Sudah dicatat untuk pengembangan"}, user=HELPDESK, now=NOW)
    (ack,) = _sent_to(twins, "joko@pemda.go.id")
    outcome = _receive(
        twins, _mail("joko@pemda.go.id", "Re: tanggapan", "Satu lagi.", In_Reply_To=_message_id(ack))
    )
    assert outcome.kind == "new" and outcome.number != number and outcome.acknowledged
    follower = _stored(twins, outcome.number)
    assert follower.item["type"] == follower_kind and follower.item["details"]["follows"] == number
    old = _stored(twins, number)
    assert old.item["status"] == "closed" and old.item["followed_by"] == outcome.number
    (followed,) = [e for e in old.events if e["kind"] == "followed"]
    assert followed["data"] == {"by": outcome.number, "channel": "email"} and followed["public"] is False


def test_a_reply_to_an_ended_request_of_another_kind_is_filed_by_its_own_subject(twins: Twins) -> None:
    call = intake.NewRequest(
        type=RequestType.CALL,
        channel=Channel.PHONE,
        subject="Telepon: cara unggah kontrak",
        body="Sudah dijelaskan lewat telepon.",
        requester={"name": "Ani", "email": "ani@pemda.go.id"},
    )
    number = intake.submit(call, now=NOW, store=twins.requests, calendar=current_calendar()).number
    work.act(number, "close", {"reason": "Selesai di telepon"}, user=HELPDESK, now=NOW)
    outcome = _receive(twins, _mail("ani@pemda.go.id", f"Saran: [{number}] panduan tertulis"))
    follower = _stored(twins, outcome.number)
    assert follower.item["type"] == RequestType.SUGGESTION and follower.item["details"]["follows"] == number


def test_a_reply_to_a_refused_user_id_request_prepares_a_follower_to_confirm_and_later_mail_joins_it(
    twins: Twins,
) -> None:
    new = intake.NewRequest(
        type=RequestType.REGISTRATION,
        channel=Channel.WEB,
        subject="Permohonan user ID buyer di LPSE Provinsi Bali",
        body="Made (PPK), Dinas PU",
        requester={"name": "Made", "email": "made@baliprov.go.id", "applicant_type": "buyer"},
        unit="lpse-bali",
        working_days=3,
        tz="Asia/Makassar",
        details={"applicant_type": "buyer", "lpse_id": "lpse-bali"},
    )
    number = intake.submit(new, now=NOW, store=twins.requests, calendar=current_calendar()).number
    verdict = {"decided_by": "verifier@lkpp.go.id", "fields": {"reason": "SK tidak bertanda tangan"}}
    registration_step("rejected", {"number": number, "verification": verdict}, now=NOW)
    refusal = next(
        m for m in _sent_to(twins, "made@baliprov.go.id") if "SK tidak bertanda" in m.get_body().get_content()
    )
    corrected = _mail(
        "made@baliprov.go.id", "Re: perbaikan", "Terlampir SK yang benar.", In_Reply_To=_message_id(refusal)
    )
    corrected.add_attachment(b"%PDF-1.4 SK", maintype="application", subtype="pdf", filename="SK.pdf")

    outcome = _receive(twins, corrected, now=LATER)
    assert outcome.kind == "new" and outcome.number != number and outcome.acknowledged
    follower = _stored(twins, outcome.number)
    assert (follower.item["type"], follower.item["status"], follower.item["unit"]) == (
        "registration",
        "waiting_requester",
        "lpse-bali",
    )
    assert follower.item["details"] == {
        "applicant_type": "buyer",
        "lpse_id": "lpse-bali",
        "follows": number,
        "awaiting_confirmation": True,
    }
    (upload_id,) = follower.item["documents"]
    assert twins.uploads.load(upload_id)["attached_to"] == outcome.number  # type: ignore[index]
    assert _stored(twins, number).item["followed_by"] == outcome.number

    again = _receive(
        twins,
        _mail("made@baliprov.go.id", "Re: perbaikan", "Satu lagi.", In_Reply_To=_message_id(refusal)),
        now=LATER,
    )
    assert (again.kind, again.number) == ("reply", outcome.number)  # the follower, not a third request


# --- bounces -------------------------------------------------------------------------------------------


def _bounce(of_message_id: str, failed: str) -> bytes:
    return (
        "From: MAILER-DAEMON@amazonses.com\r\nTo: layanan@lkpp.go.id\r\nSubject: Undelivered\r\n"
        "Message-ID: <bounce-1@amazonses.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amazonses.com\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {of_message_id}\r\n"
        "Subject: x\r\n\r\n--b--\r\n"
    ).encode()


def test_a_bounce_of_our_mail_is_noted_on_its_request_opens_nothing_and_is_noted_once(twins: Twins) -> None:
    number = _receive(twins, _mail("typo@pemda.go.id", "Alamat salah")).number
    (ack,) = _sent_to(twins, "typo@pemda.go.id")
    bounce = _bounce(_message_id(ack), "typo@pemda.go.id")
    outcome = _receive(twins, bounce, ses_id="sesbounce", source="", now=LATER)
    assert (outcome.kind, outcome.number, outcome.acknowledged) == ("bounce", number, False)
    stored = _stored(twins, number)
    (bounced,) = [e for e in stored.events if e["kind"] == "mail_bounced"]
    assert bounced["data"] == {"failed_recipients": ["typo@pemda.go.id"]} and bounced["public"] is False
    assert stored.item["requester_mail_failing"] is True and stored.item["status"] == "submitted"
    assert _requests(twins) == [number] and len(twins.mailer.sent) == 1
    assert _marked(twins, "ses:sesbounce", "mid:bounce-1@amazonses.com")

    retried = _receive(twins, bounce, ses_id="sesbounce", source="", now=LATER)
    assert (retried.repeated, retried.reason) == (True, "duplicate")
    assert _kinds(twins, number).count("mail_bounced") == 1


def test_a_bounce_of_mail_that_is_not_ours_is_dropped(twins: Twins) -> None:
    number = _receive(twins, _mail("ada@pemda.go.id", "Pertanyaan")).number
    forged = _bounce(f"<{number}.forged.k1.xxxxxxxxxxxxxxxxxxxxxx@lkpp.go.id>", "ada@pemda.go.id")
    outcome = _receive(twins, forged, source="")
    assert (outcome.kind, outcome.number) == ("bounce", None)
    assert "mail_bounced" not in _kinds(twins, number) and _requests(twins) == [number]


# --- mail that is not an ordinary person's ------------------------------------------------------------


@pytest.mark.parametrize("verdict", ["spam", "virus"])
def test_spam_and_virus_are_kept_flagged_for_staff_and_never_acknowledged(twins: Twins, verdict: str) -> None:
    outcome = _receive(twins, _mail("x@bad.example", "Faktur"), ses_id="sesflagged", **{verdict: "FAIL"})
    assert (outcome.acknowledged, outcome.reason) == (False, verdict)
    view = work.staff_view(str(outcome.number), user=HELPDESK, now=NOW)
    assert view["details"]["flagged"] == verdict and view["details"]["raw_key"] == "inbound-mail/sesflagged"
    assert twins.files.read("inbound-mail/sesflagged") and twins.mailer.sent == []


def test_flagged_mail_never_speaks_on_a_request_even_with_our_message_id(twins: Twins) -> None:
    number, answer_id = _answered(twins)
    outcome = _receive(
        twins, _mail("ani@pemkot.go.id", "Re: x", "Klik tautan ini.", In_Reply_To=answer_id), virus="FAIL"
    )
    assert outcome.kind == "new" and outcome.number != number
    assert _stored(twins, number).item["status"] == "answered"
    assert "requester_wrote" not in _kinds(twins, number)


def test_mail_nobody_can_read_is_still_a_request_with_its_raw_file_for_staff(twins: Twins) -> None:
    raw = (CORPUS / "33-binary-garbage.eml").read_bytes()
    outcome = _receive(twins, raw, ses_id="sesgarbage")
    assert (outcome.kind, outcome.acknowledged, outcome.reason) == ("new", False, "unreadable")
    view = work.staff_view(str(outcome.number), user=HELPDESK, now=NOW)
    assert (
        view["details"]["flagged"] == "unreadable" and view["details"]["raw_key"] == "inbound-mail/sesgarbage"
    )
    assert view["details"]["problems"]
    assert twins.files.read("inbound-mail/sesgarbage") == raw
    queue = work.queue(user=HELPDESK, unit=None, assignee_me=False, status=None, cursor=None, now=NOW)
    assert [i["number"] for i in queue["items"]] == [outcome.number]


@pytest.mark.parametrize(
    ("sender", "headers", "reason"),
    [
        ("cuti@pemda.go.id", {"Auto_Submitted": "auto-replied"}, "auto-submitted:auto-replied"),
        ("news@vendor.example", {"Precedence": "bulk"}, "precedence:bulk"),
        ("layanan@lkpp.go.id", {}, "own-address"),
    ],
)
def test_robots_are_filed_but_never_acknowledged(
    twins: Twins, sender: str, headers: dict[str, str], reason: str
) -> None:
    outcome = _receive(twins, _mail(sender, "Otomatis", **headers))
    assert (outcome.kind, outcome.acknowledged, outcome.reason) == ("new", False, reason)
    assert _requests(twins) == [outcome.number] and twins.mailer.sent == []


def test_acknowledgements_to_one_sender_stop_after_five_an_hour_yet_every_mail_is_a_request(
    twins: Twins,
) -> None:
    outcomes = [_receive(twins, _mail("chatty@pemda.go.id", f"Pertanyaan {i}")) for i in range(7)]
    assert [o.acknowledged for o in outcomes] == [True] * 5 + [False] * 2
    assert len({o.number for o in outcomes}) == 7
    assert "mail_withheld" in _kinds(twins, outcomes[-1].number)
    next_hour = _receive(twins, _mail("chatty@pemda.go.id", "Pertanyaan lagi"), now=NOW + timedelta(hours=1))
    assert next_hour.acknowledged


# --- the same mail twice -------------------------------------------------------------------------------


def test_an_ses_retry_and_the_same_message_id_by_another_delivery_make_one_request_and_one_acknowledgement(
    twins: Twins,
) -> None:
    mail = _mail("dua@pemda.go.id", "Dikirim dua kali")
    first = _receive(twins, mail, ses_id="sesone")
    retried = _receive(twins, mail, ses_id="sesone")
    again = _receive(twins, mail, ses_id="sestwo", now=LATER)
    assert retried.number == again.number == first.number
    assert (retried.repeated, again.repeated) == (True, True)
    assert not retried.acknowledged and not again.acknowledged
    assert _requests(twins) == [first.number] and len(twins.mailer.sent) == 1


def test_a_reply_delivered_twice_is_written_once(twins: Twins) -> None:
    number, answer_id = _answered(twins)
    reply = _mail("ani@pemkot.go.id", "Re: x", "Masih terkunci.", In_Reply_To=answer_id)
    first = _receive(twins, reply, ses_id="sesreply", now=LATER)
    retried = _receive(twins, reply, ses_id="sesreply", now=LATER)
    other_route = _receive(twins, reply, ses_id="sesreply2", now=LATER)
    assert first.kind == "reply" and (retried.repeated, other_route.repeated) == (True, True)
    assert _kinds(twins, number).count("requester_wrote") == 1
    assert _marked(twins, "ses:sesreply", "mid:" + str(reply["Message-ID"]).strip("<>"))


# --- attachments ---------------------------------------------------------------------------------------


def test_attachments_become_uploads_in_quarantine_tied_to_their_request(twins: Twins) -> None:
    mail = _mail("lampir@pemda.go.id", "Dengan lampiran", "Terlampir SK dan sebuah arsip.")
    mail.add_attachment(b"%PDF-1.4 SK", maintype="application", subtype="pdf", filename="SK Dinas.pdf")
    mail.add_attachment(b"PK\x03\x04zip", maintype="application", subtype="zip", filename="arsip.zip")
    outcome = _receive(twins, mail, ses_id="sesattach")
    stored = _stored(twins, outcome.number)
    assert stored.item["details"]["attachments"] == ["SK Dinas.pdf", "arsip.zip"]
    records = [twins.uploads.load(u) for u in stored.item["documents"]]
    assert [(r["filename"], r["content_type"]) for r in records] == [  # type: ignore[index]
        ("SK Dinas.pdf", "application/pdf"),
        ("arsip.zip", "application/zip"),
    ]
    for record, content in zip(records, (b"%PDF-1.4 SK", b"PK\x03\x04zip"), strict=True):
        assert record is not None
        assert (record["status"], record["attached_to"], record["source"]) == (
            "pending",
            outcome.number,
            "mail:sesattach",
        )
        # The check takes them from quarantine as it takes any upload.
        assert twins.files.read(f"quarantine/{record['upload_id']}") == content

    reply = _mail("lampir@pemda.go.id", f"Re: [{outcome.number}] susulan", "Satu lagi.")
    reply.add_attachment(b"%PDF-1.4 susulan", maintype="application", subtype="pdf", filename="susulan.pdf")
    _receive(twins, reply, ses_id="sesattach2", now=LATER)
    after = _stored(twins, outcome.number)
    assert after.item["documents"][:2] == stored.item["documents"] and len(after.item["documents"]) == 3
    wrote = next(e for e in after.events if e["kind"] == "requester_wrote")
    assert wrote["data"]["documents"] == after.item["documents"][2:]


# --- the corpus ----------------------------------------------------------------------------------------

# Our support address in the corpus (tests/data/mail/README.md).
CORPUS_SUPPORT = "layanan@eproc.lkpp.go.id"
BOUNCES = {"17-dsn-bounce.eml", "18-dsn-headers-only.eml", "37-mailer-daemon-plain.eml"}
UNACKNOWLEDGED = {
    "15-out-of-office.eml",
    "16-mailing-list.eml",
    "31-no-from.eml",  # nobody to answer
    "33-binary-garbage.eml",  # flagged unreadable
    "36-read-receipt.eml",
    "38-precedence-bulk.eml",
    "39-x-autoreply.eml",
    "40-null-return-path.eml",
    "41-own-address.eml",
}


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_every_corpus_message_is_kept_and_handled(twins: Twins, path: Path) -> None:
    raw = path.read_bytes()
    settings = get_settings().model_copy(update={"support_address": CORPUS_SUPPORT})
    twins.mailer.verified.add("eproc.lkpp.go.id")
    # SES's envelope sender: the null one for the message that came with a null Return-Path.
    source = "" if path.name.startswith("40-") else "sender@corpus.example"
    outcome = _receive(twins, raw, ses_id="sescorpus", source=source, settings=settings)
    assert twins.files.read("inbound-mail/sescorpus") == raw
    if path.name in BOUNCES:
        assert outcome.kind == "bounce" and _requests(twins) == [] and twins.mailer.sent == []
        return
    assert outcome.kind == "new" and _requests(twins) == [outcome.number]
    stored = _stored(twins, outcome.number)
    assert stored.item["channel"] == "email" and stored.item["details"]["raw_key"] == "inbound-mail/sescorpus"
    assert outcome.acknowledged is (path.name not in UNACKNOWLEDGED)
    assert len(twins.mailer.sent) == int(outcome.acknowledged)
    assert len(stored.item.get("documents", [])) == len(stored.item["details"]["attachments"])
