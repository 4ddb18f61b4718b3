"""The training rules: a 2-working-day session across cuti bersama, start days, seats, reminders, who is
trained, and the reply letter's content."""

from __future__ import annotations

from datetime import date

import pytest

from desk.calendar import WorkingCalendar
from desk.training import letter, rules

CALENDAR = WorkingCalendar.from_official().scoped()


def test_a_session_starting_before_a_run_of_cuti_bersama_ends_after_it() -> None:
    # Thu 2025-03-27: Mar 28 cuti bersama, 29 holiday, 31 and Apr 1 holidays, Apr 2-4 and 7 cuti bersama.
    assert rules.session_end(CALENDAR, date(2025, 3, 27)) == date(2025, 4, 8)
    assert rules.session_end(CALENDAR, date(2026, 12, 23)) == date(2026, 12, 28)  # Dec 24 cuti, 25 holiday
    assert rules.session_end(CALENDAR, date(2026, 1, 12)) == date(2026, 1, 13)


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (date(2026, 12, 25), "bukan hari kerja"),  # Natal
        (date(2026, 12, 24), "bukan hari kerja"),  # cuti bersama
        (date(2026, 12, 26), "bukan hari kerja"),  # Saturday
        (date(2026, 11, 26), "setelah hari ini"),  # today
    ],
)
def test_a_start_must_be_a_later_working_day(start: date, problem: str) -> None:
    found = rules.start_problem(CALENDAR, start, today=date(2026, 11, 26))
    assert found is not None and problem in found
    assert rules.start_problem(CALENDAR, date(2026, 12, 1), today=date(2026, 11, 26)) is None


def test_seats_left_never_goes_negative() -> None:
    assert rules.seats_left({"capacity": 10, "booked": 7}) == 3
    assert rules.seats_left({"capacity": 10, "booked": 12}) == 0


def test_trained_means_present_on_both_days() -> None:
    days = ["2026-12-01", "2026-12-02"]
    assert rules.trained({"2026-12-01": True, "2026-12-02": True}, days)
    assert not rules.trained({"2026-12-01": True, "2026-12-02": False}, days)
    assert not rules.trained({"2026-12-01": True}, days)


def test_participants_are_reminded_two_working_days_before() -> None:
    start = date(2026, 12, 2)  # Wednesday
    assert rules.remind_on(CALENDAR, start, date(2026, 11, 30))  # Monday: Tuesday lies between
    assert not rules.remind_on(CALENDAR, start, date(2026, 12, 1))
    assert not rules.remind_on(CALENDAR, start, date(2026, 11, 27))
    # Across a weekend and cuti bersama: a session on Mon 2026-12-28 is announced on Tue 2026-12-22.
    assert rules.remind_on(CALENDAR, date(2026, 12, 28), date(2026, 12, 22))
    assert not rules.remind_on(CALENDAR, date(2026, 12, 28), date(2026, 12, 24))  # not a working day


def _letter(accepted: bool) -> letter.ReplyLetter:
    return letter.ReplyLetter(
        outgoing_number="B-12/D.2/12/2026",
        date="2026-12-01",
        request_number="EP-2026-000042",
        institution="Dinas Pendidikan",
        contact_name="Ani",
        accepted=accepted,
        session={
            "session_id": "TRN-1",
            "start_date": "2026-12-23",
            "end_date": "2026-12-28",
            "place": "LKPP",
            "fee": 150000,
        },
        participants=("Budi", "Citra Ç"),
        reason="" if accepted else "Kuota penuh",
    )


def test_the_letter_says_the_session_or_the_reason() -> None:
    accepted = "\n".join(letter.paragraphs(_letter(True)))
    assert (
        "Rabu, 23 Desember 2026 s.d. Senin, 28 Desember 2026" in accepted
        and "Rp150.000 per peserta" in accepted
        and "2. Citra" in accepted
    )
    declined = "\n".join(letter.paragraphs(_letter(False)))
    assert "Alasan: Kuota penuh" in declined and "TRN-1" not in declined


def test_the_letter_is_a_pdf_and_renders_the_same_each_time() -> None:
    first = letter.render(_letter(True))
    assert first.startswith(b"%PDF-") and first == letter.render(_letter(True))
