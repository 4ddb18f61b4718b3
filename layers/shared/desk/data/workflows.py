"""Step Functions, as the use cases start workflows: one execution per request, named after it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.data.dynamo import error_code
from desk.workflow_engine import Workflows

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient

# What Step Functions answers for a token nothing waits on any more.
_GONE = ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist")


class StepFunctions:
    def __init__(self, client: SFNClient):
        self.client = client

    def start_once(self, state_machine_arn: str, name: str, execution_input: dict[str, Any]) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.start_execution(
                stateMachineArn=state_machine_arn, name=name, input=json.dumps(execution_input)
            )
        except ClientError as error:
            if error_code(error) != "ExecutionAlreadyExists":
                raise
            return False
        return True

    def hand_over(self, token: str, output: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.send_task_success(taskToken=token, output=output)
        except ClientError as error:
            if error_code(error) not in _GONE:
                raise
            return False
        return True


@runtime.cached
def engine() -> Workflows:
    return StepFunctions(aws.client("stepfunctions"))
