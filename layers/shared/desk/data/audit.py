"""The administration's audit trail in DynamoDB: an entity's entries in ``pk=AUDIT#<entity>`` by time,
one item's on ``gsi1`` (``gsi1pk=AUDIT#<entity>#<id>``, ``gsi1sk=<time>``). Entries of a change to
reference data are written with it (``desk.data.reference``); this reads them, and keeps the entries
written apart (staff users, who live in Cognito). Keys: ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.admin.audit import AuditTrail
from desk.data import cursors, schema
from desk.signing import KeyRing

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import QueryInputTableQueryTypeDef

ENTITY_KEYS: tuple[str, ...] = ("pk", "sk")
ITEM_KEYS: tuple[str, ...] = ("pk", "sk", "gsi1pk", "gsi1sk")


def history_scope(entity: str, entity_id: str | None) -> str:
    """The list a history's cursor belongs to: an entity's, or one item's."""
    return f"audit:{entity}:{entity_id or ''}"


class AuditStore:
    def __init__(self, table: Table, *, ring: KeyRing | None = None):
        self.table = table
        self.ring = ring  # None: the desk's signing keys

    def record(self, entry: Mapping[str, Any]) -> None:
        self.table.put_item(Item=dict(entry))

    def history(
        self, entity: str, entity_id: str | None, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        query: QueryInputTableQueryTypeDef = {"ScanIndexForward": False, "Limit": limit}
        if entity_id:
            query |= {
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :pk",
                "ExpressionAttributeValues": {":pk": schema.reference_item_audit_pk(entity, entity_id)},
            }
            keys = ITEM_KEYS
        else:
            query |= {
                "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": schema.reference_audit_pk(entity)},
            }
            keys = ENTITY_KEYS
        scope = history_scope(entity, entity_id)
        start = cursors.decode(cursor, scope=scope, keys=keys, ring=self.ring)
        if start:
            query["ExclusiveStartKey"] = start
        answer = self.table.query(**query)
        return [dict(item) for item in answer.get("Items", [])], cursors.encode(
            answer.get("LastEvaluatedKey"), scope=scope, ring=self.ring
        )


@runtime.cached
def repository() -> AuditTrail:
    return AuditStore(aws.table())
