"""Ask-a-person tasks: what the ask step and the decisions need of their storage (:class:`TaskRepository`,
DynamoDB's in ``desk.data.tasks``). The Step Functions token is kept with the task only, never mailed
or shown."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Protocol

from desk.errors import NotFound


class TaskNotOpen(Exception):
    """The task was decided (or ended) since it was read: a write meant for an open task was refused."""


class TaskRepository(Protocol):
    """What the ask step and the decisions need of task storage; ``desk.data.tasks.TaskStore`` is
    DynamoDB's, and the tests hold an in-memory twin to the same behaviour suite."""

    def load(self, task_id: str) -> dict[str, Any] | None: ...

    def create(self, task: dict[str, Any]) -> None: ...

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None: ...

    def record_decision(self, task_id: str, decision: dict[str, Any]) -> bool: ...

    def open_for(self, role: str, unit: str, person: str) -> list[dict[str, Any]]: ...

    def audit(self, number: str, kind: str, now: datetime, **data: Any) -> None: ...


INDEX_ATTRIBUTES = ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")


class DecidesOnce:
    """What every task repository does the same way on top of its own ``update``."""

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None:
        raise NotImplementedError

    def record_decision(self, task_id: str, decision: dict[str, Any]) -> bool:
        """Once only: open -> decided, leaving the task lists. False when someone decided first (or the
        task ended)."""
        try:
            self.update(task_id, {"status": "decided", **decision}, remove=INDEX_ATTRIBUTES)
        except TaskNotOpen:
            return False
        return True


def repository() -> TaskRepository:
    from desk.data.tasks import repository

    return repository()


def new_task_id() -> str:
    return secrets.token_urlsafe(16)  # 128 bits


def id_for_opening(opening: str) -> str:
    """The id of the task one entry into an ask opens, the same for every retry of that entry: a Lambda
    retry after the task was stored finds it instead of opening a second one. Keyed with the signing
    key, so it is as hard to guess as a random id (128 bits)."""
    import base64
    import hashlib
    import hmac

    from desk.keys import key_ring

    digest = hmac.new(key_ring().current.secret, opening.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def load(task_id: str) -> dict[str, Any] | None:
    return repository().load(task_id)


def require(task_id: str) -> dict[str, Any]:
    task = load(task_id)
    if task is None:
        raise NotFound("Tugas tidak ditemukan.", code="task_not_found")
    return task


def create(task: dict[str, Any]) -> None:
    repository().create(task)


def update(
    task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
) -> None:
    repository().update(task_id, values, require_open=require_open, remove=remove)


def record_decision(task_id: str, decision: dict[str, Any]) -> bool:
    return repository().record_decision(task_id, decision)


def audit(number: str, kind: str, now: datetime, **data: Any) -> None:
    repository().audit(number, kind, now, **data)


def open_for(role: str, unit: str, person: str) -> list[dict[str, Any]]:
    return repository().open_for(role, unit, person)
