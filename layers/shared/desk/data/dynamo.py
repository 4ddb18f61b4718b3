"""Small helpers shared by the data layer: paged queries, and reading what AWS refused and why."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

BATCH_GET = 100  # BatchGetItem's limit
RETRIES = 8


def query_all(table: Any, **query: Any) -> list[dict[str, Any]]:
    """Every item one Query finds, following its pages (for partitions known to stay small)."""
    items: list[dict[str, Any]] = []
    while True:
        answer = table.query(**query)
        items += answer.get("Items", [])
        if "LastEvaluatedKey" not in answer:
            return items
        query = {**query, "ExclusiveStartKey": answer["LastEvaluatedKey"]}


def get_many(table: Any, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items at ``keys`` (at most ``BATCH_GET``), read consistently, in no order; what DynamoDB
    leaves unprocessed is asked for again, and still left after ``RETRIES`` is ``store_busy``."""
    if not keys:
        return []
    found: list[dict[str, Any]] = []
    request: Mapping[str, Any] = {table.name: {"Keys": [dict(k) for k in keys], "ConsistentRead": True}}
    for attempt in range(RETRIES):
        answer = table.meta.client.batch_get_item(RequestItems=request)
        found += [dict(item) for item in answer.get("Responses", {}).get(table.name, [])]
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            return found
        back_off(attempt)
    from desk.errors import Conflict

    raise Conflict("Basis data sedang sibuk; coba lagi.", code="store_busy")


def back_off(attempt: int) -> None:
    time.sleep(min(0.05 * 2**attempt, 1.0))


CONDITION_FAILED = "ConditionalCheckFailedException"


def error_code(error: BaseException) -> str | None:
    """The AWS error code a botocore ``ClientError`` carries; None for any other exception."""
    answer = getattr(error, "response", None)
    return (answer.get("Error") or {}).get("Code") if isinstance(answer, dict) else None


def conditional[T](write: Callable[[], T]) -> T | None:
    """What a conditional write answers, or None when its condition refused it; any other error is
    raised."""
    from botocore.exceptions import ClientError

    try:
        return write()
    except ClientError as error:
        if error_code(error) == CONDITION_FAILED:
            return None
        raise


def written_meanwhile(error: BaseException) -> bool:
    """A transaction cancelled because an item changed (a condition, a concurrent transaction), not one
    cancelled because DynamoDB throttled it: that one is the caller's to retry later, not a clash."""
    if error_code(error) != "TransactionCanceledException":
        return False
    reasons = getattr(error, "response", {}).get("CancellationReasons") or []
    return bool({r.get("Code") for r in reasons} & {"ConditionalCheckFailed", "TransactionConflict"})
