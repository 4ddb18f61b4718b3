"""API Gateway (REST, Lambda proxy) emulated from the translated API definition.

Routes, methods, the Cognito authorizer, CORS preflight and the gateway's own error responses all come
from the template, so what runs here is what deploys.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from desk_local.auth import TokenRejected, claims_as_api_gateway_sends, verify_id_token
from desk_local.functions import LocalFunctions

MAX_PAYLOAD = 10 * 1024 * 1024  # API Gateway's limit
_FUNCTION_IN_URI = re.compile(r"functions/\$\{(?P<id>[A-Za-z0-9]+)\.Arn\}/invocations")


@dataclass
class HttpRequest:
    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    source_ip: str = "127.0.0.1"


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Route:
    resource: str
    pattern: re.Pattern[str]
    methods: dict[str, dict[str, Any]]  # METHOD or ANY -> swagger operation
    rank: tuple[int, int, int]


def _compile(resource: str) -> tuple[re.Pattern[str], tuple[int, int, int]]:
    parts, params, greedy = [], 0, 0
    for segment in resource.strip("/").split("/") if resource != "/" else []:
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
            greedy += 1
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
            params += 1
        else:
            parts.append(re.escape(segment))
    literals = len(parts) - params - greedy
    # API Gateway's precedence: no greedy part first, then the most literal segments, then fewer params.
    return re.compile("^/" + "/".join(parts) + "$"), (greedy, -literals, params)


class Gateway:
    def __init__(
        self,
        body: dict[str, Any],
        functions: LocalFunctions,
        *,
        stage: str,
        user_pools: dict[str, tuple[str, set[str]]],
        resolve: Any,
    ):
        """``user_pools`` maps a pool ARN to (issuer, client ids); ``resolve`` resolves intrinsics."""
        self.functions = functions
        self.stage = stage
        self.user_pools = user_pools
        self.routes: list[Route] = []
        self.authorizers: dict[str, dict[str, Any]] = {}
        for name, definition in (body.get("securityDefinitions") or {}).items():
            authorizer = definition.get("x-amazon-apigateway-authorizer") or {}
            self.authorizers[name] = {
                "type": authorizer.get("type"),
                "providers": resolve(authorizer.get("providerARNs", [])),
            }
        for resource, operations in (body.get("paths") or {}).items():
            pattern, rank = _compile(resource)
            methods = {}
            for method, operation in operations.items():
                key = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
                methods[key] = resolve(operation)
            self.routes.append(Route(resource, pattern, methods, rank))
        self.routes.sort(key=lambda r: r.rank)
        self.gateway_responses = body.get("x-amazon-apigateway-gateway-responses") or {}

    # -- the gateway's own answers -----------------------------------------------------------------
    def gateway_error(self, kind: str, default_status: int) -> HttpResponse:
        spec = self.gateway_responses.get(kind)
        fallback = "DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX"
        spec = spec or self.gateway_responses.get(fallback) or {}
        status = int(spec.get("statusCode", default_status))
        template = (spec.get("responseTemplates") or {}).get("application/json")
        body = template.encode() if template else json.dumps({"message": kind}).encode()
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": kind}
        for name, value in (spec.get("responseParameters") or {}).items():
            headers[name.rsplit(".", 1)[-1]] = str(value).strip("'")
        return HttpResponse(status, headers, body)

    def handle(self, request: HttpRequest) -> HttpResponse:
        if len(request.body) > MAX_PAYLOAD:
            return self.gateway_error("REQUEST_TOO_LARGE", 413)
        path = "/" + request.path.lstrip("/")
        for route in self.routes:
            match = route.pattern.match(path)
            if not match:
                continue
            operation = route.methods.get(request.method.upper()) or route.methods.get("ANY")
            if operation is None:
                # API Gateway answers an unsupported method like an unknown path.
                return self.gateway_error("MISSING_AUTHENTICATION_TOKEN", 403)
            return self._call(route, operation, match.groupdict(), request, path)
        return self.gateway_error("MISSING_AUTHENTICATION_TOKEN", 403)

    def _call(
        self, route: Route, operation: dict[str, Any], params: dict[str, str], request: HttpRequest, path: str
    ) -> HttpResponse:
        integration = operation.get("x-amazon-apigateway-integration") or {}
        if integration.get("type") == "mock":
            return self._mock(integration)
        claims: dict[str, str] | None = None
        for requirement in operation.get("security") or []:
            for name in requirement:
                authorizer = self.authorizers.get(name)
                if authorizer and authorizer["type"] == "cognito_user_pools":
                    verified = self._authorize(authorizer, request)
                    if isinstance(verified, HttpResponse):
                        return verified
                    claims = verified
        uri = json.dumps(integration.get("uri", ""))
        found = _FUNCTION_IN_URI.search(uri) or re.search(r"function:(?P<id>[^/:\"]+)/invocations", uri)
        if not found:
            return self.gateway_error("DEFAULT_5XX", 500)
        event = self._event(route, params, request, path, claims)
        invocation = self.functions.invoke(found.group("id"), event)
        if invocation.error is not None or not isinstance(invocation.result, dict):
            return self.gateway_error("DEFAULT_5XX", 502)
        return self._proxy_response(invocation.result)

    def _mock(self, integration: dict[str, Any]) -> HttpResponse:
        answer = (integration.get("responses") or {}).get("default") or {}
        headers = {
            name.rsplit(".", 1)[-1]: str(value).strip("'")
            for name, value in (answer.get("responseParameters") or {}).items()
        }
        return HttpResponse(int(answer.get("statusCode", 200)), headers, b"")

    def _authorize(self, authorizer: dict[str, Any], request: HttpRequest) -> dict[str, str] | HttpResponse:
        header = next((v for k, v in request.headers.items() if k.lower() == "authorization"), "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else header.strip()
        if not token:
            return self.gateway_error("UNAUTHORIZED", 401)
        for provider in authorizer["providers"]:
            pool = self.user_pools.get(provider)
            if pool is None:
                continue
            issuer, audiences = pool
            try:
                return claims_as_api_gateway_sends(verify_id_token(token, issuer=issuer, audiences=audiences))
            except TokenRejected:
                continue
        return self.gateway_error("UNAUTHORIZED", 401)

    def _event(
        self,
        route: Route,
        params: dict[str, str],
        request: HttpRequest,
        path: str,
        claims: dict[str, str] | None,
    ) -> dict[str, Any]:
        headers = {k: v for k, v in request.headers.items()}
        multi_query = parse_qs(request.query, keep_blank_values=True) if request.query else {}
        body: str | None
        try:
            body = request.body.decode() if request.body else None
            encoded = False
        except UnicodeDecodeError:
            body, encoded = base64.b64encode(request.body).decode(), True
        request_id = str(uuid.uuid4())
        context: dict[str, Any] = {
            "resourcePath": route.resource,
            "httpMethod": request.method.upper(),
            "path": f"/{self.stage}{path}",
            "stage": self.stage,
            "requestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": request.source_ip, "userAgent": headers.get("User-Agent", "")},
        }
        if claims is not None:
            context["authorizer"] = {"claims": claims}
        return {
            "resource": route.resource,
            "path": path,
            "httpMethod": request.method.upper(),
            "headers": headers or None,
            "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": params or None,
            "stageVariables": None,
            "requestContext": context,
            "body": body,
            "isBase64Encoded": encoded,
        }

    @staticmethod
    def _proxy_response(result: dict[str, Any]) -> HttpResponse:
        headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(str(v) for v in values)
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        return HttpResponse(int(result.get("statusCode", 200)), headers, data)
