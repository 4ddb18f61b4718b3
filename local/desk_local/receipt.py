"""The active SES receipt rule set followed locally: each enabled rule that names a recipient of the message
runs its actions in order, storing the message in S3 or handing it to a function, until a stop action."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desk_local import smtp

if TYPE_CHECKING:
    from desk_local.functions import LocalFunctions


@dataclass
class Delivery:
    """One message handed to the rule set, and what following the rules made of it."""

    raw: bytes
    sender: str
    verdicts: dict[str, str]
    client: Callable[[str], Any]
    functions: LocalFunctions
    stored: list[str] = field(default_factory=list)  # the SES message ids put in S3
    pending: list[Future[Any]] = field(default_factory=list)  # the functions invoked asynchronously

    def follow(self, rules: list[dict[str, Any]], recipients: list[str]) -> None:
        for rule in rules:
            if not rule.get("Enabled", True):
                continue
            matched = [r for r in recipients if smtp.matches(rule.get("Recipients", []), r)]
            if matched:
                self._run_actions(rule, matched)

    def wait(self) -> None:
        for future in self.pending:
            future.result(timeout=60)

    def _run_actions(self, rule: dict[str, Any], matched: list[str]) -> None:
        message_id = smtp.ses_message_id()
        for action in rule.get("Actions", []):
            if "S3Action" in action:
                self._store(action["S3Action"], message_id)
            elif "LambdaAction" in action:
                self._invoke(action["LambdaAction"], message_id, matched)
            elif "StopAction" in action:
                break

    def _store(self, s3: dict[str, Any], message_id: str) -> None:
        self.client("s3").put_object(
            Bucket=s3["BucketName"], Key=s3.get("ObjectKeyPrefix", "") + message_id, Body=self.raw
        )
        self.stored.append(message_id)

    def _invoke(self, lam: dict[str, Any], message_id: str, matched: list[str]) -> None:
        event = smtp.ses_event(
            self.raw,
            message_id=message_id,
            sender=self.sender,
            recipients=matched,
            function_arn=lam["FunctionArn"],
            verdicts=self.verdicts,
        )
        if lam.get("InvocationType", "Event") == "Event":
            self.pending.append(self.functions.invoke_async(lam["FunctionArn"], event))
        else:
            self.functions.invoke(lam["FunctionArn"], event)
