"""Calendar overrides in DynamoDB (partition ``CALENDAR``): ``OVERRIDE#<scope>#<date>`` per override,
``VERSION`` (the counter) and ``CHANGE#<version>`` (the change log). An override, the version bump and
its change record are written in one transaction. Keys: ``desk.data.schema``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from desk import aws, clock, runtime
from desk.calendar import Override
from desk.calendar_store import CalendarRepository, override_exists, override_missing
from desk.data import schema
from desk.data.dynamo import query_all
from desk.errors import Conflict

PARTITION = schema.CALENDAR_PK


def _override_key(scope: str, day: date) -> dict[str, str]:
    return schema.calendar_override(scope, day.isoformat())


def _from_item(item: dict[str, Any]) -> Override:
    return Override(
        date=date.fromisoformat(item["date"]),
        working=bool(item["working"]),
        scope=item["scope"],
        reason=item.get("reason", ""),
        reference=item.get("reference", ""),
        created_by=item.get("created_by", ""),
        created_at=item.get("created_at", ""),
    )


class CalendarStore:
    def __init__(self, table: Any):
        self.table = table

    def load(self) -> tuple[list[Override], int]:
        """Every override and the version, in one Query (``sk >= OVERRIDE#`` covers both)."""
        items = query_all(
            self.table,
            KeyConditionExpression="pk = :pk AND sk >= :from",
            ExpressionAttributeValues={":pk": PARTITION, ":from": schema.OVERRIDE_PREFIX},
            ConsistentRead=True,
        )
        version = next((int(i["value"]) for i in items if i["sk"] == schema.CALENDAR_VERSION["sk"]), 0)
        return [_from_item(i) for i in items if str(i["sk"]).startswith(schema.OVERRIDE_PREFIX)], version

    def _change(self, write: dict[str, Any], change: dict[str, Any], *, attempts: int = 5) -> int:
        """Apply one override write with the version bump and change record; returns the new version."""
        from botocore.exceptions import ClientError

        name = self.table.name
        for _ in range(attempts):
            current = self.table.get_item(Key=schema.CALENDAR_VERSION, ConsistentRead=True).get("Item")
            old = int(current["value"]) if current else 0
            new = old + 1
            version_update = {
                "Update": {
                    "TableName": name,
                    "Key": schema.CALENDAR_VERSION,
                    "UpdateExpression": "SET #v = :new",
                    "ConditionExpression": "attribute_not_exists(#v) OR #v = :old",
                    "ExpressionAttributeNames": {"#v": "value"},
                    "ExpressionAttributeValues": {":new": new, ":old": old},
                }
            }
            record = {
                "Put": {
                    "TableName": name,
                    "Item": {**schema.calendar_change(new), "version": new, **change},
                }
            }
            try:
                self.table.meta.client.transact_write_items(TransactItems=[write, version_update, record])
                return new
            except ClientError as error:
                reasons = error.response.get("CancellationReasons") or []
                codes = [r.get("Code") for r in reasons]
                if codes and codes[0] == "ConditionalCheckFailed":
                    raise _first_write_refused(write) from error
                if len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
                    continue  # someone else changed the calendar in between: read the version again
                raise
        raise Conflict("Kalender sedang diubah orang lain; coba lagi.", code="calendar_busy")

    def add(self, override: Override, *, actor: str, now: datetime) -> tuple[Override, int]:
        stored = Override(**{**asdict(override), "created_by": actor, "created_at": clock.iso(now)})
        item = {**_override_key(stored.scope, stored.date), **asdict(stored), "date": stored.date.isoformat()}
        write = {
            "Put": {
                "TableName": self.table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        change = {
            "action": "add",
            "date": item["date"],
            "scope": stored.scope,
            "after": item,
            "before": None,
            "by": actor,
            "at": clock.iso(now),
        }
        return stored, self._change(write, change)

    def remove(self, day: date, scope: str, *, actor: str, now: datetime) -> tuple[Override, int]:
        key = _override_key(scope, day)
        existing = self.table.get_item(Key=key, ConsistentRead=True).get("Item")
        if existing is None:
            raise override_missing()
        write = {
            "Delete": {
                "TableName": self.table.name,
                "Key": key,
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        change = {
            "action": "remove",
            "date": day.isoformat(),
            "scope": scope,
            "before": existing,
            "after": None,
            "by": actor,
            "at": clock.iso(now),
        }
        return _from_item(existing), self._change(write, change)


def _first_write_refused(write: dict[str, Any]) -> Exception:
    return override_exists() if "Put" in write else override_missing()


@runtime.cached
def repository() -> CalendarRepository:
    return CalendarStore(aws.table())
