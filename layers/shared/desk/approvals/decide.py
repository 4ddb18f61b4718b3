"""A decision on an ask-a-person task, by signed link or from the staff console: validated against the
step's row of the table, recorded once (a conditional write), then handed to the waiting workflow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desk import clock
from desk.approvals import flow, tasks
from desk.approvals.steps import validate_decision
from desk.data import workflows
from desk.dates import human_datetime
from desk.errors import Conflict, Gone, NotFound
from desk.observability import logger, note_request
from desk.staff import StaffUser


def already(task: dict[str, Any]) -> Conflict:
    when = human_datetime(clock.parse_iso(task["decided_at"]), task.get("tz", "Asia/Jakarta"))
    return Conflict(
        f"Keputusan sudah tercatat oleh {task.get('decided_by')} pada {when}.",
        code="already_decided",
        fields={"decided_by": str(task.get("decided_by")), "decided_at": str(task.get("decided_at"))},
    )


def ensure_open(task: dict[str, Any]) -> None:
    if task["status"] == "decided":
        raise already(task)
    if task["status"] != "open":
        raise Gone("Tugas ini sudah berakhir.", code="task_over")


def may_decide(user: StaffUser, task: dict[str, Any]) -> bool:
    return (
        user.email in task.get("recipients", [])
        or user.email == task.get("person")
        or (task["role"] in user.roles and user.unit == task["unit"])
    )


def _check_against_reference_data(step: str, decision: dict[str, Any]) -> None:
    """What the decision table cannot know by itself (a disposition's Subdits must exist): 400 before
    anything is recorded."""
    if step == "letter:disposition":
        from desk.letters.checks import check_disposition

        check_disposition(decision)


def decide(
    task: dict[str, Any], fields: dict[str, Any], *, by: str, via: str, now: datetime, meta: dict[str, Any]
) -> dict[str, Any]:
    ensure_open(task)
    decision = validate_decision(task["step"], fields)
    _check_against_reference_data(task["step"], decision)
    # Past the deadline: in real time, or as the step's own timer saw it (it escalated at the deadline).
    late = bool(task.get("escalated")) or now > clock.parse_iso(task["due_at"])
    recorded = {
        "decision": decision["decision"],
        "fields": decision,
        "decided_by": by,
        "decided_at": clock.iso(now),
        "late": late,
        "decided_via": via,
    }
    if not tasks.record_decision(task["task_id"], recorded):
        raise already(tasks.require(task["task_id"]))
    note_request(task["number"])
    logger().info(
        "task decided",
        extra={
            "task_id": task["task_id"],
            "step": task["step"],
            "decision": decision["decision"],
            "via": via,
        },
    )
    tasks.audit(
        task["number"],
        "task_decided",
        now,
        task_id=task["task_id"],
        step=task["step"],
        by=by,
        via=via,
        decision=decision["decision"],
        late=late,
        **meta,
    )
    # The token as it is now: a new ask may have stored one since the task was read. (If it stores one
    # after this, its conditional write fails and it hands the recorded decision over itself.)
    token = tasks.require(task["task_id"]).get("token")
    if token:
        # Between two asks no token waits: then the next ask hands the recorded decision over.
        workflows.engine().hand_over(token, flow.decision_output({**task, **recorded}))
    return {**recorded, "task_id": task["task_id"], "number": task["number"], "step": task["step"]}


def decider_task(task_id: str, user: StaffUser) -> dict[str, Any]:
    """The task, if ``user`` may decide it; someone else's answers as a missing one (404), so a task id
    tells nobody else that it exists."""
    task = tasks.require(task_id)
    if not may_decide(user, task):
        raise NotFound("Tugas tidak ditemukan.", code="task_not_found")
    return task


def decide_as_staff(
    task_id: str, fields: dict[str, Any], *, user: StaffUser, now: datetime
) -> dict[str, Any]:
    task = decider_task(task_id, user)
    return decide(task, fields, by=user.email, via="console", now=now, meta={})


def staff_tasks(user: StaffUser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for role in sorted(user.roles):
        for task in tasks.open_for(role, user.unit, user.email):
            if task["task_id"] not in {t["task_id"] for t in found} and may_decide(user, task):
                found.append(task)
    return [
        {
            k: task.get(k)
            for k in (
                "task_id",
                "number",
                "step",
                "role",
                "unit",
                "subject",
                "due_at",
                "status",
                "reminded",
                "escalated",
                "tz",  # the zone its deadline is shown in (the LPSE's, for a verifier)
            )
        }
        for task in found
    ]
