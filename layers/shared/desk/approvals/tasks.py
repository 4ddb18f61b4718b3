"""Ask-a-person tasks in DynamoDB: ``pk=TASK#<id>``, ``sk=TASK``; open tasks are indexed for the staff
task list by role and unit (GSI1 ``TASKS#<role>#<unit>``) and by person (GSI2 ``TASKS#person#<email>``).
The Step Functions token is kept here only, never mailed or shown."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from desk import aws, clock
from desk.data import schema
from desk.errors import NotFound

key = schema.task


def new_task_id() -> str:
    return secrets.token_urlsafe(16)  # 128 bits


def load(task_id: str) -> dict[str, Any] | None:
    item = aws.table().get_item(Key=key(task_id), ConsistentRead=True).get("Item")
    return dict(item) if item else None


def require(task_id: str) -> dict[str, Any]:
    task = load(task_id)
    if task is None:
        raise NotFound("Tugas tidak ditemukan.", code="task_not_found")
    return task


def index_keys(task: dict[str, Any]) -> dict[str, str]:
    order = f"{task.get('due_at', '')}#{task['task_id']}"
    keys = {"gsi1pk": schema.tasks_of_role_pk(task["role"], task["unit"]), "gsi1sk": order}
    if task.get("person"):
        keys |= {"gsi2pk": schema.tasks_of_person_pk(task["person"]), "gsi2sk": order}
    return keys


def create(task: dict[str, Any]) -> None:
    aws.table().put_item(
        Item={**key(task["task_id"]), **task, **index_keys(task)},
        ConditionExpression="attribute_not_exists(pk)",
    )


def update(
    task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
) -> None:
    names = {f"#n{i}": name for i, name in enumerate(values)}
    expression = "SET " + ", ".join(f"#n{i} = :v{i}" for i in range(len(values)))
    if remove:
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove)))
        names |= {f"#r{i}": name for i, name in enumerate(remove)}
    arguments: dict[str, Any] = {
        "Key": key(task_id),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": {f":v{i}": v for i, v in enumerate(values.values())},
    }
    if require_open:
        arguments["ConditionExpression"] = "#status_ = :open"
        arguments["ExpressionAttributeNames"]["#status_"] = "status"
        arguments["ExpressionAttributeValues"][":open"] = "open"
    aws.table().update_item(**arguments)


def record_decision(task_id: str, decision: dict[str, Any]) -> bool:
    """Once only: open -> decided. False when someone decided first (or the task ended)."""
    from botocore.exceptions import ClientError

    try:
        update(task_id, {"status": "decided", **decision}, remove=("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def audit(number: str, kind: str, now: datetime, **data: Any) -> None:
    """An entry in the request's audit trail (its own item: no contention with the request's log)."""
    aws.table().put_item(
        Item={
            **schema.request_audit(number, clock.iso(now), secrets.token_hex(4)),
            "at": clock.iso(now),
            "kind": kind,
            "data": {k: v for k, v in data.items() if v is not None},
        }
    )


def open_for(role: str, unit: str, person: str) -> list[dict[str, Any]]:
    table = aws.table()
    found: dict[str, dict[str, Any]] = {}
    for index, partition in (
        ("gsi1", schema.tasks_of_role_pk(role, unit)),
        ("gsi2", schema.tasks_of_person_pk(person)),
    ):
        answer = table.query(
            IndexName=index,
            KeyConditionExpression=f"{index}pk = :pk",
            ExpressionAttributeValues={":pk": partition},
        )
        for item in answer.get("Items", []):
            found[item["task_id"]] = item
    return sorted(found.values(), key=lambda t: t.get("due_at", ""))
