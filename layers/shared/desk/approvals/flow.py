"""The "ask a person" step as the state machines run it: plan the next checkpoint, wait on a task token
(mailing the signed link once), act at the checkpoint (remind, escalate, expire), and flag the request
for staff when something keeps failing. See statemachines/README.md for the states."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from desk import clock, keys
from desk.approvals import links, plan, tasks
from desk.approvals.steps import step as step_named
from desk.calendar_store import current_calendar
from desk.data import workflows
from desk.data.requests import repository as requests_repository
from desk.dates import human_datetime
from desk.mail import send
from desk.observability import note_request
from desk.settings import get_settings

LINK_WORKING_DAYS = 30  # a link lives while its task is open, at most this long


def _recipients_for(role: str, unit: str, person: str | None) -> list[str]:
    """Who is asked: the named person, else the unit's head, else everyone with the step's role in that
    unit (a desk such as training has no head of its own: its organisers are told)."""
    from desk.admin.units import head_of

    if person:
        return [person]
    head = head_of(unit)
    if head:
        return [head]
    from desk.admin.users import StaffDirectory

    members = StaffDirectory().in_role(role)
    return sorted({m.email for m in members if m.unit == unit and m.enabled and m.email})


def _calendar_for(task: dict[str, Any]) -> Any:
    return current_calendar().scoped(*task.get("scopes", []))


def _deadline(task: dict[str, Any]) -> tuple[datetime, datetime]:
    """(counting from, due) under the current calendar: a calendar change moves them."""
    cal = _calendar_for(task)
    start = clock.parse_iso(task["started_at"])
    if task.get("working_days"):
        return cal.counting_start(start, task["tz"]), cal.add_working_days(
            start, int(task["working_days"]), task["tz"]
        )
    return start, clock.parse_iso(task["due_fixed"])


def _next_checkpoint(task: dict[str, Any]) -> tuple[datetime, plan.Checkpoint]:
    """The task's deadline and next checkpoint under the current calendar (it may have changed)."""
    counting_from, due = _deadline(task)
    checkpoint = plan.next_checkpoint(
        _calendar_for(task),
        counting_from=counting_from,
        due=due,
        link_expires=clock.parse_iso(task["link_expires_at"]),
        reminded=bool(task["reminded"]),
        escalated=bool(task["escalated"]),
        fraction=float(task["reminder_fraction"]),
        tz=task["tz"],
    )
    return due, checkpoint


def start_task(ask: dict[str, Any], *, now: datetime, task_id: str = "") -> dict[str, Any]:
    step = step_named(ask["step"])
    role = ask.get("role") or step.role
    unit = ask["unit"]
    started = clock.parse_iso(ask["started_at"]) if ask.get("started_at") else now
    task: dict[str, Any] = {
        "task_id": task_id or tasks.new_task_id(),
        "number": ask["number"],
        "step": step.name,
        "role": role,
        "unit": unit,
        "person": ask.get("person") or "",
        "recipients": _recipients_for(role, unit, ask.get("person")),
        "status": "open",
        "started_at": clock.iso(started),
        "tz": ask.get("tz") or "Asia/Jakarta",
        "scopes": list(ask.get("scopes") or []),
        "reminder_fraction": str(ask.get("reminder_fraction") or "0.7"),
        "subject": ask.get("subject") or "",
        "context": ask.get("context") or {},
        "reminded": False,
        "escalated": False,
        "mailed": [],
        "created_at": clock.iso(now),
        "execution": ask.get("execution") or "",
    }
    if ask.get("working_days"):
        task["working_days"] = int(ask["working_days"])
    else:
        task["due_fixed"] = ask["due_at"]
    cal = _calendar_for(task)
    task["link_expires_at"] = clock.iso(cal.add_working_days(started, LINK_WORKING_DAYS, task["tz"]))
    task["due_at"] = clock.iso(_deadline(task)[1])
    tasks.create(task)
    tasks.audit(
        task["number"],
        "task_opened",
        now,
        task_id=task["task_id"],
        step=step.name,
        due_at=task["due_at"],
        recipients=task["recipients"],
    )
    return task


def plan_next(payload: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """``{ask, task_id?}`` -> ``{task_id, checkpoint, seconds, mail}``: what to wait for and how long."""
    task_id = payload.get("task_id") or ""
    task = tasks.load(task_id) if task_id else None
    if task is None:
        # A first plan names its state entry: retried, it finds the task it stored the first time.
        ask, opened = payload["ask"], payload.get("opened")
        opening = f"{ask.get('execution', '')}|{payload.get('state', '')}|{ask.get('unit', '')}|{opened}"
        task_id = tasks.id_for_opening(opening) if opened else ""
        task = (tasks.load(task_id) if task_id else None) or start_task(ask, now=now, task_id=task_id)
    note_request(task["number"])
    cal = _calendar_for(task)
    due, checkpoint = _next_checkpoint(task)
    since = clock.parse_iso(task.get("last_checkpoint_at") or task["started_at"])
    seconds = plan.wait_seconds(
        cal,
        checkpoint,
        now=now,
        since=since,
        tz=task["tz"],
        working_day_seconds=get_settings().working_day_seconds,
    )
    if task["status"] == "open":
        tasks.update(
            task["task_id"],
            {
                "checkpoint": {"kind": checkpoint.kind, "moment": clock.iso(checkpoint.moment)},
                "due_at": clock.iso(due),
            },
        )
    return {
        "task_id": task["task_id"],
        "checkpoint": checkpoint.kind,
        "seconds": seconds,
        "mail": payload.get("mail", True) is not False,
        "flags": int(payload.get("flags") or 0),
    }


def _link(task: dict[str, Any], recipient: int) -> str:
    expires = int(clock.parse_iso(task["link_expires_at"]).timestamp())
    return links.signed_url(
        get_settings().api_url, links.LinkId(task["task_id"], recipient), expires, keys.key_ring()
    )


def _mail(task: dict[str, Any], recipient: int, kind: str, now: datetime) -> None:
    step = step_named(task["step"])
    address = task["recipients"][recipient]
    due = human_datetime(clock.parse_iso(task["due_at"]), task["tz"])
    url = _link(task, recipient)
    lead = {"ask": "Mohon keputusan Anda", "reminder": "Pengingat", "escalation": "Eskalasi"}[kind]
    opening = {
        "ask": "Mohon keputusan Anda",
        "reminder": "Pengingat: mohon keputusan Anda",
        "escalation": "Eskalasi: belum ada keputusan",
    }[kind]
    text = (
        f"{opening} untuk {step.title} ({task['number']}).\n\nPerihal: {task.get('subject') or '-'}\n"
        f"Batas waktu: {due}\n\nBuka tautan ini untuk melihat dan memutuskan:\n{url}\n\n"
        "Membuka tautan tidak mengubah apa pun; keputusan baru tercatat setelah Anda menekan tombol."
    )
    lines = [
        f"{opening} untuk {step.title} ({task['number']}).",
        f"Perihal: {task.get('subject') or '-'}",
        f"Batas waktu: {due}",
    ]
    html = (
        "".join(f"<p>{escape(line)}</p>" for line in lines)
        + f'<p><a href="{escape(url)}">Lihat dan putuskan</a></p>'
    )
    mail = send.OutgoingMail(
        to=(address,), subject=f"{step.title}: {lead.lower()}", text=text, html=html, number=task["number"]
    )
    send.send(mail, sender=get_settings().support_address, ring=keys.key_ring(), date=now)


def hold_token(payload: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """Keep the new token behind the same task id; mail the link the first time only."""
    task = tasks.require(payload["task_id"])
    note_request(task["number"])
    token = payload["token"]
    if task["status"] == "decided":
        # Decided while no token was waiting (between two asks): hand the decision over now.
        workflows.engine().hand_over(token, decision_output(task))
        return {"handed_over": True}
    try:
        # Only while the task is open: a decision recorded since it was read is handed over instead.
        tasks.update(task["task_id"], {"token": token, "token_at": clock.iso(now)})
    except tasks.TaskNotOpen:
        task = tasks.require(payload["task_id"])
        if task["status"] != "decided":
            raise
        workflows.engine().hand_over(token, decision_output(task))
        return {"handed_over": True}
    if payload.get("mail", True) is not False:
        for index in range(len(task["recipients"])):
            if index not in [int(i) for i in task.get("mailed", [])]:
                _mail(task, index, "ask", now)
                task["mailed"] = [*task.get("mailed", []), index]
                tasks.update(task["task_id"], {"mailed": task["mailed"]})
                tasks.audit(
                    task["number"], "link_mailed", now, task_id=task["task_id"], to=task["recipients"][index]
                )
    return {"handed_over": False}


def checkpoint(payload: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """The wait timed out: re-read the deadline; remind, escalate or expire as planned, unless it moved."""
    task = tasks.require(payload["task_id"])
    note_request(task["number"])
    if task["status"] != "open":
        return {"expired": task["status"] == "expired", "acted": None}
    planned = task.get("checkpoint") or {}
    due, fresh = _next_checkpoint(task)
    if planned and plan.moved(str(planned.get("kind")), clock.parse_iso(planned["moment"]), fresh):
        tasks.audit(task["number"], "deadline_moved", now, task_id=task["task_id"], due_at=clock.iso(due))
        return {"expired": False, "acted": None}
    values: dict[str, Any] = {"last_checkpoint_at": clock.iso(fresh.moment), "due_at": clock.iso(due)}
    if fresh.kind == "reminder":
        for index in range(len(task["recipients"])):
            _mail(task, index, "reminder", now)
        values["reminded"] = True
        tasks.audit(task["number"], "reminded", now, task_id=task["task_id"], to=task["recipients"])
    elif fresh.kind == "deadline":
        heads = _escalation_targets(task)
        recipients = [*task["recipients"], *heads]
        values |= {"escalated": True, "recipients": recipients}
        task["recipients"] = recipients
        for head in heads:  # each head above the people asked, once, with a link of their own
            _mail(task, recipients.index(head), "escalation", now)
        tasks.audit(task["number"], "escalated", now, task_id=task["task_id"], to=heads)
    else:
        tasks.update(task["task_id"], {"status": "expired", **values}, remove=tasks.INDEX_ATTRIBUTES)
        tasks.audit(task["number"], "task_expired", now, task_id=task["task_id"])
        flag(task["number"], f"Tugas {task['step']} tidak diputuskan sampai tautannya berakhir.", now=now)
        return {"expired": True, "acted": "expiry"}
    tasks.update(task["task_id"], values)
    return {"expired": False, "acted": fresh.kind}


def _escalation_targets(task: dict[str, Any]) -> list[str]:
    """Domain rules §2b: the head of the unit, then up the tree (for letters that reaches the Director).
    Nobody is escalated to about their own task: a head who was asked is passed over for the next head
    up, and nobody is told twice."""
    from desk.admin.units import escalation_chain

    asked = set(task["recipients"])
    targets: list[str] = []
    for unit in escalation_chain(task["unit"]):
        if unit.head and unit.head not in targets and unit.head not in asked:
            targets.append(unit.head)
            if not task["step"].startswith("letter:"):
                break  # other requests escalate to the first head above the people asked
    return targets


def flag(number: str, reason: str, *, now: datetime) -> dict[str, Any]:
    """Mark the request for staff attention (a stuck step, mail that cannot be sent)."""
    requests_repository().flag(number, reason)
    tasks.audit(number, "needs_attention", now, reason=reason)
    return {"flagged": True, "mail": False}


def decision_output(task: dict[str, Any]) -> str:
    """The decision as the workflow receives it. A task read back from DynamoDB holds numbers as Decimal
    (a session's capacity, a fee): they go out as plain JSON numbers."""
    import json
    from decimal import Decimal

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    keys = ("task_id", "decision", "fields", "decided_by", "decided_at", "decided_via", "late")
    return json.dumps({k: task.get(k) for k in keys}, default=plain)
