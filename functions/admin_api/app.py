"""The administration API (/staff/admin/...): the reference data the desk runs on. Role admin only."""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from desk import runtime, staff
from desk.api.http import build_resolver, resolve
from desk.observability import start_invocation


def register(app: APIGatewayRestResolver) -> None:
    @app.get("/staff/admin/whoami")
    def whoami() -> dict[str, Any]:
        user = staff.from_event(app.current_event.raw_event)
        user.require("admin")
        return {"username": user.username, "roles": sorted(user.roles)}


@runtime.cached
def _app() -> APIGatewayRestResolver:
    app = build_resolver()
    register(app)
    return app


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    return resolve(_app(), event, context)
