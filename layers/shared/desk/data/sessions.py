"""Training sessions and their bookings in DynamoDB: sessions in one partition (the organiser lists them
all), each session's bookings in its own. Seats are taken in one transaction with the booking, on the
condition that the session still has them. Keys: ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk import aws, runtime
from desk.data import schema
from desk.data.dynamo import conditional, query_all, written_meanwhile
from desk.errors import Conflict
from desk.training.store import SessionRepository


def _changed() -> Conflict:
    return Conflict("Sesi ini baru saja diubah orang lain; muat ulang lalu coba lagi.", code="edit_conflict")


class SessionStore:
    def __init__(self, table: Any):
        self.table = table

    def create(self, session: Mapping[str, Any]) -> None:
        self.table.put_item(
            Item={**schema.session(session["session_id"]), **session},
            ConditionExpression="attribute_not_exists(pk)",
        )

    def load(self, session_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.session(session_id), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def sessions(self) -> list[dict[str, Any]]:
        return self._partition(schema.SESSIONS_PK)

    def bookings(self, session_id: str) -> list[dict[str, Any]]:
        return self._partition(schema.bookings_pk(session_id))

    def booking(self, session_id: str, number: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.booking(session_id, number), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def take_seats(self, session_id: str, *, seats: int, capacity: int, booking: Mapping[str, Any]) -> bool:
        session_op = {
            "Update": {
                "TableName": self.table.name,
                "Key": schema.session(session_id),
                "UpdateExpression": "SET #b = #b + :n",
                "ConditionExpression": "#s = :scheduled AND #c = :cap AND #b <= :limit",
                "ExpressionAttributeNames": {"#s": "status", "#c": "capacity", "#b": "booked"},
                "ExpressionAttributeValues": {
                    ":n": seats,
                    ":scheduled": "scheduled",
                    ":cap": capacity,
                    ":limit": capacity - seats,
                },
            }
        }
        return self._with_booking(session_op, session_id, booking)

    def create_with_booking(self, session: Mapping[str, Any], booking: Mapping[str, Any]) -> bool:
        session_op = {
            "Put": {
                "TableName": self.table.name,
                "Item": {**schema.session(session["session_id"]), **session},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        return self._with_booking(session_op, str(session["session_id"]), booking)

    def change(
        self, session_id: str, fields: Mapping[str, Any], entry: Mapping[str, Any], version: int
    ) -> dict[str, Any]:
        names = {f"#{k}": k for k in fields}
        values = {f":{k}": v for k, v in fields.items()}
        sets = ", ".join(f"#{k} = :{k}" for k in fields)
        answer = conditional(
            lambda: self.table.update_item(
                Key=schema.session(session_id),
                UpdateExpression=f"SET {sets}, #version = #version + :one"
                ", #history = list_append(#history, :entry)",
                ConditionExpression="#version = :version",
                ExpressionAttributeNames={**names, "#version": "version", "#history": "history"},
                ExpressionAttributeValues={**values, ":one": 1, ":entry": [dict(entry)], ":version": version},
                ReturnValues="ALL_NEW",
            )
        )
        if answer is None:
            raise _changed()
        return dict(answer["Attributes"])

    def mark_reminded(self, session_id: str, number: str, start_date: str) -> None:
        self.table.update_item(
            Key=schema.booking(session_id, number),
            UpdateExpression="SET #r = :d",
            ExpressionAttributeNames={"#r": "reminded_for"},
            ExpressionAttributeValues={":d": start_date},
        )

    def set_participants(
        self, session_id: str, number: str, participants: list[dict[str, Any]], *, by: str, version: int
    ) -> None:
        written = conditional(
            lambda: self.table.update_item(
                Key=schema.booking(session_id, number),
                UpdateExpression="SET #p = :p, #version = #version + :one, attendance_by = :by",
                ConditionExpression="#version = :version",
                ExpressionAttributeNames={"#p": "participants", "#version": "version"},
                ExpressionAttributeValues={":p": participants, ":one": 1, ":by": by, ":version": version},
            )
        )
        if written is None:
            raise _changed()

    def _partition(self, pk: str) -> list[dict[str, Any]]:
        return query_all(self.table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": pk})

    def _with_booking(self, session_op: dict[str, Any], session_id: str, booking: Mapping[str, Any]) -> bool:
        from botocore.exceptions import ClientError

        booking_op = {
            "Put": {
                "TableName": self.table.name,
                "Item": {**schema.booking(session_id, str(booking["number"])), **booking},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self.table.meta.client.transact_write_items(TransactItems=[session_op, booking_op])
        except ClientError as error:
            if written_meanwhile(error):  # the seats went, the session changed, the booking exists
                return False
            raise  # throttled, or another failure: not a refusal
        return True


@runtime.cached
def repository() -> SessionRepository:
    return SessionStore(aws.table())
