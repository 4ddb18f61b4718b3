"""Requests in DynamoDB: one partition per request holds the request, its identity (apart, so an
anonymous requester is hidden by default) and its append-only log; open requests are in their unit's
queue, their assignee's, and all open work by deadline. Keys: ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from desk import aws, runtime
from desk.data import cursors, schema
from desk.data.dynamo import get_many, query_all, written_meanwhile
from desk.data.uploads import attaching
from desk.errors import Conflict
from desk.requests.store import (
    AttachUpload,
    Claim,
    ClaimClash,
    Hold,
    IdempotencyClash,
    Note,
    QueuePage,
    Release,
    RequestRepository,
    StoredRequest,
)
from desk.signing import KeyRing

QUEUE_ATTRIBUTES = ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")
_FINAL = ("closed", "rejected", "forwarded")


def queue_keys(item: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Index keys of an open request (its unit's queue, its assignee's, all open work by deadline);
    a closed one leaves every queue. Returns (attributes to set, attributes to remove)."""
    if item.get("status") in _FINAL:
        return {}, list(QUEUE_ATTRIBUTES)
    due = ((item.get("sla") or {}).get("due_at")) or "9999-12-31T23:59:59Z"
    order = f"{due}#{item['number']}"
    keys = {"gsi1pk": schema.queue_pk(item["unit"]), "gsi1sk": order, "gsi3pk": schema.OPEN, "gsi3sk": order}
    remove = []
    if item.get("assignee"):
        keys |= {"gsi2pk": schema.assignee_pk(item["assignee"]), "gsi2sk": order}
    else:
        remove = ["gsi2pk", "gsi2sk"]
    return keys, remove


def of_partition(items: list[dict[str, Any]]) -> StoredRequest | None:
    """The request, identity and events among a request partition's items (None: no request)."""
    request = next((i for i in items if i["sk"] == schema.REQUEST_SK), None)
    if request is None:
        return None
    identity = next((i for i in items if i["sk"] == schema.IDENTITY_SK), None)
    events = [i for i in items if str(i["sk"]).startswith(schema.EVENT_PREFIX)]
    return StoredRequest(item=request, identity=identity, events=events)


def claim_operations(claims: Sequence[Claim], *, number: str, table_name: str) -> list[dict[str, Any]]:
    """The transaction items of a request's claims."""
    operations: list[dict[str, Any]] = []
    for claim in claims:
        match claim:
            case AttachUpload(upload_id=upload_id, at=at):
                operations.append({"Update": {"TableName": table_name, **attaching(upload_id, number, at)}})
            case Hold(key=key, fields=fields, taking_over_from=previous):
                put: dict[str, Any] = {
                    "TableName": table_name,
                    "Item": {**fields, **key, "number": number},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
                if previous:
                    put |= {
                        "ConditionExpression": "attribute_not_exists(pk) OR #number = :previous",
                        "ExpressionAttributeNames": {"#number": "number"},
                        "ExpressionAttributeValues": {":previous": previous},
                    }
                operations.append({"Put": put})
            case Note(key=key, fields=fields):
                operations.append(
                    {"Put": {"TableName": table_name, "Item": {**fields, **key, "number": number}}}
                )
            case Release(key=key):
                operations.append({"Delete": {"TableName": table_name, "Key": dict(key)}})
    return operations


@runtime.cached
def repository() -> RequestRepository:
    return RequestStore(aws.table())


class RequestStore:
    def __init__(self, table: Any, ring: KeyRing | None = None):
        self.table = table
        self.ring = ring  # signs the queue's cursors; None: the desk's signing keys

    @property
    def _client(self) -> Any:
        return self.table.meta.client

    def next_sequence(self, name: str) -> int:
        answer = self.table.update_item(
            Key=schema.counter(name),
            UpdateExpression="ADD #v :one",
            ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues={":one": 1},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["value"])

    def idempotency_records(self, keys: list[str]) -> list[dict[str, Any]]:
        return get_many(self.table, [schema.idempotency(key) for key in keys])

    def create(
        self,
        item: dict[str, Any],
        identity: dict[str, Any] | None,
        events: list[dict[str, Any]],
        idempotency: list[dict[str, Any]],
        now_epoch: int,
        claims: Sequence[Claim] = (),
    ) -> None:
        """Request (placed in its queues), identity, first events and idempotency records in one
        transaction."""
        name = self.table.name
        item = item | queue_keys(item)[0]
        operations: list[dict[str, Any]] = [
            {"Put": {"TableName": name, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}
        ]
        if identity is not None:
            operations.append({"Put": {"TableName": name, "Item": identity}})
        operations += [{"Put": {"TableName": name, "Item": event}} for event in events]
        for record in idempotency:
            operations.append(
                {
                    "Put": {
                        "TableName": name,
                        "Item": record,
                        # An expired record may be taken over; DynamoDB's TTL deletes lazily.
                        "ConditionExpression": "attribute_not_exists(pk) OR expires_at < :now",
                        "ExpressionAttributeValues": {":now": now_epoch},
                    }
                }
            )
        first_claim = len(operations)
        operations += claim_operations(claims, number=item["number"], table_name=name)
        from botocore.exceptions import ClientError  # botocore is loaded by now: the client exists

        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            clashed = [
                i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed" and i > 0
            ]
            if any(i < first_claim for i in clashed):
                raise IdempotencyClash() from error
            if clashed:
                raise ClaimClash() from error
            raise

    def load(self, number: str) -> StoredRequest | None:
        items = query_all(
            self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": schema.request_pk(number)},
        )
        return of_partition(items)

    def commit(
        self,
        item: dict[str, Any],
        expected_version: int,
        fields: dict[str, Any],
        events: list[dict[str, Any]],
        claims: Sequence[Claim] = (),
    ) -> dict[str, Any]:
        """Set ``fields`` on the request and append ``events`` (numbered after the version), in one
        transaction that fails if anyone else wrote since ``expected_version`` was read. A refused claim
        is :class:`ClaimClash`."""
        from botocore.exceptions import ClientError

        number = item["number"]
        new_version = expected_version + len(events)
        updated = {**item, **fields, "version": new_version}
        keys, remove = queue_keys(updated)
        values = {**fields, **keys, "version": new_version}
        names = {f"#f{i}": name for i, name in enumerate(values)}
        expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(values)))
        removed = [name for name in remove if name in item]
        if removed:
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed)))
            names |= {f"#r{i}": name for i, name in enumerate(removed)}
        update = {
            "Update": {
                "TableName": self.table.name,
                "Key": schema.request(number),
                "UpdateExpression": expression,
                "ConditionExpression": "#version = :expected",
                "ExpressionAttributeNames": names | {"#version": "version"},
                "ExpressionAttributeValues": {f":v{i}": v for i, v in enumerate(values.values())}
                | {":expected": expected_version},
            }
        }
        puts = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": {**schema.event(number, expected_version + 1 + i), **event},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for i, event in enumerate(events)
        ]
        operations = [update, *puts]
        first_claim = len(operations)
        try:
            held = claim_operations(claims, number=number, table_name=self.table.name)
            self._client.transact_write_items(TransactItems=[*operations, *held])
        except ClientError as error:
            if written_meanwhile(error):
                reasons = error.response.get("CancellationReasons") or []
                if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[first_claim:]) and not any(
                    r.get("Code") == "ConditionalCheckFailed" for r in reasons[:first_claim]
                ):
                    raise ClaimClash() from error
                raise Conflict(
                    "Permintaan ini baru saja diubah orang lain; muat ulang lalu coba lagi.",
                    code="edit_conflict",
                ) from error
            raise  # throttled, or another failure: not someone else's edit
        for name in removed:
            updated.pop(name, None)
        return updated | keys

    def held(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        item = self.table.get_item(Key=dict(key), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def meetings_booked(self, officer: str, first: str, last: str) -> set[str]:
        booked = query_all(
            self.table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={":pk": schema.meetings_pk(officer), ":first": first, ":last": last},
            ConsistentRead=True,
        )
        return {str(item["sk"]) for item in booked}

    def flag(self, number: str, reason: str) -> None:
        self.table.update_item(
            Key=schema.request(number),
            UpdateExpression="SET needs_attention = :yes, attention_reason = :why",
            ExpressionAttributeValues={":yes": True, ":why": reason},
        )

    def open_work(self) -> list[dict[str, Any]]:
        return query_all(
            self.table,
            IndexName="gsi3",
            KeyConditionExpression="gsi3pk = :open",
            ExpressionAttributeValues={":open": schema.OPEN},
        )

    def queue(self, page: QueuePage) -> tuple[list[dict[str, Any]], str | None]:
        index, pk = (
            ("gsi2", schema.assignee_pk(page.assignee))
            if page.assignee
            else ("gsi1", schema.queue_pk(page.unit))
        )
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{index}pk = :pk",
            "ExpressionAttributeValues": {":pk": pk},
            "Limit": page.limit,
            "ScanIndexForward": True,
        }
        if page.status:
            query["FilterExpression"] = "#status = :status"
            query["ExpressionAttributeNames"] = {"#status": "status"}
            query["ExpressionAttributeValues"][":status"] = page.status
        # A cursor belongs to the one list it was made for (its index and partition).
        scope = f"queue:{index}:{pk}:{page.status or ''}"
        keys = ("pk", "sk", f"{index}pk", f"{index}sk")
        start = cursors.decode(page.cursor, scope=scope, keys=keys, ring=self.ring)
        if start:
            query["ExclusiveStartKey"] = start
        answer = self.table.query(**query)
        last = answer.get("LastEvaluatedKey")
        return list(answer.get("Items", [])), cursors.encode(last, scope=scope, ring=self.ring)

    def append_event(self, number: str, expected_version: int, event: dict[str, Any]) -> None:
        """Add one event and bump the version; :class:`Conflict` if someone else wrote in between."""
        from botocore.exceptions import ClientError

        name = self.table.name
        try:
            self._write_event(name, number, expected_version, event)
        except ClientError as error:
            if written_meanwhile(error):
                raise Conflict("Permintaan ini baru saja diubah.", code="edit_conflict") from error
            raise

    def _write_event(self, name: str, number: str, expected_version: int, event: dict[str, Any]) -> None:
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": name,
                        "Key": schema.request(number),
                        "UpdateExpression": "SET version = :next",
                        "ConditionExpression": "version = :expected",
                        "ExpressionAttributeValues": {
                            ":next": expected_version + 1,
                            ":expected": expected_version,
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": name,
                        "Item": event,
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
