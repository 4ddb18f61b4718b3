"""People in the loop: a staff member's tasks and their decisions from the console."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from desk import clock
from desk.api.answers import Items
from desk.api.routes import Area
from desk.approvals import decide

AREA = Area(signed_in=True)


def _own_task(user: Any, path: Any) -> object:
    """Someone else's task answers as one that does not exist (404), before the body is read."""
    return decide.decider_task(path["task_id"], user)


@AREA.get("/staff/tasks", model=Items)
def my_tasks() -> dict[str, Any]:
    return {"items": decide.staff_tasks(AREA.caller())}


@AREA.post("/staff/tasks/<task_id>/decision", check=_own_task)
def decide_task(task_id: str, form: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return decide.decide_as_staff(task_id, form, user=AREA.caller(), now=clock.now())
