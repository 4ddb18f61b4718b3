"""API Gateway as the template declares it: unknown routes, methods, bodies and tokens."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import jwt
import moto.cognitoidp
import pytest

from desk_local.stack import LocalDesk

ERROR_KEYS = {"code", "message"}


def _error(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"}
    assert ERROR_KEYS <= set(body["error"])
    return body["error"]


def test_an_unknown_route_is_a_404_in_the_contract_shape(desk: LocalDesk) -> None:
    response = desk.http("GET", "/no/such/place")
    assert response.status == 404
    assert _error(response)["code"] == "not_found"


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(desk: LocalDesk) -> None:
    response = desk.http("DELETE", "/tickets")
    assert response.status == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "POST"
    # A path with a parameter too: the methods come from the API document's templates.
    messages = desk.http("GET", "/tickets/EP-2026-000001/messages")
    assert messages.status == 405 and messages.headers["Allow"] == "POST"


def test_malformed_json_is_a_400(desk: LocalDesk) -> None:
    response = desk.http(
        "POST", "/tickets", body=b'{"kind": "complaint",', headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert _error(response)["code"] == "malformed_json"


JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("path", "caller", "body"),
    [
        ("/tickets", None, b'{"kind": "complaint", "subject": "\xff\xfe"}'),  # not UTF-8
        ("/tickets", None, b"[" * 100_000 + b"]" * 100_000),  # nested past the parser's depth
        ("/tickets", None, b'{"kind": ' + b"9" * 5_000 + b"}"),  # an integer past the parser's digits
        ("/staff/calls", "helpdesk", b"\xff"),  # a caller the route takes: the role is checked first
        ("/staff/admin/units", "admin", b"\xff"),
    ],
    ids=["not-utf8", "deep", "long-integer", "staff-not-utf8", "admin-not-utf8"],
)
def test_json_no_parser_can_read_is_a_400_on_every_function(
    desk: LocalDesk, tokens: dict[str, str], path: str, caller: str | None, body: bytes
) -> None:
    token = tokens[caller] if caller else None
    response = desk.http("POST", path, body=body, headers=JSON_HEADERS, token=token)
    assert response.status == 400, response.text
    assert _error(response)["code"] == "malformed_json"


def test_a_body_of_a_type_the_function_does_not_take_is_a_415(desk: LocalDesk) -> None:
    response = desk.http("POST", "/tickets", body=b"kind=complaint", headers={"Content-Type": "text/plain"})
    assert response.status == 415
    assert _error(response)["code"] == "unsupported_media_type"
    assert "text/plain" in _error(response)["fields"]["Content-Type"]
    english = desk.http(
        "POST", "/tickets", body=b"{", headers={"Content-Type": "application/json", "Accept-Language": "en"}
    )
    assert _error(english)["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+07:00", "9999-12-31T00:00:00+07:00"])
def test_a_deadline_from_outside_the_calendar_names_the_field(
    desk: LocalDesk, tokens: dict[str, str], start: str
) -> None:
    query = urlencode({"from": start, "working_days": 5})
    response = desk.http("GET", f"/staff/calendar/deadline?{query}", token=tokens["helpdesk"])
    assert response.status == 422, response.text
    assert "from" in _error(response)["fields"]


def test_a_body_over_the_function_limit_is_a_413(desk: LocalDesk) -> None:
    response = desk.http("POST", "/tickets", json_body={"message": "x" * 300_000})
    assert response.status == 413
    assert _error(response)["code"] == "too_large"


def test_a_body_over_api_gateways_limit_never_reaches_a_function(desk: LocalDesk) -> None:
    before = len(desk.functions.history)
    response = desk.http("POST", "/tickets", body=b"x" * (10 * 1024 * 1024 + 1))
    assert response.status == 413
    assert _error(response)["code"] == "too_large"
    assert len(desk.functions.history) == before


def test_staff_paths_without_a_token_are_401_and_never_reach_the_handler(desk: LocalDesk) -> None:
    before = len(desk.functions.history)
    response = desk.http("GET", "/staff/me")
    assert response.status == 401
    assert _error(response)["code"] == "unauthorized"
    assert len(desk.functions.history) == before


def _sign(claims: dict) -> str:  # type: ignore[type-arg]
    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    with gzip.open(path) as stream:
        private = json.load(stream)
    key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(private))
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})  # type: ignore[arg-type]


def test_a_forged_token_is_401(desk: LocalDesk, tokens: dict[str, str]) -> None:
    header, payload, signature = tokens["helpdesk"].split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["cognito:groups"] = ["admin"]
    forged = ".".join([header, jwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), signature])
    assert desk.http("GET", "/staff/me", token=forged).status == 401
    assert desk.http("GET", "/staff/me", token="not-a-token").status == 401


def test_an_expired_token_is_401_even_when_signed_by_the_pool(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    claims = json.loads(jwt.utils.base64url_decode(tokens["admin"].split(".")[1]))
    fresh = _sign(claims)
    assert desk.http("GET", "/staff/me", token=fresh).status == 200  # the signing works
    claims["exp"] = int(time.time()) - 60
    assert desk.http("GET", "/staff/me", token=_sign(claims)).status == 401


def test_a_token_for_another_pool_or_client_is_401(desk: LocalDesk, tokens: dict[str, str]) -> None:
    claims = json.loads(jwt.utils.base64url_decode(tokens["admin"].split(".")[1]))
    assert desk.http("GET", "/staff/me", token=_sign({**claims, "aud": "someone-else"})).status == 401
    assert desk.http("GET", "/staff/me", token=_sign({**claims, "iss": "https://evil.example"})).status == 401
    assert desk.http("GET", "/staff/me", token=_sign({**claims, "token_use": "access"})).status == 401


def test_a_valid_token_reaches_the_staff_function_with_its_groups(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    response = desk.http("GET", "/staff/me", token=tokens["secretary"])
    assert response.status == 200
    body = response.json()
    assert body["roles"] == ["secretary"]
    assert body["unit"] == "dit-katalog"
    assert body["email"] == "secretary@staff.desk.local"


def test_cors_preflight_is_answered_by_the_gateway(desk: LocalDesk) -> None:
    response = desk.http("OPTIONS", "/tickets", headers={"Origin": "http://127.0.0.1:3000"})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]


def test_the_api_serves_its_openapi_document(desk: LocalDesk) -> None:
    response = desk.http("GET", "/openapi.json")
    assert response.status == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/tickets" in document["paths"] and "post" in document["paths"]["/tickets"]
    assert "/tickets/{number}" in document["paths"]
    operations = {(m.upper(), p) for p, item in document["paths"].items() for m in item}
    # every function's routes, the staff's and the administrator's too, behind the Cognito sign-in
    assert {
        ("GET", "/staff/queue"),
        ("POST", "/staff/admin/units"),
        ("POST", "/approvals/{link_id}"),
    } <= operations
    assert document["paths"]["/staff/queue"]["get"]["security"] == [{"cognito": []}]
    assert "security" not in document["paths"]["/tickets"]["post"]
    # errors in the contract's shape, a creation as 201
    responses = document["paths"]["/tickets"]["post"]["responses"]
    assert set(responses) >= {"201", "400", "413", "415", "429"} and "200" not in responses
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
