"""Booking a training request's participants into a session, against the in-memory twin of the sessions'
repository: the last seats go to one request, the other is refused with the reason, a retry of the
winner finds its booking; ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from twins import InMemorySessions

from desk.training import sessions

# Thursday 3 December 2026, 09:00 WIB; the session starts on Monday 14 December.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def twin(monkeypatch: pytest.MonkeyPatch) -> InMemorySessions:
    store = InMemorySessions()
    monkeypatch.setattr(sessions, "store", lambda: store)
    store.create(
        {
            "session_id": "TRN-1",
            "start_date": "2026-12-14",
            "end_date": "2026-12-15",
            "place": "Aula LKPP",
            "capacity": 3,
            "fee": 0,
            "booked": 1,
            "status": "scheduled",
            "version": 1,
            "history": [],
        }
    )
    return store


def _people(number: str, count: int) -> dict[str, Any]:
    return {
        "institution": f"Dinas {number}",
        "participants": [
            {"name": f"Peserta {i}", "email": f"p{i}@{number.lower()}.go.id"} for i in range(count)
        ],
    }


def test_the_last_seats_go_to_one_request_and_the_other_hears_why(twin: InMemorySessions) -> None:
    booked = sessions.book({"session_id": "TRN-1"}, "EP-2026-000001", _people("A", 2), by="org", now=NOW)
    assert booked["seats_left"] == 0
    with pytest.raises(sessions.SessionRefused) as refused:
        sessions.book({"session_id": "TRN-1"}, "EP-2026-000002", _people("B", 1), by="org", now=NOW)
    assert "sisa kursi sesi TRN-1 0, diperlukan 1" in str(refused.value)
    assert [b["number"] for b in twin.bookings("TRN-1")] == ["EP-2026-000001"]


def test_a_retry_of_a_booking_finds_it_and_takes_no_second_seat(twin: InMemorySessions) -> None:
    first = sessions.book({"session_id": "TRN-1"}, "EP-2026-000001", _people("A", 1), by="org", now=NOW)
    again = sessions.book({"session_id": "TRN-1"}, "EP-2026-000001", _people("A", 1), by="org", now=NOW)
    assert first == again and again["seats_left"] == 1


def test_a_cancelled_or_unknown_session_is_refused(twin: InMemorySessions) -> None:
    twin.change("TRN-1", {"status": "cancelled"}, {"kind": "cancelled"}, 1)
    with pytest.raises(sessions.SessionRefused, match="dibatalkan"):
        sessions.book({"session_id": "TRN-1"}, "EP-2026-000001", _people("A", 1), by="org", now=NOW)
    with pytest.raises(sessions.SessionRefused, match="tidak ada"):
        sessions.book({"session_id": "TRN-9"}, "EP-2026-000001", _people("A", 1), by="org", now=NOW)
