"""The administration's audit trail: who changed what, with the item before and after.

Item: ``pk=AUDIT#<entity>``, ``sk=<UTC time to the microsecond>#<id>`` (an entity's changes in time
order), and ``gsi1pk=AUDIT#<entity>#<id>``, ``gsi1sk=<time>`` for one item's history. An audit item is
written in the same DynamoDB transaction (or the same batch, for imports) as the change it records.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from desk import clock
from desk.data import schema
from desk.errors import InvalidInput
from desk.staff import StaffUser

ENTITIES = ("unit", "lpse", "contract", "sla_policy", "user", "transaction")
KEY_ATTRIBUTES = ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")


class AuditTrail(Protocol):
    """The audit entries: a change to reference data writes its own with it (``desk.admin.repository``);
    this reads them, and keeps those written apart. DynamoDB's is ``desk.data.audit.AuditStore``; the
    tests hold an in-memory twin to the same behaviour suite."""

    def record(self, entry: Mapping[str, Any]) -> None:
        """Keep an entry made by :func:`audit_item`."""
        ...

    def history(
        self, entity: str, entity_id: str | None, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first, up to ``limit`` entries: an entity's changes, or one item's (``entity_id``); and
        the next page's cursor (None after the last). A cursor of another history is refused (400)."""
        ...


def trail() -> AuditTrail:
    """Where the entries are kept: DynamoDB's ``desk.data.audit`` (or the twin a test provides)."""
    from desk.data.audit import repository

    return repository()


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def view(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An item as the audit keeps it: its data, without the table's keys."""
    if item is None:
        return None
    return {k: v for k, v in item.items() if k not in KEY_ATTRIBUTES}


def who(user: StaffUser) -> str:
    """How the trail names a staff member: the email they sign in with."""
    return user.email or user.username


def plain(value: Any) -> Any:
    """Stored values as JSON shows them: DynamoDB numbers come back as Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def audit_item(
    entity: str,
    entity_id: str,
    *,
    who: str,
    what: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    now: datetime,
) -> dict[str, Any]:
    at = stamp(now)
    return {
        **schema.reference_audit(entity, entity_id, at),
        "entity": entity,
        "entity_id": entity_id,
        "who": who,
        "what": what,
        "before": view(before),
        "after": view(after),
        "at": clock.iso(now),
    }


def history(
    entity: str, entity_id: str | None = None, *, limit: int = 50, cursor: str | None = None
) -> dict[str, Any]:
    """Newest first: an entity's changes, or one item's."""
    if entity not in ENTITIES:
        raise InvalidInput(
            "Jenis data tidak dikenal.", fields={"entity": f"salah satu dari {', '.join(ENTITIES)}"}
        )
    entries, next_cursor = trail().history(entity, entity_id or None, limit=limit, cursor=cursor)
    return {"items": [plain(view(entry)) for entry in entries], "next_cursor": next_cursor}
