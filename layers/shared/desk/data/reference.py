"""Reference data in DynamoDB: one partition per kind (``pk=UNIT``, ``LPSE``, ``CONTRACT``, ``SLA``,
``SETTING``, ``TXN``), the item's key as sort key; transactions also on ``gsi2`` by month. A change is
one transaction with its audit entries and version checks; an import goes through BatchWriteItem, 25
items a call, a few calls at a time. Keys: ``desk.data.schema``."""

from __future__ import annotations

import contextvars
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.admin.repository import (
    MAX_WRITES,
    Created,
    ReferenceRepository,
    Replaced,
    Stored,
    Unchanged,
    Write,
    changed_meanwhile,
    version_of,
)
from desk.data import cursors, schema
from desk.data.dynamo import BATCH_GET, RETRIES, back_off, error_code, get_many, query_all
from desk.errors import Conflict, DeskError
from desk.signing import KeyRing

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import (
        ConditionCheckTypeDef,
        PutTypeDef,
        QueryInputTableQueryTypeDef,
        TransactWriteItemTypeDef,
        WriteRequestTypeDef,
        WriteRequestUnionTypeDef,
    )

BATCH_WRITE = 25  # BatchWriteItem's limit
# Batches of an import go out a few at a time: 10,000 rows are some 900 calls, too many to make one
# after another within API Gateway's 29 s.
WORKERS = 4
PAGE_KEYS = ("pk", "sk")


def chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_parallel[T, R](work: Callable[[T], R], groups: Iterable[T]) -> list[R]:
    """``work`` on each group, ``WORKERS`` at a time, each in a copy of this context (the function's
    runtime goes with it); the first error is raised."""
    todo = list(groups)
    if len(todo) <= 1:
        return [work(group) for group in todo]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(contextvars.copy_context().run, work, group) for group in todo]
        return [future.result() for future in futures]


def months(start: date, end: date) -> Iterator[str]:
    """``YYYY-MM`` of each month from ``start``'s to ``end``'s."""
    month = date(start.year, start.month, 1)
    while month <= end:
        yield month.isoformat()[:7]
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def page_scope(partition: str) -> str:
    return f"reference:{partition}"


def named_twice(items: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    counted = Counter((str(item["pk"]), str(item["sk"])) for item in items)
    return sorted(key for key, times in counted.items() if times > 1)


def check_change(writes: Sequence[Write]) -> None:
    """What no change may be: empty, larger than a transaction, or naming an item twice (DynamoDB
    refuses the last two whole; saying so here names the mistake)."""
    if not writes or len(writes) > MAX_WRITES:
        raise ValueError(f"a change holds 1 to {MAX_WRITES} writes, not {len(writes)}")
    twice = named_twice(w.item for w in writes)
    if twice:
        raise ValueError(f"a change names an item twice: {twice}")


def check_import(items: Sequence[Mapping[str, Any]]) -> None:
    """An import names each item once: two writes of one item in the same batch are refused by
    DynamoDB, and in two batches they would race."""
    twice = named_twice(items)
    if twice:
        raise ValueError(f"an import names an item twice: {twice}")


def _still_at(version: int) -> tuple[str, dict[str, Any]]:
    """The condition that an item is still at ``version``, and its values (seeded items carry no
    version: they are at version 0)."""
    if version == 0:
        return "attribute_exists(pk) AND attribute_not_exists(#version)", {}
    return "#version = :version", {":version": version}


class ReferenceStore:
    def __init__(self, table: Table, *, ring: KeyRing | None = None):
        self.table = table
        self.ring = ring  # None: the desk's signing keys

    # -- reads ---------------------------------------------------------------------------------------
    def item(self, partition: str, key: str) -> dict[str, Any] | None:
        found = self.table.get_item(Key={"pk": partition, "sk": key}, ConsistentRead=True).get("Item")
        return dict(found) if found is not None else None

    def items(self, partition: str) -> list[dict[str, Any]]:
        return query_all(
            self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": partition},
            ConsistentRead=True,
        )

    def page(
        self, partition: str, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        query: QueryInputTableQueryTypeDef = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": partition},
            "Limit": limit,
        }
        start = cursors.decode(cursor, scope=page_scope(partition), keys=PAGE_KEYS, ring=self.ring)
        if start:
            query["ExclusiveStartKey"] = start
        answer = self.table.query(**query)
        return [dict(item) for item in answer.get("Items", [])], cursors.encode(
            answer.get("LastEvaluatedKey"), scope=page_scope(partition), ring=self.ring
        )

    def items_among(self, partition: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """100 keys a call, a few calls at a time."""

        def get(group: Sequence[str]) -> list[dict[str, Any]]:
            return get_many(self.table, [{"pk": partition, "sk": key} for key in group])

        groups = in_parallel(get, chunks(sorted(set(keys)), BATCH_GET))
        return {str(item["sk"]): item for group in groups for item in group}

    def transactions_dated(self, start: date, end: date) -> list[dict[str, Any]]:
        """One Query of ``gsi2`` per month."""
        found: list[dict[str, Any]] = []
        for month in months(start, end):
            found += query_all(
                self.table,
                IndexName="gsi2",
                KeyConditionExpression="gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to",
                ExpressionAttributeValues={
                    ":pk": schema.transactions_of_month_pk(month),
                    ":from": start.isoformat(),
                    ":to": f"{end.isoformat()}#\uffff",
                },
            )
        return found

    # -- writes --------------------------------------------------------------------------------------
    def _operation(self, write: Write) -> TransactWriteItemTypeDef:
        name = self.table.name
        match write:
            case Created(item=item):
                new: PutTypeDef = {
                    "TableName": name,
                    "Item": dict(item),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
                return {"Put": new}
            case Replaced(item=item, version=version):
                condition, values = _still_at(version)
                over: PutTypeDef = {
                    "TableName": name,
                    "Item": dict(item),
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": {"#version": "version"},
                }
                if values:
                    over["ExpressionAttributeValues"] = values
                return {"Put": over}
            case Unchanged(item=item):
                condition, values = _still_at(version_of(item))
                check: ConditionCheckTypeDef = {
                    "TableName": name,
                    "Key": {"pk": item["pk"], "sk": item["sk"]},
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": {"#version": "version"},
                }
                if values:
                    check["ExpressionAttributeValues"] = values
                return {"ConditionCheck": check}
            case Stored(item=item):
                return {"Put": {"TableName": name, "Item": dict(item)}}

    def save_change(self, writes: Sequence[Write], *, refused: DeskError) -> None:
        from botocore.exceptions import ClientError

        check_change(writes)
        try:
            self.table.meta.client.transact_write_items(TransactItems=[self._operation(w) for w in writes])
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            codes = {r.get("Code") for r in reasons}
            if "ConditionalCheckFailed" in codes:
                raise refused from error
            if "TransactionConflict" in codes or error_code(error) == "TransactionConflictException":
                raise changed_meanwhile() from error
            raise

    def save_import(self, items: Sequence[Mapping[str, Any]]) -> None:
        """25 items a call, a few calls at a time, retrying what DynamoDB leaves unprocessed."""
        check_import(items)
        client = self.table.meta.client
        name = self.table.name

        def write(group: Sequence[Mapping[str, Any]]) -> None:
            puts: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": dict(item)}} for item in group]
            request: Mapping[str, Sequence[WriteRequestUnionTypeDef]] = {name: puts}
            for attempt in range(RETRIES):
                answer = client.batch_write_item(RequestItems=request)
                request = answer.get("UnprocessedItems") or {}
                if not request:
                    return
                back_off(attempt)
            raise Conflict("Basis data sedang sibuk; impor dapat diulang dengan aman.", code="store_busy")

        in_parallel(write, chunks(items, BATCH_WRITE))


@runtime.cached
def repository() -> ReferenceRepository:
    return ReferenceStore(aws.table())
