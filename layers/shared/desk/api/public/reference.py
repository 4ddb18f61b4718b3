"""What anyone may read: the LPSEs to choose from and the API document itself."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types

from desk.admin.lpse import public_list
from desk.api.http import openapi_document
from desk.api.routes import Area

AREA = Area()


@AREA.get("/lpse")
def lpse_list() -> list[dict[str, Any]]:
    return public_list()


@AREA.get("/openapi.json", answer="this document")
def openapi() -> Response[Any]:
    # The whole API (all four functions), built with the layer by tools/openapi.py.
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=openapi_document(),
        headers={"Cache-Control": "public, max-age=300"},
    )
