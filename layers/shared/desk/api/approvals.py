"""The pages behind signed approval links. GET and HEAD only show (and audit the view); one POST from the
page decides."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response

from desk import clock
from desk.api.http import language_of
from desk.api.routes import Area
from desk.approvals import by_link

AREA = Area()
AREAS = (AREA,)
# The decision page posts a plain HTML form.
MEDIA_TYPES = ("application/x-www-form-urlencoded", "application/json")
HTML = "text/html; charset=utf-8"
# No script, no frames, no outside resources; the form posts back here only.
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _answer(page: by_link.Page) -> Response[Any]:
    return Response(
        status_code=page.status,
        content_type=HTML,
        body=page.html,
        headers={
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )


def _visit() -> by_link.Visit:
    event = AREA.event
    identity = event.request_context.identity
    return by_link.Visit(
        ip=str(identity.source_ip or ""),
        user_agent=str(identity.user_agent or ""),
        lang=language_of(event.headers or {}),
        now=clock.now(),
    )


@AREA.route(["GET", "HEAD"], "/approvals/<link_id>", answer="the page")
def show(link_id: str) -> Response[Any]:
    params = {k: str(v) for k, v in (AREA.event.query_string_parameters or {}).items()}
    return _answer(by_link.show(link_id, params, method=AREA.event.http_method, visit=_visit()))


@AREA.post("/approvals/<link_id>", answer="the page")
def decide_by_link(link_id: str) -> Response[Any]:
    posted = parse_qs(AREA.event.decoded_body or "", keep_blank_values=True)
    return _answer(by_link.decide_by_link(link_id, posted, visit=_visit()))
