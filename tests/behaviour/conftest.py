"""The behaviour tier's AWS: moto in-process, in the desk's region, with the desk's table as the template
declares it and the other services the adapters use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

REGION = "ap-southeast-3"


@pytest.fixture
def moto_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's AWS, in-process, in the desk's region, for one test."""
    from moto import mock_aws

    for name, value in {
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    # Step Functions executes its state machines (the workflow engine's suite starts one).
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield


@pytest.fixture
def moto_table(moto_aws: None) -> Any:
    """The desk's table as the template declares it."""
    import boto3

    indexes = [
        {
            "IndexName": f"gsi{n}",
            "KeySchema": [
                {"AttributeName": f"gsi{n}pk", "KeyType": "HASH"},
                {"AttributeName": f"gsi{n}sk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        for n in (1, 2, 3)
    ]
    return boto3.resource("dynamodb", region_name=REGION).create_table(
        TableName="behaviour",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")
        ],
        GlobalSecondaryIndexes=indexes,
    )


@pytest.fixture
def moto_bucket(moto_aws: None) -> tuple[Any, str]:
    """An S3 client and the name of an empty bucket in it."""
    import boto3

    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="desk-documents", CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3, "desk-documents"


@pytest.fixture
def moto_ses(moto_aws: None) -> Any:
    """An SES v2 client that may send from any address at desk.example (a verified domain)."""
    import boto3

    sesv2 = boto3.client("sesv2", region_name=REGION)
    sesv2.create_email_identity(EmailIdentity="desk.example")
    return sesv2


@pytest.fixture
def moto_secrets(moto_aws: None) -> Any:
    import boto3

    return boto3.client("secretsmanager", region_name=REGION)


@pytest.fixture
def moto_user_pool(moto_aws: None) -> tuple[Any, str]:
    """A Cognito client and the id of a user pool as the template declares it: email is the sign-in name,
    ``custom:unit`` an attribute, and one group per role."""
    import boto3

    from desk.staff import ROLES

    idp = boto3.client("cognito-idp", region_name=REGION)
    pool = idp.create_user_pool(
        PoolName="staff",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        Schema=[{"Name": "unit", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    for role in ROLES:
        idp.create_group(GroupName=role, UserPoolId=pool["Id"])
    return idp, pool["Id"]
