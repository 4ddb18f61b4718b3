"""Building blocks of the desk's state machines, kept in one place.

``ask(...)`` expands to the states of the one "ask a person" step every workflow uses (see
statemachines/README.md). ``tools/build_statemachines.py`` writes the workflows' ASL files from these
blocks; a unit test keeps the committed files equal to what the blocks produce.
"""

from __future__ import annotations

from typing import Any

ASK_FUNCTION = "${AskPersonFunctionArn}"

# Lambda's transient failures and the function's own errors: retried with full jitter, then caught.
RETRY = [
    {
        "ErrorEquals": [
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException",
        ],
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2.0,
        "JitterStrategy": "FULL",
    },
    {
        "ErrorEquals": ["States.TaskFailed"],
        "IntervalSeconds": 1,
        "MaxAttempts": 2,
        "BackoffRate": 2.0,
        "JitterStrategy": "FULL",
    },
]
MAX_FLAGS = 3


def _invoke(
    payload: dict[str, Any],
    *,
    selector: dict[str, str],
    result_path: str,
    next_state: str,
    catch_next: str,
    catch_path: str,
) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": ASK_FUNCTION, "Payload": payload},
        "ResultSelector": selector,
        "ResultPath": result_path,
        "Retry": RETRY,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": catch_path, "Next": catch_next}],
        "Next": next_state,
    }


def ask(
    prefix: str,
    *,
    step: str,
    result_path: str,
    next_state: str,
    expired_next: str,
    unit: str | None = None,
    unit_path: str | None = None,
    working_days: int | None = None,
    working_days_path: str | None = None,
    started_path: str | None = None,
    tz_path: str | None = None,
    scopes_path: str | None = None,
    number_path: str = "$.number",
    subject_path: str = "$.subject",
) -> dict[str, dict[str, Any]]:
    """The states of one ask; enter at ``<prefix>Init``, leave to ``next_state`` with the decision at
    ``result_path`` (``{decision, fields, decided_by, decided_at, late}``), or to ``expired_next``."""
    state = f"$.asks.{prefix}"
    definition: dict[str, Any] = {
        "step": step,
        "number.$": number_path,
        "subject.$": subject_path,
        "execution.$": "$$.Execution.Name",
    }
    definition |= {"unit.$": unit_path} if unit_path else {"unit": unit}
    definition |= (
        {"working_days.$": working_days_path} if working_days_path else {"working_days": working_days}
    )
    if started_path:
        definition["started_at.$"] = started_path
    if tz_path:  # an LPSE's deadlines are in its own zone, with its province's and its own days off
        definition["tz.$"] = tz_path
    if scopes_path:
        definition["scopes.$"] = scopes_path
    states: dict[str, dict[str, Any]] = {
        f"{prefix}Init": {
            "Type": "Pass",
            "Result": {"task_id": "", "mail": True, "flags": 0},
            "ResultPath": state,
            "Next": f"{prefix}Plan",
        },
        f"{prefix}Plan": _invoke(
            {
                "action": "plan",
                "task_id.$": f"{state}.task_id",
                "mail.$": f"{state}.mail",
                "flags.$": f"{state}.flags",
                # This entry into the state: the same for every retry of it (the task opens once).
                "opened.$": "$$.State.EnteredTime",
                "state.$": "$$.State.Name",
                "ask": definition,
            },
            selector={
                "task_id.$": "$.Payload.task_id",
                "seconds.$": "$.Payload.seconds",
                "mail.$": "$.Payload.mail",
                "checkpoint.$": "$.Payload.checkpoint",
                "flags.$": "$.Payload.flags",
            },
            result_path=state,
            next_state=f"{prefix}Wait",
            catch_next=f"{prefix}Flag",
            catch_path=f"{state}.error",
        ),
        f"{prefix}Wait": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": ASK_FUNCTION,
                "Payload": {
                    "action": "hold",
                    "task_id.$": f"{state}.task_id",
                    "token.$": "$$.Task.Token",
                    "mail.$": f"{state}.mail",
                },
            },
            "TimeoutSecondsPath": f"{state}.seconds",
            "ResultPath": result_path,
            "Retry": RETRY,
            "Catch": [
                {
                    "ErrorEquals": ["States.Timeout"],
                    "ResultPath": f"{state}.timeout",
                    "Next": f"{prefix}Checkpoint",
                },
                {"ErrorEquals": ["States.ALL"], "ResultPath": f"{state}.error", "Next": f"{prefix}Flag"},
            ],
            "Next": next_state,
        },
        f"{prefix}Checkpoint": _invoke(
            {"action": "checkpoint", "task_id.$": f"{state}.task_id"},
            selector={"expired.$": "$.Payload.expired"},
            result_path=f"{state}.checkpoint_result",
            next_state=f"{prefix}Expired",
            catch_next=f"{prefix}Flag",
            catch_path=f"{state}.error",
        ),
        f"{prefix}Expired": {
            "Type": "Choice",
            "Choices": [
                {
                    "Variable": f"{state}.checkpoint_result.expired",
                    "BooleanEquals": True,
                    "Next": expired_next,
                }
            ],
            "Default": f"{prefix}Plan",
        },
        # After a failure the step goes on without mail (staff decide from their task list); a step that
        # keeps failing stops the workflow rather than looping.
        f"{prefix}Flag": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {
                "FunctionName": ASK_FUNCTION,
                "Payload": {
                    "action": "flag",
                    "number.$": number_path,
                    "step": step,
                    "task_id.$": f"{state}.task_id",
                    "flags.$": f"{state}.flags",
                    "error.$": f"{state}.error",
                },
            },
            "ResultSelector": {
                "task_id.$": "$.Payload.task_id",
                "mail.$": "$.Payload.mail",
                "flags.$": "$.Payload.flags",
            },
            "ResultPath": state,
            "Retry": RETRY,
            # A flag that cannot be written ends the execution as failed: the failed-executions alarm
            # tells the operators, as no one on the desk can be.
            "Catch": [
                {"ErrorEquals": ["States.ALL"], "ResultPath": f"{state}.error", "Next": f"{prefix}Stuck"}
            ],
            "Next": f"{prefix}TooManyFlags",
        },
        f"{prefix}TooManyFlags": {
            "Type": "Choice",
            "Choices": [
                {"Variable": f"{state}.flags", "NumericGreaterThan": MAX_FLAGS, "Next": f"{prefix}Stuck"}
            ],
            "Default": f"{prefix}Plan",
        },
        f"{prefix}Stuck": {"Type": "Fail", "Error": "AskStuck", "Cause": f"{step} kept failing"},
    }
    return states


def single_ask_machine(prefix: str, *, step: str, unit: str, working_days: int, ask_function_arn: str) -> str:
    """A state machine that is one ask and nothing else (tests and the bench run the step with it)."""
    import json

    states = ask(
        prefix,
        step=step,
        unit=unit,
        working_days=working_days,
        result_path="$.decision",
        next_state="Done",
        expired_next="Done",
    )
    definition = {"StartAt": f"{prefix}Init", "States": {**states, "Done": {"Type": "Succeed"}}}
    return json.dumps(definition).replace(ASK_FUNCTION, ask_function_arn)


def steps_task(
    function: str,
    action: str,
    *,
    next_state: str,
    result_path: str | None = None,
    refused: tuple[str, str] | None = None,
    **payload: Any,
) -> dict[str, Any]:
    """A workflow's own Lambda task: retried with jitter, and on giving up sent to its ``Flag`` state.
    ``refused`` is (error name, next state) for a refusal that is not retried but handled."""
    retry: list[dict[str, Any]] = list(RETRY)
    catch: list[dict[str, Any]] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Flag"}]
    if refused:
        error, refused_next = refused
        retry.insert(0, {"ErrorEquals": [error], "MaxAttempts": 0})
        catch.insert(0, {"ErrorEquals": [error], "ResultPath": "$.failure", "Next": refused_next})
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {
            "FunctionName": function,
            "Payload": {"action": action, "number.$": "$.number", **payload},
        },
        "ResultSelector": {"result.$": "$.Payload"},
        "ResultPath": result_path,
        "Retry": retry,
        "Catch": catch,
        "Next": next_state,
    }


def flag_and_finish(step: str, reason: str) -> dict[str, dict[str, Any]]:
    """The end states of a workflow: ``Flag`` (the request flagged for staff; a recorded decision stays),
    ``NeedsAttention`` after it, and ``Done``."""
    return {
        "Flag": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {
                "FunctionName": ASK_FUNCTION,
                "Payload": {
                    "action": "flag",
                    "number.$": "$.number",
                    "step": step,
                    "task_id": "",
                    "flags": 0,
                    "error": {"Error": reason},
                },
            },
            "ResultPath": None,
            "Retry": RETRY,
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.trouble", "Next": "Unflagged"}],
            "Next": "NeedsAttention",
        },
        "NeedsAttention": {"Type": "Succeed", "Comment": "Flagged for staff; the decision stays recorded."},
        # The request could not even be flagged: a failed execution, which the operators' alarm reports.
        "Unflagged": {"Type": "Fail", "Error": "NotFlagged", "Cause": f"{step}: {reason}; flag not written"},
        "Done": {"Type": "Succeed"},
    }
