"""The working-day calendar: a year, a deadline from a moment, and the administrator's overrides."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from desk import calendar_service, clock
from desk.api.routes import Area, Documented
from desk.calendar import official, zone
from desk.data import calendar as calendar_data
from desk.errors import InvalidInput

AREA = Area(signed_in=True)
ADMIN = {"admin"}


@AREA.get("/staff/calendar")
def calendar_year(
    year: Annotated[int | None, Query(ge=official.FIRST_YEAR, le=official.LAST_YEAR)] = None,
) -> dict[str, Any]:
    return calendar_service.year_view(year or clock.now().astimezone(zone("Asia/Jakarta")).year)


@AREA.post(
    "/staff/calendar/overrides", roles=ADMIN, status=201, answer="the override and the calendar's new version"
)
def add_override(form: Annotated[calendar_service.OverrideForm, Body()]) -> dict[str, Any]:
    return calendar_service.add_override(
        form, user=AREA.caller(), now=clock.now(), overrides=calendar_data.repository()
    )


# The route reads its day itself, so a bad one is named as a field.
@AREA.delete(
    "/staff/calendar/overrides/<day>",
    roles=ADMIN,
    documented=Documented(path={"day": {"type": "string", "format": "date"}}),
)
def remove_override(day: str, scope: Annotated[str, Query(max_length=80)] = "national") -> dict[str, Any]:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise InvalidInput("Tanggal tidak sah.", fields={"date": "gunakan format YYYY-MM-DD"}) from None
    return calendar_service.remove_override(
        parsed, scope, user=AREA.caller(), now=clock.now(), overrides=calendar_data.repository()
    )


@AREA.get("/staff/calendar/deadline")
def deadline(
    start: Annotated[datetime, Query(alias="from")],
    working_days: Annotated[int, Query(ge=1, le=365)],
    tz: Annotated[calendar_service.Zone, Query()] = "Asia/Jakarta",
    scope: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    if start.tzinfo is None:
        raise InvalidInput(
            "Waktu mulai perlu zona waktunya.", fields={"from": "sertakan offset, mis. +07:00"}
        )
    return calendar_service.deadline(start, working_days, tz, scope)
