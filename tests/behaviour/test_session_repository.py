"""One behaviour suite for training sessions and bookings, against DynamoDB (moto) and the in-memory
twin: seats are taken with the booking or not at all, and a change needs the version it read."""

from __future__ import annotations

from typing import Any

import pytest
from twins import InMemorySessions

from desk.data.sessions import SessionStore
from desk.errors import Conflict
from desk.training.store import SessionRepository


@pytest.fixture(params=["dynamodb", "twin"])
def sessions(request: pytest.FixtureRequest) -> SessionRepository:
    if request.param == "twin":
        return InMemorySessions()
    return SessionStore(request.getfixturevalue("moto_table"))


def _session(session_id: str = "TRN-1", capacity: int = 3, booked: int = 0) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "start_date": "2026-12-14",
        "capacity": capacity,
        "booked": booked,
        "status": "scheduled",
        "version": 1,
        "history": [],
    }


def _booking(number: str, seats: int, session_id: str = "TRN-1") -> dict[str, Any]:
    people = [{"name": f"P{i}", "email": f"p{i}@{number.lower()}.go.id"} for i in range(seats)]
    return {"number": number, "session_id": session_id, "seats": seats, "participants": people, "version": 1}


def test_seats_are_taken_with_the_booking_or_not_at_all(sessions: SessionRepository) -> None:
    sessions.create(_session(capacity=3))
    assert sessions.take_seats("TRN-1", seats=2, capacity=3, booking=_booking("EP-1", 2))
    assert not sessions.take_seats("TRN-1", seats=2, capacity=3, booking=_booking("EP-2", 2))  # one left
    assert not sessions.take_seats("TRN-1", seats=1, capacity=3, booking=_booking("EP-1", 1))  # booked
    assert sessions.take_seats("TRN-1", seats=1, capacity=3, booking=_booking("EP-3", 1))
    assert sessions.load("TRN-1")["booked"] == 3  # type: ignore[index]
    assert [b["number"] for b in sessions.bookings("TRN-1")] == ["EP-1", "EP-3"]
    assert sessions.booking("TRN-1", "EP-2") is None


def test_seats_are_refused_when_the_capacity_read_is_no_longer_the_sessions(
    sessions: SessionRepository,
) -> None:
    sessions.create(_session(capacity=3))
    assert not sessions.take_seats("TRN-1", seats=1, capacity=4, booking=_booking("EP-1", 1))
    assert sessions.bookings("TRN-1") == []


def test_a_new_session_comes_with_its_first_booking_once(sessions: SessionRepository) -> None:
    assert sessions.create_with_booking(_session("TRN-2", booked=2), _booking("EP-1", 2, "TRN-2"))
    assert not sessions.create_with_booking(_session("TRN-2", booked=2), _booking("EP-9", 2, "TRN-2"))
    assert [s["session_id"] for s in sessions.sessions()] == ["TRN-2"]
    assert [b["number"] for b in sessions.bookings("TRN-2")] == ["EP-1"]


def test_a_change_needs_the_version_it_read_and_keeps_the_history(sessions: SessionRepository) -> None:
    sessions.create(_session())
    changed = sessions.change("TRN-1", {"status": "cancelled"}, {"kind": "cancelled"}, 1)
    assert changed["status"] == "cancelled" and changed["version"] == 2
    assert [e["kind"] for e in changed["history"]] == ["cancelled"]
    with pytest.raises(Conflict):
        sessions.change("TRN-1", {"place": "Aula"}, {"kind": "rescheduled"}, 1)
    assert sessions.load("TRN-1")["version"] == 2  # type: ignore[index]


def test_attendance_needs_the_bookings_version_and_a_reminder_is_marked(sessions: SessionRepository) -> None:
    sessions.create(_session())
    assert sessions.take_seats("TRN-1", seats=1, capacity=3, booking=_booking("EP-1", 1))
    people = [{"name": "P0", "email": "p0@ep-1.go.id", "attendance": {"2026-12-14": True}}]
    sessions.set_participants("TRN-1", "EP-1", people, by="training@lkpp.go.id", version=1)
    with pytest.raises(Conflict):
        sessions.set_participants("TRN-1", "EP-1", people, by="training@lkpp.go.id", version=1)
    sessions.mark_reminded("TRN-1", "EP-1", "2026-12-14")
    booking = sessions.booking("TRN-1", "EP-1")
    assert booking is not None and booking["participants"] == people and booking["version"] == 2
    assert booking["reminded_for"] == "2026-12-14"
