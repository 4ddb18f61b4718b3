"""Training sessions, for the organiser: dates, seats, moves, cancellations and attendance."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from desk import clock
from desk.api.answers import Items
from desk.api.routes import Area
from desk.training import sessions as training

AREA = Area(roles={"training"})


@AREA.get("/staff/training/sessions", model=Items)
def training_sessions() -> dict[str, Any]:
    return training.listing(user=AREA.caller())


@AREA.post("/staff/training/sessions", status=201, answer="the session")
def new_training_session(form: Annotated[training.NewSession, Body()]) -> dict[str, Any]:
    return training.create(form, user=AREA.caller(), now=clock.now())


@AREA.get("/staff/training/sessions/<session_id>")
def training_session(session_id: str) -> dict[str, Any]:
    return training.detail(session_id, user=AREA.caller())


@AREA.post("/staff/training/sessions/<session_id>/reschedule")
def reschedule_training(session_id: str, form: Annotated[training.Reschedule, Body()]) -> dict[str, Any]:
    return training.reschedule(session_id, form, user=AREA.caller(), now=clock.now())


@AREA.post("/staff/training/sessions/<session_id>/cancel")
def cancel_training(session_id: str, form: Annotated[training.Cancel, Body()]) -> dict[str, Any]:
    return training.cancel(session_id, form, user=AREA.caller(), now=clock.now())


@AREA.post("/staff/training/sessions/<session_id>/attendance")
def training_attendance(session_id: str, form: Annotated[training.Attendance, Body()]) -> dict[str, Any]:
    return training.record_attendance(session_id, form, user=AREA.caller(), now=clock.now())
