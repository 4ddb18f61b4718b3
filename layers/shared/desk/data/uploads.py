"""Upload records in DynamoDB (``pk=UPLOAD#<id>``): what was asked, the check's claim while it runs, and
its outcome. Keys: ``desk.data.schema``."""

from __future__ import annotations

from typing import Any

from desk import aws, runtime
from desk.data import schema
from desk.documents.store import CheckClaimLost, UploadRepository
from desk.errors import Conflict


class UploadStore:
    def __init__(self, table: Any):
        self.table = table

    def create(self, record: dict[str, Any]) -> None:
        """A new record; an id already taken is refused (ids are random: a clash is a bug, not a race)."""
        from botocore.exceptions import ClientError

        try:
            self.table.put_item(
                Item={**schema.upload(record["upload_id"]), **record},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise Conflict("Unggahan ini sudah ada.", code="upload_exists") from error
            raise

    def load(self, upload_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=schema.upload(upload_id), ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def claim_check(self, upload_id: str, *, token: str, until: str, now: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.table.update_item(
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
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_check(self, upload_id: str, token: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.table.update_item(
                Key=schema.upload(upload_id),
                UpdateExpression="REMOVE check_claim, check_claimed_until",
                ConditionExpression="check_claim = :claim",
                ExpressionAttributeValues={":claim": token},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def record_outcome(self, upload_id: str, token: str, fields: dict[str, Any]) -> None:
        from botocore.exceptions import ClientError

        names = {f"#{name}": name for name in fields}
        try:
            self.table.update_item(
                Key=schema.upload(upload_id),
                UpdateExpression="SET "
                + ", ".join(f"#{name} = :{name}" for name in fields)
                + " REMOVE check_claim, check_claimed_until",
                ConditionExpression="#status = :pending AND check_claim = :claim",
                ExpressionAttributeNames=names | {"#status": "status"},
                ExpressionAttributeValues={f":{name}": value for name, value in fields.items()}
                | {":pending": "pending", ":claim": token},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise CheckClaimLost(upload_id) from error
            raise


@runtime.cached
def repository() -> UploadRepository:
    return UploadStore(aws.table())
