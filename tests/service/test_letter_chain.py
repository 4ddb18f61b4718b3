"""The letter chain against the twins: the Secretary registers a stamped letter (nomor agenda by the stamp's
year, the chain started once), then each step the state machine runs with its payload (disposition, a
Subdit's receipt and draft, signature or return, dispatch with the copy mailed, the phone confirmation,
and a step in trouble), each safe to run twice; ``now`` given, no clock read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from pydantic import ValidationError
from twins.desk import ENVIRONMENT, Twins
from unit import docfactory

from desk.admin import units
from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import Forbidden, RuleViolation
from desk.letters import workflow
from desk.letters.registration import LetterForm, register
from desk.requests.store import StoredRequest
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ARN = ENVIRONMENT["LETTER_WORKFLOW_ARN"]
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "dit-katalog")
SECRETARY = StaffUser("sari", "sekretaris@lkpp.go.id", frozenset({"secretary"}), "dit-katalog")
DIRECTOR = "direktur@lkpp.go.id"
SUBDIT_SISTEM = "agus@lkpp.go.id"
SENDER = "tu@pemkot-bogor.go.id"


@pytest.fixture(autouse=True)
def seeded(twins: Twins) -> Iterator[None]:
    """The directorate with its head, its two Subdits, and a service desk that is not one."""
    twins.files.signed_at = NOW
    for email, role, unit in (
        (DIRECTOR, "director", "dit-katalog"),
        (SUBDIT_SISTEM, "subdit", "subdit-sistem"),
    ):
        twins.directory.invite(email, name=email.split("@")[0], role=role, unit=unit)
    for unit_id, name, kind, parent, head in (
        ("dit-katalog", "Direktorat Pengembangan Sistem Katalog", "directorate", "", DIRECTOR),
        ("subdit-sistem", "Subdit Sistem Katalog", "subdit", "dit-katalog", SUBDIT_SISTEM),
        ("subdit-layanan", "Subdit Layanan Katalog", "subdit", "dit-katalog", ""),
        ("helpdesk", "Helpdesk e-Purchasing", "desk", "subdit-layanan", ""),
    ):
        units.create_unit(
            {"id": unit_id, "name": name, "kind": kind, "parent": parent, "head": head},
            user=ADMIN,
            now=NOW - timedelta(days=30),
        )
    yield


def _upload(twins: Twins, purpose: str, text: bytes = b"Surat") -> str:
    """A checked PDF upload from the staff console; ``text`` makes its bytes (and SHA-256) its own."""
    content = docfactory.raw_pdf(docfactory.letter_objects(text=text))
    spec = validate_upload_request(purpose, f"{purpose}.pdf", PDF, len(content), door="staff")
    upload_id = str(uploads.request_upload(spec, now=NOW)["upload_id"])
    twins.files.write(f"quarantine/{upload_id}", content, content_type=PDF)
    uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)
    return upload_id


def _form(twins: Twins, **changes: Any) -> LetterForm:
    body: dict[str, Any] = {
        "sender_name": "Kepala Bagian Pengadaan",
        "sender_institution": "Pemerintah Kota Bogor",
        "sender_email": SENDER,
        "sender_fax": "0251 832 1075",
        "letter_number": "027/123/PBJ",
        "letter_date": "2026-11-30",
        "subject": "Permohonan penjelasan katalog elektronik",
        "kind": "permohonan",
        "received_at": "2026-12-03T08:30:00+07:00",
        **changes,
    }
    if "scan_upload_id" not in body:
        body["scan_upload_id"] = _upload(twins, "letter_scan")
    return LetterForm.model_validate(body)


def _registered(twins: Twins, **changes: Any) -> dict[str, Any]:
    return register(_form(twins, **changes), user=SECRETARY, now=NOW)


def _stored(twins: Twins, number: str) -> StoredRequest:
    stored = twins.requests.load(number)
    assert stored is not None
    return stored


def _kinds(twins: Twins, number: str) -> list[str]:
    return [str(e["kind"]) for e in _stored(twins, number).events]


def _mails(twins: Twins) -> list[EmailMessage]:
    return [message_from_bytes(sent.raw, policy=policy.default) for sent in twins.mailer.sent]  # type: ignore[misc]


def _text(mail: EmailMessage) -> str:
    return str(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def _decision(
    task_id: str, decision: str, by: str = DIRECTOR, *, late: bool = False, **fields: Any
) -> dict[str, Any]:
    """A decision as the ask-a-person step hands it to the workflow."""
    return {
        "task_id": task_id,
        "decision": decision,
        "decided_by": by,
        "decided_at": "2026-12-03T03:00:00Z",
        "fields": {"decision": decision, **fields},
        "late": late,
    }


def _disposed(number: str, *subdits: str) -> dict[str, Any]:
    decision = _decision(
        "t-dispose", "dispose", subdits=list(subdits), instruction="siapkan_jawaban", notes="Segera"
    )
    return workflow.dispose({"number": number, "decision": decision}, now=NOW)


def _drafted(twins: Twins, number: str, unit: str, task_id: str = "t-draft", **changes: Any) -> str:
    draft = changes.pop("draft", None) or _upload(twins, "draft_answer", f"Draf {unit} {task_id}".encode())
    decision = _decision(
        task_id, "submit_draft", SUBDIT_SISTEM, draft_upload_id=draft, summary="Draf", **changes
    )
    workflow.answered({"number": number, "unit": unit, "decision": decision}, now=NOW)
    return draft


def _signed(number: str, unit: str, task_id: str = "t-sign", **fields: Any) -> dict[str, Any]:
    decision = _decision(task_id, "sign", **fields)
    return workflow.sign({"number": number, "unit": unit, "decision": decision}, now=NOW)


def _answered_and_signed(twins: Twins, number: str, unit: str = "subdit-sistem") -> None:
    workflow.open_answer({"number": number, "unit": unit}, now=NOW)
    _drafted(twins, number, unit)
    _signed(number, unit)


# --- registering a stamped letter ---------------------------------------------------------------------


def test_the_secretary_registers_a_letter_and_its_chain_starts_once(twins: Twins) -> None:
    form = _form(twins)
    answer = register(form, user=SECRETARY, now=NOW)
    number = answer["number"]
    assert answer["agenda_number"] == "AG-2026-000001" and len(answer["access_code"]) >= 12
    stored = _stored(twins, number)
    assert (stored.item["type"], stored.item["channel"], stored.item["unit"]) == (
        "letter",
        "letter",
        "dit-katalog",
    )
    assert (stored.item["status"], stored.item["step"]) == ("in_progress", "disposition")
    details = stored.item["details"]
    assert details["received_at"] == "2026-12-03T01:30:00Z"  # the stamp, in UTC
    assert (details["letter_number"], details["letter_date"], details["kind"]) == (
        "027/123/PBJ",
        "2026-11-30",
        "permohonan",
    )
    assert details["registered_by"] == SECRETARY.email and stored.item["documents"] == [form.scan_upload_id]
    assert stored.identity is not None and stored.identity["fax"] == "02518321075"
    # The letter's clock counts from the stamp: every hop up to dispatch, 2 + 10 + 2 + 1 working days.
    created = stored.events[0]["data"]
    assert (created["received_at"], created["working_days"]) == ("2026-12-03T01:30:00Z", 15)
    assert [e["kind"] for e in stored.events] == ["created", "mail_sent", "registered"]
    assert "AG-2026-000001" in stored.events[-1]["text"]
    assert twins.workflows.executions == {
        number: (ARN, {"number": number, "subject": form.subject, "secretary": SECRETARY.email})
    }
    (ack,) = _mails(twins)
    assert ack["To"] == SENDER and number in str(ack["Subject"]) and answer["access_code"] in _text(ack)


def test_the_same_registration_again_answers_the_first_and_restarts_a_chain_that_never_started(
    twins: Twins,
) -> None:
    form = _form(twins)
    first = register(form, user=SECRETARY, now=NOW)
    again = register(form, user=SECRETARY, now=NOW + timedelta(minutes=1))
    assert again == {"number": first["number"], "agenda_number": first["agenda_number"]}  # no code twice
    assert _kinds(twins, first["number"]).count("registered") == 1 and len(twins.mailer.sent) == 1
    twins.workflows.executions.clear()  # Step Functions refused the first start
    register(form, user=SECRETARY, now=NOW + timedelta(minutes=2))
    assert list(twins.workflows.executions) == [first["number"]]
    assert _registered(twins)["agenda_number"] == "AG-2026-000002"


def test_the_same_scan_for_another_letter_is_refused(twins: Twins) -> None:
    form = _form(twins)
    register(form, user=SECRETARY, now=NOW)
    with pytest.raises(RuleViolation) as refused:
        _registered(twins, scan_upload_id=form.scan_upload_id, letter_number="027/124/PBJ")
    assert (
        refused.value.code == "upload_unusable" and "sudah dipakai" in refused.value.fields["scan_upload_id"]
    )
    assert len(twins.workflows.executions) == 1


def test_agenda_numbers_follow_the_stamps_year_in_wib(twins: Twins) -> None:
    old_year = _registered(twins, letter_date="2025-12-30", received_at="2025-12-31T16:30:00Z")  # 23:30 WIB
    new_year = _registered(twins, letter_date="2025-12-30", received_at="2025-12-31T17:30:00Z")  # 00:30 WIB
    assert (old_year["agenda_number"], new_year["agenda_number"]) == ("AG-2025-000001", "AG-2026-000001")
    assert _registered(twins)["agenda_number"] == "AG-2026-000002"


@pytest.mark.parametrize(
    ("stamp", "problem"),
    [
        ("2026-12-03T09:06:00+07:00", "masa depan"),  # six minutes ahead of the desk
        ("2026-11-29T23:00:00+07:00", "lebih awal dari tanggal surat"),
    ],
)
def test_a_stamp_that_cannot_be_is_refused_and_starts_nothing(twins: Twins, stamp: str, problem: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        _registered(twins, received_at=stamp)
    assert problem in refused.value.fields["received_at"]
    assert twins.workflows.executions == {} and twins.mailer.sent == []


def test_a_stamp_counts_by_its_day_in_wib_and_a_few_minutes_ahead_is_allowed(twins: Twins) -> None:
    # 00:30 WIB on the letter's own date (still the day before in UTC).
    assert _registered(twins, letter_date="2026-12-03", received_at="2026-12-02T17:30:00Z")["number"]
    assert _registered(twins, received_at="2026-12-03T09:05:00+07:00", letter_number="027/125/PBJ")["number"]


def test_only_the_secretary_registers_letters(twins: Twins) -> None:
    director = StaffUser("budi", DIRECTOR, frozenset({"director"}), "dit-katalog")
    with pytest.raises(Forbidden):
        register(_form(twins), user=director, now=NOW)
    assert twins.workflows.executions == {}


def test_a_scan_must_be_a_known_accepted_letter_scan(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as wrong:
        _registered(twins, scan_upload_id=_upload(twins, "draft_answer"))
    assert "pindaian surat" in wrong.value.fields["scan_upload_id"]
    with pytest.raises(RuleViolation) as unknown:
        _registered(twins, scan_upload_id="tidak-ada-unggahan-ini")
    assert "tidak dikenal" in unknown.value.fields["scan_upload_id"]


def test_a_letter_without_a_senders_email_is_registered_without_an_acknowledgement(twins: Twins) -> None:
    number = _registered(twins, sender_email=None)["number"]
    assert _kinds(twins, number) == ["created", "registered"] and twins.mailer.sent == []


@pytest.mark.parametrize("kind", ["saran", "masukan", "pengaduan"])
def test_a_letter_may_be_of_any_kind_the_standard_answers_by_letter(twins: Twins, kind: str) -> None:
    number = _registered(twins, kind=kind)["number"]
    assert _stored(twins, number).item["details"]["kind"] == kind


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": "2026-12-03T08:30:00"}, "received_at"),  # no offset: which zone?
        ({"letter_date": "30 November 2026"}, "letter_date"),
        ({"kind": "surat"}, "kind"),
        ({"sender_email": "bukan-alamat"}, "sender_email"),
        ({"subject": "   "}, "subject"),
        ({"extra": "x"}, "extra"),
    ],
)
def test_a_registration_out_of_shape_names_its_field(changes: dict[str, str], field: str) -> None:
    body = {
        "sender_name": "Kepala Bagian",
        "sender_institution": "Pemkot Bogor",
        "letter_number": "027/123/PBJ",
        "letter_date": "2026-11-30",
        "subject": "Permohonan",
        "kind": "permohonan",
        "received_at": "2026-12-03T08:30:00+07:00",
        "scan_upload_id": "scan-1",
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        LetterForm.model_validate(body)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]


# --- the Director's disposition -----------------------------------------------------------------------


def test_a_disposition_to_two_subdits_opens_their_answers_and_is_recorded_once(twins: Twins) -> None:
    number = _registered(twins)["number"]
    routed = _disposed(number, "subdit-sistem", "subdit-layanan")
    assert routed == {"route": "answer", "units": ["subdit-sistem", "subdit-layanan"]}
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("in_progress", "subdit_answer")
    disposition = stored.item["details"]["disposition"]
    assert (disposition["units"], disposition["instruction"], disposition["by"]) == (
        ["subdit-sistem", "subdit-layanan"],
        "siapkan_jawaban",
        DIRECTOR,
    )
    event = stored.events[-1]
    assert (
        event["text"] == "Surat didisposisikan Direktur kepada Subdit Sistem Katalog, Subdit Layanan Katalog."
    )
    # Step Functions may run the task again: same answer, nothing written.
    assert _disposed(number, "subdit-sistem", "subdit-layanan") == routed
    assert _kinds(twins, number).count("disposed") == 1


def test_a_disposition_to_a_unit_that_is_not_a_subdit_is_logged_and_asked_again(twins: Twins) -> None:
    number = _registered(twins)["number"]
    assert _disposed(number, "subdit-sistem", "helpdesk", "subdit-x") == {"route": "again", "units": []}
    stored = _stored(twins, number)
    refused = stored.events[-1]
    assert refused["kind"] == "disposition_refused" and refused["data"]["unknown"] == ["helpdesk", "subdit-x"]
    assert stored.item["step"] == "disposition" and "disposition" not in stored.item["details"]
    assert _disposed(number, "subdit-sistem", "helpdesk", "subdit-x")["route"] == "again"
    assert _kinds(twins, number).count("disposition_refused") == 1


def test_a_letter_answered_by_the_directorate_itself_is_asked_of_its_head(twins: Twins) -> None:
    number = _registered(twins)["number"]
    decision = _decision("t-dispose", "answer_directly")
    routed = workflow.dispose({"number": number, "decision": decision}, now=NOW)
    assert routed == {"route": "answer", "units": ["dit-katalog"]}
    assert _stored(twins, number).events[-1]["text"] == "Surat dijawab langsung oleh Direktorat."
    ask = workflow.open_answer({"number": number, "unit": "dit-katalog"}, now=NOW)
    assert ask["person"] == DIRECTOR


@pytest.mark.parametrize(
    ("notes", "reason"),
    [("Sudah dijawab Deputi.", "Sudah dijawab Deputi."), ("", "tidak memerlukan jawaban")],
)
def test_a_letter_for_information_is_closed_with_its_reason(twins: Twins, notes: str, reason: str) -> None:
    number = _registered(twins)["number"]
    decision = _decision("t-dispose", "for_information", notes=notes)
    assert workflow.dispose({"number": number, "decision": decision}, now=NOW) == {
        "route": "closed",
        "units": [],
    }
    stored = _stored(twins, number)
    assert stored.item["status"] == "closed" and stored.item["step"] == ""
    closed = stored.events[-1]
    assert closed["kind"] == "closed" and closed["public"] and reason in closed["text"]


# --- a Subdit's answer --------------------------------------------------------------------------------


def test_a_subdits_clock_starts_when_it_receives_the_disposition_once(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    later = NOW + timedelta(hours=3)
    ask = workflow.open_answer({"number": number, "unit": "subdit-sistem"}, now=later)
    assert ask == {
        "unit": "subdit-sistem",
        "started_at": "2026-12-03T05:00:00Z",
        "working_days": 10,
        "subject": "Permohonan penjelasan katalog elektronik — Subdit Sistem Katalog; "
        "instruksi: siapkan jawaban; catatan: Segera",
        "signature_subject": "Permohonan penjelasan katalog elektronik — jawaban Subdit Sistem Katalog",
        "person": "",  # a Subdit is asked by its role and unit
    }
    # A rerun the next day keeps the first receipt.
    assert (
        workflow.open_answer({"number": number, "unit": "subdit-sistem"}, now=later + timedelta(days=1))
        == ask
    )
    assert _kinds(twins, number).count("subdit_received") == 1


def test_a_draft_is_attached_and_the_letter_waits_for_the_least_advanced_answer(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem", "subdit-layanan")
    for unit in ("subdit-sistem", "subdit-layanan"):
        workflow.open_answer({"number": number, "unit": unit}, now=NOW)
    draft = _drafted(twins, number, "subdit-sistem", late=True)
    stored = _stored(twins, number)
    entry = stored.item["details"]["answers"]["subdit-sistem"]
    assert (entry["status"], entry["draft_upload_id"], entry["late"]) == ("signing", draft, True)
    assert draft in stored.item["documents"] and uploads.load(draft)["attached_to"] == number  # type: ignore[index]
    answered = stored.events[-1]
    assert answered["kind"] == "subdit_answered" and answered["text"] == "Terlambat dari batas waktu Subdit."
    assert stored.item["step"] == "subdit_answer"  # Subdit Layanan is still answering
    _drafted(twins, number, "subdit-sistem", draft=draft, late=True)  # the same task again
    assert _kinds(twins, number).count("subdit_answered") == 1
    _drafted(twins, number, "subdit-layanan", task_id="t-draft-2")
    assert _stored(twins, number).item["step"] == "signature"


def test_a_draft_that_cannot_be_used_is_refused_once_and_the_subdit_asked_again(twins: Twins) -> None:
    form = _form(twins)
    number = register(form, user=SECRETARY, now=NOW)["number"]
    _disposed(number, "subdit-sistem")
    workflow.open_answer({"number": number, "unit": "subdit-sistem"}, now=NOW)
    for _ in range(2):  # the state machine catches it by name; a rerun raises it again
        with pytest.raises(workflow.UnusableDocument, match="Unggahan"):
            _drafted(twins, number, "subdit-sistem", draft=form.scan_upload_id)
    stored = _stored(twins, number)
    assert [e["kind"] for e in stored.events].count("draft_refused") == 1
    assert "draf jawaban" in stored.events[-1]["data"]["reason"]
    assert stored.item["step"] == "subdit_answer"


# --- the Director's signature or return ---------------------------------------------------------------


def test_a_signature_takes_an_outgoing_number_once_and_records_the_signed_files_hash(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem", "subdit-layanan")
    for unit in ("subdit-sistem", "subdit-layanan"):
        workflow.open_answer({"number": number, "unit": unit}, now=NOW)
    _drafted(twins, number, "subdit-sistem")
    layanan_draft = _drafted(twins, number, "subdit-layanan", task_id="t-draft-2")
    signed_scan = _upload(twins, "signed_letter", b"Ditandatangani")
    first = _signed(number, "subdit-sistem", signed_upload_id=signed_scan)
    assert first == {"outgoing_number": "SKL-2026-000001"}
    assert _signed(number, "subdit-sistem", signed_upload_id=signed_scan) == first  # a rerun takes none
    # Signed as drafted: the draft's own hash.
    assert _signed(number, "subdit-layanan", "t-sign-2") == {"outgoing_number": "SKL-2026-000002"}
    stored = _stored(twins, number)
    answers = stored.item["details"]["answers"]
    assert answers["subdit-sistem"]["sha256"] == uploads.load(signed_scan)["sha256"]  # type: ignore[index]
    assert answers["subdit-layanan"]["sha256"] == uploads.load(layanan_draft)["sha256"]  # type: ignore[index]
    assert stored.item["details"]["outgoing_numbers"] == ["SKL-2026-000001", "SKL-2026-000002"]
    assert signed_scan in stored.item["documents"] and stored.item["step"] == "dispatch"
    signed = [e for e in stored.events if e["kind"] == "answer_signed"]
    assert [e["public"] for e in signed] == [True, True] and "SKL-2026-000001" in signed[0]["text"]


def test_a_signed_letter_that_cannot_be_used_is_refused_and_takes_no_number(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    workflow.open_answer({"number": number, "unit": "subdit-sistem"}, now=NOW)
    _drafted(twins, number, "subdit-sistem")
    with pytest.raises(workflow.UnusableDocument):
        _signed(number, "subdit-sistem", signed_upload_id=_upload(twins, "draft_answer", b"Bukan"))
    assert _kinds(twins, number).count("signature_refused") == 1
    assert _signed(number, "subdit-sistem", "t-sign-2") == {"outgoing_number": "SKL-2026-000001"}


def test_a_returned_answer_goes_back_to_its_subdit_on_its_first_clock(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    received = workflow.open_answer({"number": number, "unit": "subdit-sistem"}, now=NOW)
    _drafted(twins, number, "subdit-sistem")
    payload = {
        "number": number,
        "unit": "subdit-sistem",
        "decision": _decision("t-return", "return", notes="Lengkapi dasar hukumnya"),
    }
    ask = workflow.return_answer(payload, now=NOW + timedelta(days=1))
    assert ask["started_at"] == received["started_at"]
    assert "dikembalikan Direktur: Lengkapi dasar hukumnya" in ask["subject"]
    stored = _stored(twins, number)
    entry = stored.item["details"]["answers"]["subdit-sistem"]
    assert (entry["status"], entry["returns"], entry["returned_notes"]) == (
        "answering",
        1,
        "Lengkapi dasar hukumnya",
    )
    assert stored.item["step"] == "subdit_answer"
    returned = stored.events[-1]
    assert (returned["kind"], returned["public"], returned["data"]["round"]) == ("answer_returned", False, 1)
    assert workflow.run("return", payload, now=NOW + timedelta(days=1)) == ask  # a rerun: once
    assert _kinds(twins, number).count("answer_returned") == 1
    # Each return is its own round.
    _drafted(twins, number, "subdit-sistem", task_id="t-draft-2")
    again = {**payload, "decision": _decision("t-return-2", "return", notes="Tambahkan lampiran")}
    workflow.return_answer(again, now=NOW + timedelta(days=2))
    rounds = [e["data"]["round"] for e in _stored(twins, number).events if e["kind"] == "answer_returned"]
    assert rounds == [1, 2]


# --- dispatch and confirmation ------------------------------------------------------------------------


def _dispatched(number: str, how: str = "fax", **fields: Any) -> None:
    fields = fields or {"fax_number": "0251-8321075", "sent_at": "2026-12-03T04:00"}
    decision = _decision("t-dispatch", how, SECRETARY.email, **fields)
    workflow.dispatched({"number": number, "decision": decision}, now=NOW)


def test_a_dispatched_answer_is_answered_and_its_copy_mailed_to_the_sender_once(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    _answered_and_signed(twins, number)
    _dispatched(number)
    _dispatched(number)  # a rerun
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("answered", "confirmation")
    assert stored.item["details"]["dispatch"]["how"] == "fax"
    assert _kinds(twins, number)[-3:] == ["dispatched", "answered", "mail_sent"]
    assert stored.events[-3]["text"] == "Surat jawaban telah dikirim lewat faks."
    (copy,) = [m for m in _mails(twins) if "Salinan" in str(m["Subject"])]
    assert copy["To"] == SENDER and "SKL-2026-000001" in _text(copy) and "faks" in _text(copy)
    (attached,) = list(copy.iter_attachments())
    signed = stored.item["details"]["answers"]["subdit-sistem"]
    assert hashlib.sha256(attached.get_content()).hexdigest() == signed["sha256"]


def test_a_copy_too_large_to_attach_points_to_the_status_page(
    twins: Twins, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflow, "MAX_ATTACHED_BYTES", 10)
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    _answered_and_signed(twins, number)
    _dispatched(number, "courier", courier="JNE", tracking_number="JNE0012345")
    assert "(nomor resi JNE0012345)" in _stored(twins, number).events[-3]["text"]
    (copy,) = [m for m in _mails(twins) if "Salinan" in str(m["Subject"])]
    assert list(copy.iter_attachments()) == [] and "halaman status" in _text(copy)


def test_a_copy_ses_refuses_is_recorded_and_the_dispatch_stands(twins: Twins) -> None:
    number = _registered(twins)["number"]
    _disposed(number, "subdit-sistem")
    _answered_and_signed(twins, number)
    twins.mailer.verified.clear()
    _dispatched(number)
    stored = _stored(twins, number)
    assert stored.item["status"] == "answered" and stored.events[-1]["kind"] == "mail_failed"
    assert stored.events[-1]["data"]["error"] == "MessageRejected"


def test_a_letter_without_a_senders_email_gets_no_copy(twins: Twins) -> None:
    number = _registered(twins, sender_email=None)["number"]
    _disposed(number, "subdit-sistem")
    _answered_and_signed(twins, number)
    _dispatched(number)
    assert twins.mailer.sent == [] and _kinds(twins, number)[-1] == "answered"


@pytest.mark.parametrize(
    ("choice", "kind"), [("confirmed", "receipt_confirmed"), ("unreachable", "receipt_unconfirmed")]
)
def test_the_phone_confirmation_closes_the_letter(twins: Twins, choice: str, kind: str) -> None:
    number = _registered(twins)["number"]
    payload = {"number": number, "decision": _decision("t-confirm", choice, SECRETARY.email, notes="TU")}
    workflow.close(payload, now=NOW)
    workflow.close(payload, now=NOW)  # a rerun
    stored = _stored(twins, number)
    assert stored.item["status"] == "closed" and stored.item["details"]["confirmation"]["result"] == choice
    assert _kinds(twins, number)[-2:] == [kind, "closed"]


# --- a step in trouble --------------------------------------------------------------------------------


def _trouble(number: str, **changes: Any) -> dict[str, Any]:
    payload = {
        "number": number,
        "state": "Open",
        "unit": "subdit-sistem",
        "error": {"Error": "ConnectionError"},
    }
    return workflow.trouble({**payload, **changes}, now=NOW)


def test_a_step_in_trouble_flags_the_letter_alerts_the_secretary_and_waits_longer_each_time(
    twins: Twins,
) -> None:
    number = _registered(twins)["number"]
    twins.mailer.sent.clear()
    assert _trouble(number) == {"seconds": 60, "attempts": 1}
    assert _trouble(number) == {"seconds": 240, "attempts": 2}
    stored = _stored(twins, number)
    assert stored.item["needs_attention"] is True
    assert "penerusan disposisi ke Subdit (subdit-sistem)" in stored.item["attention_reason"]
    failed = stored.events[-1]
    assert failed["kind"] == "task_failed" and failed["data"]["retry_in_seconds"] == 240
    alerts = _mails(twins)
    assert [m["To"] for m in alerts] == [SECRETARY.email] * 2
    assert f"Gangguan pada surat {number}" in str(alerts[0]["Subject"]) and "1 menit" in _text(alerts[0])
    assert [a["kind"] for a in twins.tasks.audits] == ["needs_attention", "needs_attention"]


def test_a_final_trouble_says_the_chain_stopped_and_an_alert_that_fails_changes_nothing(twins: Twins) -> None:
    number = _registered(twins)["number"]
    twins.mailer.sent.clear()
    _trouble(number, state="Answers", unit="", final=True)
    assert "berhenti" in _text(_mails(twins)[0])
    assert "retry_in_seconds" not in _stored(twins, number).events[-1]["data"]  # it is not retried
    twins.mailer.verified.clear()
    assert _trouble(number, state="Answers", unit="", final=True)["attempts"] == 2
    assert _kinds(twins, number).count("task_failed") == 2


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        workflow.run("archive", {"number": "EP-2026-000001"}, now=NOW)
