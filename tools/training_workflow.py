"""The training-request workflow (statemachines/training.asl.json): the organiser (role training, unit
pelatihan) replies through the one ask step within the policy's working days; an acceptance seats the
participants (a session that cannot take them is refused: the reason goes in the log and the organiser is
asked again), then the reply letter is issued and mailed, for an acceptance and a decline alike."""

from __future__ import annotations

from typing import Any

from asl import RETRY, ask

STEPS_FUNCTION = "${TrainingStepsFunctionArn}"
ASK_FUNCTION = "${AskPersonFunctionArn}"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
REFUSED = "SessionRefused"  # desk.training.sessions.SessionRefused: not retried, the organiser decides again


def _step(
    action: str,
    *,
    next_state: str,
    result_path: str | None = None,
    refused_next: str | None = None,
    **payload: Any,
) -> dict[str, Any]:
    retry: list[dict[str, Any]] = list(RETRY)
    catch: list[dict[str, Any]] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Flag"}]
    if refused_next:
        retry.insert(0, {"ErrorEquals": [REFUSED], "MaxAttempts": 0})
        catch.insert(0, {"ErrorEquals": [REFUSED], "ResultPath": "$.failure", "Next": refused_next})
    return {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {
            "FunctionName": STEPS_FUNCTION,
            "Payload": {"action": action, "number.$": "$.number", **payload},
        },
        "ResultSelector": {"result.$": "$.Payload"},
        "ResultPath": result_path,
        "Retry": retry,
        "Catch": catch,
        "Next": next_state,
    }


def definition() -> dict[str, Any]:
    decision = {
        "decision.$": "$.reply.decision",
        "fields.$": "$.reply.fields",
        "decided_by.$": "$.reply.decided_by",
    }
    states: dict[str, Any] = {
        "Reply": _step("set_step", step="reply", next_state="ReplyInit"),
        **ask(
            "Reply",
            step="training:reply",
            unit_path="$.unit",
            working_days_path="$.working_days",
            started_path="$.received_at",
            tz_path="$.tz",
            scopes_path="$.scopes",
            result_path="$.reply",
            next_state="Decided",
            expired_next="Flag",
        ),
        "Decided": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.reply.decision", "StringEquals": "accept", "Next": "Book"}],
            "Default": "Declined",
        },
        "Book": _step(
            "book", reply=decision, next_state="Accepted", result_path="$.booking", refused_next="Refused"
        ),
        "Refused": _step("refused", reply=decision, next_state="ReplyInit", **{"failure.$": "$.failure"}),
        "Accepted": _step("reply", reply=decision, next_state="Done", **{"booking.$": "$.booking.result"}),
        "Declined": _step("reply", reply=decision, next_state="Done"),
        "Flag": {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {
                "FunctionName": ASK_FUNCTION,
                "Payload": {
                    "action": "flag",
                    "number.$": "$.number",
                    "step": "training:reply",
                    "task_id": "",
                    "flags": 0,
                    "error": {"Error": "the training workflow could not finish"},
                },
            },
            "ResultPath": None,
            "Retry": RETRY,
            "Next": "NeedsAttention",
        },
        "NeedsAttention": {"Type": "Succeed", "Comment": "Flagged for staff; the decision stays recorded."},
        "Done": {"Type": "Succeed"},
    }
    return {
        "Comment": "Training request: reply, seats, reply letter (built by tools/build_statemachines.py).",
        "StartAt": "Reply",
        "States": states,
    }
