"""The user-ID workflow (statemachines/registration.asl.json): a verifier of the chosen LPSE decides
through the one ask step; on approval the account is provisioned and the applicant told, on rejection
the applicant gets the reason. A provisioning failure is retried with jitter, then the request is
flagged for staff (the approval stays recorded on the task and the request)."""

from __future__ import annotations

from typing import Any

from asl import ask, flag_and_finish, steps_task

STEPS_FUNCTION = "${RegistrationStepsFunctionArn}"


def _step(action: str, *, next_state: str, result_path: str | None = None, **payload: Any) -> dict[str, Any]:
    return steps_task(STEPS_FUNCTION, action, next_state=next_state, result_path=result_path, **payload)


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
        **flag_and_finish("registration:provisioning", "the user-ID workflow could not finish"),
    }
    return {
        "Comment": "User-ID request through the LPSE (built by tools/build_statemachines.py).",
        "StartAt": "Verification",
        "States": states,
    }
