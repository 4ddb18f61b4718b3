"""Step Functions, as the use cases start workflows: one execution per request, named after it."""

from __future__ import annotations

import json
from typing import Any

from desk import aws


def start_once(state_machine_arn: str, name: str, execution_input: dict[str, Any]) -> bool:
    """Start the execution called ``name``; False when it is already there (running or ended), which a
    repeated start leaves as it is (Step Functions keeps names unique for 90 days)."""
    from botocore.exceptions import ClientError

    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn, name=name, input=json.dumps(execution_input)
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
            raise
        return False
    return True
