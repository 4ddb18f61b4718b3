"""SES (v2), as the desk sends mail: raw messages, under the configuration set that reports bounces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desk import aws, runtime
from desk.data.dynamo import error_code
from desk.mail.outbox import Mailer, MessageRejected

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef


class SesMailer:
    def __init__(self, client: SESV2Client, configuration_set: str = ""):
        self.client = client
        self.configuration_set = configuration_set

    def send(self, sender: str, to: Sequence[str], raw: bytes) -> None:
        from botocore.exceptions import ClientError

        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": sender,
            "Destination": {"ToAddresses": list(to)},
            "Content": {"Raw": {"Data": raw}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        try:
            self.client.send_email(**request)
        except ClientError as error:
            if error_code(error) == "MessageRejected":
                raise MessageRejected(str(error)) from error
            raise  # throttled or failed: botocore retried it already; the caller records the failure


@runtime.cached
def mailer() -> Mailer:
    from desk.settings import get_settings

    return SesMailer(aws.client("sesv2"), get_settings().mail_configuration_set)
