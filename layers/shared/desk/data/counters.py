"""Counters in DynamoDB: an atomic ``ADD`` per key, so two callers counting at once both count.
Keys: ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.data.dynamo import get_many
from desk.marks import Counters, Key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class CounterStore:
    def __init__(self, table: Table):
        self.table = table

    def add(self, key: Key, *, name: str = "count", fields: Mapping[str, Any] | None = None) -> int:
        fields = dict(fields or {})
        expression = "ADD #counter :one"
        if fields:
            expression += " SET " + ", ".join(f"#f{i} = :f{i}" for i in range(len(fields)))
        answer = self.table.update_item(
            Key=dict(key),
            UpdateExpression=expression,
            ExpressionAttributeNames={"#counter": name} | {f"#f{i}": field for i, field in enumerate(fields)},
            ExpressionAttributeValues={":one": 1}
            | {f":f{i}": value for i, value in enumerate(fields.values())},
            ReturnValues="UPDATED_NEW",
        )
        return int(str(answer["Attributes"][name]))

    def counts(self, keys: Sequence[Key], *, name: str = "count") -> list[int]:
        found = {(str(i["pk"]), str(i["sk"])): int(str(i.get(name, 0))) for i in get_many(self.table, keys)}
        return [found.get((k["pk"], k["sk"]), 0) for k in keys]


@runtime.cached
def repository() -> Counters:
    return CounterStore(aws.table())
