"""Cached AWS clients. Endpoints and credentials come from the environment (AWS or the local stack).
Only the data layer (``desk.data``) calls them; the types are the ``mypy_boto3`` stubs', for the checker
only (they are not installed in a function)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from desk import runtime

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_stepfunctions import SFNClient


@runtime.cached
def _session() -> Any:
    import boto3  # imported on first use: keeps cold start small for code paths that never call AWS

    return boto3.session.Session()


def _config() -> Any:
    """Retries and timeouts of every call the desk makes, the table's included: at most 3 retries, with
    backoffs of at most 1, 2 and 4 s, so a write that stays throttled is given up inside an API function's
    15 s. botocore's own default for DynamoDB (9 retries, about 25 s of backoff, 60 s timeouts) would
    outlast the function, which Lambda then stops wherever it is."""
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


@overload
def client(service: Literal["s3"]) -> S3Client: ...
@overload
def client(service: Literal["sesv2"]) -> SESV2Client: ...
@overload
def client(service: Literal["stepfunctions"]) -> SFNClient: ...
@overload
def client(service: Literal["secretsmanager"]) -> SecretsManagerClient: ...
@overload
def client(service: Literal["cognito-idp"]) -> CognitoIdentityProviderClient: ...
def client(service: str) -> Any:
    return _client(service)


@runtime.cached
def _client(service: str) -> Any:
    import os

    from botocore.config import Config

    config = _config()
    if service == "s3" and not os.environ.get("AWS_ENDPOINT_URL"):
        # Presigned POSTs must name the bucket's regional host: the global one answers a browser's upload
        # to a bucket in a newer region (Jakarta among them) with a redirect that CORS cannot follow.
        config = config.merge(Config(s3={"addressing_style": "virtual"}))
    return _session().client(service, config=config)


def table() -> Table:
    from desk.settings import get_settings

    return _table(get_settings().table_name)


@runtime.cached
def _table(name: str) -> Any:
    return _session().resource("dynamodb", config=_config()).Table(name)
