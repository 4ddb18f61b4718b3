"""The public API: forms and status pages for people without a sign-in."""

import json
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from desk import clock, payments, registrations
from desk.admin.lpse import public_list
from desk.api.http import openapi_document, serve
from desk.data.requests import repository as requests_repository
from desk.documents import uploads
from desk.documents.purposes import validate_upload_request
from desk.observability import instrumented, metrics
from desk.payments import PaymentProofForm
from desk.registrations import RegistrationForm
from desk.requests import intake, ratelimit, tickets, work
from desk.requests.forms import MessageForm, TicketForm, UploadForm
from desk.training import requests as training_requests
from desk.training.requests import TrainingForm


def _created(body: dict[str, Any]) -> Response[Any]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def _idempotency_key(app: APIGatewayRestResolver) -> str | None:
    headers = app.current_event.headers or {}
    return headers.get("Idempotency-Key") or headers.get("idempotency-key")


def _client(app: APIGatewayRestResolver) -> str:
    headers = {k.lower(): v for k, v in (app.current_event.headers or {}).items()}
    source = app.current_event.request_context.identity.source_ip
    return ratelimit.client_key(headers.get("cloudfront-viewer-address"), source)


def register(app: APIGatewayRestResolver) -> None:
    @app.get("/lpse")
    def lpse_list() -> Response[Any]:
        return Response(
            status_code=200,
            content_type=content_types.APPLICATION_JSON,
            body=json.dumps(public_list(), ensure_ascii=False),
        )

    @app.post("/registrations")
    def registration(form: Annotated[RegistrationForm, Body()]) -> Response[Any]:
        return _created(
            registrations.submit(
                form, now=clock.now(), idempotency_key=_idempotency_key(app), client=_client(app)
            )
        )

    @app.post("/training-requests")
    def training_request(form: Annotated[TrainingForm, Body()]) -> Response[Any]:
        return _created(
            training_requests.submit(
                form, now=clock.now(), idempotency_key=_idempotency_key(app), client=_client(app)
            )
        )

    @app.post("/payment-proofs")
    def payment_proof(form: Annotated[PaymentProofForm, Body()]) -> Response[Any]:
        return _created(
            payments.submit(form, now=clock.now(), idempotency_key=_idempotency_key(app), client=_client(app))
        )

    @app.post("/uploads")
    def new_upload(form: Annotated[UploadForm, Body()]) -> Response[Any]:
        spec = validate_upload_request(
            form.purpose, form.filename, form.content_type, form.size, door=form.door
        )
        return _created(uploads.request_upload(spec, now=clock.now()))

    @app.get("/uploads/<upload_id>")
    def upload_status(upload_id: str) -> dict[str, Any]:
        return uploads.status(upload_id)

    @app.post("/tickets")
    def create_ticket(form: Annotated[TicketForm, Body()]) -> Response[Any]:
        receipt = tickets.submit(
            form, now=clock.now(), idempotency_key=_idempotency_key(app), client=_client(app)
        )
        if not receipt.repeated:
            metrics().add_metric(name="RequestsCreated", unit="Count", value=1)
        return _created(receipt.public())

    @app.get("/tickets/<number>")
    def ticket_status(number: str, code: Annotated[str, Query(max_length=64)] = "") -> dict[str, Any]:
        return intake.public_status(
            number, code, store=requests_repository(), client=_client(app), now=clock.now()
        )

    @app.post("/tickets/<number>/messages")
    def add_message(
        number: str, form: Annotated[MessageForm, Body()], code: Annotated[str, Query(max_length=64)] = ""
    ) -> Response[Any]:
        return _created(
            work.requester_adds(
                number,
                code,
                form.text,
                client=_client(app),
                now=clock.now(),
                upload_ids=form.attachment_upload_ids,
            )
        )

    @app.post("/tickets/<number>/confirm")
    def confirm(number: str, code: Annotated[str, Query(max_length=64)] = "") -> dict[str, Any]:
        return registrations.confirm(number, code, client=_client(app), now=clock.now())

    @app.get("/tickets/<number>/documents/<upload_id>")
    def requester_document(
        number: str, upload_id: str, code: Annotated[str, Query(max_length=64)] = ""
    ) -> Response[Any]:
        url = intake.requester_document(
            number, code, upload_id, store=requests_repository(), client=_client(app), now=clock.now()
        )
        return Response(
            status_code=302,
            headers={"Location": url, "Cache-Control": "no-store"},
            content_type=content_types.APPLICATION_JSON,
            body=json.dumps({"url": url}),
        )

    @app.get("/openapi.json")
    def openapi() -> Response[Any]:
        # The whole API (all four functions), built with the layer by tools/openapi.py.
        return Response(
            status_code=200,
            content_type=content_types.APPLICATION_JSON,
            body=openapi_document(),
            headers={"Cache-Control": "public, max-age=300"},
        )


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(register, event, context)
