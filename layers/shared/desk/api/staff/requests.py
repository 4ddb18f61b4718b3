"""The requests staff work: the queue, one request, replies and actions, and the calls and walk-ins that
become requests."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, ConfigDict, Field

from desk import clock
from desk.api.answers import Receipt
from desk.api.routes import Area
from desk.fields import Message
from desk.requests import doors, work

AREA = Area(signed_in=True)


class ReplyForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Message
    internal: bool = False
    status: Literal["answered", "waiting_requester"] | None = None


class ActionForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: Literal[
        "assign", "hold", "resume", "transfer", "forward", "resolve", "close", "reject", "extend", "verify"
    ]
    reason: str | None = Field(default=None, max_length=4000)
    assignee: str | None = Field(default=None, max_length=320)
    working_days: int | None = None
    to: str | None = Field(default=None, max_length=200)  # forward: a body outside the desk
    unit: str | None = Field(default=None, max_length=80)  # transfer: a unit of the desk


def _may_work_on(user: Any, path: Any) -> None:
    """Another unit's request is refused before the body is read (the use case checks again)."""
    work.may_work_on(path["number"], user)


@AREA.get("/staff/queue")
def queue(
    unit: Annotated[str | None, Query(max_length=80)] = None,
    assignee: Annotated[Literal["me"] | None, Query()] = None,
    status: Annotated[
        Literal["submitted", "in_progress", "waiting_requester", "answered"] | None, Query()
    ] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    return work.queue(
        user=AREA.caller(),
        unit=unit,
        assignee_me=assignee == "me",
        status=status,
        cursor=cursor,
        now=clock.now(),
    )


@AREA.get("/staff/tickets/<number>")
def ticket(number: str) -> dict[str, Any]:
    return work.staff_view(number, user=AREA.caller(), now=clock.now())


@AREA.post(
    "/staff/tickets/<number>/replies", check=_may_work_on, status=201, answer="the reply, recorded and mailed"
)
def reply(number: str, form: Annotated[ReplyForm, Body()]) -> dict[str, Any]:
    return work.reply(
        number, form.text, internal=form.internal, set_status=form.status, user=AREA.caller(), now=clock.now()
    )


@AREA.post("/staff/tickets/<number>/actions", check=_may_work_on)
def act(number: str, form: Annotated[ActionForm, Body()]) -> dict[str, Any]:
    return work.act(number, form.action, form.model_dump(), user=AREA.caller(), now=clock.now())


@AREA.post(
    "/staff/calls", roles={"helpdesk"}, status=201, answer="the call, recorded as a request", model=Receipt
)
def log_call(form: Annotated[doors.CallForm, Body()]) -> dict[str, Any]:
    return doors.log_call(form, user=AREA.caller(), now=clock.now())


@AREA.post(
    "/staff/walk-ins",
    roles={"reception"},
    status=201,
    answer="the walk-in, forwarded and booked",
    model=Receipt,
)
def walk_in(form: Annotated[doors.WalkInForm, Body()]) -> dict[str, Any]:
    return doors.take_walk_in(form, user=AREA.caller(), now=clock.now())
