"""Staff cannot short-circuit a running workflow: on a letter, user-ID or training request the console
offers internal notes and assignment, while the answer and the end go through the current step's
decision; the colleague a request is assigned to is told."""

from __future__ import annotations

from typing import Any

import pytest
from component.test_uploads import upload
from unit import docfactory
from workflow.test_registrations import BUYER

from desk_local.stack import LocalDesk
from flows import until


def _user_id_request(desk: LocalDesk, email: str) -> str:
    """A user-ID request of ``email`` (one open request per applicant and LPSE), at its verifier's step."""
    letter, status = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    assert status["status"] == "accepted"
    body = {**BUYER, "email": email, "letter_upload_id": letter}
    answer = desk.http("POST", "/registrations", json_body=body)
    assert answer.status == 201, answer.text
    number = str(answer.json()["number"])
    verifier = desk.login("verifier-jakarta")
    until(
        lambda: [
            t
            for t in desk.http("GET", "/staff/tasks", token=verifier).json()["items"]
            if t["number"] == number
        ]
    )
    return number


def _ticket(desk: LocalDesk, token: str, number: str) -> dict[str, Any]:
    return dict(desk.http("GET", f"/staff/tickets/{number}", token=token).json())


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("resolve", {"reason": "Sudah dibuatkan manual"}),
        ("close", {"reason": "Dobel"}),
        ("reject", {"reason": "SK tidak sah"}),
        ("forward", {"reason": "Bukan wewenang", "to": "LPSE Kota"}),
        ("hold", {"reason": "Kirim SK baru"}),
        ("extend", {"reason": "Banyak", "working_days": 3}),
    ],
)
def test_helpdesk_cannot_end_or_answer_a_user_id_request_while_the_verifier_decides(
    desk: LocalDesk, tokens: dict[str, str], action: str, body: dict[str, Any]
) -> None:
    number = _user_id_request(desk, f"{action}@disdik.jakarta.go.id")
    refused = desk.http(
        "POST",
        f"/staff/tickets/{number}/actions",
        token=tokens["helpdesk"],
        json_body={"action": action, **body},
    )
    assert refused.status == 409, refused.text
    assert refused.json()["error"]["code"] == "workflow_owned"
    page = _ticket(desk, tokens["helpdesk"], number)
    assert page["status"] in ("submitted", "in_progress") and page["step"]


def test_a_public_reply_is_refused_an_internal_note_and_an_assignment_are_kept(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    applicant = "catatan@disdik.jakarta.go.id"
    number = _user_id_request(desk, applicant)
    path = f"/staff/tickets/{number}/replies"
    public = desk.http("POST", path, token=tokens["helpdesk"], json_body={"text": "Akun sudah jadi."})
    assert public.status == 409 and public.json()["error"]["code"] == "workflow_owned"
    note = desk.http(
        "POST", path, token=tokens["helpdesk"], json_body={"text": "Pemohon menelepon.", "internal": True}
    )
    assert note.status == 201, note.text
    assigned = desk.http(
        "POST",
        f"/staff/tickets/{number}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "assign", "assignee": "verifier-jakarta@staff.desk.local"},
    )
    assert assigned.status == 200, assigned.text
    told = until(
        lambda: [
            m
            for m in desk.outbox()
            if m["to"] == ["verifier-jakarta@staff.desk.local"] and "ditugaskan" in m["subject"].lower()
        ]
    )
    assert number in told[0]["subject"] and "Batas waktu" in told[0]["text"]
    # Nothing reached the applicant but the acknowledgement.
    assert len([m for m in desk.outbox() if applicant in m["to"] and number in m["subject"]]) == 1
