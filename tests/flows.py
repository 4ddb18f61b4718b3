"""Helpers for tests that wait on the desk's asynchronous work (workflows, checks, mail)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any


def until(predicate: Any, timeout: float = 30.0, what: str = "") -> Any:
    """The first truthy value ``predicate`` returns, polled every 50 ms; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting {what}".strip())


def history_length(desk: Any, execution_arn: str) -> int:
    """How many events an execution's history holds (Step Functions fails one at 25,000)."""
    sfn = desk.client("stepfunctions")
    count, token = 0, None
    while True:
        page = sfn.get_execution_history(
            executionArn=execution_arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        count += len(page["events"])
        token = page.get("nextToken")
        if not token:
            return count


def reminded_and_escalated(desk: Any, number: str, step: str, timeout: float = 60.0) -> None:
    """Waits until the request's task of ``step`` (e.g. ``letter:disposition``) has been reminded and
    escalated, as its audit trail records (an escalation mails the heads above those asked, if any)."""
    from boto3.dynamodb.conditions import Key

    table = desk.session.resource("dynamodb", region_name=desk.region).Table(desk.ref("DeskTable"))

    def acted() -> bool:
        query = Key("pk").eq(f"REQ#{number}") & Key("sk").begins_with("AUDIT#")
        items = table.query(KeyConditionExpression=query)["Items"]
        opened = {
            i["data"]["task_id"] for i in items if i["kind"] == "task_opened" and i["data"]["step"] == step
        }
        kinds = {i["kind"] for i in items if i["data"].get("task_id") in opened}
        return {"reminded", "escalated"} <= kinds

    until(acted, timeout, what=f"for the reminder and escalation of {step}")


@contextlib.contextmanager
def log_lines(*services: str) -> Iterator[list[dict[str, Any]]]:
    """The JSON lines these functions' loggers write meanwhile (their handlers' stream, swapped)."""
    buffer, lines = io.StringIO(), []
    handlers = [
        h
        for name in services
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler)
    ]
    assert handlers, services
    before = [h.setStream(buffer) for h in handlers]
    try:
        yield lines
    finally:
        for handler, stream in zip(handlers, before, strict=True):
            handler.setStream(stream)
        lines += [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]


def create_ask_machine(desk: Any, name: str, step: str) -> str:
    """A one-step machine that asks the LPSE's verifier (``asl.single_ask_machine``), created in the
    desk's Step Functions with the stack's own ask function; its ARN."""
    from asl import single_ask_machine

    text = single_ask_machine(
        "Verify",
        step=step,
        unit="lpse-dki-jakarta",
        working_days=3,
        ask_function_arn=desk.functions.get("AskPersonFunction").arn,
    )
    created = desk.client("stepfunctions").create_state_machine(
        name=name, definition=text, roleArn=f"arn:aws:iam::123456789012:role/{name}"
    )
    return str(created["stateMachineArn"])
