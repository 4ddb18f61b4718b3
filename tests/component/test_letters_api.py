"""``POST /staff/letters`` through the emulated API Gateway: who may register a letter, the answer and its
status codes, the acknowledgement, and the one execution each letter starts. The registration's own rules
(stamps, agenda numbers, a letter registered twice) run on twins in tests/service/test_letter_chain.py."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import desk_time
import pytest
from botocore.exceptions import ClientError
from component.test_uploads import upload
from desk_time import PinClock
from unit import docfactory

from desk import clock
from desk.letters.rules import wib_year
from desk_local.stack import LocalDesk

SENDER = "umum@dinkes-bali.example.go.id"


@pytest.fixture(scope="module", autouse=True)
def _letters_stop_with_the_desk(desk: LocalDesk) -> Iterator[None]:
    """Every letter registered here starts a chain; none may outlive this module's desk."""
    yield
    sfn = desk.client("stepfunctions")
    quiet = logging.getLogger("moto.stepfunctions")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # moto logs a stopped execution's unwinding as errors
    try:
        for execution in _executions(desk):
            if execution["status"] == "RUNNING":
                with contextlib.suppress(ClientError, AttributeError):  # moto: one may be ending meanwhile
                    sfn.stop_execution(executionArn=execution["executionArn"])
        time.sleep(0.5)
    finally:
        quiet.setLevel(level)


def _scan(desk: LocalDesk, purpose: str = "letter_scan") -> str:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose=purpose)
    assert status["status"] == "accepted", status
    return upload_id


def _body(desk: LocalDesk, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_name": "Sekretaris Dinas",
        "sender_institution": "Dinas Kesehatan Provinsi Bali",
        "sender_email": SENDER,
        "sender_fax": "0361 222 111",
        "sender_address": "Jl. Melati No. 20, Denpasar",
        "letter_number": "800/1234/DKS",
        # Dated three days ago, stamped an hour ago in the sender's zone (WITA).
        "letter_date": desk_time.days_ago(3).isoformat(),
        "subject": "Permohonan akun katalog untuk puskesmas",
        "kind": "permohonan",
        "received_at": desk_time.wib(desk_time.now() - timedelta(hours=1), "Asia/Makassar"),
        **fields,
    }
    if "scan_upload_id" not in body:
        body["scan_upload_id"] = _scan(desk)
    return body


def _register(desk: LocalDesk, token: str | None, body: dict[str, Any]) -> Any:
    return desk.http("POST", "/staff/letters", token=token, json_body=body)


def _executions(desk: LocalDesk) -> list[dict[str, Any]]:
    sfn = desk.client("stepfunctions")
    return list(sfn.list_executions(stateMachineArn=desk.ref("LetterWorkflow"))["executions"])


def test_the_secretary_registers_a_letter_and_its_chain_starts(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    body = _body(desk)
    answer = _register(desk, tokens["secretary"], body)
    assert answer.status == 201, answer.text
    registered = answer.json()
    number = registered["number"]
    stamped = datetime.fromisoformat(body["received_at"])
    assert re.fullmatch(r"EP-\d{4}-\d{6}", number)
    assert re.fullmatch(rf"AG-{wib_year(stamped)}-\d{{6}}", registered["agenda_number"])
    assert len(registered["access_code"]) >= 12

    ticket = desk.http("GET", f"/staff/tickets/{number}", token=tokens["director"]).json()
    assert (ticket["type"], ticket["channel"], ticket["unit"], ticket["status"], ticket["step"]) == (
        "letter",
        "letter",
        "dit-katalog",
        "in_progress",
        "disposition",
    )
    assert ticket["details"]["letter_number"] == "800/1234/DKS"
    assert ticket["details"]["received_at"] == clock.iso(stamped)  # the stamp, stored in UTC
    assert ticket["requester"]["institution"] == "Dinas Kesehatan Provinsi Bali"
    assert ticket["requester"]["fax"] == "0361222111"
    assert [d["upload_id"] for d in ticket["documents"]] == [body["scan_upload_id"]]

    # One execution, named after the request.
    mine = [e for e in _executions(desk) if e["name"] == number]
    assert len(mine) == 1 and mine[0]["status"] == "RUNNING"
    described = desk.client("stepfunctions").describe_execution(executionArn=mine[0]["executionArn"])
    assert json.loads(described["input"]) == {
        "number": number,
        "subject": body["subject"],
        "secretary": "secretary@staff.desk.local",
    }
    # The sender gave an email: the number and the access code go there.
    mail = next(m for m in desk.outbox() if SENDER in m["to"] and number in m["subject"])
    assert registered["access_code"] in mail["text"]
    public = desk.http("GET", f"/tickets/{number}?code={registered['access_code']}").json()
    assert public["step"] == "disposition" and public["type"] == "letter"


@pytest.mark.parametrize("who", ["director", "helpdesk", "subdit1", "admin"])
def test_only_the_secretary_registers_letters(desk: LocalDesk, tokens: dict[str, str], who: str) -> None:
    refused = _register(desk, tokens[who], _body(desk, scan_upload_id="unused-scan-id-0000"))
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "role_forbidden"


def test_without_a_token_there_is_no_registration(desk: LocalDesk) -> None:
    assert _register(desk, None, _body(desk, scan_upload_id="unused-scan-id-0000")).status == 401


# 400: not the form's shape; 422: well formed, refused by a rule (no such scan).
@pytest.mark.parametrize(
    ("fields", "named", "status"),
    [
        ({"received_at": "2026-01-06T09:15:00"}, "received_at", 400),  # no offset: which zone?
        ({"scan_upload_id": "tidak-ada-unggahan-ini"}, "scan_upload_id", 422),
        ({"extra": "x"}, "extra", 400),
    ],
)
def test_bad_registrations_name_the_field(
    desk: LocalDesk,
    tokens: dict[str, str],
    fields: dict[str, Any],
    named: str,
    status: int,
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-01-07T09:00:00+07:00")
    refused = _register(desk, tokens["secretary"], _body(desk, **fields))
    assert refused.status == status, refused.text
    assert named in refused.json()["error"]["fields"]
