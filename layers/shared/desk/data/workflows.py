"""Step Functions, as the use cases start workflows: one execution per request, named after it."""

from __future__ import annotations

import json
from typing import Any

from desk import aws
from desk.data.dynamo import error_code


def start_once(state_machine_arn: str, name: str, execution_input: dict[str, Any]) -> bool:
    """Start the execution called ``name``; False when it is already there (running or ended), which a
    repeated start leaves as it is (Step Functions keeps names unique for 90 days)."""
    from botocore.exceptions import ClientError

    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn, name=name, input=json.dumps(execution_input)
        )
    except ClientError as error:
        if error_code(error) != "ExecutionAlreadyExists":
            raise
        return False
    return True


def hand_over(token: str, output: str) -> bool:
    """Give the step waiting on ``token`` its result. False when nothing waits on it any more (it timed
    out, was answered, or its execution ended): the next ask of that step hands the recorded result
    over instead."""
    from botocore.exceptions import ClientError

    try:
        aws.client("stepfunctions").send_task_success(taskToken=token, output=output)
    except ClientError as error:
        if error_code(error) not in (
            "TaskTimedOut",
            "InvalidToken",
            "TaskDoesNotExist",
        ):
            raise
        return False
    return True
