"""Logger and metrics, built on first use (never at import) from the function's own settings, and the
wrapper every Lambda handler runs in: Powertools' Lambda context in each log line (cold start, function,
request id), the correlation id, the request it works on, and the invocation's metrics published."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from desk import runtime

Handler = Callable[[Any, Any], Any]


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


def instrumented(handler: Handler) -> Handler:
    """The handler, wrapped on its first call in ``inject_lambda_context`` and
    ``log_metrics(capture_cold_start_metric=True)``: the decorators build the logger and metrics, so they
    are applied when the function runs, not when it is imported."""

    @functools.wraps(handler)
    def run(event: Any, context: Any) -> Any:
        return _wrapped(handler)(event, context)

    return run


@runtime.cached
def _wrapped(handler: Handler) -> Handler:
    import warnings

    # An invocation that counted nothing is not worth a warning (set for the process, once).
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)

    def followed(event: Any, context: Any) -> Any:
        follow(event)
        return handler(event, context)

    measured = metrics().log_metrics(capture_cold_start_metric=True)(followed)
    return logger().inject_lambda_context(clear_state=True)(measured)


def follow(event: Any) -> None:
    """Tag this invocation's log lines with what lets one request be followed across functions: the API
    Gateway request id as correlation id, and the request number, task and execution where the event
    names them (a workflow's tasks carry the number; an HTTP path names it)."""
    log = logger()
    data = event if isinstance(event, Mapping) else {}
    request_context = data.get("requestContext") or {}
    log.set_correlation_id(request_context.get("requestId") or data.get("number") or None)
    params = data.get("pathParameters") or {}
    keys = {
        "number": data.get("number") or params.get("number"),
        "task_id": data.get("task_id") or params.get("task_id"),
        "execution": data.get("execution"),
    }
    log.append_keys(**{k: v for k, v in keys.items() if v})


def note_request(number: str) -> None:
    """The request this invocation is about, once it is known (a new request's number)."""
    logger().append_keys(number=number)
