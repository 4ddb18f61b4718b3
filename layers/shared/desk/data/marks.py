"""Marks in DynamoDB: small items whose presence is the fact (a reminder sent, mail handled), most with
an ``expires_at`` for DynamoDB's TTL. Keys: ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.data.dynamo import conditional, get_many
from desk.marks import Key, Marks

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class MarkStore:
    def __init__(self, table: Table):
        self.table = table

    def first(self, key: Key, fields: Mapping[str, Any]) -> bool:
        written = conditional(
            lambda: self.table.put_item(
                Item={**fields, **key}, ConditionExpression="attribute_not_exists(pk)"
            )
        )
        return written is not None

    def any_marked(self, keys: Sequence[Key]) -> bool:
        return bool(get_many(self.table, keys))

    def mark(self, keys: Sequence[Key], fields: Mapping[str, Any]) -> None:
        with self.table.batch_writer() as batch:
            for key in keys:
                batch.put_item(Item={**fields, **key})

    def swap(self, key: Key, fields: Mapping[str, Any]) -> dict[str, Any] | None:
        answer = self.table.put_item(Item={**fields, **key}, ReturnValues="ALL_OLD")
        previous = answer.get("Attributes")
        return dict(previous) if previous else None


@runtime.cached
def repository() -> Marks:
    return MarkStore(aws.table())
