"""Ask-a-person tasks in DynamoDB: ``pk=TASK#<id>``, ``sk=TASK``; open tasks are indexed for the staff
task list by role and unit (GSI1) and by person (GSI2). Keys: ``desk.data.schema``."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from desk import aws, clock, runtime
from desk.approvals.tasks import DecidesOnce, TaskNotOpen, TaskRepository
from desk.data import schema
from desk.data.dynamo import conditional
from desk.errors import Conflict


def index_keys(task: dict[str, Any]) -> dict[str, str]:
    order = f"{task.get('due_at', '')}#{task['task_id']}"
    keys = {"gsi1pk": schema.tasks_of_role_pk(task["role"], task["unit"]), "gsi1sk": order}
    if task.get("person"):
        keys |= {"gsi2pk": schema.tasks_of_person_pk(task["person"]), "gsi2sk": order}
    return keys


class TaskStore(DecidesOnce):
    def __init__(self, table: Any):
        self.table = table

    def load(self, task_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.task(task_id), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def create(self, task: dict[str, Any]) -> None:
        """A new task; an id already taken is refused (ids are random: a clash is a bug, not a race)."""
        stored = conditional(
            lambda: self.table.put_item(
                Item={**schema.task(task["task_id"]), **task, **index_keys(task)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        )
        if stored is None:
            raise Conflict("Tugas ini sudah ada.", code="task_exists")

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None:
        """Set ``values`` (and remove attributes); with ``require_open``, only while the task is open,
        else :class:`TaskNotOpen`."""
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
        if conditional(lambda: self.table.update_item(**arguments)) is None:
            raise TaskNotOpen(task_id)

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
