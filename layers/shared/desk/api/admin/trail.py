"""Who the administrator is, and the audit trail of every change to reference data."""

from __future__ import annotations

from typing import Any

from desk.admin import audit
from desk.api.admin.reading import PAGE_QUERY, page, query
from desk.api.routes import Area, Documented

AREA = Area(roles={"admin"})


@AREA.get("/staff/admin/whoami")
def whoami() -> dict[str, Any]:
    user = AREA.caller()
    return {"username": user.username, "roles": sorted(user.roles)}


@AREA.get(
    "/staff/admin/audit/<entity>",
    documented=Documented(
        query={**PAGE_QUERY, "id": {"type": "string"}},
        path={"entity": {"type": "string", "enum": list(audit.ENTITIES)}},
    ),
)
def audit_trail(entity: str) -> dict[str, Any]:
    limit, cursor = page(AREA.event)
    return audit.history(entity, query(AREA.event, "id"), limit=limit, cursor=cursor)
