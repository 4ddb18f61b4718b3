"""The staff API: everything behind the Cognito authorizer, each act checked against role and unit."""

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, ConfigDict, Field

from desk import calendar_service, clock, runtime, staff
from desk.admin import units
from desk.api.http import PathCheck, build_resolver, resolve
from desk.approvals import decide
from desk.calendar import official, zone
from desk.data import calendar as calendar_data
from desk.documents import uploads
from desk.documents.purposes import validate_upload_request
from desk.errors import InvalidInput
from desk.fields import Message
from desk.letters import registration
from desk.observability import instrumented
from desk.requests import doors, work
from desk.requests.forms import StaffUploadForm
from desk.training import sessions as training

# Who may call a route that is not for every staff member, checked before its body is read (a caller
# without the role hears 403, never which fields the form wants). The use cases check again.
ROLES: dict[str, frozenset[str]] = {
    "POST /staff/calls": frozenset({"helpdesk"}),
    "POST /staff/walk-ins": frozenset({"reception"}),
    "POST /staff/letters": frozenset({"secretary"}),
    **{
        route: frozenset({"training"})
        for route in (
            "GET /staff/training/sessions",
            "POST /staff/training/sessions",
            "GET /staff/training/sessions/{session_id}",
            "POST /staff/training/sessions/{session_id}/reschedule",
            "POST /staff/training/sessions/{session_id}/cancel",
            "POST /staff/training/sessions/{session_id}/attendance",
        )
    },
    "POST /staff/calendar/overrides": frozenset({"admin"}),
    "DELETE /staff/calendar/overrides/{day}": frozenset({"admin"}),
}

# What a caller must be to the path's request or task, checked before the body is read as well.
CHECKS: dict[str, PathCheck] = {
    "POST /staff/tickets/{number}/replies": lambda user, path: work.may_work_on(path["number"], user),
    "POST /staff/tickets/{number}/actions": lambda user, path: work.may_work_on(path["number"], user),
    "POST /staff/tasks/{task_id}/decision": lambda user, path: decide.decider_task(path["task_id"], user),
}

# Path parameters the routes read themselves, so a bad one is named as a field (the OpenAPI document).
PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "DELETE /staff/calendar/overrides/{day}": {"day": {"type": "string", "format": "date"}},
}


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


def _json(status: int, body: dict[str, Any]) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body, ensure_ascii=False),
    )


def _wib_year() -> int:
    return clock.now().astimezone(zone("Asia/Jakarta")).year


def register(app: APIGatewayRestResolver) -> None:
    def me() -> staff.StaffUser:
        return staff.from_event(app.current_event.raw_event)

    @app.get("/staff/me")
    def whoami() -> dict[str, Any]:
        user = me()
        return {
            "username": user.username,
            "email": user.email,
            "roles": sorted(user.roles),
            "unit": user.unit,
        }

    @app.get("/staff/units")
    def unit_names() -> dict[str, Any]:
        """Every unit's id, name, kind and parent, for any staff member's choices (forward, disposition,
        walk-in); heads and changes stay with the admin API."""
        me()
        return units.list_public()

    # -- requests -------------------------------------------------------------------------------------
    @app.get("/staff/queue")
    def queue(
        unit: Annotated[str | None, Query(max_length=80)] = None,
        assignee: Annotated[Literal["me"] | None, Query()] = None,
        status: Annotated[
            Literal["submitted", "in_progress", "waiting_requester", "answered"] | None, Query()
        ] = None,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> dict[str, Any]:
        return work.queue(
            user=me(), unit=unit, assignee_me=assignee == "me", status=status, cursor=cursor, now=clock.now()
        )

    @app.get("/staff/tickets/<number>")
    def ticket(number: str) -> dict[str, Any]:
        return work.staff_view(number, user=me(), now=clock.now())

    @app.post("/staff/tickets/<number>/replies")
    def reply(number: str, form: Annotated[ReplyForm, Body()]) -> Response[Any]:
        result = work.reply(
            number, form.text, internal=form.internal, set_status=form.status, user=me(), now=clock.now()
        )
        return _json(201, result)

    @app.post("/staff/tickets/<number>/actions")
    def act(number: str, form: Annotated[ActionForm, Body()]) -> dict[str, Any]:
        return work.act(number, form.action, form.model_dump(), user=me(), now=clock.now())

    @app.post("/staff/calls")
    def log_call(form: Annotated[doors.CallForm, Body()]) -> Response[Any]:
        return _json(201, doors.log_call(form, user=me(), now=clock.now()))

    @app.post("/staff/walk-ins")
    def walk_in(form: Annotated[doors.WalkInForm, Body()]) -> Response[Any]:
        return _json(201, doors.take_walk_in(form, user=me(), now=clock.now()))

    # -- letters --------------------------------------------------------------------------------------
    @app.post("/staff/letters")
    def register_letter(form: Annotated[registration.LetterForm, Body()]) -> Response[Any]:
        return _json(201, registration.register(form, user=me(), now=clock.now()))

    # -- training sessions (the organiser) ------------------------------------------------------------
    @app.get("/staff/training/sessions")
    def training_sessions() -> dict[str, Any]:
        return training.listing(user=me())

    @app.post("/staff/training/sessions")
    def new_training_session(form: Annotated[training.NewSession, Body()]) -> Response[Any]:
        return _json(201, training.create(form, user=me(), now=clock.now()))

    @app.get("/staff/training/sessions/<session_id>")
    def training_session(session_id: str) -> dict[str, Any]:
        return training.detail(session_id, user=me())

    @app.post("/staff/training/sessions/<session_id>/reschedule")
    def reschedule_training(session_id: str, form: Annotated[training.Reschedule, Body()]) -> dict[str, Any]:
        return training.reschedule(session_id, form, user=me(), now=clock.now())

    @app.post("/staff/training/sessions/<session_id>/cancel")
    def cancel_training(session_id: str, form: Annotated[training.Cancel, Body()]) -> dict[str, Any]:
        return training.cancel(session_id, form, user=me(), now=clock.now())

    @app.post("/staff/training/sessions/<session_id>/attendance")
    def training_attendance(session_id: str, form: Annotated[training.Attendance, Body()]) -> dict[str, Any]:
        return training.record_attendance(session_id, form, user=me(), now=clock.now())

    # -- people in the loop ---------------------------------------------------------------------------
    @app.get("/staff/tasks")
    def my_tasks() -> dict[str, Any]:
        return {"items": decide.staff_tasks(me())}

    @app.post("/staff/tasks/<task_id>/decision")
    def decide_task(task_id: str, form: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return decide.decide_as_staff(task_id, form, user=me(), now=clock.now())

    # -- uploads (the staff's purposes: letter scans, drafts, signed letters) --------------------------
    @app.post("/staff/uploads")
    def staff_upload(form: Annotated[StaffUploadForm, Body()]) -> Response[Any]:
        me()
        spec = validate_upload_request(
            form.purpose, form.filename, form.content_type, form.size, door=form.door
        )
        return _json(201, uploads.request_upload(spec, now=clock.now()))

    # -- calendar -------------------------------------------------------------------------------------
    @app.get("/staff/calendar")
    def calendar_year(
        year: Annotated[int | None, Query(ge=official.FIRST_YEAR, le=official.LAST_YEAR)] = None,
    ) -> dict[str, Any]:
        me()
        return calendar_service.year_view(year or _wib_year())

    @app.post("/staff/calendar/overrides")
    def add_override(form: Annotated[calendar_service.OverrideForm, Body()]) -> Response[Any]:
        return _json(
            201,
            calendar_service.add_override(
                form, user=me(), now=clock.now(), overrides=calendar_data.repository()
            ),
        )

    @app.delete("/staff/calendar/overrides/<day>")
    def remove_override(day: str, scope: Annotated[str, Query(max_length=80)] = "national") -> dict[str, Any]:
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput("Tanggal tidak sah.", fields={"date": "gunakan format YYYY-MM-DD"}) from None
        return calendar_service.remove_override(
            parsed, scope, user=me(), now=clock.now(), overrides=calendar_data.repository()
        )

    @app.get("/staff/calendar/deadline")
    def deadline(
        start: Annotated[datetime, Query(alias="from")],
        working_days: Annotated[int, Query(ge=1, le=365)],
        tz: Annotated[calendar_service.Zone, Query()] = "Asia/Jakarta",
        scope: Annotated[str | None, Query(max_length=80)] = None,
    ) -> dict[str, Any]:
        me()
        if start.tzinfo is None:
            raise InvalidInput(
                "Waktu mulai perlu zona waktunya.", fields={"from": "sertakan offset, mis. +07:00"}
            )
        return calendar_service.deadline(start, working_days, tz, scope)


@runtime.cached
def _app() -> APIGatewayRestResolver:
    app = build_resolver()
    register(app)
    return app


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return resolve(_app(), event, context, roles=ROLES, checks=CHECKS)
