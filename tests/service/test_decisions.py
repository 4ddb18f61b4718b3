"""Decisions on ask-a-person tasks against the in-memory task twin: recorded once, late when past the
deadline, refused with a reason named, listed for whom they ask; ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from twins import InMemoryTasks, open_task

from desk.approvals import decide, tasks
from desk.errors import Conflict, InvalidInput
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB; the task is due on Monday 7 December, 23:59:59 WITA.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
DUE = "2026-12-07T15:59:59Z"
VERIFIER = StaffUser("verifier-bali", "verifier-bali@lkpp.go.id", frozenset({"lpse_verifier"}), "lpse-bali")


@pytest.fixture
def twin(monkeypatch: pytest.MonkeyPatch) -> InMemoryTasks:
    store = InMemoryTasks()
    monkeypatch.setattr(tasks, "repository", lambda: store)
    return store


def _open_task(twin: InMemoryTasks, task_id: str = "t-1", **fields: Any) -> dict[str, Any]:
    task = open_task(
        task_id, **{"due_at": DUE, "tz": "Asia/Makassar", "recipients": [VERIFIER.email], **fields}
    )
    twin.create(task)
    return tasks.require(task_id)


def test_a_decision_is_recorded_once_and_the_second_says_who_decided_when(twin: InMemoryTasks) -> None:
    task = _open_task(twin)
    recorded = decide.decide(
        task, {"decision": "approve"}, by=VERIFIER.email, via="console", now=NOW, meta={}
    )
    assert recorded["decision"] == "approve" and recorded["late"] is False
    with pytest.raises(Conflict) as second:
        decide.decide(
            task, {"decision": "reject", "reason": "x"}, by="lain@lkpp.go.id", via="link", now=NOW, meta={}
        )
    assert second.value.code == "already_decided"
    assert "verifier-bali@lkpp.go.id" in str(second.value) and "WITA" in str(second.value)
    assert [a["kind"] for a in twin.audits] == ["task_decided"]


def test_a_refusal_without_its_reason_names_the_field_and_records_nothing(twin: InMemoryTasks) -> None:
    task = _open_task(twin)
    with pytest.raises(InvalidInput) as refused:
        decide.decide(task, {"decision": "reject"}, by=VERIFIER.email, via="console", now=NOW, meta={})
    assert "reason" in (refused.value.fields or {})
    assert tasks.require("t-1")["status"] == "open"


def test_a_decision_after_the_deadline_is_marked_late(twin: InMemoryTasks) -> None:
    task = _open_task(twin)
    after = datetime.fromisoformat(DUE) + timedelta(seconds=1)
    assert decide.decide(task, {"decision": "approve"}, by=VERIFIER.email, via="link", now=after, meta={})[
        "late"
    ]


def test_the_task_list_shows_a_verifier_the_tasks_of_their_lpse_only(twin: InMemoryTasks) -> None:
    _open_task(twin, "t-bali")
    _open_task(twin, "t-dki", unit="lpse-dki", recipients=["verifier-dki@lkpp.go.id"])
    assert [t["task_id"] for t in decide.staff_tasks(VERIFIER)] == ["t-bali"]
    assert decide.staff_tasks(VERIFIER)[0]["tz"] == "Asia/Makassar"
