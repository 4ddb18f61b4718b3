"""Small helpers shared by the data layer: paged queries, and reading what AWS refused and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def query_all(table: Any, **query: Any) -> list[dict[str, Any]]:
    """Every item one Query finds, following its pages (for partitions known to stay small)."""
    items: list[dict[str, Any]] = []
    while True:
        answer = table.query(**query)
        items += answer.get("Items", [])
        if "LastEvaluatedKey" not in answer:
            return items
        query = {**query, "ExclusiveStartKey": answer["LastEvaluatedKey"]}


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
