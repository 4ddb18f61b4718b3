"""Small DynamoDB helpers shared by the repositories."""

from __future__ import annotations

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
