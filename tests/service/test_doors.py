"""The doors against the twins: a phone call the helpdesk logs, a walk-in reception forwards with a meeting
booked with an officer (and its printed receipt), and the web form's ticket as the public API takes it.
``now`` given, no clock read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from twins import InMemoryRequests
from twins.desk import Twins
from unit import docfactory

from desk import clock, runtime
from desk.admin import lpse, policies, units
from desk.admin.directory import StaffMember
from desk.calendar import WorkingCalendar, zone
from desk.data import directory as directory_data
from desk.data import requests as requests_data
from desk.data import schema
from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from desk.requests import doors, intake, tickets
from desk.requests.forms import TicketForm
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB; Monday 7 December is a working day, Saturday 5 December is not.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
MONDAY = date(2026, 12, 7)
WIB = zone("Asia/Jakarta")
HELPDESK = StaffUser("helpdesk", "helpdesk@lkpp.go.id", frozenset({"helpdesk"}), "helpdesk")
RECEPTION = StaffUser("resepsionis", "resepsionis@lkpp.go.id", frozenset({"reception"}), "reception")
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")
HEAD = "agus@lkpp.go.id"  # the head of subdit-sistem
CALL = {
    "caller_name": "Budi",
    "phone": "+62 21 555 0101",
    "email": "budi@pemprov-jatim.go.id",
    "institution": "Pemprov Jawa Timur",
    "kind": "complaint",
    "category": "akses",
    "summary": "Tidak bisa login ke e-Purchasing.\nSudah coba ganti kata sandi.",
}
WALK_IN = {
    "visitor_name": "Rudi Hartono",
    "institution": "Dinas PUPR Kota Depok",
    "email": "rudi@depok.go.id",
    "topic": "Konsultasi etalase",
    "notes": "Ingin tahu cara membandingkan harga di etalase.",
    "unit": "subdit-sistem",
    "preferred_date": MONDAY.isoformat(),
}


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str


def _mails(twins: Twins, to: str | None = None) -> list[Mail]:
    read = []
    for sent in twins.mailer.sent:
        message = message_from_bytes(sent.raw, policy=policy.default)
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        read.append(Mail(sent.to, str(message["Subject"]), text))
    return [m for m in read if to is None or to in m.to]


def _wib(day: date, hour: int, minute: int) -> str:
    return clock.iso(datetime.combine(day, time(hour, minute), WIB))


@pytest.fixture(autouse=True)
def subdit(twins: Twins) -> None:
    """The unit walk-ins are forwarded to, headed by Agus."""
    twins.directory.invite(HEAD, name="Agus Subdit Sistem", role="subdit", unit="subdit-sistem")
    units.create_unit(
        {"id": "subdit-sistem", "name": "Subdit Sistem Katalog", "kind": "subdit", "head": HEAD},
        user=ADMIN,
        now=NOW,
    )


def _call(now: datetime = NOW, user: StaffUser = HELPDESK, **changes: Any) -> dict[str, Any]:
    return doors.log_call(doors.CallForm.model_validate({**CALL, **changes}), user=user, now=now)


def _walk_in(now: datetime = NOW, user: StaffUser = RECEPTION, **changes: Any) -> dict[str, Any]:
    form = doors.WalkInForm.model_validate({**WALK_IN, **changes})
    return doors.take_walk_in(form, user=user, now=now)


def _booked_elsewhere(twins: Twins, officer: str, *starts: str) -> None:
    """Half hours other visitors' walk-ins already hold with ``officer``."""
    for n, start in enumerate(starts):
        twins.requests.items[(schema.meetings_pk(officer), start)] = {
            **schema.meeting(officer, start),
            "number": f"EP-2026-9{n:05d}",
        }


def _requests(store: InMemoryRequests) -> list[str]:
    return [pk for pk, sk in store.items if sk == schema.REQUEST_SK]


# --- a phone call -------------------------------------------------------------------------------------


def test_a_call_is_the_helpdesks_phone_request_and_the_caller_is_mailed_its_number(twins: Twins) -> None:
    answer = _call()
    assert answer["status"] == "submitted" and answer["due_at"] == "2026-12-10T16:59:59Z"
    stored = twins.requests.load(answer["number"])
    assert stored is not None
    item = stored.item
    assert (item["type"], item["channel"], item["unit"]) == ("call", "phone", "helpdesk")
    assert item["subject"] == "Tidak bisa login ke e-Purchasing."  # the summary's first line
    assert item["details"] == {"kind": "complaint", "category": "akses", "taken_by": HELPDESK.email}
    assert {k: v for k, v in (stored.identity or {}).items() if k not in ("pk", "sk")} == {
        "name": "Budi",
        "phone": "+62215550101",
        "email": "budi@pemprov-jatim.go.id",
        "institution": "Pemprov Jawa Timur",
    }
    (mail,) = _mails(twins)
    assert mail.to == ("budi@pemprov-jatim.go.id",)
    assert answer["number"] in mail.subject and answer["access_code"] in mail.text
    assert [e["kind"] for e in stored.events] == ["created", "mail_sent"]


def test_a_long_summary_gives_a_subject_of_its_first_line_cut_at_120_characters(twins: Twins) -> None:
    long_line = "Kata " * 40
    number = _call(summary=f"{long_line}\nBaris kedua.")["number"]
    subject = twins.requests.load(number).item["subject"]  # type: ignore[union-attr]
    assert subject == long_line.strip()[:117] + "..."
    assert len(subject) == 120


def test_a_caller_without_an_address_or_who_wants_no_mail_is_sent_none(twins: Twins) -> None:
    without = _call(email=None, summary="Tanpa alamat.")
    declined = _call(send_number=False, summary="Tidak mau dikirimi.")
    assert twins.mailer.sent == []
    identity = twins.requests.load(without["number"]).identity  # type: ignore[union-attr]
    assert identity is not None and "email" not in identity
    kinds = [e["kind"] for e in twins.requests.load(declined["number"]).events]  # type: ignore[union-attr]
    assert kinds == ["created"]


def test_a_call_resolved_on_the_call_is_answered_and_closed_without_another_mail(twins: Twins) -> None:
    answer = _call(resolved_on_call=True)
    assert answer["status"] == "closed"
    stored = twins.requests.load(answer["number"])
    assert stored is not None and stored.item["status"] == "closed"
    events = sorted(stored.events, key=lambda e: e["sk"])
    assert [e["kind"] for e in events] == ["created", "mail_sent", "answered", "closed"]
    assert events[2]["text"] == "Selesai saat telepon." and events[3]["actor"] == HELPDESK.email
    assert stored.item["sla"]["answered_at"] == clock.iso(NOW)  # the promise was kept on the call
    assert len(_mails(twins)) == 1  # the acknowledgement only: the caller heard the answer


def test_the_same_call_logged_twice_is_one_request_closed_once_and_answered_as_it_stands(
    twins: Twins,
) -> None:
    first = _call(resolved_on_call=True)
    again = _call(NOW + timedelta(minutes=2), resolved_on_call=True)
    assert again["number"] == first["number"]
    assert again["status"] == "closed"  # not the first receipt's "submitted"
    kinds = [e["kind"] for e in twins.requests.load(first["number"]).events]  # type: ignore[union-attr]
    assert kinds.count("closed") == 1 and kinds.count("mail_sent") == 1


def test_a_calls_deadline_follows_the_call_policy(twins: Twins) -> None:
    policies.create_policy({"request_type": "call", "working_days": 2}, user=ADMIN, now=NOW)
    assert _call()["due_at"] == "2026-12-07T16:59:59Z"  # Friday and Monday


def test_only_the_helpdesk_logs_calls(twins: Twins) -> None:
    with pytest.raises(Forbidden):
        _call(user=RECEPTION)
    assert _requests(twins.requests) == [] and twins.mailer.sent == []


# --- a walk-in ----------------------------------------------------------------------------------------


def test_a_walk_in_is_forwarded_to_the_units_head_at_the_first_half_hour_of_the_day(twins: Twins) -> None:
    answer = _walk_in()
    number = answer["number"]
    meeting = {
        "officer": HEAD,
        "officer_name": "Agus Subdit Sistem",
        "start": _wib(MONDAY, 7, 30),
        "end": _wib(MONDAY, 8, 0),
    }
    assert answer["meeting"] == meeting and answer["status"] == "in_progress"
    assert answer["status_url"] == (
        f"https://layanan.lkpp.go.id/status?number={number}&code={answer['access_code']}"
    )
    stored = twins.requests.load(number)
    assert stored is not None
    item = stored.item
    assert (item["type"], item["channel"], item["unit"]) == ("walk_in", "walk_in", "subdit-sistem")
    assert (item["status"], item["assignee"], item["meeting"]) == ("in_progress", HEAD, meeting)
    assert item["details"]["taken_by"] == RECEPTION.email
    held = twins.requests.held(schema.meeting(HEAD, meeting["start"]))
    assert held is not None and held["number"] == number
    status = intake.public_status(number, answer["access_code"], store=twins.requests, client="", now=NOW)
    (booked,) = [e for e in status["timeline"] if e["kind"] == "meeting_booked"]
    assert (
        booked["text"] == "Pertemuan dengan Agus Subdit Sistem pada Senin, 7 Desember 2026 pukul 07.30 WIB."
    )


def test_walk_ins_never_share_a_half_hour_and_an_hour_needs_two_free_ones(twins: Twins) -> None:
    _booked_elsewhere(twins, HEAD, _wib(MONDAY, 8, 0))
    hour = _walk_in(visitor_name="Ayu", minutes=60)["meeting"]
    # 07:30 is free but 08:00 is not: the hour starts at 08:30 and holds both its halves.
    assert (hour["start"], hour["end"]) == (_wib(MONDAY, 8, 30), _wib(MONDAY, 9, 30))
    assert twins.requests.held(schema.meeting(HEAD, _wib(MONDAY, 9, 0))) is not None
    half = _walk_in(visitor_name="Bagus")["meeting"]
    assert (half["start"], half["end"]) == (_wib(MONDAY, 7, 30), _wib(MONDAY, 8, 0))
    assert _walk_in(visitor_name="Citra")["meeting"]["start"] == _wib(MONDAY, 9, 30)


def test_without_a_preferred_date_the_first_slot_is_after_now_and_ends_by_closing_time(twins: Twins) -> None:
    thursday = NOW.astimezone(WIB).date()
    assert _walk_in(preferred_date=None, visitor_name="Ayu")["meeting"]["start"] == _wib(thursday, 9, 30)
    late = datetime.combine(thursday, time(14, 50), WIB)
    assert _walk_in(late, preferred_date=None, visitor_name="Bagus", minutes=60)["meeting"]["end"] == _wib(
        thursday, 16, 0
    )
    later = datetime.combine(thursday, time(15, 40), WIB)
    next_day = _walk_in(later, preferred_date=None, visitor_name="Citra")["meeting"]
    assert next_day["start"] == _wib(date(2026, 12, 4), 7, 30)  # nothing is left on Thursday


def test_a_walk_in_taken_on_a_day_off_is_booked_on_the_next_working_day(twins: Twins) -> None:
    saturday = datetime.combine(date(2026, 12, 5), time(10, 0), WIB)
    assert _walk_in(saturday, preferred_date=None)["meeting"]["start"] == _wib(MONDAY, 7, 30)


@pytest.mark.parametrize(
    ("preferred", "code"),
    [(date(2026, 12, 2), "walk_in_date_past"), (date(2026, 12, 5), "walk_in_date_closed")],
)
def test_a_past_or_closed_preferred_date_is_refused_before_anything_is_written(
    twins: Twins, preferred: date, code: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        _walk_in(preferred_date=preferred.isoformat())
    assert refused.value.code == code and "preferred_date" in (refused.value.fields or {})
    assert _requests(twins.requests) == [] and twins.mailer.sent == []
    assert twins.requests.meetings_booked(HEAD, "2026", "2027") == set()


def test_today_is_a_preferred_date_still_to_come(twins: Twins) -> None:
    today = NOW.astimezone(WIB).date()
    assert _walk_in(preferred_date=today.isoformat())["meeting"]["start"] == _wib(today, 9, 30)


def test_an_unknown_unit_or_one_without_a_head_needs_what_is_missing(twins: Twins) -> None:
    with pytest.raises(InvalidInput) as unknown:
        _walk_in(unit="tidak-ada")
    assert "unit" in (unknown.value.fields or {})
    units.create_unit({"id": "subdit-hukum", "name": "Subdit Hukum", "kind": "subdit"}, user=ADMIN, now=NOW)
    with pytest.raises(InvalidInput) as headless:
        _walk_in(unit="subdit-hukum")
    assert "officer" in (headless.value.fields or {})
    assert _requests(twins.requests) == []
    # Named, an officer the user pool does not know is shown by their address.
    meeting = _walk_in(unit="subdit-hukum", officer="Tamu.Hukum@lkpp.go.id")["meeting"]
    assert meeting["officer"] == meeting["officer_name"] == "Tamu.Hukum@lkpp.go.id"


def test_an_officers_name_the_pool_cannot_give_does_not_turn_the_visitor_away(twins: Twins) -> None:
    class Unreachable:
        def find(self, email: str) -> StaffMember | None:
            raise ConnectionError("Cognito does not answer")

    runtime.provide(directory_data.directory, Unreachable())
    assert _walk_in()["meeting"]["officer_name"] == HEAD


def test_only_reception_takes_walk_ins(twins: Twins) -> None:
    with pytest.raises(Forbidden):
        _walk_in(user=HELPDESK)
    assert _requests(twins.requests) == []


def test_an_officer_booked_for_ten_working_days_refuses_the_walk_in_and_nothing_is_written(
    twins: Twins,
) -> None:
    calendar = WorkingCalendar.from_official().scoped()
    days = [MONDAY]
    while len(days) < doors.SEARCH_WORKING_DAYS:
        days.append(calendar.next_working_day(days[-1]))
    halves = [
        clock.iso(datetime.combine(day, doors.OPENS, WIB) + doors.SLOT * n)
        for day in days
        for n in range(17)  # 07:30 to 15:30
    ]
    _booked_elsewhere(twins, HEAD, *halves)
    with pytest.raises(Conflict) as refused:
        _walk_in()
    assert refused.value.code == "no_free_slot"
    assert _requests(twins.requests) == [] and twins.mailer.sent == []
    # The last half hour of the window frees up: that is the one booked.
    del twins.requests.items[(schema.meetings_pk(HEAD), halves[-1])]
    assert _walk_in()["meeting"]["start"] == halves[-1] == _wib(days[-1], 15, 30)


class StaleLooks(InMemoryRequests):
    """The request twin, where the first ``stale`` looks at an officer's bookings miss ``unseen``: half
    hours another walk-in booked between this one's look and its write."""

    def __init__(self, *, stale: int, unseen: set[str]) -> None:
        super().__init__()
        self.stale, self.unseen, self.looks = stale, unseen, 0

    def meetings_booked(self, officer: str, first: str, last: str) -> set[str]:
        self.looks += 1
        taken = super().meetings_booked(officer, first, last)
        if self.stale:
            self.stale -= 1
            return taken - self.unseen
        return taken


def _racing(stale: int) -> StaleLooks:
    first = _wib(MONDAY, 7, 30)
    store = StaleLooks(stale=stale, unseen={first})
    store.items[(schema.meetings_pk(HEAD), first)] = {
        **schema.meeting(HEAD, first),
        "number": "EP-2026-900000",
    }
    runtime.provide(requests_data.repository, store)
    return store


def test_a_slot_taken_between_the_look_and_the_write_is_looked_for_again(twins: Twins) -> None:
    store = _racing(stale=1)
    answer = _walk_in()
    assert answer["meeting"]["start"] == _wib(MONDAY, 8, 0) and store.looks == 2
    assert _requests(store) == [f"REQ#{answer['number']}"]


def test_a_slot_lost_at_every_attempt_refuses_the_walk_in_and_leaves_nothing(twins: Twins) -> None:
    store = _racing(stale=doors.BOOKING_ATTEMPTS)
    with pytest.raises(Conflict) as refused:
        _walk_in()
    assert refused.value.code == "no_free_slot" and store.looks == doors.BOOKING_ATTEMPTS
    assert _requests(store) == [] and twins.mailer.sent == []


def test_the_officer_and_the_visitor_are_told_the_meeting_and_it_is_logged(twins: Twins) -> None:
    answer = _walk_in()
    number = answer["number"]
    when = "Senin, 7 Desember 2026 pukul 07.30 WIB"
    (officer,) = _mails(twins, HEAD)
    assert officer.subject == f"[{number}] Konsultasi langsung: Rudi Hartono, {when}"
    for told in ("Rudi Hartono (Dinas PUPR Kota Depok)", "Konsultasi etalase", f"{when} (30 menit)", number):
        assert told in officer.text, told
    assert f"https://layanan.lkpp.go.id/staff/#request/{number}" in officer.text
    acknowledgement, meeting = _mails(twins, "rudi@depok.go.id")
    assert answer["access_code"] in acknowledgement.text
    assert meeting.subject == f"[{number}] Jadwal konsultasi Anda"
    assert f"Pertemuan dengan Agus Subdit Sistem pada {when}." in meeting.text
    assert "Durasi: 30 menit." in meeting.text
    stored = twins.requests.load(number)
    purposes = [e["data"]["purpose"] for e in stored.events if e["kind"] == "mail_sent"]  # type: ignore[union-attr]
    assert purposes == ["acknowledgement", "meeting_officer", "meeting_visitor"]


def test_a_visitor_without_an_address_is_mailed_nothing_and_the_officer_is(twins: Twins) -> None:
    _walk_in(email=None, phone="0812 3456 7890")
    assert [m.to for m in _mails(twins)] == [(HEAD,)]


def test_an_lpse_officer_reads_the_meeting_time_in_the_lpses_zone(twins: Twins) -> None:
    lpse.create_lpse(
        {
            "id": "lpse-bali",
            "name": "LPSE Provinsi Bali",
            "province": "Bali",
            "time_zone": "WITA",
            "service_days": 3,
        },
        user=ADMIN,
        now=NOW,
    )
    officer = "verifikator@lkpp.go.id"
    answer = _walk_in(unit="lpse-bali", officer=officer)
    (mail,) = _mails(twins, officer)
    assert "Senin, 7 Desember 2026 pukul 08.30 WITA" in mail.text
    status = intake.public_status(
        answer["number"], answer["access_code"], store=twins.requests, client="", now=NOW
    )
    assert any("07.30 WIB" in e.get("text", "") for e in status["timeline"])  # the visitor's, in Jakarta


def test_a_meeting_mail_that_fails_is_logged_and_the_booking_stands(twins: Twins) -> None:
    twins.mailer.refusing.add(HEAD)
    answer = _walk_in()
    stored = twins.requests.load(answer["number"])
    assert stored is not None and stored.item["status"] == "in_progress"
    sent = {e["data"]["purpose"]: e["data"]["message_id"] for e in stored.events if e["kind"] == "mail_sent"}
    (failed,) = [e for e in stored.events if e["kind"] == "mail_failed"]
    assert failed["data"] == {"message_id": sent["meeting_officer"], "error": "MessageRejected"}
    assert [m.to for m in twins.mailer.sent] == [("rudi@depok.go.id",), ("rudi@depok.go.id",)]
    assert int(stored.item["version"]) == len(stored.events)


def test_the_same_walk_in_sent_twice_keeps_its_first_booking_and_mails_once(twins: Twins) -> None:
    first = _walk_in()
    again = _walk_in(NOW + timedelta(minutes=1))
    assert (again["number"], again["meeting"]) == (first["number"], first["meeting"])
    assert twins.requests.meetings_booked(HEAD, "2026", "2027") == {first["meeting"]["start"]}
    assert len(_mails(twins)) == 3  # acknowledgement, officer, visitor: once


def test_the_printed_receipt_shows_number_code_and_officer_by_name_with_a_qr_code(twins: Twins) -> None:
    answer = _walk_in(visitor_name="Rudi <b>Hartono</b>")
    receipt = answer["receipt_html"]
    for shown in (answer["number"], answer["access_code"], "Agus Subdit Sistem", "Senin, 7 Desember 2026"):
        assert shown in receipt, shown
    assert HEAD not in receipt and "<svg" in receipt
    assert "Rudi &lt;b&gt;Hartono&lt;/b&gt;" in receipt and "<b>Hartono" not in receipt
    unnamed = {**answer["meeting"], "officer_name": ""}
    form = doors.WalkInForm.model_validate(WALK_IN)
    assert HEAD in doors.receipt_html(answer["number"], "KODE", form, unnamed, answer["status_url"])


# --- a ticket from the web form, as the public API takes it ---------------------------------------------

TICKET = {
    "kind": "complaint",
    "subject": "Tidak bisa masuk ke e-Purchasing",
    "message": "Akun PPK kami terkunci sejak kemarin.",
    "name": "Ani Wulandari",
    "email": "ani@pemkot-bogor.go.id",
}


def _ticket(
    now: datetime = NOW, *, key: str | None = None, client: str = "203.0.113.7", **changes: Any
) -> intake.Receipt:
    """``POST /tickets`` with a valid form."""
    form = TicketForm.model_validate({**TICKET, **changes})
    return tickets.submit(form, now=now, idempotency_key=key, client=client)


def _attachment(twins: Twins, filename: str = "bukti.pdf") -> str:
    """An attachment uploaded and checked clean."""
    twins.files.signed_at = NOW
    spec = validate_upload_request("attachment", filename, PDF, 2000)
    upload_id = str(uploads.request_upload(spec, now=NOW)["upload_id"])
    twins.files.write(f"quarantine/{upload_id}", docfactory.pdf_letter(), content_type=PDF)
    assert (
        uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)["outcome"] == "accepted"
    )
    return upload_id


def test_a_ticket_is_a_web_request_of_its_kind_with_its_policys_deadline(twins: Twins) -> None:
    policies.create_policy({"request_type": "suggestion", "working_days": 3}, user=ADMIN, now=NOW)
    receipt = _ticket(
        kind="suggestion", phone="0812 3456 7890", institution="Pemkot Bogor", category="katalog"
    )
    assert receipt.due_at == "2026-12-08T16:59:59Z"  # Friday, Monday, Tuesday
    stored = twins.requests.load(receipt.number)
    assert stored is not None
    item = stored.item
    assert (item["type"], item["channel"], item["unit"], item["status"]) == (
        "suggestion",
        "web",
        "helpdesk",
        "submitted",
    )
    assert item["details"] == {"category": "katalog"} and item["requester_name"] == "Ani Wulandari"
    assert (item["anonymous"], item["confidential"]) == (False, False)
    assert {k: v for k, v in (stored.identity or {}).items() if k not in ("pk", "sk")} == {
        "name": "Ani Wulandari",
        "email": "ani@pemkot-bogor.go.id",
        "phone": "081234567890",
        "institution": "Pemkot Bogor",
    }
    (mail,) = _mails(twins)
    assert mail.to == ("ani@pemkot-bogor.go.id",) and receipt.access_code in mail.text


def test_a_retry_with_the_same_key_answers_the_first_receipt_and_mails_once(twins: Twins) -> None:
    first = _ticket(key="k-3")
    again = _ticket(NOW + timedelta(hours=2), key="k-3")
    assert again.public() == first.public() and again.repeated
    assert len(_mails(twins)) == 1 and _requests(twins.requests) == [f"REQ#{first.number}"]


def test_the_same_key_with_another_body_is_refused_and_stores_nothing(twins: Twins) -> None:
    _ticket(key="k-4")
    with pytest.raises(Conflict) as clash:
        _ticket(key="k-4", subject="Sesuatu yang lain")
    assert clash.value.code == "idempotency_key_reused"
    assert len(_requests(twins.requests)) == 1 and len(_mails(twins)) == 1


def test_tickets_are_numbered_one_after_another(twins: Twins) -> None:
    numbers = [_ticket(subject=f"Nomor {i}").number for i in range(5)]
    assert numbers == [f"EP-2026-00000{i}" for i in range(1, 6)]


def test_a_ticket_takes_its_attachment_which_no_other_ticket_can_but_its_retry_can(twins: Twins) -> None:
    upload_id = _attachment(twins)
    first = _ticket(key="k-5", attachment_upload_ids=[upload_id])
    assert twins.uploads.load(upload_id)["attached_to"] == first.number  # type: ignore[index]
    assert twins.requests.load(first.number).item["documents"] == [upload_id]  # type: ignore[union-attr]
    retried = _ticket(NOW + timedelta(minutes=30), key="k-5", attachment_upload_ids=[upload_id])
    assert retried.number == first.number
    with pytest.raises(RuleViolation) as taken:
        _ticket(subject="Lain", attachment_upload_ids=[upload_id])
    assert "attachment_upload_ids.0" in (taken.value.fields or {})
    assert _requests(twins.requests) == [f"REQ#{first.number}"]


def test_an_anonymous_ticket_lists_a_subject_without_its_requesters_name(twins: Twins) -> None:
    receipt = _ticket(subject="Laporan dari Ani Wulandari", anonymous=True, confidential=True)
    item = twins.requests.load(receipt.number).item  # type: ignore[union-attr]
    assert (item["anonymous"], item["confidential"]) == (True, True)
    assert item["subject_redacted"] == "Laporan dari [identitas disembunyikan]"
    assert "requester_name" not in item
