"""The answers the routes declare (their models in the served OpenAPI document) are the answers they
send: real calls through the local desk, each success body validated against its operation's schema."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from desk_local.stack import LocalDesk

TICKET = {
    "kind": "complaint",
    "subject": "Akun terkunci",
    "message": "Tidak bisa masuk sejak pagi.",
    "name": "Ani",
    "email": "ani@pemkot-bogor.go.id",
}
CALL = {
    "caller_name": "Budi",
    "phone": "+62 21 555 0101",
    "kind": "complaint",
    "category": "akses",
    "summary": "Tidak bisa login ke e-Purchasing.",
}
UPLOAD = {"purpose": "attachment", "filename": "surat.pdf", "content_type": "application/pdf", "size": 1000}


def _holds_to_document(document: dict[str, Any], method: str, path: str, answer: Any) -> list[str]:
    """What is wrong with ``answer`` against the schema its operation declares for its status."""
    template = next(
        t for t in document["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", t), path.split("?")[0])
    )
    declared = document["paths"][template][method.lower()]["responses"][str(answer.status)]
    schema = declared["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        "urn:document", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    validator = jsonschema.Draft202012Validator(
        {**schema, "$ref": "urn:document" + schema["$ref"]} if "$ref" in schema else schema,
        registry=registry,
    )
    return [f"{method} {path}: {error.message}" for error in validator.iter_errors(answer.json())]


def test_every_declared_answer_is_what_the_route_sends(desk: LocalDesk, tokens: dict[str, str]) -> None:
    document = desk.http("GET", "/openapi.json").json()
    created = desk.http("POST", "/tickets", json_body=TICKET)
    number, code = created.json()["number"], created.json()["access_code"]
    calls: list[tuple[str, str, dict[str, Any] | None, str | None]] = [
        ("POST", "/uploads", UPLOAD, None),
        ("GET", f"/tickets/{number}?code={code}", None, None),
        ("GET", "/staff/me", None, tokens["helpdesk"]),
        ("GET", "/staff/units", None, tokens["helpdesk"]),
        ("GET", "/staff/tasks", None, tokens["director"]),
        ("POST", "/staff/calls", CALL, tokens["helpdesk"]),
        ("POST", "/staff/uploads", UPLOAD | {"purpose": "letter_scan"}, tokens["secretary"]),
    ]
    problems = _holds_to_document(document, "POST", "/tickets", created)
    for method, path, body, token in calls:
        answer = desk.http(method, path, json_body=body, token=token)
        assert answer.status < 300, f"{method} {path}: {answer.status} {answer.text[:200]}"
        problems += _holds_to_document(document, method, path, answer)
    assert problems == []


def test_a_model_that_does_not_fit_is_caught(desk: LocalDesk) -> None:
    """The check above can fail: a receipt without its access code does not hold to the document."""
    document = desk.http("GET", "/openapi.json").json()
    created = desk.http("POST", "/tickets", json_body=TICKET)

    class Without:
        status = created.status

        @staticmethod
        def json() -> dict[str, Any]:
            return {k: v for k, v in created.json().items() if k != "access_code"}

    assert _holds_to_document(document, "POST", "/tickets", Without) == [
        "POST /tickets: 'access_code' is a required property"
    ]
