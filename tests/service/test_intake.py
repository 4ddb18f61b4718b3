"""The intake use case against the in-memory twin of the request repository: numbers, deadlines,
repeats and Idempotency-Keys in milliseconds, with ``now`` given (the service tier reads no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from twins import InMemoryRequests

from desk.calendar import WorkingCalendar
from desk.errors import Conflict
from desk.requests import intake
from desk.requests.model import Channel, RequestType

CALENDAR = WorkingCalendar.from_official()
# Thursday 3 December 2026, 09:00 WIB.
THURSDAY = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def _new(subject: str = "Akun terkunci", **changes: object) -> intake.NewRequest:
    fields: dict[str, object] = {
        "type": RequestType.COMPLAINT,
        "channel": Channel.WEB,
        "subject": subject,
        "body": "Tidak bisa masuk sejak pagi.",
        "requester": {"name": "Ani", "email": "ani@pemda.go.id"},
        **changes,
    }
    return intake.NewRequest(**fields)  # type: ignore[arg-type]


def _submit(store: InMemoryRequests, new: intake.NewRequest, now: datetime, *keys: str) -> intake.Receipt:
    return intake.submit(new, now=now, store=store, calendar=CALENDAR, idempotency_keys=keys)


def test_a_request_gets_the_next_number_and_its_deadline_in_working_days() -> None:
    store = InMemoryRequests()
    first = _submit(store, _new(), THURSDAY)
    second = _submit(store, _new("Lain"), THURSDAY)
    assert (first.number, second.number) == ("EP-2026-000001", "EP-2026-000002")
    # 5 working days from Thursday: Fri, Mon, Tue, Wed, Thu -> Thursday 10 December, 23:59:59 WIB.
    assert first.due_at == "2026-12-10T16:59:59Z"
    stored = store.load(first.number)
    assert stored is not None and stored.item["gsi1pk"] == "QUEUE#helpdesk"
    assert [e["kind"] for e in stored.events] == ["created"]


def test_the_same_body_within_ten_minutes_is_the_same_request_and_later_a_new_one() -> None:
    store = InMemoryRequests()
    first = _submit(store, _new(), THURSDAY)
    again = _submit(store, _new(), THURSDAY + timedelta(minutes=9))
    assert again.number == first.number and again.repeated
    later = _submit(store, _new(), THURSDAY + timedelta(minutes=11))
    assert later.number != first.number and not later.repeated


def test_an_idempotency_key_answers_its_first_receipt_and_refuses_another_body() -> None:
    store = InMemoryRequests()
    first = _submit(store, _new(), THURSDAY, "kunci-1")
    retry = _submit(store, _new(), THURSDAY + timedelta(hours=1), "kunci-1")
    assert retry.number == first.number and retry.access_code == first.access_code
    with pytest.raises(Conflict) as refused:
        _submit(store, _new("Isi lain"), THURSDAY + timedelta(hours=1), "kunci-1")
    assert refused.value.code == "idempotency_key_reused"
    after_a_day = _submit(store, _new("Isi lain"), THURSDAY + timedelta(hours=25), "kunci-1")
    assert after_a_day.number != first.number


def test_numbers_follow_the_year_in_wib_and_start_again_at_one() -> None:
    store = InMemoryRequests()
    new_years_eve = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 23:30 WIB
    assert _submit(store, _new(), new_years_eve).number == "EP-2026-000001"
    assert (
        _submit(store, _new("Tahun baru"), new_years_eve + timedelta(minutes=31)).number == "EP-2027-000001"
    )


def test_a_request_without_a_deadline_has_none() -> None:
    store = InMemoryRequests()
    receipt = _submit(store, _new(working_days=None), THURSDAY)
    assert receipt.due_at is None
    assert store.load(receipt.number).item["sla"] is None  # type: ignore[union-attr]
