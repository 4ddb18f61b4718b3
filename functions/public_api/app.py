"""The public API: forms and status pages for people without a sign-in."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from desk import clock, runtime
from desk.api.http import build_resolver, resolve
from desk.deadlines import due_at
from desk.observability import flush_metrics, metrics, start_invocation
from desk.requests import acknowledge, intake
from desk.requests.forms import TicketForm
from desk.requests.store import RequestStore
from desk.settings import get_settings

TITLE = "e-Purchasing service desk: public API"


def _created(body: dict[str, Any]) -> Response[Any]:
    import json

    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def register(app: APIGatewayRestResolver) -> None:
    @app.post("/tickets")
    def create_ticket(form: Annotated[TicketForm, Body()]) -> Response[Any]:
        now = clock.now()
        new = intake.ticket_request(form)
        store = RequestStore()
        due = due_at(now, intake.working_days_for(new.type))
        key = app.current_event.headers.get("Idempotency-Key") or app.current_event.headers.get(
            "idempotency-key"
        )
        receipt = intake.submit(
            new, now=now, store=store, idempotency_keys=(f"web:{key}",) if key else (), due=due
        )
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
        if not receipt.repeated:
            metrics().add_metric(name="RequestsCreated", unit="Count", value=1)
        return _created(receipt.public())

    @app.get("/tickets/<number>")
    def ticket_status(number: str, code: Annotated[str, Query(max_length=64)] = "") -> dict[str, Any]:
        return intake.public_status(number, code, store=RequestStore())

    @app.get("/openapi.json")
    def openapi() -> Response[Any]:
        return Response(
            status_code=200,
            content_type=content_types.APPLICATION_JSON,
            body=app.get_openapi_json_schema(title=TITLE, version="1.0.0"),
        )


@runtime.cached
def _app() -> APIGatewayRestResolver:
    app = build_resolver()
    register(app)
    return app


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    start_invocation(event, context)
    try:
        return resolve(_app(), event, context)
    finally:
        flush_metrics()
