"""Guessing access codes is slowed down: wrong codes are counted per request number and per client in
fixed 15-minute windows, and past the limit every attempt (right or wrong) is refused for the window."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desk import aws
from desk.errors import TooManyRequests

WINDOW = timedelta(minutes=15)
LIMITS = {"number": 10, "client": 30}


def _keys(number: str, client: str, now: datetime) -> list[dict[str, str]]:
    window = int(now.timestamp()) // int(WINDOW.total_seconds())
    keys = [{"pk": f"RATE#number#{number}", "sk": str(window)}]
    if client:
        keys.append({"pk": f"RATE#client#{client}", "sk": str(window)})
    return keys


def _limit(pk: str) -> int:
    return LIMITS["number"] if pk.startswith("RATE#number#") else LIMITS["client"]


def check(number: str, client: str, now: datetime, table: Any | None = None) -> None:
    table = table if table is not None else aws.table()
    answer = table.meta.client.batch_get_item(
        RequestItems={table.name: {"Keys": _keys(number, client, now), "ConsistentRead": True}}
    )
    for item in answer.get("Responses", {}).get(table.name, []):
        if int(item.get("count", 0)) >= _limit(str(item["pk"])):
            raise TooManyRequests(
                "Terlalu banyak percobaan kode akses yang salah. Coba lagi 15 menit lagi.",
                code="too_many_attempts",
            )


def record_failure(number: str, client: str, now: datetime, table: Any | None = None) -> None:
    table = table if table is not None else aws.table()
    expires = int((now + WINDOW * 2).timestamp())
    for key in _keys(number, client, now):
        table.update_item(
            Key=key,
            UpdateExpression="ADD #c :one SET expires_at = :expires",
            ExpressionAttributeNames={"#c": "count"},
            ExpressionAttributeValues={":one": 1, ":expires": expires},
        )
