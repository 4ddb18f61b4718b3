"""Each file that lands in quarantine: checked, then moved to documents/ or rejected/ (S3 notification)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.parser import parse

from desk import clock
from desk.documents import uploads
from desk.event_models import S3Event
from desk.observability import instrumented, logger, metrics


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = parse(event=event, model=S3Event).Records
    # A check holds its claim on the upload for as long as this invocation may run.
    hold = timedelta(milliseconds=context.get_remaining_time_in_millis())
    outcomes = [
        uploads.check_arrival(r.s3.bucket.name, r.s3.object.key, now=clock.now(), hold=hold) for r in records
    ]
    for outcome in outcomes:
        logger().info("upload checked", extra={"outcome": outcome})
        metrics().add_metric(
            name=f"Upload{str(outcome['outcome']).title().replace('_', '')}", unit="Count", value=1
        )
    return {"checked": outcomes}
