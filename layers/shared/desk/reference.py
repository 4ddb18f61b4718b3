"""Reference data the desk runs on (LPSEs, units), read from the table."""

from __future__ import annotations

from typing import Any

from desk import aws


def lpses(table: Any | None = None) -> list[dict[str, Any]]:
    table = table if table is not None else aws.table()
    answer = table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": "LPSE"})
    return list(answer.get("Items", []))


def lpse_ids(table: Any | None = None) -> set[str]:
    return {str(item["id"]) for item in lpses(table)}
