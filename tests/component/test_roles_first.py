"""Every staff and admin route, as the served OpenAPI document lists it, called by every seeded staff
member with an empty body: whoever lacks the roles the route names (``x-roles``) is refused with 403
before the body is read, and whoever holds one is never refused for their role; without a token the
gateway answers 401. Path parameters are placeholders: the answers that matter come before any lookup."""

from __future__ import annotations

import re
from typing import Any

import pytest

from desk_local.seed import STAFF
from desk_local.stack import LocalDesk

BODIES = ("post", "put", "patch")


def _operations(desk: LocalDesk) -> list[tuple[str, str, list[str]]]:
    document = desk.http("GET", "/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        if not path.startswith("/staff/"):
            continue
        for method, operation in item.items():
            concrete = re.sub(r"\{[^}]+\}", "placeholder", path)
            found.append((method.upper(), concrete, list(operation.get("x-roles") or [])))
    return found


def _call(desk: LocalDesk, method: str, path: str, token: str | None) -> Any:
    body = {} if method.lower() in BODIES else None
    return desk.http(method, path, json_body=body, token=token)


def test_the_document_names_who_may_call_the_routes_that_are_not_for_everyone(desk: LocalDesk) -> None:
    restricted = {(m, p): roles for m, p, roles in _operations(desk) if roles}
    assert restricted[("POST", "/staff/letters")] == ["secretary"]
    assert restricted[("POST", "/staff/walk-ins")] == ["reception"]
    assert restricted[("POST", "/staff/admin/units")] == ["admin"]
    assert ("GET", "/staff/queue") not in restricted  # every staff member's


@pytest.mark.parametrize("person", [user.username for user in STAFF])
def test_a_caller_without_the_routes_role_is_refused_before_its_body_is_read(
    desk: LocalDesk, tokens: dict[str, str], person: str
) -> None:
    roles = {user.role for user in STAFF if user.username == person}
    wrong: list[str] = []
    for method, path, allowed in _operations(desk):
        answer = _call(desk, method, path, tokens[person])
        refused = answer.status == 403 and answer.json()["error"]["code"] == "role_forbidden"
        if allowed and not roles & set(allowed) and not refused:
            wrong.append(f"{method} {path} let {person} through: {answer.status} {answer.text[:120]}")
        if allowed and roles & set(allowed) and refused:
            wrong.append(f"{method} {path} refused {person}, who holds {sorted(roles & set(allowed))}")
    assert wrong == []


def test_without_a_token_every_staff_route_answers_401(desk: LocalDesk) -> None:
    answers = {
        (method, path): _call(desk, method, path, None).status for method, path, _ in _operations(desk)
    }
    assert {key: status for key, status in answers.items() if status != 401} == {}


def test_another_units_request_and_a_missing_task_are_refused_before_the_body_is_read(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    form = {"kind": "complaint", "subject": "Milik helpdesk", "message": "Akun terkunci.", "name": "Ani"}
    created = desk.http("POST", "/tickets", json_body=form | {"email": "ani@pemkot-bogor.go.id"})
    number = created.json()["number"]
    for route in ("replies", "actions"):
        path = f"/staff/tickets/{number}/{route}"
        # A Subdit of another unit hears 403 whatever it sends, never which fields the form wants.
        other = desk.http("POST", path, json_body={}, token=tokens["subdit1"])
        assert (other.status, other.json()["error"]["code"]) == (403, "other_unit"), route
        # The helpdesk works every request: its empty form is named field by field.
        mine = desk.http("POST", path, json_body={}, token=tokens["helpdesk"])
        assert mine.status == 400 and mine.json()["error"]["fields"], route
        missing = desk.http(
            "POST", "/staff/tickets/EP-2026-999999/" + route, json_body={}, token=tokens["helpdesk"]
        )
        assert missing.status == 404, route
    task = desk.http("POST", "/staff/tasks/no-such-task/decision", json_body={}, token=tokens["director"])
    assert (task.status, task.json()["error"]["code"]) == (404, "task_not_found")
