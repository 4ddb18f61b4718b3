"""Replay the failed-events queue: each event that failed every retry is handed again to the function it
failed in; the ones that now succeed leave the queue, the others stay (visible again after a while) and
are counted. Replays are safe twice over: the desk's handlers are idempotent (a mail already turned into
a request, an upload already checked, a sweep run again change nothing).

    make redrive                                            # the local desk of `make run` (port 3000)
    make redrive STACK=epurchasing-desk-prod REGION=ap-southeast-3
    python tools/redrive.py --stack epurchasing-desk-dev --dry-run   # list what waits, change nothing
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_REGION = "ap-southeast-3"
BATCH = 10
HOLD_SECONDS = 300  # a message being replayed is hidden this long, so two redrives do not take it twice


@dataclass
class Redrive:
    replayed: list[str] = field(default_factory=list)  # functions an event succeeded in, one per event
    still_failing: list[dict[str, str]] = field(default_factory=list)
    unreadable: int = 0


def _function_of(record: dict[str, Any]) -> str:
    """The function (without a version qualifier) from Lambda's failure record."""
    arn = str(record["requestContext"]["functionArn"])
    head, _, last = arn.rpartition(":")
    return head if last == "$LATEST" or last.isdigit() else arn


def redrive(sqs: Any, lambda_client: Any, queue_url: str, *, dry_run: bool = False) -> Redrive:
    """Replay every event now in the queue, once each."""
    done = Redrive()
    seen: set[str] = set()
    while True:
        answer = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=BATCH,
            WaitTimeSeconds=0,
            VisibilityTimeout=0 if dry_run else HOLD_SECONDS,
        )
        messages = [m for m in answer.get("Messages", []) if m["MessageId"] not in seen]
        if not messages:
            return done
        for message in messages:
            seen.add(message["MessageId"])
            try:
                record = json.loads(message["Body"])
                function = _function_of(record)
                payload = record["requestPayload"]
            except (ValueError, KeyError, TypeError):
                done.unreadable += 1  # kept for a person to read; never dropped
                continue
            if dry_run:
                done.still_failing.append({"function": function, "message_id": message["MessageId"]})
                continue
            result = lambda_client.invoke(
                FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(payload).encode()
            )
            if result.get("FunctionError"):
                error = result["Payload"].read().decode(errors="replace")[:300]
                done.still_failing.append({"function": function, "error": error})
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            done.replayed.append(function)


def _stack_queue(stack: str, region: str) -> tuple[Any, Any, str]:
    import boto3

    outputs = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=stack)["Stacks"][0]
    url = next(
        o["OutputValue"] for o in outputs.get("Outputs", []) if o["OutputKey"] == "FailedEventsQueueUrl"
    )
    return boto3.client("sqs", region_name=region), boto3.client("lambda", region_name=region), url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stack", help="a deployed stack (its FailedEventsQueueUrl output)")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--local", default="http://127.0.0.1:3000", help="the local desk, when no --stack")
    parser.add_argument("--dry-run", action="store_true", help="list what waits; replay nothing")
    args = parser.parse_args(argv)
    if args.stack:
        sqs, lambda_client, url = _stack_queue(args.stack, args.region)
        report = asdict(redrive(sqs, lambda_client, url, dry_run=args.dry_run))
    else:
        if not args.local.startswith(("http://", "https://")):
            parser.error("--local takes the desk's http(s) address")
        request = urllib.request.Request(  # noqa: S310 - an http(s) address, checked above
            f"{args.local}/_local/redrive" + ("?dry_run=1" if args.dry_run else ""), data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - checked above
            report = json.loads(response.read())
    print(json.dumps(report, indent=2))
    return 1 if report["still_failing"] or report["unreadable"] else 0


if __name__ == "__main__":
    sys.exit(main())
