"""A requester's own request, by its number and access code: its status, a message, a confirmation and
its documents."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from desk import clock, registrations
from desk.api.answers import RequestStatus
from desk.api.public.caller import client
from desk.api.routes import Area
from desk.data.requests import repository as requests_repository
from desk.requests import intake, work
from desk.requests.forms import MessageForm

AREA = Area()
Code = Annotated[str, Query(max_length=64)]


@AREA.get("/tickets/<number>", model=RequestStatus)
def ticket_status(number: str, code: Code = "") -> dict[str, Any]:
    return intake.public_status(
        number, code, store=requests_repository(), client=client(AREA.event), now=clock.now()
    )


@AREA.post("/tickets/<number>/messages", status=201, answer="added to the request")
def add_message(number: str, form: Annotated[MessageForm, Body()], code: Code = "") -> dict[str, Any]:
    return work.requester_adds(
        number,
        code,
        form.text,
        client=client(AREA.event),
        now=clock.now(),
        upload_ids=form.attachment_upload_ids,
    )


@AREA.post("/tickets/<number>/confirm")
def confirm(number: str, code: Code = "") -> dict[str, Any]:
    return registrations.confirm(number, code, client=client(AREA.event), now=clock.now())


@AREA.get(
    "/tickets/<number>/documents/<upload_id>", status=302, answer="a short-lived download link (Location)"
)
def requester_document(number: str, upload_id: str, code: Code = "") -> Response[Any]:
    url = intake.requester_document(
        number, code, upload_id, store=requests_repository(), client=client(AREA.event), now=clock.now()
    )
    return Response(
        status_code=302,
        headers={"Location": url, "Cache-Control": "no-store"},
        content_type=content_types.APPLICATION_JSON,
        body={"url": url},
    )
