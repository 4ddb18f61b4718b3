"""``POST /staff/letters`` through the emulated API Gateway: who may register a letter, what a stamp may
say, the nomor agenda, the acknowledgement, and the one execution each letter starts."""

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


def test_registering_the_same_letter_again_answers_with_the_first(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    body = _body(desk, letter_number="800/9/ULANG")
    first = _register(desk, tokens["secretary"], body)
    again = _register(desk, tokens["secretary"], body)
    assert first.status == again.status == 201
    assert again.json()["number"] == first.json()["number"]
    assert again.json()["agenda_number"] == first.json()["agenda_number"]
    assert "access_code" not in again.json()  # kept hashed only: shown once
    assert len([e for e in _executions(desk) if e["name"] == first.json()["number"]]) == 1
    # The same scan for another letter is refused: it belongs to the first.
    other = _register(desk, tokens["secretary"], {**body, "letter_number": "800/10/LAIN"})
    assert other.status == 422 and "scan_upload_id" in other.json()["error"]["fields"]


def test_agenda_numbers_follow_the_stamps_year_in_wib(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    pinned_clock("2026-01-02T09:00:00+07:00")
    late_2025 = _register(
        desk, tokens["secretary"], _body(desk, letter_date="2025-12-30", received_at="2025-12-31T16:30:00Z")
    )
    new_year = _register(
        desk, tokens["secretary"], _body(desk, letter_date="2025-12-30", received_at="2025-12-31T17:30:00Z")
    )
    assert late_2025.status == new_year.status == 201
    assert late_2025.json()["agenda_number"].startswith("AG-2025-")  # 23:30 WIB on 31 December
    assert new_year.json()["agenda_number"].startswith("AG-2026-")  # 00:30 WIB on 1 January
    first, second = (_register(desk, tokens["secretary"], _body(desk)).json() for _ in range(2))
    assert int(second["agenda_number"][-6:]) == int(first["agenda_number"][-6:]) + 1


@pytest.mark.parametrize("who", ["director", "helpdesk", "subdit1", "admin"])
def test_only_the_secretary_registers_letters(desk: LocalDesk, tokens: dict[str, str], who: str) -> None:
    refused = _register(desk, tokens[who], _body(desk, scan_upload_id="unused-scan-id-0000"))
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "role_forbidden"


def test_without_a_token_there_is_no_registration(desk: LocalDesk) -> None:
    assert _register(desk, None, _body(desk, scan_upload_id="unused-scan-id-0000")).status == 401


def test_a_stamp_in_the_future_is_refused(desk: LocalDesk, tokens: dict[str, str]) -> None:
    before = len(_executions(desk))
    future = (desk_time.now() + timedelta(hours=2)).isoformat()
    refused = _register(desk, tokens["secretary"], _body(desk, received_at=future))
    assert refused.status == 422
    assert "masa depan" in refused.json()["error"]["fields"]["received_at"]
    assert len(_executions(desk)) == before


# 400: not the form's shape; 422: well formed, refused by a rule (a stamp before the letter, no such scan).
@pytest.mark.parametrize(
    ("fields", "named", "status"),
    [
        ({"received_at": "2026-01-06T09:15:00"}, "received_at", 400),  # no offset: which zone?
        # stamped before the letter's date
        ({"letter_date": "2026-01-05", "received_at": "2026-01-04T09:15:00+07:00"}, "received_at", 422),
        ({"letter_date": "6 Januari 2026"}, "letter_date", 400),
        ({"kind": "surat"}, "kind", 400),
        ({"sender_email": "bukan-alamat"}, "sender_email", 400),
        ({"subject": "   "}, "subject", 400),
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


def test_a_scan_must_be_an_accepted_letter_scan(desk: LocalDesk, tokens: dict[str, str]) -> None:
    attachment = _scan(desk, purpose="attachment")
    refused = _register(desk, tokens["secretary"], _body(desk, scan_upload_id=attachment))
    assert refused.status == 422
    assert "pindaian surat" in refused.json()["error"]["fields"]["scan_upload_id"]


@pytest.mark.parametrize("kind", ["saran", "masukan"])
def test_a_letter_may_be_a_suggestion_or_input(desk: LocalDesk, tokens: dict[str, str], kind: str) -> None:
    answer = _register(desk, tokens["secretary"], _body(desk, kind=kind, letter_number=f"800/{kind}/1"))
    assert answer.status == 201, answer.text
