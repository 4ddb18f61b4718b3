"""Changes to a request written while someone else writes it too (a workflow step recording its mail
while staff reschedule), against the in-memory twin: retried from a fresh read, never lost, never
doubled; ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from twins import InMemoryRequests

from desk.calendar import WorkingCalendar
from desk.errors import Conflict
from desk.requests import intake, work
from desk.requests.lifecycle import Change
from desk.requests.model import Channel, RequestType
from desk.requests.store import StoredRequest

CALENDAR = WorkingCalendar.from_official()
# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> InMemoryRequests:
    monkeypatch.setattr(work, "current_calendar", lambda: CALENDAR)
    monkeypatch.setattr(work.time, "sleep", lambda seconds: None)  # the jitter, not the behaviour
    return InMemoryRequests()


def _request(store: InMemoryRequests) -> str:
    new = intake.NewRequest(
        type=RequestType.TRAINING,
        channel=Channel.WEB,
        subject="Pelatihan e-Purchasing",
        body="Dua puluh peserta.",
        requester={"name": "Ani", "email": "ani@pemda.go.id"},
    )
    return intake.submit(new, now=NOW, store=store, calendar=CALENDAR).number


def _note(kind: str) -> Any:
    def build(stored: StoredRequest) -> tuple[Change, dict[str, Any]]:
        return Change(str(stored.item["status"]), [{"kind": kind, "public": False}]), {"read": stored}

    return build


def test_a_change_that_meets_another_write_is_built_again_from_a_fresh_read(store: InMemoryRequests) -> None:
    number = _request(store)
    reads: list[int] = []

    def build(stored: StoredRequest) -> tuple[Change, dict[str, Any]]:
        reads.append(int(stored.item["version"]))
        if len(reads) == 1:  # staff write the request between this read and its write
            work.apply(number, _note("rescheduled"), actor="training@lkpp.go.id", now=NOW, store=store)
        return Change(str(stored.item["status"]), [{"kind": "mail_sent", "public": False}]), {}

    work.apply(number, build, actor="system", now=NOW, store=store)
    stored = store.load(number)
    assert stored is not None
    assert reads == [1, 2]
    assert [e["kind"] for e in stored.events] == ["created", "rescheduled", "mail_sent"]


def test_nothing_to_write_writes_nothing_and_answers_the_result(store: InMemoryRequests) -> None:
    number = _request(store)
    answer = work.apply(
        number, lambda stored: (None, {"seen": stored.item["number"]}), actor="x", now=NOW, store=store
    )
    assert answer == {"seen": number}
    assert int(store.load(number).item["version"]) == 1  # type: ignore[union-attr]


def test_a_request_written_by_others_every_time_is_refused_after_the_last_attempt(
    store: InMemoryRequests,
) -> None:
    number = _request(store)
    attempts = 0

    def build(stored: StoredRequest) -> tuple[Change, dict[str, Any]]:
        nonlocal attempts
        attempts += 1
        work.apply(number, _note("other"), actor="staff", now=NOW, store=store)
        return Change(str(stored.item["status"]), [{"kind": "mine", "public": False}]), {}

    with pytest.raises(Conflict) as refused:
        work.apply(number, build, actor="system", now=NOW, store=store)
    assert refused.value.code == "edit_conflict"
    assert attempts == work.COMMIT_ATTEMPTS
    kinds = [e["kind"] for e in store.load(number).events]  # type: ignore[union-attr]
    assert "mine" not in kinds and kinds.count("other") == work.COMMIT_ATTEMPTS
