"""The request's rules: status transitions of the contract, and the SLA clock replayed from its log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk import clock
from desk.calendar import Override, WorkingCalendar
from desk.errors import Conflict, InvalidInput
from desk.requests import lifecycle, sla

CAL = WorkingCalendar.from_official()


def _request(status: str, **extra: Any) -> dict[str, Any]:
    return {"number": "EP-2026-000001", "status": status, "type": "complaint", **extra}


@pytest.mark.parametrize(
    ("status", "action", "kwargs", "expected"),
    [
        ("submitted", "assign", {"assignee": "a@x.id"}, "in_progress"),
        ("in_progress", "hold", {"reason": "Mohon kirim SK"}, "waiting_requester"),
        ("waiting_requester", "resume", {}, "in_progress"),
        (
            "in_progress",
            "forward",
            {"reason": "Bukan wewenang", "forward_to": "LPSE Kab. Bogor"},
            "forwarded",
        ),
        ("in_progress", "resolve", {"reason": "Dijawab lewat telepon"}, "answered"),
        ("answered", "close", {}, "closed"),
        ("in_progress", "close", {"reason": "Duplikat"}, "closed"),
        ("submitted", "reject", {"reason": "Spam"}, "rejected"),
        ("in_progress", "extend", {"reason": "Menunggu data LPSE", "working_days": 3}, "in_progress"),
    ],
)
def test_legal_moves(status: str, action: str, kwargs: dict[str, Any], expected: str) -> None:
    change = lifecycle.apply_action(_request(status), action, actor="staff@x.id", **kwargs)
    assert change.status == expected
    assert change.events and change.events[0]["kind"]


@pytest.mark.parametrize("status", ["closed", "rejected", "forwarded"])
@pytest.mark.parametrize("action", ["assign", "hold", "resume", "resolve", "close", "reject", "extend"])
def test_final_statuses_do_not_move(status: str, action: str) -> None:
    with pytest.raises(Conflict):
        lifecycle.apply_action(
            _request(status), action, actor="s", reason="x", assignee="a@x.id", working_days=1
        )


@pytest.mark.parametrize(
    ("status", "action", "kwargs", "error"),
    [
        ("answered", "hold", {"reason": "x"}, Conflict),
        ("in_progress", "resume", {}, Conflict),
        ("in_progress", "close", {}, InvalidInput),  # closing without an answer needs a reason
        ("in_progress", "resolve", {}, InvalidInput),  # nothing was answered yet
        ("in_progress", "hold", {}, InvalidInput),
        ("in_progress", "extend", {"reason": "x", "working_days": 31}, InvalidInput),
        ("in_progress", "verify", {}, Conflict),  # only payment proofs
        ("in_progress", "dance", {}, InvalidInput),
    ],
)
def test_illegal_moves_say_why(
    status: str, action: str, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        lifecycle.apply_action(_request(status), action, actor="s", **kwargs)


def test_a_reply_can_answer_and_a_requester_message_reopens() -> None:
    change = lifecycle.staff_reply(
        _request("in_progress"), text="Sudah kami buka.", internal=False, actor="s", set_status="answered"
    )
    assert change.status == "answered" and [e["kind"] for e in change.events] == ["replied", "answered"]
    reopened = lifecycle.requester_message(_request("answered"), text="Masih gagal.", working_days=5)
    assert reopened.status == "in_progress" and reopened.events[-1]["kind"] == "reopened"
    resumed = lifecycle.requester_message(_request("waiting_requester"), text="Ini SK-nya.", working_days=5)
    assert resumed.status == "in_progress" and resumed.events[-1]["kind"] == "resumed"
    with pytest.raises(Conflict):
        lifecycle.staff_reply(_request("closed"), text="x", internal=False, actor="s", set_status=None)


def _event(kind: str, at: datetime, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "at": clock.iso(at), "data": data}


WIB = timedelta(hours=7)


def _wib(*args: int) -> datetime:
    return (datetime(*args) - WIB).replace(tzinfo=UTC)  # type: ignore[misc]


def test_due_instant_pause_and_extension() -> None:
    created = _event("created", _wib(2026, 3, 17, 10), working_days=10, tz="Asia/Jakarta")
    base = sla.replay([created], CAL)
    assert base is not None and clock.iso(base.due_at) == "2026-04-08T16:59:59Z"
    # paused Thu 2 Apr 09:00 -> resumed Tue 7 Apr 09:00: Fri 3 Apr is a holiday, so 2 working days paused
    paused = [created, _event("held", _wib(2026, 4, 2, 9)), _event("resumed", _wib(2026, 4, 7, 9))]
    moved = sla.replay(paused, CAL)
    assert moved is not None and clock.iso(moved.due_at) == "2026-04-10T16:59:59Z"
    extended = sla.replay([*paused, _event("extended", _wib(2026, 4, 8, 9), working_days=3)], CAL)
    assert extended is not None and clock.iso(extended.due_at) == "2026-04-15T16:59:59Z"


def test_states_through_the_life_of_a_request() -> None:
    created = _event("created", _wib(2026, 3, 2, 9), working_days=5, tz="Asia/Jakarta")
    clock_ = sla.replay([created], CAL)
    due = "2026-03-09T16:59:59Z"
    assert sla.state(clock_, _wib(2026, 3, 3, 9), CAL) == {
        "due_at": due,
        "state": "on_time",
        "working_days_left": 4.62,
        "tz": "Asia/Jakarta",
    }
    assert sla.state(clock_, _wib(2026, 3, 6, 12), CAL)["state"] == "at_risk"  # type: ignore[index]
    assert sla.state(clock_, _wib(2026, 3, 10, 9), CAL)["state"] == "breached"  # type: ignore[index]
    held = sla.replay([created, _event("held", _wib(2026, 3, 4, 9))], CAL)
    assert sla.state(held, _wib(2026, 3, 20, 9), CAL)["state"] == "paused"  # type: ignore[index]
    met = sla.replay([created, _event("answered", _wib(2026, 3, 5, 9))], CAL)
    missed = sla.replay([created, _event("answered", _wib(2026, 3, 10, 9))], CAL)
    assert sla.state(met, _wib(2026, 3, 30, 9), CAL)["state"] == "met"  # type: ignore[index]
    assert sla.state(missed, _wib(2026, 3, 30, 9), CAL)["state"] == "missed"  # type: ignore[index]


def test_a_calendar_change_moves_the_replayed_deadline() -> None:
    created = _event("created", _wib(2026, 6, 1, 9), working_days=2, tz="Asia/Jakarta")
    before = sla.replay([created], CAL)
    changed = WorkingCalendar.from_official(
        overrides=[
            Override(
                date=datetime(2026, 6, 2).date(),
                working=False,
                scope="national",
                reason="contoh",
                reference="",
            )
        ],
        version=7,
    )
    after = sla.replay([created], changed)
    assert before is not None and after is not None
    assert after.due_at - before.due_at == timedelta(days=1)
    assert after.calendar_version == 7


def test_the_snapshot_round_trips() -> None:
    events = [
        _event("created", _wib(2026, 3, 2, 9), working_days=5, tz="Asia/Makassar", scopes=["Bali"]),
        _event("held", _wib(2026, 3, 3, 9)),
    ]
    replayed = sla.replay(events, CAL)
    assert replayed is not None
    assert sla.from_snapshot(replayed.snapshot()) == replayed


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2026, 6, 30), timezones=st.just(UTC)
    ),
    days=st.integers(min_value=1, max_value=20),
    pause_hours=st.integers(min_value=1, max_value=24 * 20),
    offset_hours=st.integers(min_value=0, max_value=24 * 5),
)
def test_a_pause_never_shortens_and_the_paused_working_time_is_returned(
    start: datetime, days: int, pause_hours: int, offset_hours: int
) -> None:
    start = start.replace(microsecond=0)  # the log keeps whole seconds
    created = _event("created", start, working_days=days, tz="Asia/Jakarta")
    held_at = start + timedelta(hours=offset_hours)
    resumed_at = held_at + timedelta(hours=pause_hours)
    base = sla.replay([created], CAL)
    paused = sla.replay([created, _event("held", held_at), _event("resumed", resumed_at)], CAL)
    assert base is not None and paused is not None
    spent = CAL.scoped().working_time_between(held_at, resumed_at, "Asia/Jakarta")
    assert CAL.scoped().working_time_between(base.due_at, paused.due_at, "Asia/Jakarta") == spent
    assert paused.due_at >= base.due_at


def test_every_validation_phrase_has_its_english() -> None:
    from desk import validation

    assert set(validation._PHRASES) == set(validation._PHRASES_EN)
    problem = {
        "type": "less_than_equal",
        "ctx": {"le": 60},
        "msg": "Input should be less than or equal to 60",
    }
    assert validation.field_problem(problem) == "maksimal 60"
    assert validation.field_problem(problem, "en") == "at most 60"
    own = {"type": "value_error", "msg": "Value error, bukan alamat email yang sah"}
    assert validation.field_problem(own) == "bukan alamat email yang sah"
    assert validation.field_problem(own, "en") == "not a valid email address"  # from desk.phrases
    rule = {"type": "value_error", "msg": "Value error, subdits: pilih minimal satu Subdit"}
    assert validation.field_problem(rule, "en") == "subdits: choose at least one Subdit"
    unknown = {"type": "value_error", "msg": "Value error, kalimat yang belum diterjemahkan"}
    assert validation.field_problem(unknown, "en") == "kalimat yang belum diterjemahkan"
