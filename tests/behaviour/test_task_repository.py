"""One behaviour suite for the task repository, against DynamoDB (moto) and the in-memory twin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from twins import InMemoryTasks, open_task

from desk.approvals.tasks import TaskNotOpen, TaskRepository
from desk.data.tasks import TaskStore

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["dynamodb", "twin"])
def tasks(request: pytest.FixtureRequest) -> TaskRepository:
    if request.param == "twin":
        return InMemoryTasks()
    return TaskStore(request.getfixturevalue("moto_table"))


def _task(task_id: str, due_at: str, **fields: Any) -> dict[str, Any]:
    return open_task(task_id, due_at=due_at, **fields)


def test_open_tasks_are_listed_by_role_and_unit_and_by_person_soonest_first(tasks: TaskRepository) -> None:
    tasks.create(_task("t-late", "2026-12-10T15:59:59Z"))
    tasks.create(_task("t-soon", "2026-12-07T15:59:59Z"))
    tasks.create(
        _task("t-mine", "2026-12-08T15:59:59Z", role="secretary", unit="dit", person="sekretaris@lkpp.go.id")
    )
    tasks.create(_task("t-other", "2026-12-01T15:59:59Z", unit="lpse-dki"))
    listed = tasks.open_for("lpse_verifier", "lpse-bali", "sekretaris@lkpp.go.id")
    assert [t["task_id"] for t in listed] == ["t-soon", "t-mine", "t-late"]


def test_a_decision_is_recorded_once_and_the_task_leaves_the_lists(tasks: TaskRepository) -> None:
    tasks.create(_task("t-1", "2026-12-07T15:59:59Z"))
    assert tasks.record_decision("t-1", {"decision": "approve", "decided_by": "a@lkpp.go.id"}) is True
    assert tasks.record_decision("t-1", {"decision": "reject", "decided_by": "b@lkpp.go.id"}) is False
    stored = tasks.load("t-1")
    assert stored is not None and stored["decision"] == "approve" and stored["status"] == "decided"
    assert "gsi1pk" not in stored
    assert tasks.open_for("lpse_verifier", "lpse-bali", "") == []


def test_a_write_meant_for_an_open_task_is_refused_once_it_is_decided(tasks: TaskRepository) -> None:
    tasks.create(_task("t-1", "2026-12-07T15:59:59Z"))
    tasks.update("t-1", {"token": "first"})
    tasks.record_decision("t-1", {"decision": "approve"})
    with pytest.raises(TaskNotOpen):
        tasks.update("t-1", {"token": "second"})
    tasks.update("t-1", {"note": "kept"}, require_open=False)
    stored = tasks.load("t-1")
    assert stored is not None and stored["token"] == "first" and stored["note"] == "kept"


def test_a_task_id_is_taken_once(tasks: TaskRepository) -> None:
    tasks.create(_task("t-1", "2026-12-07T15:59:59Z"))
    with pytest.raises(Exception):  # noqa: B017 - each store says it its way; both refuse
        tasks.create(_task("t-1", "2026-12-08T15:59:59Z"))
    assert tasks.load("t-1")["due_at"] == "2026-12-07T15:59:59Z"  # type: ignore[index]
    assert tasks.load("t-2") is None
