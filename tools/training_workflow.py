"""The training-request workflow (statemachines/training.asl.json): the organiser (role training, unit
pelatihan) replies through the one ask step within the policy's working days; an acceptance seats the
participants (a session that cannot take them is refused: the reason goes in the log and the organiser is
asked again), then the reply letter is issued and mailed, for an acceptance and a decline alike."""

from __future__ import annotations

from typing import Any

from asl import ask, flag_and_finish, steps_task

STEPS_FUNCTION = "${TrainingStepsFunctionArn}"
REFUSED = "SessionRefused"  # desk.training.sessions.SessionRefused: not retried, the organiser decides again


def _step(action: str, *, next_state: str, result_path: str | None = None, **payload: Any) -> dict[str, Any]:
    return steps_task(STEPS_FUNCTION, action, next_state=next_state, result_path=result_path, **payload)


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
        "Book": steps_task(
            STEPS_FUNCTION,
            "book",
            reply=decision,
            next_state="Accepted",
            result_path="$.booking",
            refused=(REFUSED, "Refused"),
        ),
        "Refused": _step("refused", reply=decision, next_state="ReplyInit", **{"failure.$": "$.failure"}),
        "Accepted": _step("reply", reply=decision, next_state="Done", **{"booking.$": "$.booking.result"}),
        "Declined": _step("reply", reply=decision, next_state="Done"),
        **flag_and_finish("training:reply", "the training workflow could not finish"),
    }
    return {
        "Comment": "Training request: reply, seats, reply letter (built by tools/build_statemachines.py).",
        "StartAt": "Reply",
        "States": states,
    }
