"""Logger and metrics, built on first use (never at import) from the function's own settings."""

from __future__ import annotations

from typing import Any

from desk import runtime


@runtime.cached
def logger() -> Any:
    from aws_lambda_powertools import Logger

    env = runtime.current().environ
    return Logger(service=env.get("POWERTOOLS_SERVICE_NAME", "desk"), level=env.get("LOG_LEVEL", "INFO"))


@runtime.cached
def metrics() -> Any:
    from aws_lambda_powertools import Metrics

    env = runtime.current().environ
    return Metrics(
        namespace=env.get("POWERTOOLS_METRICS_NAMESPACE", "EPurchasingDesk"),
        service=env.get("POWERTOOLS_SERVICE_NAME", "desk"),
    )


def start_invocation(event: Any, context: Any) -> None:
    """Tag this invocation's log lines with the request id, for tracing a request across functions."""
    log = logger()
    request_context = event.get("requestContext") if isinstance(event, dict) else None
    correlation = (request_context or {}).get("requestId") or getattr(context, "aws_request_id", None)
    log.set_correlation_id(correlation)


def flush_metrics() -> None:
    """Publish this invocation's metrics (EMF lines in the log); quiet when there are none."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        metrics().flush_metrics()
