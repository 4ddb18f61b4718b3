"""Ask-a-person tasks in DynamoDB: ``pk=TASK#<id>``, ``sk=TASK``; open tasks are indexed for the staff
task list by role and unit (GSI1 ``TASKS#<role>#<unit>``) and by person (GSI2 ``TASKS#person#<email>``).
The Step Functions token is kept here only, never mailed or shown."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Protocol

from desk import aws, clock, runtime
from desk.data import schema
from desk.errors import Conflict, NotFound


class TaskNotOpen(Exception):
    """The task was decided (or ended) since it was read: a write meant for an open task was refused."""


class TaskRepository(Protocol):
    """What the ask step and the decisions need of task storage; :class:`TaskStore` is DynamoDB's, and
    the tests hold an in-memory twin to the same behaviour suite."""

    def load(self, task_id: str) -> dict[str, Any] | None: ...

    def create(self, task: dict[str, Any]) -> None: ...

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None: ...

    def record_decision(self, task_id: str, decision: dict[str, Any]) -> bool: ...

    def open_for(self, role: str, unit: str, person: str) -> list[dict[str, Any]]: ...

    def audit(self, number: str, kind: str, now: datetime, **data: Any) -> None: ...


def index_keys(task: dict[str, Any]) -> dict[str, str]:
    order = f"{task.get('due_at', '')}#{task['task_id']}"
    keys = {"gsi1pk": schema.tasks_of_role_pk(task["role"], task["unit"]), "gsi1sk": order}
    if task.get("person"):
        keys |= {"gsi2pk": schema.tasks_of_person_pk(task["person"]), "gsi2sk": order}
    return keys


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


class TaskStore(DecidesOnce):
    def __init__(self, table: Any):
        self.table = table

    def load(self, task_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.task(task_id), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def create(self, task: dict[str, Any]) -> None:
        """A new task; an id already taken is refused (ids are random: a clash is a bug, not a race)."""
        from botocore.exceptions import ClientError

        try:
            self.table.put_item(
                Item={**schema.task(task["task_id"]), **task, **index_keys(task)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise Conflict("Tugas ini sudah ada.", code="task_exists") from error
            raise

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None:
        """Set ``values`` (and remove attributes); with ``require_open``, only while the task is open,
        else :class:`TaskNotOpen`."""
        from botocore.exceptions import ClientError

        names = {f"#n{i}": name for i, name in enumerate(values)}
        expression = "SET " + ", ".join(f"#n{i} = :v{i}" for i in range(len(values)))
        if remove:
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove)))
            names |= {f"#r{i}": name for i, name in enumerate(remove)}
        arguments: dict[str, Any] = {
            "Key": schema.task(task_id),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {f":v{i}": v for i, v in enumerate(values.values())},
        }
        if require_open:
            arguments["ConditionExpression"] = "#status_ = :open"
            arguments["ExpressionAttributeNames"]["#status_"] = "status"
            arguments["ExpressionAttributeValues"][":open"] = "open"
        try:
            self.table.update_item(**arguments)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise TaskNotOpen(task_id) from error
            raise

    def open_for(self, role: str, unit: str, person: str) -> list[dict[str, Any]]:
        """Open tasks of a role in a unit, and those asking one person; soonest deadline first."""
        found: dict[str, dict[str, Any]] = {}
        partitions = (
            ("gsi1", schema.tasks_of_role_pk(role, unit)),
            ("gsi2", schema.tasks_of_person_pk(person)),
        )
        for index, partition in partitions:
            answer = self.table.query(
                IndexName=index,
                KeyConditionExpression=f"{index}pk = :pk",
                ExpressionAttributeValues={":pk": partition},
            )
            for item in answer.get("Items", []):
                found[item["task_id"]] = item
        return sorted(found.values(), key=lambda t: t.get("due_at", ""))

    def audit(self, number: str, kind: str, now: datetime, **data: Any) -> None:
        """An entry in the request's audit trail (its own item: no contention with the request's log)."""
        self.table.put_item(
            Item={
                **schema.request_audit(number, clock.iso(now), secrets.token_hex(4)),
                "at": clock.iso(now),
                "kind": kind,
                "data": {k: v for k, v in data.items() if v is not None},
            }
        )


@runtime.cached
def repository() -> TaskRepository:
    return TaskStore(aws.table())


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
