"""Every ask of the user-ID and training workflows reminds and escalates on the sped-up working-day clock
(the letter's five asks: test_letters), the people the step asks are told (a desk with no head: everyone
with the step's role there), and no execution outgrows its history budget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import desk_time
import pytest
from component.test_uploads import upload
from unit import docfactory
from workflow.test_ask_person import ONE_ASK_HISTORY_BUDGET
from workflow.test_registrations import BUYER
from workflow.test_training import FORM

from desk_local.stack import LocalDesk
from flows import history_length, reminded_and_escalated, until

VERIFICATION = "Verifikasi permohonan user ID"
TRAINING_REPLY = "Balasan permohonan pelatihan"
ORGANISER = "training@staff.desk.local"  # the training desk has no head: its organisers are asked
ORGANISERS_HEAD = "subdit2@staff.desk.local"  # head of Subdit Layanan, above the training desk
# One ask with its reminder and escalation, and the workflow's own tasks around it (provisioning, the
# reply letter, closing).
WORKFLOW_HISTORY_BUDGET = ONE_ASK_HISTORY_BUDGET + 60


@pytest.fixture(scope="module")
def desk() -> Iterator[LocalDesk]:
    # Half a second per working day: a 5-working-day step reminds and escalates within seconds.
    with LocalDesk(working_day_seconds=0.5, wait_scale=0, now=desk_time.pinned_start()) as running:
        running.seed()
        yield running


def _letter(desk: LocalDesk, purpose: str) -> str:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose=purpose)
    assert status["status"] == "accepted"
    return upload_id


def _mails(desk: LocalDesk, number: str, title: str, to: str) -> list[dict[str, Any]]:
    return [m for m in desk.outbox() if number in m["subject"] and title in m["subject"] and to in m["to"]]


def _execution(desk: LocalDesk, machine: str, number: str) -> str:
    return desk.ref(machine).replace(":stateMachine:", ":execution:") + f":{number}"


def _finished(desk: LocalDesk, arn: str) -> dict[str, Any]:
    sfn = desk.client("stepfunctions")
    return dict(
        until(lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d, 60)
    )


def _decide(desk: LocalDesk, username: str, number: str, **decision: Any) -> None:
    token = desk.login(username)
    task = until(
        lambda: next(
            (
                t
                for t in desk.http("GET", "/staff/tasks", token=token).json()["items"]
                if t["number"] == number
            ),
            None,
        )
    )
    decided = desk.http("POST", f"/staff/tasks/{task['task_id']}/decision", token=token, json_body=decision)
    assert decided.status == 200, decided.text


def test_a_bali_user_id_request_reminds_and_escalates_then_is_decided(desk: LocalDesk) -> None:
    body = {**BUYER, "lpse_id": "lpse-prov-bali", "letter_upload_id": _letter(desk, "sk_letter")}
    answer = desk.http("POST", "/registrations", json_body=body)
    assert answer.status == 201, answer.text
    number = answer.json()["number"]
    reminded_and_escalated(desk, number, "registration:verification")
    assert len(_mails(desk, number, VERIFICATION, "verifier-bali@staff.desk.local")) >= 2  # ask, reminder
    _decide(desk, "verifier-bali", number, decision="approve")
    arn = _execution(desk, "RegistrationWorkflow", number)
    assert _finished(desk, arn)["status"] == "SUCCEEDED"
    assert history_length(desk, arn) <= WORKFLOW_HISTORY_BUDGET


def test_a_training_request_reaches_the_organiser_reminds_escalates_and_is_acknowledged(
    desk: LocalDesk,
) -> None:
    body = {
        **FORM,
        "email": "citra.pengingat@dinas.example.go.id",
        "preferred_start": desk_time.working_day(n=10).isoformat(),
        "letter_upload_id": _letter(desk, "training_letter"),
    }
    answer = desk.http("POST", "/training-requests", json_body=body)
    assert answer.status == 201, answer.text
    receipt = answer.json()
    number = receipt["number"]
    acknowledged = until(
        lambda: [m for m in desk.outbox() if body["email"] in m["to"] and number in m["subject"]]
    )
    assert receipt["access_code"] in acknowledged[0]["text"]
    # The organiser is asked by mail, reminded, and the step escalates to the head above the desk.
    asked = until(lambda: _mails(desk, number, TRAINING_REPLY, ORGANISER))
    assert any("/approvals/" in url for url in asked[0]["links"])
    reminded_and_escalated(desk, number, "training:reply")
    assert _mails(desk, number, f"{TRAINING_REPLY}: eskalasi", ORGANISERS_HEAD)
    _decide(desk, "training", number, decision="decline", reason="Kuota tahun ini penuh")
    arn = _execution(desk, "TrainingWorkflow", number)
    finished = _finished(desk, arn)
    assert finished["status"] == "SUCCEEDED", json.dumps(finished, default=str)[:500]
    assert history_length(desk, arn) <= WORKFLOW_HISTORY_BUDGET
