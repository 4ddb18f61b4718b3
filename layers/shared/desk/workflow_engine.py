"""What the use cases need of the workflow engine: start a request's workflow once, and hand a waiting
step its result. Step Functions' is ``desk.data.workflows.StepFunctions``; the tests hold an in-memory
twin to the same behaviour suite."""

from __future__ import annotations

from typing import Any, Protocol


class Workflows(Protocol):
    def start_once(self, state_machine_arn: str, name: str, execution_input: dict[str, Any]) -> bool:
        """Start the execution called ``name``; False when one of that name is already there (running or
        ended), which a repeated start leaves as it is (names stay taken for 90 days)."""
        ...

    def hand_over(self, token: str, output: str) -> bool:
        """Give the step waiting on ``token`` its result. False when nothing waits on it any more (it
        timed out, was answered, or its execution ended): the next ask of that step hands the recorded
        result over instead."""
        ...
