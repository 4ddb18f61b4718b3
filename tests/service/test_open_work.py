"""Open work against the twins: a unit's queue read page by page, the sweep that moves deadlines when the
calendar changes and counts promises broken since it last ran, and the lock on guessed access codes.
``now`` is given everywhere; no clock is read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from twins.desk import Twins

from desk.calendar import Override, WorkingCalendar
from desk.errors import Forbidden, NotFound, TooManyRequests
from desk.requests import intake, sweep, work
from desk.requests.model import Channel, RequestType
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
THURSDAY = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
AGENT = StaffUser(username="sari", email="sari@lkpp.go.id", roles=frozenset({"agent"}), unit="helpdesk")


def _submit(twins: Twins, subject: str, now: datetime = THURSDAY, **changes: object) -> intake.Receipt:
    fields: dict[str, object] = {
        "type": RequestType.COMPLAINT,
        "channel": Channel.WEB,
        "subject": subject,
        "body": "Tidak bisa masuk.",
        "requester": {"name": "Ani", "email": "ani@pemda.go.id"},
        "working_days": 5,
        **changes,
    }
    new = intake.NewRequest(**fields)  # type: ignore[arg-type]
    calendar = WorkingCalendar.from_official()
    return intake.submit(new, now=now, store=twins.requests, calendar=calendar)


def test_a_units_queue_comes_a_page_at_a_time_soonest_deadline_first(
    twins: Twins, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work, "QUEUE_PAGE", 2)
    numbers = [_submit(twins, f"Soal {n}", THURSDAY + timedelta(days=n)).number for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        page = work.queue(user=AGENT, unit=None, assignee_me=False, status=None, cursor=cursor, now=THURSDAY)
        seen += [item["number"] for item in page["items"]]
        assert all(item["sla"]["due_at"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == numbers
    with pytest.raises(Forbidden):
        work.queue(user=AGENT, unit="lpse-bali", assignee_me=False, status=None, cursor=None, now=THURSDAY)


def test_a_calendar_change_moves_an_open_deadline_and_a_closed_request_stays(twins: Twins) -> None:
    moved = _submit(twins, "Terbuka")
    before = twins.requests.load(moved.number).item["sla"]["due_at"]  # type: ignore[union-attr]
    first = sweep.recompute_deadlines(now=THURSDAY)
    assert first["moved"] == [] and first["breached"] == []
    # Friday 4 December becomes a day off: the 5 working days end one working day later.
    twins.calendar.add(
        Override(date(2026, 12, 4), False, "national", "Cuti bersama", "SKB"), actor="admin", now=THURSDAY
    )
    swept = sweep.recompute_deadlines(now=THURSDAY + timedelta(hours=1))
    after = twins.requests.load(moved.number).item["sla"]["due_at"]  # type: ignore[union-attr]
    assert swept["moved"] == [{"number": moved.number, "from": before, "to": after}]
    assert after > before
    again = sweep.recompute_deadlines(now=THURSDAY + timedelta(hours=2))
    assert again["moved"] == []  # recomputed once: its snapshot names the new calendar


def test_a_deadline_passed_since_the_last_sweep_is_counted_once(twins: Twins) -> None:
    late = _submit(twins, "Tenggat", working_days=1)
    due = datetime.fromisoformat(
        twins.requests.load(late.number).item["sla"]["due_at"]  # type: ignore[union-attr]
    )
    assert sweep.recompute_deadlines(now=due - timedelta(minutes=1))["breached"] == []
    assert sweep.recompute_deadlines(now=due + timedelta(minutes=1))["breached"] == [late.number]
    assert sweep.recompute_deadlines(now=due + timedelta(minutes=2))["breached"] == []


def test_wrong_codes_lock_that_client_out_of_that_number_for_a_window(twins: Twins) -> None:
    receipt = _submit(twins, "Status")
    for _ in range(10):
        with pytest.raises(NotFound):
            intake.public_status(
                receipt.number, "salah", store=twins.requests, client="10.0.0.1", now=THURSDAY
            )
    with pytest.raises(TooManyRequests):  # even the right code, from that client
        intake.public_status(
            receipt.number, receipt.access_code, store=twins.requests, client="10.0.0.1", now=THURSDAY
        )
    # Nobody else is locked out of the requester's own request, and the window passes.
    other = intake.public_status(
        receipt.number, receipt.access_code, store=twins.requests, client="10.0.0.2", now=THURSDAY
    )
    assert other["number"] == receipt.number
    later = THURSDAY + timedelta(minutes=31)
    assert intake.public_status(
        receipt.number, receipt.access_code, store=twins.requests, client="10.0.0.1", now=later
    )
