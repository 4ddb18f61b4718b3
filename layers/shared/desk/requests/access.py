"""Who may see and work which request (the contract's role-and-unit table), as pure rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.errors import Forbidden
from desk.staff import StaffUser

SEE_EVERY_REQUEST = frozenset({"helpdesk", "secretary", "director", "admin"})
WORK_EVERY_REQUEST = frozenset({"helpdesk"})


def _in_unit(user: StaffUser, request: Mapping[str, Any]) -> bool:
    """The request's own unit, and for a letter the Subdits it was dispositioned to (they draft the answer
    and need the letter and its scan)."""
    if not user.unit:
        return False
    disposed = ((request.get("details") or {}).get("disposition") or {}).get("units") or []
    return user.unit == request.get("unit") or user.unit in disposed


def can_view(user: StaffUser, request: Mapping[str, Any]) -> bool:
    return user.has_any(SEE_EVERY_REQUEST) or _in_unit(user, request) or request.get("assignee") == user.email


def can_work(user: StaffUser, request: Mapping[str, Any]) -> bool:
    return (
        user.has_any(WORK_EVERY_REQUEST) or _in_unit(user, request) or request.get("assignee") == user.email
    )


def require_view(user: StaffUser, request: Mapping[str, Any]) -> None:
    if not can_view(user, request):
        raise Forbidden("Permintaan ini milik unit lain.", code="other_unit")


def require_work(user: StaffUser, request: Mapping[str, Any]) -> None:
    if not can_work(user, request):
        raise Forbidden("Anda tidak dapat menangani permintaan unit lain.", code="other_unit")


def may_see_identity(user: StaffUser, request: Mapping[str, Any], unit_head: str | None) -> bool:
    """An anonymous requester's identity: only an admin and the head of the request's unit."""
    if not request.get("anonymous"):
        return True
    return user.has_any({"admin"}) or (bool(unit_head) and unit_head == user.email)


def may_read_content(user: StaffUser, request: Mapping[str, Any]) -> bool:
    """A confidential request's message and documents: the unit's own staff and admins only."""
    if not request.get("confidential"):
        return True
    return user.has_any({"admin"}) or _in_unit(user, request) or request.get("assignee") == user.email


def may_see_queue(user: StaffUser, unit: str) -> bool:
    return unit == user.unit or user.has_any({"admin", "director", "helpdesk"})
