"""The staff API: everything behind the Cognito authorizer, each act checked against role and unit."""

from typing import Any

from desk.api.http import serve
from desk.api.staff import AREAS
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(AREAS, event, context)
