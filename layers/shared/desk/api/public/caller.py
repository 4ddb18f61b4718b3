"""Who is asking on the public API, as the rate limits and idempotency keys see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk.requests import ratelimit

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent


def idempotency_key(event: APIGatewayProxyEvent) -> str | None:
    headers = event.headers or {}
    return headers.get("Idempotency-Key") or headers.get("idempotency-key")


def client(event: APIGatewayProxyEvent) -> str:
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    return ratelimit.client_key(
        headers.get("cloudfront-viewer-address"), event.request_context.identity.source_ip
    )
