"""Reads and writes of the reference partitions. Every single change is one DynamoDB transaction with its
audit item and a version check (two administrators editing the same item: the second gets 409); imports
go through BatchWriteItem, 25 items a call, their audit items in the same batches."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from desk import aws, clock
from desk.admin.audit import audit_item
from desk.data import cursors
from desk.data.dynamo import query_all
from desk.errors import Conflict, DeskError

BATCH_WRITE = 25  # BatchWriteItem's limit
BATCH_GET = 100  # BatchGetItem's limit
RETRIES = 8
# Batches of an import go out a few at a time: 10,000 rows are some 900 calls, too many to make one
# after another within API Gateway's 29 s.
WORKERS = 4


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


class ReferenceStore:
    def __init__(self, table: Any | None = None):
        self.table = table if table is not None else aws.table()

    # -- reads ---------------------------------------------------------------------------------------
    def get(self, partition: str, key: str) -> dict[str, Any] | None:
        answer = self.table.get_item(Key={"pk": partition, "sk": key}, ConsistentRead=True)
        item: dict[str, Any] | None = answer.get("Item")
        return item

    def all(self, partition: str) -> list[dict[str, Any]]:
        return query_all(
            self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": partition},
            ConsistentRead=True,
        )

    def page(
        self, partition: str, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": partition},
            "Limit": limit,
        }
        start = cursors.decode(cursor, scope=f"reference:{partition}", keys=("pk", "sk"))
        if start:
            query["ExclusiveStartKey"] = start
        answer = self.table.query(**query)
        return list(answer.get("Items", [])), cursors.encode(
            answer.get("LastEvaluatedKey"), scope=f"reference:{partition}"
        )

    def batch_get(self, partition: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored items among ``keys``, by key (100 keys a call)."""
        client = self.table.meta.client
        name = self.table.name

        def get(group: Sequence[str]) -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = []
            request: dict[str, Any] = {
                name: {"Keys": [{"pk": partition, "sk": key} for key in group], "ConsistentRead": True}
            }
            for attempt in range(RETRIES):
                answer = client.batch_get_item(RequestItems=request)
                found += answer.get("Responses", {}).get(name, [])
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    return found
                _back_off(attempt)
            raise Conflict("Basis data sedang sibuk; coba lagi.", code="store_busy")

        groups = in_parallel(get, chunks(sorted(set(keys)), BATCH_GET))
        return {str(item["sk"]): item for group in groups for item in group}

    # -- writes --------------------------------------------------------------------------------------
    def create(self, item: dict[str, Any], audit: dict[str, Any], *, conflict: DeskError) -> None:
        """Store a new item (refused with ``conflict`` if the key is taken) and its audit item."""
        self.transact([self.put_new(item), self.put(audit)], conflict=conflict)

    def replace(self, item: dict[str, Any], audit: dict[str, Any], *, version: int) -> None:
        """Overwrite an item read at ``version``; 409 if someone changed it in between."""
        self.transact([self.put_replacing(item, version), self.put(audit)], conflict=changed_meanwhile())

    def update(
        self,
        entity: str,
        key: str,
        before: dict[str, Any],
        after: dict[str, Any],
        *,
        by: str,
        now: datetime,
        also: Sequence[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        """Write ``after`` over ``before`` (as read, at its version) one version on, with who and when and
        its audit item, and ``also`` (condition checks): one transaction, 409 if anyone wrote between."""
        version = version_of(before)
        item = {**after, "version": version + 1, "updated_at": clock.iso(now), "updated_by": by}
        audit = audit_item(entity, key, who=by, what="update", before=before, after=item, now=now)
        self.transact(
            [self.put_replacing(item, version), self.put(audit), *also], conflict=changed_meanwhile()
        )
        return item

    def put(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"Put": {"TableName": self.table.name, "Item": item}}

    def put_new(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def put_replacing(self, item: dict[str, Any], version: int) -> dict[str, Any]:
        # Seeded items carry no version: they count as version 0.
        if version == 0:
            condition = "attribute_exists(pk) AND attribute_not_exists(#version)"
            values: dict[str, Any] = {}
        else:
            condition = "#version = :version"
            values = {":version": version}
        put: dict[str, Any] = {
            "TableName": self.table.name,
            "Item": item,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#version": "version"},
        }
        if values:
            put["ExpressionAttributeValues"] = values
        return {"Put": put}

    def unchanged(self, item: dict[str, Any]) -> dict[str, Any]:
        """A condition that ``item`` still has the version it was read with."""
        version = version_of(item)
        check: dict[str, Any] = {
            "TableName": self.table.name,
            "Key": {"pk": item["pk"], "sk": item["sk"]},
            "ExpressionAttributeNames": {"#version": "version"},
        }
        if version == 0:
            check["ConditionExpression"] = "attribute_exists(pk) AND attribute_not_exists(#version)"
        else:
            check["ConditionExpression"] = "#version = :version"
            check["ExpressionAttributeValues"] = {":version": version}
        return {"ConditionCheck": check}

    def transact(self, operations: list[dict[str, Any]], *, conflict: DeskError) -> None:
        from botocore.exceptions import ClientError

        try:
            self.table.meta.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            codes = {r.get("Code") for r in reasons}
            if "ConditionalCheckFailed" in codes:
                raise conflict from error
            if (
                "TransactionConflict" in codes
                or error.response["Error"]["Code"] == "TransactionConflictException"
            ):
                raise changed_meanwhile() from error
            raise

    def batch_put(self, items: Sequence[dict[str, Any]]) -> int:
        """Write ``items`` 25 a call, retrying what DynamoDB leaves unprocessed; returns the calls made."""
        client = self.table.meta.client
        name = self.table.name

        def write(group: Sequence[dict[str, Any]]) -> int:
            request: dict[str, Any] = {name: [{"PutRequest": {"Item": item}} for item in group]}
            for attempt in range(RETRIES):
                answer = client.batch_write_item(RequestItems=request)
                request = answer.get("UnprocessedItems") or {}
                if not request:
                    return attempt + 1
                _back_off(attempt)
            raise Conflict("Basis data sedang sibuk; impor dapat diulang dengan aman.", code="store_busy")

        return sum(in_parallel(write, chunks(items, BATCH_WRITE)))


def version_of(item: dict[str, Any] | None) -> int:
    return int((item or {}).get("version", 0))


def changed_meanwhile() -> Conflict:
    return Conflict(
        "Data ini baru saja diubah orang lain; muat ulang lalu ulangi perubahan Anda.",
        code="changed_meanwhile",
    )


def _back_off(attempt: int) -> None:
    time.sleep(min(0.05 * 2**attempt, 1.0))
