"""The user-ID workflow (statemachines/registration.asl.json): a verifier of the chosen LPSE decides
through the one ask step; on approval the account is provisioned and the applicant told, on rejection
the applicant gets the reason. A provisioning failure is retried with jitter, then the request is
flagged for staff (the approval stays recorded on the task and the request)."""

from __future__ import annotations

from typing import Any

from asl import RETRY, ask

STEPS_FUNCTION = "${RegistrationStepsFunctionArn}"
ASK_FUNCTION = "${AskPersonFunctionArn}"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def _step(action: str, *, next_state: str, result_path: str | None = None, **payload: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {
            "FunctionName": STEPS_FUNCTION,
            "Payload": {"action": action, "number.$": "$.number", **payload},
        },
        "ResultSelector": {"result.$": "$.Payload"},
        "ResultPath": result_path,
        "Retry": [
            *RETRY,
            {
                "ErrorEquals": ["ProvisioningFailed"],
                "IntervalSeconds": 2,
                "MaxAttempts": 3,
                "BackoffRate": 2.0,
                "JitterStrategy": "FULL",
            },
        ],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Flag"}],
        "Next": next_state,
    }
    return state


def definition() -> dict[str, Any]:
    states: dict[str, Any] = {
        "Verification": _step("set_step", step="verification", next_state="VerifyInit"),
        **ask(
            "Verify",
            step="registration:verification",
            unit_path="$.unit",
            working_days_path="$.working_days",
            started_path="$.received_at",
            tz_path="$.tz",
            scopes_path="$.scopes",
            result_path="$.verification",
            next_state="Decided",
            expired_next="Flag",
        ),
        "Decided": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.verification.decision", "StringEquals": "approve", "Next": "Provision"}
            ],
            "Default": "Rejected",
        },
        "Provision": _step("provision", next_state="Approved", result_path="$.provisioned"),
        "Approved": _step(
            "approved",
            account={
                "user_id.$": "$.provisioned.result.user_id",
                "activation_url.$": "$.provisioned.result.activation_url",
            },
            verification={"decided_by.$": "$.verification.decided_by"},
            next_state="Done",
        ),
        "Rejected": _step(
            "rejected",
            verification={"decided_by.$": "$.verification.decided_by", "fields.$": "$.verification.fields"},
            next_state="Done",
        ),
        "Flag": {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {
                "FunctionName": ASK_FUNCTION,
                "Payload": {
                    "action": "flag",
                    "number.$": "$.number",
                    "step": "registration:provisioning",
                    "task_id": "",
                    "flags": 0,
                    "error": {"Error": "the user-ID workflow could not finish"},
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
        "Comment": "User-ID request through the LPSE (built by tools/build_statemachines.py).",
        "StartAt": "Verification",
        "States": states,
    }
