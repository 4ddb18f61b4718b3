"""The administration API (/staff/admin/...): the reference data the desk runs on. Role admin only."""

from typing import Any

from desk.api.admin import AREAS, MEDIA_TYPES
from desk.api.http import serve
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(AREAS, event, context, media_types=MEDIA_TYPES)
