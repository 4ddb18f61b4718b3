"""The public forms: a user ID, a training request, a payment proof, a complaint or question, and the
uploads they carry."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from desk import clock, payments, registrations
from desk.api.answers import PaymentReceipt, Receipt, UploadPolicy
from desk.api.public.caller import client, idempotency_key
from desk.api.routes import Area
from desk.documents import uploads
from desk.documents.purposes import validate_upload_request
from desk.observability import metrics
from desk.payments import PaymentProofForm
from desk.registrations import RegistrationForm
from desk.requests import tickets
from desk.requests.forms import TicketForm, UploadForm
from desk.training import requests as training_requests
from desk.training.requests import TrainingForm

AREA = Area()
CREATED = "created: the number and access code"


@AREA.post("/registrations", status=201, answer=CREATED, model=Receipt)
def registration(form: Annotated[RegistrationForm, Body()]) -> dict[str, Any]:
    event = AREA.event
    return registrations.submit(
        form, now=clock.now(), idempotency_key=idempotency_key(event), client=client(event)
    )


@AREA.post("/training-requests", status=201, answer=CREATED, model=Receipt)
def training_request(form: Annotated[TrainingForm, Body()]) -> dict[str, Any]:
    event = AREA.event
    return training_requests.submit(
        form, now=clock.now(), idempotency_key=idempotency_key(event), client=client(event)
    )


@AREA.post(
    "/payment-proofs", status=201, answer="created: the number, access code and flags", model=PaymentReceipt
)
def payment_proof(form: Annotated[PaymentProofForm, Body()]) -> dict[str, Any]:
    event = AREA.event
    return payments.submit(
        form, now=clock.now(), idempotency_key=idempotency_key(event), client=client(event)
    )


@AREA.post("/tickets", status=201, answer=CREATED, model=Receipt)
def create_ticket(form: Annotated[TicketForm, Body()]) -> dict[str, Any]:
    event = AREA.event
    receipt = tickets.submit(
        form, now=clock.now(), idempotency_key=idempotency_key(event), client=client(event)
    )
    if not receipt.repeated:
        metrics().add_metric(name="RequestsCreated", unit="Count", value=1)
    return receipt.public()


@AREA.post("/uploads", status=201, answer="a presigned S3 POST", model=UploadPolicy)
def new_upload(form: Annotated[UploadForm, Body()]) -> dict[str, Any]:
    spec = validate_upload_request(form.purpose, form.filename, form.content_type, form.size, door=form.door)
    return uploads.request_upload(spec, now=clock.now())


@AREA.get("/uploads/<upload_id>")
def upload_status(upload_id: str) -> dict[str, Any]:
    return uploads.status(upload_id)
