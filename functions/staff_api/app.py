"""The staff API: everything behind the Cognito authorizer, each act checked against role and unit."""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from desk import runtime, staff
from desk.api.http import build_resolver, resolve
from desk.observability import start_invocation


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


@runtime.cached
def _app() -> APIGatewayRestResolver:
    app = build_resolver()
    register(app)
    return app


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    return resolve(_app(), event, context)
