"""Upload records in DynamoDB (``pk=UPLOAD#<id>``): what was asked, the check's claim while it runs, and
its outcome. Keys: ``desk.data.schema``."""

from __future__ import annotations

from typing import Any

from desk import aws, runtime
from desk.data import schema
from desk.data.dynamo import conditional
from desk.documents.store import CheckClaimLost, UploadRepository
from desk.errors import Conflict


def attaching(upload_id: str, number: str, at: str) -> dict[str, Any]:
    """The update that makes a checked upload the request's: only if accepted, nobody's yet, and still
    within its attach window; attached, the file lives as long as its request (no expiry)."""
    return {
        "Key": schema.upload(upload_id),
        "UpdateExpression": "SET attached_to = :number, attached_at = :now REMOVE expires_at",
        "ConditionExpression": "#s = :accepted AND attribute_not_exists(attached_to)"
        " AND attach_before >= :now",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":number": number, ":now": at, ":accepted": "accepted"},
    }


class UploadStore:
    def __init__(self, table: Any):
        self.table = table

    def create(self, record: dict[str, Any]) -> None:
        """A new record; an id already taken is refused (ids are random: a clash is a bug, not a race)."""
        stored = conditional(
            lambda: self.table.put_item(
                Item={**schema.upload(record["upload_id"]), **record},
                ConditionExpression="attribute_not_exists(pk)",
            )
        )
        if stored is None:
            raise Conflict("Unggahan ini sudah ada.", code="upload_exists")

    def load(self, upload_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.upload(upload_id), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def attach(self, upload_id: str, number: str, at: str) -> bool:
        return conditional(lambda: self.table.update_item(**attaching(upload_id, number, at))) is not None

    def claim_check(self, upload_id: str, *, token: str, until: str, now: str) -> bool:
        claimed = conditional(
            lambda: self.table.update_item(
                Key=schema.upload(upload_id),
                UpdateExpression="SET check_claim = :claim, check_claimed_until = :until",
                ConditionExpression="#status = :pending"
                " AND (attribute_not_exists(check_claim) OR check_claimed_until < :now)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":claim": token,
                    ":until": until,
                    ":now": now,
                    ":pending": "pending",
                },
            )
        )
        return claimed is not None

    def release_check(self, upload_id: str, token: str) -> None:
        # Only the holder's token releases: another's (a lapsed claim taken over) is left as it is.
        conditional(
            lambda: self.table.update_item(
                Key=schema.upload(upload_id),
                UpdateExpression="REMOVE check_claim, check_claimed_until",
                ConditionExpression="check_claim = :claim",
                ExpressionAttributeValues={":claim": token},
            )
        )

    def record_outcome(self, upload_id: str, token: str, fields: dict[str, Any]) -> None:
        names = {f"#{name}": name for name in fields}
        recorded = conditional(
            lambda: self.table.update_item(
                Key=schema.upload(upload_id),
                UpdateExpression="SET "
                + ", ".join(f"#{name} = :{name}" for name in fields)
                + " REMOVE check_claim, check_claimed_until",
                ConditionExpression="#status = :pending AND check_claim = :claim",
                ExpressionAttributeNames=names | {"#status": "status"},
                ExpressionAttributeValues={f":{name}": value for name, value in fields.items()}
                | {":pending": "pending", ":claim": token},
            )
        )
        if recorded is None:
            raise CheckClaimLost(upload_id)


@runtime.cached
def repository() -> UploadRepository:
    return UploadStore(aws.table())
