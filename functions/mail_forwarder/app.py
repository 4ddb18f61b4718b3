"""In a region that receives mail for a home region that cannot: copy the raw message SES stored here
into the home bucket's inbound-mail/, then hand the same SES event to the home inbound function."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.parser import parse

from desk import aws, runtime
from desk.event_models import SesEvent
from desk.observability import instrumented

RAW_MAIL_PREFIX = "inbound-mail/"


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    env = runtime.current().environ
    records = parse(event=event, model=SesEvent).Records
    for record in records:
        message_id = record.ses.mail.messageId
        raw = aws.client("s3").get_object(Bucket=env["RECEIVING_BUCKET"], Key=RAW_MAIL_PREFIX + message_id)
        home_s3 = _home_client("s3", env["HOME_REGION"])
        home_s3.put_object(
            Bucket=env["HOME_BUCKET"], Key=RAW_MAIL_PREFIX + message_id, Body=raw["Body"].read()
        )
    _home_client("lambda", env["HOME_REGION"]).invoke(
        FunctionName=env["INBOUND_FUNCTION_ARN"], InvocationType="Event", Payload=json.dumps(event).encode()
    )
    return {"forwarded": [r.ses.mail.messageId for r in records]}


@runtime.cached
def _home_client(service: str, region: str) -> Any:
    import boto3

    session: Any = boto3.session.Session()
    return session.client(service, region_name=region)
