"""The public API: forms and status pages for people without a sign-in."""

from typing import Any

from desk.api.http import serve
from desk.api.public import AREAS
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(AREAS, event, context)
