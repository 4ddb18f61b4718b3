"""Staff work a request against the twins: the actions its lifecycle allows, replies and internal notes, the
request page (an anonymous requester hidden, a confidential request's content kept to its unit) and what
the requester adds from the status page. ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from twins.desk import Twins
from unit import docfactory

from desk.admin import policies, units
from desk.calendar_store import current_calendar
from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from desk.requests import acknowledge, intake, work
from desk.requests.model import Channel, RequestType
from desk.settings import get_settings
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB: a complaint's 5 working days end on Thursday 10 December.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
DUE = "2026-12-10T16:59:59Z"
HELPDESK = StaffUser("helpdesk", "helpdesk@lkpp.go.id", frozenset({"helpdesk"}), "helpdesk")
HEAD = StaffUser("agus", "agus@lkpp.go.id", frozenset({"subdit"}), "subdit-sistem")
SISTEM = StaffUser("dewi", "dewi@lkpp.go.id", frozenset({"subdit"}), "subdit-sistem")
LAYANAN = StaffUser("tono", "tono@lkpp.go.id", frozenset({"subdit"}), "subdit-layanan")
DIRECTOR = StaffUser("direktur", "direktur@lkpp.go.id", frozenset({"director"}), "direktorat")
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")
REQUESTER = "ani@pemkot-bogor.go.id"


@pytest.fixture(autouse=True)
def desk_units(twins: Twins) -> None:
    """Two Subdits besides the helpdesk; Agus heads Subdit Sistem."""
    twins.directory.invite(HEAD.email, name="Agus", role="subdit", unit="subdit-sistem")
    units.create_unit(
        {"id": "subdit-sistem", "name": "Subdit Sistem Katalog", "kind": "subdit", "head": HEAD.email},
        user=ADMIN,
        now=NOW,
    )
    units.create_unit(
        {"id": "subdit-layanan", "name": "Subdit Layanan", "kind": "subdit"}, user=ADMIN, now=NOW
    )


def _new(subject: str = "Akun terkunci", **changes: Any) -> intake.NewRequest:
    fields: dict[str, Any] = {
        "type": RequestType.COMPLAINT,
        "channel": Channel.WEB,
        "subject": subject,
        "body": "Akun PPK kami terkunci sejak kemarin.",
        "requester": {"name": "Ani Wulandari", "email": REQUESTER, "phone": "0812 3456 7890"},
        **changes,
    }
    return intake.NewRequest(**fields)


def _request(twins: Twins, subject: str = "Akun terkunci", **changes: Any) -> intake.Receipt:
    return intake.submit(_new(subject, **changes), now=NOW, store=twins.requests, calendar=current_calendar())


def _act(number: str, action: str, user: StaffUser = HELPDESK, now: datetime = NOW, **body: Any) -> Any:
    return work.act(number, action, body, user=user, now=now)


def _reply(number: str, text: str, *, internal: bool = False, status: str | None = None, **kw: Any) -> Any:
    user, now = kw.get("user", HELPDESK), kw.get("now", NOW)
    return work.reply(number, text, internal=internal, set_status=status, user=user, now=now)


def _mails(twins: Twins, to: str) -> list[EmailMessage]:
    return [message_from_bytes(m.raw, policy=policy.default) for m in twins.mailer.sent if to in m.to]


def _text(message: EmailMessage) -> str:
    return str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def _kinds(twins: Twins, number: str) -> list[str]:
    stored = twins.requests.load(number)
    assert stored is not None
    return [e["kind"] for e in sorted(stored.events, key=lambda e: e["sk"])]


def _status(twins: Twins, receipt: intake.Receipt, now: datetime = NOW) -> dict[str, Any]:
    return intake.public_status(receipt.number, receipt.access_code, store=twins.requests, client="", now=now)


# --- actions ------------------------------------------------------------------------------------------


def test_assigning_a_colleague_starts_the_work_and_tells_them_but_not_oneself(twins: Twins) -> None:
    number = _request(twins).number
    answer = _act(number, "assign", assignee="sari@lkpp.go.id")
    assert (answer["status"], answer["assignee"]) == ("in_progress", "sari@lkpp.go.id")
    (told,) = _mails(twins, "sari@lkpp.go.id")
    assert told["Subject"] == f"[{number}] Permintaan ditugaskan kepada Anda"
    assert "Akun terkunci" in _text(told) and "Kamis, 10 Desember 2026 pukul 23.59 WIB" in _text(told)
    _act(number, "assign", assignee=HELPDESK.email)
    assert _mails(twins, HELPDESK.email) == [] and _mails(twins, REQUESTER) == []
    with pytest.raises(InvalidInput) as nobody:
        _act(number, "assign", assignee=" ")
    assert "assignee" in (nobody.value.fields or {})


def test_a_hold_asks_the_requester_and_pauses_the_clock_and_a_resume_restarts_it(twins: Twins) -> None:
    receipt = _request(twins)
    held = _act(receipt.number, "hold", reason="Mohon kirim tangkapan layar galatnya.")
    assert held["status"] == "waiting_requester" and held["sla"]["state"] == "paused"
    (asked,) = _mails(twins, REQUESTER)
    assert "informasi tambahan" in asked["Subject"] and "tangkapan layar" in _text(asked)
    # One working day later, the request resumes: its deadline moves on by the day it waited.
    resumed = _act(receipt.number, "resume", now=NOW + timedelta(days=1))
    assert resumed["status"] == "in_progress" and resumed["sla"]["state"] == "on_time"
    assert resumed["sla"]["due_at"] == "2026-12-11T16:59:59Z"
    assert [e["kind"] for e in _status(twins, receipt)["timeline"]] == ["created", "held", "resumed"]


def test_only_work_under_way_is_held_and_only_a_held_request_resumes(twins: Twins) -> None:
    number = _request(twins).number
    with pytest.raises(Conflict) as not_held:
        _act(number, "resume")
    assert not_held.value.code == "illegal_transition"
    with pytest.raises(InvalidInput) as no_reason:
        _act(number, "hold")
    assert "reason" in (no_reason.value.fields or {})
    _act(number, "hold", reason="Menunggu SK.")
    with pytest.raises(Conflict) as twice:
        _act(number, "hold", reason="Lagi.")
    assert twice.value.code == "illegal_transition"
    assert _kinds(twins, number) == ["created", "held", "mail_sent"]


def test_closing_unanswered_work_needs_a_reason_and_a_closed_request_takes_nothing_more(twins: Twins) -> None:
    number = _request(twins).number
    with pytest.raises(InvalidInput) as no_reason:
        _act(number, "close")
    assert "reason" in (no_reason.value.fields or {})
    assert _act(number, "close", reason="Ganda dengan EP-2026-000009.")["status"] == "closed"
    later: list[tuple[str, dict[str, Any]]] = [
        ("assign", {"assignee": "sari@lkpp.go.id"}),
        ("reject", {"reason": "x"}),
    ]
    for action, body in later:
        with pytest.raises(Conflict) as closed:
            work.act(number, action, body, user=HELPDESK, now=NOW)
        assert closed.value.code == "request_closed"
    with pytest.raises(Conflict):
        _reply(number, "Terlambat.")
    assert _kinds(twins, number) == ["created", "closed"]


def test_an_answered_request_closes_without_a_reason(twins: Twins) -> None:
    number = _request(twins).number
    _reply(number, "Akun sudah kami buka kembali.", status="answered")
    assert _act(number, "close")["status"] == "closed"


def test_resolving_needs_a_public_reply_first_or_a_reason(twins: Twins) -> None:
    number = _request(twins).number
    _reply(number, "Cek log SPSE dulu.", internal=True)
    with pytest.raises(InvalidInput) as unanswered:
        _act(number, "resolve")
    assert "reason" in (unanswered.value.fields or {})
    _reply(number, "Akun sudah kami buka kembali.")
    resolved = _act(number, "resolve")
    assert resolved["status"] == "answered" and resolved["sla"]["state"] == "met"
    with pytest.raises(Conflict):
        _act(number, "resolve")


def test_a_rejection_or_a_forward_ends_the_request_and_tells_the_requester_why(twins: Twins) -> None:
    rejected = _request(twins, "Ditolak").number
    assert _act(rejected, "reject", reason="Bukan kewenangan LKPP.")["status"] == "rejected"
    forwarded = _request(twins, "Diteruskan").number
    with pytest.raises(InvalidInput) as nowhere:
        _act(forwarded, "forward", reason="Soal pajak.")
    assert "to" in (nowhere.value.fields or {})
    assert _act(forwarded, "forward", reason="Soal pajak.", to="DJP")["status"] == "forwarded"
    refusal, forward = _mails(twins, REQUESTER)
    assert rejected in refusal["Subject"] and "Bukan kewenangan LKPP." in _text(refusal)
    assert forwarded in forward["Subject"] and "Soal pajak. (diteruskan ke DJP)" in _text(forward)


def test_an_extension_moves_the_deadline_by_one_to_thirty_working_days(twins: Twins) -> None:
    number = _request(twins).number
    for days in (0, 31, "2"):
        with pytest.raises(InvalidInput) as out_of_range:
            _act(number, "extend", reason="Menunggu data LPSE.", working_days=days)
        assert "working_days" in (out_of_range.value.fields or {})
    extended = _act(number, "extend", reason="Menunggu data LPSE.", working_days=2)
    assert (extended["status"], extended["sla"]["due_at"]) == ("submitted", "2026-12-14T16:59:59Z")
    (told,) = _mails(twins, REQUESTER)
    assert "diperpanjang" in told["Subject"] and "Menunggu data LPSE." in _text(told)
    _reply(number, "Sudah selesai.", status="answered")
    with pytest.raises(Conflict):
        _act(number, "extend", reason="Lagi.", working_days=1)


def test_a_transfer_hands_the_request_to_another_unit_open_with_its_clock(twins: Twins) -> None:
    receipt = _request(twins, "Salah unit")
    number = receipt.number
    _act(number, "assign", assignee=HELPDESK.email)
    with pytest.raises(InvalidInput) as unknown:
        _act(number, "transfer", unit="tidak-ada", reason="Coba")
    assert "unit" in (unknown.value.fields or {})
    moved = _act(number, "transfer", unit="subdit-sistem", reason="Soal sistem katalog")
    assert (moved["status"], moved["unit"], moved["assignee"]) == ("in_progress", "subdit-sistem", "")
    assert moved["sla"]["due_at"] == receipt.due_at  # the clock runs on

    def queue(user: StaffUser, unit: str) -> list[str]:
        page = work.queue(user=user, unit=unit, assignee_me=False, status=None, cursor=None, now=NOW)
        return [i["number"] for i in page["items"]]

    assert queue(SISTEM, "subdit-sistem") == [number] and queue(HELPDESK, "helpdesk") == []
    public = _status(twins, receipt)
    (told,) = [e for e in public["timeline"] if e["kind"] == "transferred"]
    assert told["text"] == "Permintaan Anda kini ditangani oleh Subdit Sistem Katalog."
    assert "subdit-sistem" not in str(public)
    with pytest.raises(InvalidInput) as same:
        _act(number, "transfer", user=SISTEM, unit="subdit-sistem", reason="Lagi")
    assert "unit" in (same.value.fields or {})


def test_staff_of_another_unit_may_not_act_unless_the_request_is_assigned_to_them(twins: Twins) -> None:
    number = _request(twins).number
    with pytest.raises(Forbidden):
        _act(number, "hold", user=LAYANAN, reason="Bukan unit saya.")
    with pytest.raises(Forbidden):
        _reply(number, "Bukan unit saya.", user=LAYANAN)
    _act(number, "assign", assignee=LAYANAN.email)
    assert _act(number, "hold", user=LAYANAN, reason="Mohon lampirkan SK.")["status"] == "waiting_requester"


def test_an_unknown_request_or_action_is_refused(twins: Twins) -> None:
    for number in ("EP-2026-999999", "bukan-nomor"):
        with pytest.raises(NotFound):
            _act(number, "resume")
    number = _request(twins).number
    with pytest.raises(InvalidInput) as unknown:
        _act(number, "teleport")
    assert "action" in (unknown.value.fields or {})


def test_a_running_workflow_keeps_its_answer_and_its_end_to_its_steps(twins: Twins) -> None:
    number = _request(twins, "Pelatihan", type=RequestType.TRAINING).number
    for action in ("close", "hold", "reject"):
        with pytest.raises(Conflict) as owned:
            _act(number, action, reason="Selesai.")
        assert owned.value.code == "workflow_owned"
    with pytest.raises(Conflict):
        _reply(number, "Jadwalnya kami kirim.")
    _reply(number, "Menunggu ruang kelas.", internal=True)
    assert _act(number, "assign", assignee="pelatihan@lkpp.go.id")["assignee"] == "pelatihan@lkpp.go.id"
    assert _kinds(twins, number) == ["created", "note", "assigned"]


def test_a_payment_proof_is_verified_or_rejected_with_a_way_to_send_another(twins: Twins) -> None:
    complaint = _request(twins).number
    with pytest.raises(Conflict):
        _act(complaint, "verify")
    verified = _request(twins, "Bukti 1", type=RequestType.PAYMENT_PROOF).number
    assert _act(verified, "verify")["status"] == "closed"
    refused = _request(twins, "Bukti 2", type=RequestType.PAYMENT_PROOF).number
    _act(refused, "reject", reason="Nominal tidak sesuai.")
    told = _text(_mails(twins, REQUESTER)[-1])
    assert "Nominal tidak sesuai. Silakan kirim bukti pembayaran yang baru" in told


def test_a_mail_to_the_requester_that_fails_is_logged_and_the_change_stands(twins: Twins) -> None:
    twins.mailer.refusing.add(REQUESTER)
    number = _request(twins).number
    assert _act(number, "hold", reason="Mohon kirim SK.")["status"] == "waiting_requester"
    stored = twins.requests.load(number)
    assert stored is not None
    sent, failed = [e for e in stored.events if e["kind"] in ("mail_sent", "mail_failed")]
    assert failed["data"] == {"message_id": sent["data"]["message_id"], "error": "MessageRejected"}
    assert int(stored.item["version"]) == len(stored.events) == 4


# --- replies ------------------------------------------------------------------------------------------


def test_an_internal_note_changes_nothing_the_requester_sees(twins: Twins) -> None:
    receipt = _request(twins)
    assert _reply(receipt.number, "Cek log SPSE dulu.", internal=True)["status"] == "submitted"
    assert twins.mailer.sent == []
    assert "Cek log SPSE" not in str(_status(twins, receipt))
    page = work.staff_view(receipt.number, user=HELPDESK, now=NOW)
    assert [(e["kind"], e["public"]) for e in page["timeline"]][-1] == ("note", False)


def test_a_public_reply_starts_the_work_and_reaches_the_requester_in_their_thread(twins: Twins) -> None:
    receipt = _request(twins, channel=Channel.EMAIL, details={"message_id": "CAF123@mail.pemkot-bogor.go.id"})
    answer = _reply(receipt.number, "Mohon coba atur ulang kata sandi.")
    assert answer["status"] == "in_progress"
    assert twins.requests.load(receipt.number).item["has_public_reply"] is True  # type: ignore[union-attr]
    (mail,) = _mails(twins, REQUESTER)
    assert receipt.number in mail["Subject"] and "Mohon coba atur ulang" in _text(mail)
    assert mail["In-Reply-To"] == "<CAF123@mail.pemkot-bogor.go.id>"
    assert mail["Auto-Submitted"] is None  # a person wrote it
    assert [r["text"] for r in _status(twins, receipt)["replies"]] == ["Mohon coba atur ulang kata sandi."]


def test_a_reply_may_answer_or_wait_for_the_requester_and_set_nothing_else(twins: Twins) -> None:
    waiting = _request(twins, "Menunggu").number
    assert _reply(waiting, "Mohon kirim SK.", status="waiting_requester")["status"] == "waiting_requester"
    answered = _request(twins, "Dijawab").number
    done = _reply(answered, "Sudah kami buka.", status="answered")
    assert done["status"] == "answered" and done["sla"]["state"] == "met"
    other = _request(twins, "Lain").number
    with pytest.raises(InvalidInput) as bad:
        _reply(other, "Tutup saja.", status="closed")
    assert "status" in (bad.value.fields or {})
    with pytest.raises(InvalidInput) as empty:
        _reply(other, "  ")
    assert "text" in (empty.value.fields or {})
    assert _kinds(twins, other) == ["created"]


# --- the request page ---------------------------------------------------------------------------------


def _attachment(twins: Twins, filename: str, purpose: str = "attachment") -> str:
    """A file uploaded and checked clean."""
    twins.files.signed_at = NOW
    upload_id = str(
        uploads.request_upload(validate_upload_request(purpose, filename, PDF, 2000), now=NOW)["upload_id"]
    )
    twins.files.write(f"quarantine/{upload_id}", docfactory.pdf_letter(), content_type=PDF)
    assert (
        uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)["outcome"] == "accepted"
    )
    return upload_id


def test_an_anonymous_requester_is_hidden_wherever_it_stands_from_all_but_admin_and_unit_head(
    twins: Twins,
) -> None:
    new = _new(
        "Laporan Ani Wulandari",
        unit="subdit-sistem",
        anonymous=True,
        requester={
            "name": "Ani Wulandari",
            "email": "pelapor.anonim@pemkot-bogor.go.id",
            "phone": "0812 3456 7890",
        },
    )
    receipt = intake.submit(new, now=NOW, store=twins.requests, calendar=current_calendar())
    acknowledge.acknowledge(new, receipt, settings=get_settings(), store=twins.requests, now=NOW)
    signed = "Terima kasih. Salam, Ani Wulandari (0812 3456 7890, pelapor.anonim@pemkot-bogor.go.id)"
    attached = _attachment(twins, "Ani_Wulandari_bukti.pdf")
    work.requester_adds(
        receipt.number, receipt.access_code, signed, client="", now=NOW, upload_ids=[attached]
    )
    secrets = ("pelapor.anonim", "ani wulandari", "ani_wulandari", "0812 3456 7890", "wulandari")
    for user in (HELPDESK, SISTEM, DIRECTOR):
        page = work.staff_view(receipt.number, user=user, now=NOW)
        assert page["requester"] == {"anonymous": True}
        leaked = [secret for secret in secrets if secret in str(page).lower()]
        assert not leaked, (user.username, leaked)
    page = work.staff_view(receipt.number, user=HELPDESK, now=NOW)
    assert page["subject"] == "Laporan [identitas disembunyikan]"
    mail = next(e for e in page["timeline"] if e["kind"] == "mail_sent")
    assert mail["data"]["to"] == "[identitas disembunyikan]"
    wrote = next(e for e in page["timeline"] if e["kind"] == "requester_wrote")
    assert wrote["text"].startswith("Terima kasih. Salam, [identitas disembunyikan] ([identitas")
    (document,) = page["documents"]
    assert document["filename"] == "[identitas disembunyikan]_bukti.pdf"
    for user in (ADMIN, HEAD):
        shown = work.staff_view(receipt.number, user=user, now=NOW)
        assert shown["requester"]["email"] == "pelapor.anonim@pemkot-bogor.go.id"
        assert shown["subject"] == "Laporan Ani Wulandari"


def test_a_confidential_requests_content_is_kept_to_its_unit_its_assignee_and_admins(twins: Twins) -> None:
    receipt = _request(twins, "Rahasia", confidential=True, body="Isi rahasia tentang penyedia.")
    number = receipt.number
    work.requester_adds(number, receipt.access_code, "Tambahan rahasia.", client="", now=NOW)
    _reply(number, "Catatan rahasia.", internal=True)
    outside = work.staff_view(number, user=DIRECTOR, now=NOW)
    assert outside["body"] is None and outside["documents"] == []
    assert "rahasia" not in str(outside["timeline"]).lower()
    assert [e["kind"] for e in outside["timeline"]] == ["created"]
    assert [e["kind"] for e in outside["audit"]] == ["created", "requester_wrote", "note"]
    for user in (HELPDESK, ADMIN):
        assert work.staff_view(number, user=user, now=NOW)["body"] == "Isi rahasia tentang penyedia."
    _act(number, "assign", assignee=LAYANAN.email)
    assigned = work.staff_view(number, user=LAYANAN, now=NOW)
    assert assigned["body"] == "Isi rahasia tentang penyedia." and "note" in str(assigned["timeline"])


def test_the_request_page_is_for_its_unit_the_assignee_and_those_who_see_every_request(twins: Twins) -> None:
    number = _request(twins, unit="subdit-sistem").number
    with pytest.raises(Forbidden):
        work.staff_view(number, user=LAYANAN, now=NOW)
    page = work.staff_view(number, user=DIRECTOR, now=NOW)
    assert (page["unit"], page["tz"], page["body"]) == (
        "subdit-sistem",
        "Asia/Jakarta",
        "Akun PPK kami terkunci sejak kemarin.",
    )
    assert page["requester"]["name"] == "Ani Wulandari"  # not anonymous: shown to whoever may open it
    _act(number, "assign", user=SISTEM, assignee=LAYANAN.email)
    assert work.staff_view(number, user=LAYANAN, now=NOW)["assignee"] == LAYANAN.email


# --- the requester adds information -------------------------------------------------------------------


def test_the_requesters_answer_resumes_a_held_request(twins: Twins) -> None:
    receipt = _request(twins)
    _act(receipt.number, "hold", reason="Mohon kirim SK.")
    added = work.requester_adds(receipt.number, receipt.access_code, "SK terlampir.", client="", now=NOW)
    assert added == {"number": receipt.number, "status": "in_progress"}
    assert _kinds(twins, receipt.number)[-2:] == ["requester_wrote", "resumed"]


def test_writing_to_an_answered_request_reopens_it_with_a_new_deadline_of_its_policy(twins: Twins) -> None:
    policies.create_policy({"request_type": "complaint", "working_days": 3}, user=ADMIN, now=NOW)
    receipt = _request(twins)
    _reply(receipt.number, "Sudah kami buka.", status="answered")
    monday = NOW + timedelta(days=4)
    added = work.requester_adds(receipt.number, receipt.access_code, "Masih terkunci.", client="", now=monday)
    assert added["status"] == "in_progress"
    stored = twins.requests.load(receipt.number)
    assert stored is not None
    reopened = max(stored.events, key=lambda e: e["sk"])
    assert (reopened["kind"], reopened["data"]) == ("reopened", {"working_days": 3})
    assert stored.item["sla"]["due_at"] == "2026-12-10T16:59:59Z"  # Tuesday, Wednesday, Thursday


def test_a_wrong_code_an_empty_message_or_a_closed_request_take_nothing(twins: Twins) -> None:
    receipt = _request(twins)
    with pytest.raises(NotFound):
        work.requester_adds(receipt.number, "AAAAAAAAAAAAAAA", "Halo.", client="", now=NOW)
    with pytest.raises(InvalidInput):
        work.requester_adds(receipt.number, receipt.access_code, " ", client="", now=NOW)
    _act(receipt.number, "close", reason="Ganda.")
    with pytest.raises(Conflict) as closed:
        work.requester_adds(receipt.number, receipt.access_code, "Halo?", client="", now=NOW)
    assert closed.value.code == "request_closed"
    assert _kinds(twins, receipt.number) == ["created", "closed"]


def test_a_message_takes_a_checked_attachment_once_and_no_file_of_another_purpose(twins: Twins) -> None:
    receipt = _request(twins)
    number, code = receipt.number, receipt.access_code
    shot = _attachment(twins, "tangkapan.pdf")
    work.requester_adds(number, code, "Ini tangkapan layarnya.", client="", now=NOW, upload_ids=[shot])
    stored = twins.requests.load(number)
    assert stored is not None and stored.item["documents"] == [shot]
    assert twins.uploads.load(shot)["attached_to"] == number  # type: ignore[index]
    wrote = max(stored.events, key=lambda e: e["sk"])
    assert wrote["data"]["documents"] == [shot]
    letter = _attachment(twins, "SK.pdf", purpose="sk_letter")
    for refused in (shot, letter):
        with pytest.raises(RuleViolation) as unusable:
            work.requester_adds(number, code, "Lagi.", client="", now=NOW, upload_ids=[refused])
        assert "attachment_upload_ids.0" in (unusable.value.fields or {})
    assert _kinds(twins, number) == ["created", "requester_wrote"]
    assert [d["upload_id"] for d in work.staff_view(number, user=HELPDESK, now=NOW)["documents"]] == [shot]


def test_a_request_waiting_for_its_requesters_confirmation_keeps_waiting_for_it(twins: Twins) -> None:
    receipt = _request(twins, details={"awaiting_confirmation": True})
    _act(receipt.number, "hold", reason="Konfirmasi permohonan ini.")
    added = work.requester_adds(receipt.number, receipt.access_code, "Pertanyaan dulu.", client="", now=NOW)
    assert added["status"] == "waiting_requester"
    assert _kinds(twins, receipt.number)[-1] == "requester_wrote"
