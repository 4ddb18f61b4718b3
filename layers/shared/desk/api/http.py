"""Build the API resolver every HTTP function uses, with the contract's error shape in one place."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from functools import cache, partial
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.shared.json_encoder import Encoder
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from desk import runtime
from desk.api.routes import Area, Gate, gates_of
from desk.errors import DeskError, MethodNotAllowed, NotFound, TooLarge, UnsupportedMediaType
from desk.phrases import fields_in, in_language
from desk.validation import field_path, field_problem

MAX_BODY_BYTES = 256 * 1024
_GENERIC = {
    "id": {
        "invalid_input": "Ada isian yang belum benar.",
        "malformed_json": "Isi permintaan bukan JSON yang sah.",
        "internal_error": "Terjadi kesalahan pada layanan. Silakan coba lagi.",
        "service_busy": "Layanan sedang sibuk. Silakan coba lagi sebentar lagi.",
    },
    "en": {
        "invalid_input": "Some fields are not valid.",
        "malformed_json": "The request body is not valid JSON.",
        "internal_error": "Something went wrong on our side. Please try again.",
        "service_busy": "The service is busy. Please try again in a moment.",
    },
}


def error_body(code: str, message: str, fields: Mapping[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = dict(fields)
    return {"error": error}


def error_response(status: int, code: str, message: str, fields: Mapping[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(error_body(code, message, fields), ensure_ascii=False),
    )


def language(app: APIGatewayRestResolver) -> str:
    return language_of(app.current_event.headers or {})


def language_of(headers: Mapping[str, Any]) -> str:
    header = headers.get("accept-language") or headers.get("Accept-Language")
    return "en" if header and str(header).strip().lower().startswith("en") else "id"


def build_resolver() -> APIGatewayRestResolver:
    # Answers keep Indonesian text as it is written (UTF-8), not as \u escapes.
    app = APIGatewayRestResolver(
        enable_validation=True,
        serializer=partial(json.dumps, separators=(",", ":"), ensure_ascii=False, cls=Encoder),
    )

    @app.exception_handler(DeskError)
    def _desk_error(error: DeskError) -> Response:
        lang = language(app)
        fields = fields_in(error.fields, lang) if error.fields else error.fields
        return error_response(error.status, error.code, in_language(error.message, lang), fields)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response:
        lang = language(app)
        problems = list(error.errors())
        if any(p.get("type") == "json_invalid" for p in problems):
            return error_response(400, "malformed_json", _GENERIC[lang]["malformed_json"])
        fields: dict[str, str] = {}
        for problem in problems:
            name, text = field_path(problem.get("loc", ())), field_problem(problem, lang)
            # A rule across fields says which field it is about: "field: what is wrong".
            head, sep, rest = text.partition(": ")
            if name == "body" and sep and all(p.isidentifier() or p.isdigit() for p in head.split(".")):
                name, text = head, rest
            fields.setdefault(name, text)
        return error_response(400, "invalid_input", _GENERIC[lang]["invalid_input"], fields)

    @app.exception_handler(NotFoundError)
    def _not_found(_: NotFoundError) -> Response:
        method = app.current_event.http_method.upper()
        path = app.current_event.path
        other_methods = [m for m in _methods_at(path) if m != method]
        if other_methods:
            error = MethodNotAllowed(f"Metode {method} tidak didukung di alamat ini.")
            response = error_response(error.status, error.code, error.message)
            response.headers["Allow"] = ", ".join(other_methods)
            return response
        missing = NotFound("Alamat tidak ditemukan.")
        return error_response(missing.status, missing.code, missing.message)

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        from desk.observability import logger

        if throttled(error):
            # An AWS service still throttling after the client's retries: nothing was done; say when to retry.
            logger().warning("throttled", extra={"error": type(error).__name__})
            busy = error_response(
                HTTPStatus.SERVICE_UNAVAILABLE, "service_busy", _GENERIC[language(app)]["service_busy"]
            )
            busy.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return busy
        logger().exception("unhandled error")
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", _GENERIC[language(app)]["internal_error"]
        )

    return app


JSON = "application/json"
RETRY_AFTER_SECONDS = 5
THROTTLES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
    }
)


def throttled(error: BaseException) -> bool:
    """An AWS answer that means "too busy, try later", also a transaction cancelled for a throttled item."""
    from desk.data.dynamo import error_code

    code = error_code(error)
    if code in THROTTLES:
        return True
    reasons = getattr(error, "response", {}).get("CancellationReasons") or []
    return code == "TransactionCanceledException" and any(r.get("Code") == "ThrottlingError" for r in reasons)


def resolve(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: Any,
    *,
    gates: Mapping[str, Gate] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    media_types: tuple[str, ...] | None = (JSON,),
) -> dict[str, Any]:
    """Run the resolver. Before anything reads the body, the route's gate (``gates``, by ``"METHOD
    /resource/{param}"``) refuses a caller without a staff token (401) or without one of its roles (403,
    whatever the body: a form's fields are nobody's business who may not send it), and runs its check of
    the caller against the path's parameters (another unit's request: 403); then a body that is too large
    (the gate's limit, else ``max_body_bytes``), of a type the function does not take (415), or JSON that
    cannot be read (400: bytes that are not UTF-8, nesting or numbers too large for the parser) is
    refused. ``media_types`` None: the body is checked for size only."""
    gate, params = _route_of(f"{event.get('httpMethod', '')} {event.get('path', '')}", gates or {})
    refused = (gate and _refused_caller(event, gate, params)) or _refused_body(
        event, (gate and gate.max_body_bytes) or max_body_bytes, media_types
    )
    if refused is not None:
        lang = language_of(event.get("headers") or {})
        return _no_sniffing(
            {
                "statusCode": refused.status,
                "headers": {"Content-Type": "application/json"},
                "body": json.dumps(
                    error_body(
                        refused.code,
                        in_language(refused.message, lang),
                        fields_in(refused.fields, lang) if refused.fields else None,
                    ),
                    ensure_ascii=False,
                ),
                "isBase64Encoded": False,
            }
        )
    return _no_sniffing(app.resolve(event, context))


def _refused_caller(event: dict[str, Any], gate: Gate, params: Mapping[str, str]) -> DeskError | None:
    if not gate.signed_in:
        return None
    from desk import staff

    try:
        user = staff.from_event(event)
        if gate.roles:
            user.require(*sorted(gate.roles))
        if gate.check is not None:
            gate.check(user, params)
    except DeskError as refused:
        return refused
    return None


def _route_of[T](request: str, routes: Mapping[str, T]) -> tuple[T | None, dict[str, str]]:
    """What ``routes`` holds for the route ``request`` ("METHOD /path") takes, and its path parameters:
    the functions sit behind one proxy resource, so the route is found by its path, ``{name}`` standing
    for one segment."""
    for route, value in routes.items():
        found = _route_pattern(route).fullmatch(request)
        if found:
            return value, found.groupdict()
    return None, {}


@cache
def _route_pattern(route: str) -> re.Pattern[str]:
    """``{name}`` in a route (``"METHOD /path/{name}"``, or a path alone) stands for one segment."""
    return re.compile(re.sub(r"\\\{([^/]+?)\\\}", r"(?P<\1>[^/]+)", re.escape(route)))


def _methods_at(path: str) -> list[str]:
    """The methods the API document gives the path (a 405 names them in ``Allow``)."""
    return sorted(
        method.upper()
        for template, operations in _document_paths().items()
        if _route_pattern(template).fullmatch(path)
        for method in operations
    )


@runtime.cached
def _document_paths() -> dict[str, Any]:
    return dict(json.loads(openapi_document())["paths"])


def _refused_body(
    event: dict[str, Any], max_body_bytes: int, media_types: tuple[str, ...] | None
) -> DeskError | None:
    body = event.get("body") or ""
    if len(body) > max_body_bytes:
        size = (
            f"{max_body_bytes // (1024 * 1024)} MB"
            if max_body_bytes >= 1024 * 1024
            else f"{max_body_bytes // 1024} KB"
        )
        return TooLarge(f"Isi permintaan melebihi {size}.")
    if not body or media_types is None:
        return None
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    media = headers.get("content-type", JSON).split(";", 1)[0].strip().lower() or JSON
    if media not in media_types:
        return UnsupportedMediaType(
            "Jenis isi permintaan tidak diterima.",
            fields={"Content-Type": f"{media}; kirim {' atau '.join(media_types)}"},
        )
    if media != JSON:
        return None
    malformed = DeskError("Isi permintaan bukan JSON yang sah.", code="malformed_json")
    try:
        text = base64.b64decode(body).decode("utf-8") if event.get("isBase64Encoded") else str(body)
        text.encode("utf-8")  # bytes that were not UTF-8 arrive as lone surrogates, which do not encode
        json.loads(text)
    except (ValueError, RecursionError, UnicodeError, binascii.Error):
        return malformed
    return None


def _no_sniffing(answer: dict[str, Any]) -> dict[str, Any]:
    """Every answer of the desk's functions tells browsers to keep to its Content-Type (JSON stays JSON,
    never HTML), also when API Gateway is reached without CloudFront's ApiSecurityHeaders in front."""
    multi = answer.get("multiValueHeaders")
    headers = multi if multi is not None else answer.setdefault("headers", {})
    if not any(name.lower() == "x-content-type-options" for name in headers):
        headers["X-Content-Type-Options"] = ["nosniff"] if multi is not None else "nosniff"
    return answer


def serve(
    areas: tuple[Area, ...],
    event: dict[str, Any],
    context: Any,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    media_types: tuple[str, ...] | None = (JSON,),
) -> dict[str, Any]:
    """The whole Lambda handler of an HTTP function: its areas' routes on the one resolver setup, built
    once per container (the handler runs in ``observability.instrumented``), behind their gates."""
    return resolve(
        resolver_for(areas),
        event,
        context,
        gates=_gates_for(areas),
        max_body_bytes=max_body_bytes,
        media_types=media_types,
    )


@runtime.cached
def _gates_for(areas: tuple[Area, ...]) -> dict[str, Gate]:
    return gates_of(areas)


@runtime.cached
def resolver_for(areas: tuple[Area, ...]) -> APIGatewayRestResolver:
    app = build_resolver()
    for area in areas:
        app.include_router(area.router)
    return app


@runtime.cached
def openapi_document() -> str:
    """The OpenAPI document of the whole API, shipped with the layer (``tools/openapi.py`` builds it)."""
    from pathlib import Path

    return (Path(__file__).parent / "openapi.json").read_text()


def json_body_of(event: BaseProxyEvent) -> Any:
    try:
        return event.json_body
    except (ValueError, TypeError, binascii.Error) as error:  # bad JSON, bytes that are not UTF-8
        raise DeskError("Isi permintaan bukan JSON yang sah.", code="malformed_json") from error
