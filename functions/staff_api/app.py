"""The staff API: everything behind the Cognito authorizer, each act checked against role and unit."""

from datetime import date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from desk import calendar_service, clock, runtime, staff
from desk.api.http import build_resolver, resolve
from desk.calendar import zone
from desk.errors import InvalidInput
from desk.observability import start_invocation


def _json(status: int, body: dict[str, Any]) -> Response[Any]:
    import json

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

    @app.get("/staff/calendar")
    def calendar_year(year: Annotated[int | None, Query(ge=2024, le=2030)] = None) -> dict[str, Any]:
        me()
        return calendar_service.year_view(year or _wib_year())

    @app.post("/staff/calendar/overrides")
    def add_override(form: Annotated[calendar_service.OverrideForm, Body()]) -> Response[Any]:
        return _json(201, calendar_service.add_override(form, user=me(), now=clock.now()))

    @app.delete("/staff/calendar/overrides/<day>")
    def remove_override(day: str, scope: Annotated[str, Query(max_length=80)] = "national") -> dict[str, Any]:
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput("Tanggal tidak sah.", fields={"date": "gunakan format YYYY-MM-DD"}) from None
        return calendar_service.remove_override(parsed, scope, user=me(), now=clock.now())

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


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    return resolve(_app(), event, context)
