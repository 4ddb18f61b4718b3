"""The local path for state machines: a Lambda task in-process, a Wait, and a .waitForTaskToken task
whose TimeoutSecondsPath fires States.Timeout before it is asked again and answered."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from desk_local.stack import LocalDesk
from probe import probe_template


@pytest.fixture(scope="module")
def probe() -> Iterator[LocalDesk]:
    with LocalDesk(probe_template(), wait_scale=0) as desk:
        yield desk


def _wait_for(predicate: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def test_callback_timeout_then_answer(probe: LocalDesk) -> None:
    sfn = probe.client("stepfunctions")
    table = probe.client("dynamodb")
    arn = probe.ref("ProbeStateMachine")
    execution = sfn.start_execution(stateMachineArn=arn, name="probe-1", input=json.dumps({"who": "test"}))

    def second_token() -> str | None:
        item = table.get_item(TableName="probe-tokens", Key={"pk": {"S": "second"}}).get("Item")
        return item["token"]["S"] if item else None

    token = _wait_for(second_token)
    sfn.send_task_success(taskToken=token, output=json.dumps({"decision": "approve"}))
    status = _wait_for(
        lambda: (d := sfn.describe_execution(executionArn=execution["executionArn"]))["status"] != "RUNNING"
        and d
    )
    assert status["status"] == "SUCCEEDED", status
    output = json.loads(status["output"])
    assert output["decision"] == {"decision": "approve"}
    assert output["computed"]["probe"] == "echo"
    assert output["timed_out"]["Error"] == "States.Timeout"
    # the Wait took its seconds from the Lambda's answer and was fast-forwarded
    assert 2.0 in probe.waits
    events = sfn.get_execution_history(executionArn=execution["executionArn"])["events"]
    kinds = [e["type"] for e in events]
    assert "WaitStateEntered" in kinds
    assert kinds.count("TaskSubmitted") >= 2
