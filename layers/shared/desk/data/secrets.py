"""Secrets Manager, as the desk reads its secrets: one secret, by the id the settings give."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk import aws, runtime
from desk.data.dynamo import error_code
from desk.keys import Secret, SecretMissing

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient


class StoredSecret:
    def __init__(self, client: SecretsManagerClient, secret_id: str):
        self.client = client
        self.secret_id = secret_id

    def read(self) -> str:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_secret_value(SecretId=self.secret_id)["SecretString"]
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                raise SecretMissing(self.secret_id) from error
            raise


@runtime.cached
def signing_secret() -> Secret:
    from desk.settings import get_settings

    return StoredSecret(aws.client("secretsmanager"), get_settings().signing_secret_id)
