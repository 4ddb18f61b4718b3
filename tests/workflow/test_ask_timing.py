"""The ask step's timing, driven through its Lambda task (plan, then checkpoint when the wait runs out)
with the desk's clock pinned and moved to each planned moment: over step lengths, the three time zones
and receipts with fractions of a second, a reminder goes out exactly once before the deadline (in office
hours), the escalation exactly once at it, and the link expires after; the step plans at most once per
act, so one ask stays far inside Step Functions' history limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import desk_time
import pytest
from desk_time import PinClock

from desk import clock, runtime
from desk.approvals import tasks
from desk.calendar import OFFICE_CLOSES, OFFICE_OPENS
from desk_local.stack import LocalDesk

STEP = "registration:verification"
ASK_FUNCTION = "AskPersonFunction"
ZONES = {
    "Asia/Jakarta": "lpse-dki-jakarta",
    "Asia/Makassar": "lpse-prov-bali",
    "Asia/Jayapura": "lpse-dki-jakarta",
}
ACTS = ["reminder", "deadline", "expiry"]


def _invoke(desk: LocalDesk, event: dict[str, Any]) -> dict[str, Any]:
    invocation = desk.functions.invoke(ASK_FUNCTION, event)
    assert invocation.error is None, invocation.error
    return dict(invocation.result)


def _task(desk: LocalDesk, task_id: str) -> dict[str, Any]:
    with runtime.activated(desk.functions.get(ASK_FUNCTION).runtime):
        return tasks.require(task_id)


@pytest.mark.parametrize("days", [1, 2, 5, 10])
@pytest.mark.parametrize("tz", sorted(ZONES))
# Local receipt times with a fraction of a second: a Thursday morning, a minute before closing, a
# Saturday, and the night before cuti bersama and Christmas.
@pytest.mark.parametrize(
    "received",
    [
        "2026-12-03T09:00:00.300",
        "2026-12-03T15:59:59.900",
        "2026-12-05T10:00:00.500",
        "2026-12-23T23:30:00.250",
    ],
)
def test_one_reminder_before_the_deadline_one_escalation_at_it_and_no_loop(
    desk: LocalDesk, pinned_clock: PinClock, received: str, tz: str, days: int
) -> None:
    start = pinned_clock(datetime.fromisoformat(received).replace(tzinfo=ZoneInfo(tz)))
    answer = desk.http(
        "POST",
        "/tickets",
        json_body={
            "kind": "input",
            "subject": f"Waktu {tz} {days}",
            "message": "x",
            "name": "A",
            "email": "a@pemda.go.id",
        },
    )
    assert answer.status == 201, answer.text
    number = answer.json()["number"]
    ask = {"step": STEP, "number": number, "subject": "x", "unit": ZONES[tz], "working_days": days, "tz": tz}
    planned = _invoke(desk, {"action": "plan", "task_id": "", "mail": False, "flags": 0, "ask": ask})
    task_id = planned["task_id"]
    due = clock.parse_iso(_task(desk, task_id)["due_at"])
    assert due == desk_time.national().add_working_days(start, days, tz)

    acts: list[tuple[str, datetime]] = []
    plans = 1
    while plans <= len(ACTS) + 1:  # one plan per act; a plan that acts on nothing is a loop
        pinned_clock(clock.now() + timedelta(seconds=planned["seconds"]))  # the wait runs out
        checked = _invoke(desk, {"action": "checkpoint", "task_id": task_id})
        if checked["acted"]:
            acts.append((checked["acted"], clock.now()))
        if checked["expired"]:
            break
        planned = _invoke(desk, {"action": "plan", "task_id": task_id, "mail": False, "flags": 0})
        plans += 1
    assert [kind for kind, _ in acts] == ACTS, f"{plans} plans for {acts}"
    reminded, escalated = acts[0][1], acts[1][1]
    assert start < reminded < due <= escalated < due + timedelta(seconds=2)
    local = reminded.astimezone(ZoneInfo(tz))
    assert desk_time.national().is_working_day(local.date()) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES
    history = [m for m in desk.outbox() if number in m["subject"]]
    assert len([m for m in history if "pengingat" in m["subject"].lower()]) == 1
