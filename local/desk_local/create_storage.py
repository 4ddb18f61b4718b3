"""Creators of the stores: DynamoDB tables, S3 buckets and their policies, SQS queues, secrets."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from desk_local.resources import Created, Creation


def table(creation: Creation) -> Created:
    props = creation.props
    name = props.get("TableName", creation.default_name)
    args: dict[str, Any] = {
        "TableName": name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    answer = creation.client("dynamodb").create_table(**args)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        creation.client("dynamodb").update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    arn = answer["TableDescription"]["TableArn"]
    return creation.created(name, {"Arn": arn, "StreamArn": f"{arn}/stream/local"})


def bucket(creation: Creation) -> Created:
    props, region = creation.props, creation.region
    name = props.get("BucketName", creation.default_name.lower())
    s3 = creation.client("s3")
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    for key, put in _BUCKET_SETTINGS.items():
        if props.get(key):
            put(s3, name, props[key])
    return creation.created(
        name,
        {
            "Arn": f"arn:aws:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        },
    )


def _put_versioning(s3: Any, name: str, versioning: dict[str, Any]) -> None:
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=versioning)


def _put_encryption(s3: Any, name: str, encryption: dict[str, Any]) -> None:
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
                for rule in encryption["ServerSideEncryptionConfiguration"]
            ]
        },
    )


def _put_public_access_block(s3: Any, name: str, block: dict[str, Any]) -> None:
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)


def _put_lifecycle(s3: Any, name: str, lifecycle: dict[str, Any]) -> None:
    rules = [_lifecycle_rule(rule) for rule in lifecycle["Rules"]]
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {
        "ID": rule.get("Id", "rule"),
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    if "ExpirationInDays" in rule:
        converted["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "NoncurrentVersionExpiration" in rule:
        converted["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        }
    return converted


def _put_cors(s3: Any, name: str, cors_configuration: dict[str, Any]) -> None:
    cors = [
        {
            "AllowedMethods": r["AllowedMethods"],
            "AllowedOrigins": r["AllowedOrigins"],
            **({"AllowedHeaders": r["AllowedHeaders"]} if "AllowedHeaders" in r else {}),
            **({"MaxAgeSeconds": r["MaxAge"]} if "MaxAge" in r else {}),
        }
        for r in cors_configuration["CorsRules"]
    ]
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": cors})


def _put_notification(s3: Any, name: str, notification: dict[str, Any]) -> None:
    if not notification.get("LambdaConfigurations"):
        return
    s3.put_bucket_notification_configuration(
        Bucket=name,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "LambdaFunctionArn": c["Function"],
                    "Events": [c["Event"]],
                    **(
                        {"Filter": {"Key": {"FilterRules": c["Filter"]["S3Key"]["Rules"]}}}
                        if c.get("Filter")
                        else {}
                    ),
                }
                for c in notification["LambdaConfigurations"]
            ]
        },
    )


# A bucket's optional settings, each put after the bucket is made, in this order, when the template sets it.
_BUCKET_SETTINGS: dict[str, Callable[[Any, str, dict[str, Any]], None]] = {
    "VersioningConfiguration": _put_versioning,
    "BucketEncryption": _put_encryption,
    "PublicAccessBlockConfiguration": _put_public_access_block,
    "LifecycleConfiguration": _put_lifecycle,
    "CorsConfiguration": _put_cors,
    "NotificationConfiguration": _put_notification,
}


def bucket_policy(creation: Creation) -> Created:
    props = creation.props
    document = dict(props["PolicyDocument"])
    # moto sees every request as plain HTTP (its server is HTTP on loopback; in-process calls carry no
    # TLS either), so a TLS-only deny would refuse everything locally. AWS keeps it.
    document["Statement"] = [s for s in document["Statement"] if not _denies_plain_http(s)]
    creation.client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))
    return creation.created(props["Bucket"])


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition") or {}
    return statement.get("Effect") == "Deny" and "aws:SecureTransport" in json.dumps(condition)


def secret(creation: Creation) -> Created:
    props = creation.props
    name = props.get("Name", creation.default_name)
    if "SecretString" in props:
        value = props["SecretString"]
    else:
        value = _generated_secret(props.get("GenerateSecretString") or {})
    answer = creation.client("secretsmanager").create_secret(Name=name, SecretString=value)
    return creation.created(answer["ARN"], {"Id": answer["ARN"]})


def _generated_secret(generate: dict[str, Any]) -> str:
    generated = secrets.token_urlsafe(48)[: int(generate.get("PasswordLength", 32))]
    if not generate.get("SecretStringTemplate"):
        return generated
    data = json.loads(generate["SecretStringTemplate"])
    data[generate["GenerateStringKey"]] = generated
    return json.dumps(data)


def queue(creation: Creation) -> Created:
    name = creation.props.get("QueueName", creation.default_name)
    url = creation.client("sqs").create_queue(QueueName=name)["QueueUrl"]
    return creation.created(url, {"Arn": creation.arn("sqs", name), "QueueName": name, "QueueUrl": url})
