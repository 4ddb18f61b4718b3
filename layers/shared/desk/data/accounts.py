"""The local provisioning fake's accounts in DynamoDB (``pk=FAKEACCOUNT#<token>``, ``sk=ACCOUNT``): the
user ID it made and the request it made it for, until its one-time activation link is used. The local
stack only. Keys: ``desk.data.schema``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desk import aws, runtime
from desk.data import schema
from desk.data.dynamo import conditional
from desk.provisioning import LocalAccounts

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class LocalAccountStore:
    def __init__(self, table: Table):
        self.table = table

    def record(self, token: str, *, user_id: str, number: str, created_at: str) -> None:
        account = {"user_id": user_id, "number": number, "created_at": created_at}
        self.table.put_item(Item={**schema.local_account(token), **account})

    def activate(self, token: str) -> dict[str, Any] | None:
        answer = conditional(
            lambda: self.table.update_item(
                Key=schema.local_account(token),
                UpdateExpression="SET activated = :yes",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(activated)",
                ExpressionAttributeValues={":yes": True},
                ReturnValues="ALL_OLD",
            )
        )
        if answer is None:
            return None
        old = answer.get("Attributes") or {}
        return {name: old[name] for name in ("user_id", "number", "created_at") if name in old}


@runtime.cached
def repository() -> LocalAccounts:
    return LocalAccountStore(aws.table())
