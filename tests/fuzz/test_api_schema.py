"""The whole API fuzzed from its own OpenAPI document (``/openapi.json``): every operation, as an anonymous
caller, a staff member and the administrator, with bodies and parameters drawn from the document
(derandomized, a bounded number per operation). No answer may be a 5xx, a status or body the document
does not describe, or a 400 for a request the document says is valid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openapi
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from desk_local.server import make_server, serve_in_thread
from desk_local.stack import LocalDesk

SCHEMA = schemathesis.openapi.from_path(openapi.OUTPUT)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
CALLERS = ("anonymous", "helpdesk", "admin")


@pytest.fixture(scope="module")
def served(desk: LocalDesk) -> Iterator[str]:
    server = make_server(desk, "127.0.0.1", 0, "127.0.0.1:0")
    serve_in_thread(server)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def credentials(desk: LocalDesk) -> dict[str, dict[str, str]]:
    return {
        "anonymous": {},
        **{role: {"Authorization": desk.login(role)} for role in CALLERS if role != "anonymous"},
    }


@pytest.mark.parametrize("caller", CALLERS)
@SCHEMA.parametrize()
@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_its_document_says(
    case: Any, caller: str, served: str, credentials: dict[str, dict[str, str]]
) -> None:
    if case.query:
        # A cursor is an opaque token the API answered with a page; one drawn at random is refused
        # (400, tested with the queue and audit pages), so the fuzzer leaves it out.
        case.query.pop("cursor", None)
    case.call_and_validate(base_url=served, headers=credentials[caller], checks=CHECKS, timeout=30)
