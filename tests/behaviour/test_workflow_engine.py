"""One behaviour suite for the workflow engine, against Step Functions (moto's interpreter) and the
in-memory twin: a start names its execution, and a result for a step nothing waits on is declined.

moto lets a second execution take a used name, where Step Functions refuses it
(``ExecutionAlreadyExists``) for 90 days: the twin keeps to Step Functions, and that case is held here on
the twin and the adapter's reading of the refusal, not on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from twins import InMemoryWorkflows

from desk.data.workflows import StepFunctions
from desk.workflow_engine import Workflows

PASS = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


@pytest.fixture
def moto_machine(moto_aws: None) -> tuple[Any, str]:
    import boto3

    client = boto3.client("stepfunctions", region_name="ap-southeast-3")
    arn = client.create_state_machine(
        name="behaviour", definition=json.dumps(PASS), roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    return client, arn


@pytest.fixture(params=["stepfunctions", "twin"])
def engine(request: pytest.FixtureRequest) -> tuple[Workflows, str, Any]:
    if request.param == "twin":
        twin = InMemoryWorkflows()
        return twin, "arn:aws:states:ap-southeast-3:123456789012:stateMachine:behaviour", twin
    client, arn = request.getfixturevalue("moto_machine")
    return StepFunctions(client), arn, client


def _started(engine: Workflows, probe: Any, arn: str) -> dict[str, dict[str, Any]]:
    if isinstance(engine, InMemoryWorkflows):
        return {name: given for name, (_, given) in engine.executions.items()}
    listed = probe.list_executions(stateMachineArn=arn)["executions"]
    return {
        e["name"]: json.loads(probe.describe_execution(executionArn=e["executionArn"])["input"])
        for e in listed
    }


def test_a_start_names_its_execution_after_the_request(engine: tuple[Workflows, str, Any]) -> None:
    workflows, arn, probe = engine
    assert workflows.start_once(arn, "EP-2026-000001", {"number": "EP-2026-000001", "type": "registration"})
    assert _started(workflows, probe, arn) == {
        "EP-2026-000001": {"number": "EP-2026-000001", "type": "registration"}
    }


def test_a_result_for_a_step_nothing_waits_on_is_declined(engine: tuple[Workflows, str, Any]) -> None:
    workflows, _, _ = engine
    assert workflows.hand_over("no-step-waits-on-this", json.dumps({"decision": "approve"})) is False


def test_a_used_name_is_not_started_again() -> None:
    twin = InMemoryWorkflows()
    assert twin.start_once("arn", "EP-2026-000001", {"a": 1})
    assert not twin.start_once("arn", "EP-2026-000001", {"a": 2})
    assert twin.executions["EP-2026-000001"][1] == {"a": 1}


def test_the_adapter_reads_step_functions_refusal_of_a_used_name_as_already_started() -> None:
    from botocore.exceptions import ClientError

    class Refusing:
        def start_execution(self, **_: Any) -> None:
            raise ClientError({"Error": {"Code": "ExecutionAlreadyExists", "Message": "x"}}, "StartExecution")

    assert StepFunctions(Refusing()).start_once("arn", "EP-2026-000001", {}) is False  # type: ignore[arg-type]
