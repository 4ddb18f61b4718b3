"""The pages behind signed approval links. GET and HEAD only show (and audit the view); one POST from the
page decides."""

from typing import Any

from desk.api.approvals import AREAS, MEDIA_TYPES
from desk.api.http import serve
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(AREAS, event, context, media_types=MEDIA_TYPES)
