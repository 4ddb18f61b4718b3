"""The training organiser's sessions against the twins: a session is made only on a later working day and
lasts two working days; rescheduling and cancelling tell everyone booked and write it in each request's
log; attendance is taken day by day and both days make a participant trained. ``now`` given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from twins.desk import Twins

from desk.calendar import WorkingCalendar
from desk.errors import Conflict, Forbidden, InvalidInput
from desk.requests import intake
from desk.requests.model import Channel, RequestType
from desk.staff import StaffUser
from desk.training import sessions

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ORGANISER = StaffUser("dewi", "dewi@lkpp.go.id", frozenset({"training"}), "pelatihan")
AGENT = StaffUser("sari", "sari@lkpp.go.id", frozenset({"agent"}), "helpdesk")
MONDAY = date(2026, 12, 7)


def _session(start: date = MONDAY, capacity: int = 10) -> dict[str, Any]:
    form = sessions.NewSession(start_date=start, place="Aula LKPP, Jakarta", capacity=capacity)
    return sessions.create(form, user=ORGANISER, now=NOW)


def _booked(twins: Twins, session_id: str, institution: str, *people: str) -> str:
    """A training request of ``institution`` seated in the session with ``people``."""
    new = intake.NewRequest(
        type=RequestType.TRAINING,
        channel=Channel.WEB,
        subject=f"Pelatihan {institution}",
        body="Permohonan pelatihan e-Purchasing.",
        requester={"name": "Kontak", "email": f"kontak@{institution}.go.id"},
        working_days=5,
    )
    number = intake.submit(
        new, now=NOW, store=twins.requests, calendar=WorkingCalendar.from_official()
    ).number
    booking = {
        "institution": institution,
        "contact": {"name": "Kontak", "email": f"kontak@{institution}.go.id"},
        "participants": [{"name": p, "email": f"{p}@{institution}.go.id"} for p in people],
    }
    sessions.book({"session_id": session_id}, number, booking, by=ORGANISER.email, now=NOW)
    return number


def _recipients(twins: Twins) -> list[set[str]]:
    found = []
    for sent in twins.mailer.sent:
        message = message_from_bytes(sent.raw, policy=policy.default)
        found.append({a.strip() for a in str(message["To"]).split(",")})
    return found


def test_a_session_starts_on_a_later_working_day_and_lasts_two(twins: Twins) -> None:
    made = _session()
    assert (made["start_date"], made["end_date"]) == ("2026-12-07", "2026-12-08")
    assert made["seats_left"] == 10 and made["status"] == "scheduled"
    # A Friday start ends on Monday: the weekend is no training day.
    assert _session(date(2026, 12, 11))["end_date"] == "2026-12-14"
    for start, why in ((date(2026, 12, 3), "setelah hari ini"), (date(2026, 12, 5), "bukan hari kerja")):
        with pytest.raises(InvalidInput) as refused:
            _session(start)
        assert why in refused.value.fields["start_date"]
    with pytest.raises(Forbidden):
        sessions.create(
            sessions.NewSession(start_date=MONDAY, place="Aula LKPP", capacity=5), user=AGENT, now=NOW
        )
    listed = sessions.listing(user=ORGANISER)["items"]
    assert [s["start_date"] for s in listed] == ["2026-12-07", "2026-12-11"]  # the refused wrote nothing
    assert [s["start_date"] for s in sessions.open_sessions(NOW + timedelta(days=4))] == ["2026-12-11"]


def test_a_reschedule_tells_everyone_booked_once_and_logs_it_on_each_request(twins: Twins) -> None:
    session_id = _session()["session_id"]
    first = _booked(twins, session_id, "dinas-a", "ani", "budi")
    second = _booked(twins, session_id, "dinas-b", "citra")
    twins.mailer.sent.clear()
    moved = sessions.reschedule(
        session_id,
        sessions.Reschedule(start_date=date(2026, 12, 9), reason="Aula dipakai rapat pimpinan"),
        user=ORGANISER,
        now=NOW,
    )
    assert (moved["start_date"], moved["end_date"]) == ("2026-12-09", "2026-12-10")
    assert moved["history"][-1]["from"] == ["2026-12-07", "2026-12-08"]
    assert sorted(_recipients(twins), key=len) == [
        {"kontak@dinas-b.go.id", "citra@dinas-b.go.id"},
        {"kontak@dinas-a.go.id", "ani@dinas-a.go.id", "budi@dinas-a.go.id"},
    ]
    for number in (first, second):
        logged = [e for e in twins.requests.load(number).events if e["kind"] == "training_rescheduled"]  # type: ignore[union-attr]
        assert len(logged) == 1 and logged[0]["public"] and "2026-12-09" in logged[0]["text"]


def test_a_cancelled_session_is_told_to_all_and_cannot_be_changed_again(twins: Twins) -> None:
    session_id = _session()["session_id"]
    number = _booked(twins, session_id, "dinas-a", "ani")
    twins.mailer.sent.clear()
    cancelled = sessions.cancel(
        session_id, sessions.Cancel(reason="Narasumber berhalangan"), user=ORGANISER, now=NOW
    )
    assert cancelled["status"] == "cancelled"
    assert _recipients(twins) == [{"kontak@dinas-a.go.id", "ani@dinas-a.go.id"}]
    assert any(e["kind"] == "training_cancelled" for e in twins.requests.load(number).events)  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        sessions.cancel(session_id, sessions.Cancel(reason="Lagi"), user=ORGANISER, now=NOW)
    with pytest.raises(Conflict):
        sessions.reschedule(
            session_id,
            sessions.Reschedule(start_date=date(2026, 12, 9), reason="Coba lagi"),
            user=ORGANISER,
            now=NOW,
        )


def _marks(number: str, *marks: tuple[str, date, bool]) -> sessions.Attendance:
    return sessions.Attendance(
        records=[
            sessions.Mark(number=number, email=email, day=day, present=present)
            for email, day, present in marks
        ]
    )


def test_attendance_on_both_days_makes_a_participant_trained(twins: Twins) -> None:
    session_id = _session()["session_id"]
    number = _booked(twins, session_id, "dinas-a", "ani", "budi")
    ani, budi = "ani@dinas-a.go.id", "budi@dinas-a.go.id"
    first_day = NOW + timedelta(days=4)  # Monday 7 December
    day_one = sessions.record_attendance(
        session_id, _marks(number, (ani, MONDAY, True), (budi, MONDAY, True)), user=ORGANISER, now=first_day
    )
    assert day_one["days"] == ["2026-12-07", "2026-12-08"] and day_one["trained"] == []
    second_day = first_day + timedelta(days=1)
    day_two = sessions.record_attendance(
        session_id,
        _marks(number, ("ANI@dinas-a.go.id", date(2026, 12, 8), True), (budi, date(2026, 12, 8), False)),
        user=ORGANISER,
        now=second_day,
    )
    assert day_two["trained"] == [{"number": number, "email": ani, "name": "ani"}]
    assert sessions.trained_people(session_id) == [{"number": number, "email": ani, "name": "ani"}]


def test_attendance_that_cannot_be_is_refused_whole_naming_each_record(twins: Twins) -> None:
    session_id = _session()["session_id"]
    number = _booked(twins, session_id, "dinas-a", "ani")
    first_day = NOW + timedelta(days=4)
    with pytest.raises(InvalidInput) as refused:
        sessions.record_attendance(
            session_id,
            _marks(
                number,
                ("ani@dinas-a.go.id", date(2026, 12, 8), True),  # tomorrow, seen from Monday
                ("ani@dinas-a.go.id", date(2026, 12, 9), True),  # no day of this session
                ("orang-lain@dinas-a.go.id", MONDAY, True),
            ),
            user=ORGANISER,
            now=first_day,
        )
    assert set(refused.value.fields) == {"records.0.day", "records.1.day", "records.2.email"}
    with pytest.raises(InvalidInput) as unknown:
        sessions.record_attendance(
            session_id,
            _marks("EP-2026-009999", ("ani@dinas-a.go.id", MONDAY, True)),
            user=ORGANISER,
            now=first_day,
        )
    assert set(unknown.value.fields) == {"records.0.number"}
    assert sessions.trained_people(session_id) == []
    booking = twins.sessions.booking(session_id, number)
    assert booking is not None and booking["participants"][0]["attendance"] == {}
