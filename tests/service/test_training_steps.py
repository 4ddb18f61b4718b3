"""Training requests against the twins: the form (a reply owed within 5 working days, a start on a working
day, each person once), the workflow's steps (seats booked, a refusal logged, the reply letter issued once
as a PDF with its outgoing number, stored with the request and mailed with it) and the participants'
reminder two working days ahead; ``now`` given, no clock read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from pydantic import ValidationError
from twins.desk import ENVIRONMENT, Twins
from unit import docfactory

from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import RuleViolation
from desk.requests.store import StoredRequest
from desk.staff import StaffUser
from desk.training import requests, sessions, steps
from desk.training.sessions import NewSession, SessionRefused

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ARN = ENVIRONMENT["TRAINING_WORKFLOW_ARN"]
ORGANISER = StaffUser("tuti", "tuti@lkpp.go.id", frozenset({"training"}), "pelatihan")
CONTACT = "ani@disdik.bandung.go.id"
PEOPLE = [{"name": f"Peserta {i}", "email": f"peserta{i}@disdik.bandung.go.id"} for i in range(3)]


@pytest.fixture(autouse=True)
def environment(twins: Twins) -> Iterator[None]:
    twins.files.signed_at = NOW
    yield


def _letter(twins: Twins, purpose: str = "training_letter") -> str:
    content = docfactory.pdf_letter()
    spec = validate_upload_request(purpose, "surat.pdf", PDF, len(content))
    upload_id = str(uploads.request_upload(spec, now=NOW)["upload_id"])
    twins.files.write(f"quarantine/{upload_id}", content, content_type=PDF)
    uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)
    return upload_id


def _form(twins: Twins | None, **changes: Any) -> requests.TrainingForm:
    body: dict[str, Any] = {
        "institution": "Dinas Pendidikan Kota Bandung",
        "contact_name": "Ani Wulandari",
        "email": CONTACT,
        "phone": "022 555 0101",
        "participants": PEOPLE,
        "preferred_start": "2026-12-14",
        **changes,
    }
    if "letter_upload_id" not in body:
        body["letter_upload_id"] = _letter(twins) if twins is not None else "unggahan-0001"
    return requests.TrainingForm.model_validate(body)


def _submit(twins: Twins, *, key: str | None = None, now: datetime = NOW, **changes: Any) -> dict[str, Any]:
    return requests.submit(_form(twins, **changes), now=now, idempotency_key=key)


def _stored(twins: Twins, number: str) -> StoredRequest:
    stored = twins.requests.load(number)
    assert stored is not None
    return stored


def _mails(twins: Twins) -> list[EmailMessage]:
    return [message_from_bytes(sent.raw, policy=policy.default) for sent in twins.mailer.sent]  # type: ignore[misc]


def _text(mail: EmailMessage) -> str:
    return str(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def _session(start: str = "2026-12-14", capacity: int = 10) -> str:
    created = sessions.create(
        NewSession(start_date=start, place="Gedung LKPP, Jakarta", capacity=capacity),  # type: ignore[arg-type]
        user=ORGANISER,
        now=NOW - timedelta(days=7),
    )
    return str(created["session_id"])


def _reply(decision: str, **fields: Any) -> dict[str, Any]:
    return {"decision": decision, "fields": {"decision": decision, **fields}, "decided_by": ORGANISER.email}


# --- the request form ---------------------------------------------------------------------------------


def test_a_request_is_owed_a_reply_within_five_working_days_and_its_workflow_starts(twins: Twins) -> None:
    receipt = _submit(twins)
    number = receipt["number"]
    # Friday, Monday, Tuesday, Wednesday, Thursday: 10 December, 23:59:59 WIB.
    assert receipt["due_at"] == "2026-12-10T16:59:59Z"
    stored = _stored(twins, number)
    assert (stored.item["type"], stored.item["unit"], stored.item["sla"]["tz"]) == (
        "training",
        "pelatihan",
        "Asia/Jakarta",
    )
    # The people are personal data: with the identity, only their count in the request's details.
    assert stored.item["details"] == {
        "institution": "Dinas Pendidikan Kota Bandung",
        "participants": 3,
        "preferred_start": "2026-12-14",
    }
    assert stored.identity is not None and stored.identity["participants"] == PEOPLE
    assert uploads.load(stored.item["documents"][0])["attached_to"] == number  # type: ignore[index]
    arn, started = twins.workflows.executions[number]
    assert (arn, started["unit"], started["working_days"], started["received_at"]) == (
        ARN,
        "pelatihan",
        5,
        "2026-12-03T02:00:00Z",
    )
    (ack,) = _mails(twins)
    assert ack["To"] == CONTACT and receipt["access_code"] in _text(ack)
    assert [e["kind"] for e in stored.events] == ["created", "mail_sent"]


def test_a_retry_with_its_key_answers_the_first_receipt_once(twins: Twins) -> None:
    letter = _letter(twins)
    first = _submit(twins, key="kunci-1", letter_upload_id=letter)
    again = _submit(twins, key="kunci-1", letter_upload_id=letter, now=NOW + timedelta(minutes=5))
    assert again == first and len(twins.mailer.sent) == 1 and len(twins.workflows.executions) == 1


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        ("2026-12-25", "bukan hari kerja"),  # Christmas, a Friday
        ("2026-12-12", "bukan hari kerja"),  # a Saturday
        ("2026-12-03", "setelah hari ini"),
    ],
)
def test_a_start_that_is_not_a_later_working_day_is_refused(twins: Twins, start: str, problem: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        _submit(twins, preferred_start=start)
    assert problem in refused.value.fields["preferred_start"]
    assert twins.workflows.executions == {}


def test_every_problem_of_a_request_is_named_at_once(twins: Twins) -> None:
    twice = [*PEOPLE, {"name": "Lagi", "email": PEOPLE[0]["email"]}]
    with pytest.raises(RuleViolation) as refused:
        _submit(twins, participants=twice, preferred_start="2026-12-25")
    assert set(refused.value.fields) == {"participants.3.email", "preferred_start"}
    assert "peserta ke-4 disebut dua kali" in refused.value.fields["participants.3.email"]


def test_a_request_needs_its_own_accepted_training_letter(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as refused:
        _submit(twins, letter_upload_id=_letter(twins, "sk_letter"))
    assert "surat permohonan pelatihan" in refused.value.fields["letter_upload_id"]


@pytest.mark.parametrize(
    ("participants", "named"),
    [
        ([], "participants"),
        ([{"name": "Tanpa Email"}], "participants.0.email"),
        ([{"name": "Ani", "email": "bukan-email"}], "participants.0.email"),
        ([{"name": "", "email": "ani@b.go.id"}], "participants.0.name"),
        ([{"name": f"P{i}", "email": f"p{i}@b.go.id"} for i in range(501)], "participants"),
    ],
)
def test_a_participant_out_of_shape_is_named_by_row(participants: list[dict[str, str]], named: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _form(None, participants=participants)
    assert named in str(refused.value)


# --- the workflow's steps -----------------------------------------------------------------------------


def test_the_reply_step_is_recorded_and_the_request_is_in_progress(twins: Twins) -> None:
    number = _submit(twins)["number"]
    assert steps.run("set_step", {"number": number, "step": "reply"}, now=NOW) == {"step": "reply"}
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("in_progress", "reply")


def test_an_acceptance_books_the_requests_participants_into_the_session(twins: Twins) -> None:
    session_id = _session()
    number = _submit(twins)["number"]
    booked = steps.book({"number": number, "reply": _reply("accept", session_id=session_id)}, now=NOW)
    assert (booked["session_id"], booked["booked"], booked["seats_left"]) == (session_id, 3, 7)
    (booking,) = twins.sessions.bookings(session_id)
    assert [p["email"] for p in booking["participants"]] == [p["email"] for p in PEOPLE]
    assert booking["contact"] == {"name": "Ani Wulandari", "email": CONTACT}


def test_an_acceptance_into_a_new_session_creates_it_with_the_booking(twins: Twins) -> None:
    number = _submit(twins)["number"]
    fields = {"start_date": "2026-12-23", "place": "Aula LKPP", "capacity": 20, "fee": 150000}
    booked = steps.book({"number": number, "reply": _reply("accept", **fields)}, now=NOW)
    # 24 to 27 December are days off: a session starting on the 23rd ends on Monday the 28th.
    assert (booked["start_date"], booked["end_date"], booked["booked"]) == ("2026-12-23", "2026-12-28", 3)


def test_a_session_that_cannot_take_the_request_is_refused_and_the_refusal_logged(twins: Twins) -> None:
    session_id = _session(capacity=2)
    number = _submit(twins)["number"]
    reply = _reply("accept", session_id=session_id)
    with pytest.raises(SessionRefused) as refused:
        steps.book({"number": number, "reply": reply}, now=NOW)
    assert str(refused.value) == f"sisa kursi sesi {session_id} 2, diperlukan 3"
    # Lambda reports the error with its message as JSON in Cause.
    cause = json.dumps({"errorMessage": str(refused.value), "errorType": "SessionRefused"})
    failure = {"Error": "SessionRefused", "Cause": cause}
    assert steps.refused({"number": number, "reply": reply, "failure": failure}, now=NOW) == {
        "refused": str(refused.value)
    }
    logged = _stored(twins, number).events[-1]
    assert (logged["kind"], logged["public"], logged["text"]) == (
        "session_refused",
        False,
        str(refused.value),
    )
    assert logged["data"] == {"by": ORGANISER.email}
    plain = steps.refused({"number": number, "reply": reply, "failure": {"Error": "States.Timeout"}}, now=NOW)
    assert plain == {"refused": "States.Timeout"}


def _accepted(twins: Twins) -> tuple[str, dict[str, Any], dict[str, Any]]:
    session_id = _session()
    number = _submit(twins)["number"]
    reply = _reply("accept", session_id=session_id)
    booking = steps.book({"number": number, "reply": reply}, now=NOW)
    payload = {"number": number, "reply": reply, "booking": booking}
    return number, payload, steps.reply(payload, now=NOW + timedelta(hours=1))


def test_an_accepted_request_gets_its_reply_letter_stored_answered_and_mailed_once(twins: Twins) -> None:
    number, payload, issued = _accepted(twins)
    assert issued["outgoing_number"] == "SKL-2026-000001"
    record = uploads.load(issued["upload_id"])
    assert record is not None
    assert (record["purpose"], record["status"], record["attached_to"], record["filename"]) == (
        "reply_letter",
        "accepted",
        number,
        "surat-balasan-SKL-2026-000001.pdf",
    )
    pdf = twins.files.read(record["object_key"])
    assert record["object_key"] == f"documents/{issued['upload_id']}" and pdf.startswith(b"%PDF")
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("answered", "done")
    assert issued["upload_id"] in stored.item["documents"]
    reply = stored.item["details"]["reply"]
    assert (reply["decision"], reply["session_id"], reply["decided_by"]) == (
        "accept",
        payload["booking"]["session_id"],
        ORGANISER.email,
    )
    answered = next(e for e in stored.events if e["kind"] == "answered")
    assert answered["public"] and "SKL-2026-000001" in answered["text"] and "Gedung LKPP" in answered["text"]
    (letter,) = [m for m in _mails(twins) if "Surat balasan" in str(m["Subject"])]
    assert letter["To"] == CONTACT and "diterima" in _text(letter)
    (attached,) = list(letter.iter_attachments())
    assert attached.get_filename() == record["filename"] and attached.get_content() == pdf
    # A rerun after a timeout finds the letter issued and mailed: no second number, no second mail.
    assert steps.reply(payload, now=NOW + timedelta(hours=2)) == issued
    assert len([m for m in _mails(twins) if "Surat balasan" in str(m["Subject"])]) == 1
    assert [e["kind"] for e in _stored(twins, number).events].count("answered") == 1


def test_a_declined_request_is_rejected_with_the_reason_in_its_letter(twins: Twins) -> None:
    number = _submit(twins)["number"]
    payload = {"number": number, "reply": _reply("decline", reason="Kuota tahun ini penuh")}
    issued = steps.reply(payload, now=NOW)
    stored = _stored(twins, number)
    assert stored.item["status"] == "rejected"
    assert stored.item["details"]["reply"]["reason"] == "Kuota tahun ini penuh"
    rejected = next(e for e in stored.events if e["kind"] == "rejected")
    assert rejected["text"].startswith(
        f"Kuota tahun ini penuh (surat balasan nomor {issued['outgoing_number']})"
    )
    # After the acknowledgement, the letter is the only mail the refusal sends.
    (letter,) = _mails(twins)[1:]
    assert "Surat balasan" in str(letter["Subject"])
    assert "Alasan: Kuota tahun ini penuh" in _text(letter)
    assert len(list(letter.iter_attachments())) == 1


def test_a_letter_ses_refuses_is_recorded_and_the_reply_stands(twins: Twins) -> None:
    number = _submit(twins)["number"]
    twins.mailer.verified.clear()
    steps.reply({"number": number, "reply": _reply("decline", reason="Penuh")}, now=NOW)
    stored = _stored(twins, number)
    assert stored.item["status"] == "rejected"
    failed = stored.events[-1]
    assert failed["kind"] == "mail_failed" and failed["data"]["purpose"] == "training_reply"


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        steps.run("archive", {"number": "EP-2026-000001"}, now=NOW)


# --- the participants' reminder -----------------------------------------------------------------------


def _booked(twins: Twins, session_id: str, email: str) -> str:
    number = _submit(twins, email=email)["number"]
    steps.book({"number": number, "reply": _reply("accept", session_id=session_id)}, now=NOW)
    return number


def test_participants_are_reminded_two_working_days_ahead_once(twins: Twins) -> None:
    monday = _session("2026-12-07")  # Thursday, then Friday between, then Monday
    tuesday = _session("2026-12-08")
    number = _booked(twins, monday, CONTACT)
    _booked(twins, tuesday, "budi@dinas.go.id")
    twins.mailer.sent.clear()
    assert steps.remind(now=NOW) == {"reminded": 1}
    (reminder,) = _mails(twins)
    assert set(str(reminder["To"]).split(", ")) == {CONTACT, *(p["email"] for p in PEOPLE)}
    assert number in str(reminder["Subject"]) and monday in _text(reminder)
    assert steps.run("remind", {}, now=NOW + timedelta(hours=1)) == {"reminded": 0}
    assert steps.remind(now=NOW + timedelta(days=1)) == {"reminded": 1}  # Friday: the Tuesday session's


def test_a_cancelled_session_is_not_reminded(twins: Twins) -> None:
    session_id = _session("2026-12-07")
    _booked(twins, session_id, CONTACT)
    sessions.cancel(session_id, sessions.Cancel(reason="Narasumber berhalangan"), user=ORGANISER, now=NOW)
    twins.mailer.sent.clear()
    assert steps.remind(now=NOW) == {"reminded": 0} and twins.mailer.sent == []
