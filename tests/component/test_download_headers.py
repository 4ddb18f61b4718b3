"""What browsers are told about the desk's answers and documents: every answer of the desk's functions
carries ``X-Content-Type-Options: nosniff``, and a document comes as a download of the type its check
established (``Content-Disposition: attachment``), never as a page a browser would render.

S3 cannot add arbitrary headers to a presigned GET, so a document's protection is its stored
Content-Type and the ``response-content-type`` / ``response-content-disposition`` the link signs."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from unit import docfactory

from desk_local.gateway import HttpResponse
from desk_local.stack import LocalDesk

NOSNIFF = ("X-Content-Type-Options", "nosniff")
FORM = {
    "kind": "complaint",
    "subject": "Lampiran untuk diunduh",
    "message": "Terlampir.",
    "name": "Ani",
    "email": "ani.unduh@example.go.id",
}
EXTENSION = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def _header(response: HttpResponse, name: str) -> str | None:
    return next((value for key, value in response.headers.items() if key.lower() == name.lower()), None)


def assert_nosniff(response: HttpResponse) -> None:
    assert _header(response, NOSNIFF[0]) == NOSNIFF[1], (response.status, response.headers)


def _checked_upload(desk: LocalDesk, content: bytes, content_type: str) -> str:
    """Ask for a presigned POST, post the file as a browser would, wait for the check to accept it."""
    answer = desk.http(
        "POST",
        "/uploads",
        json_body={
            "purpose": "attachment",
            "filename": "lampiran" + EXTENSION[content_type],
            "content_type": content_type,
            "size": len(content),
        },
    )
    assert answer.status == 201, answer.text
    assert_nosniff(answer)
    post = answer.json()
    sent = requests.post(
        post["url"], data=post["fields"], files={"file": ("x", content, content_type)}, timeout=10
    )
    assert sent.status_code in (200, 204), sent.text
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status = desk.http("GET", f"/uploads/{post['upload_id']}")
        assert_nosniff(status)
        if status.json()["status"] != "pending":
            assert status.json()["status"] == "accepted", status.text
            return str(post["upload_id"])
        time.sleep(0.02)
    raise AssertionError("the check did not finish")


def _ticket_with(desk: LocalDesk, upload_id: str, subject: str) -> dict[str, Any]:
    created = desk.http(
        "POST", "/tickets", json_body={**FORM, "subject": subject, "attachment_upload_ids": [upload_id]}
    )
    assert created.status == 201, created.text
    assert_nosniff(created)
    return created.json()  # type: ignore[no-any-return]


def test_every_function_behind_the_api_answers_with_nosniff(desk: LocalDesk, tokens: dict[str, str]) -> None:
    answers = {
        "public, JSON": desk.http("GET", "/lpse"),
        "public, a refusal of the desk": desk.http("POST", "/tickets", json_body={"kind": "complaint"}),
        "public, not found by the desk": desk.http("GET", "/tickets/EP-0000-000001?code=AAAAAAAAAAAAAAA"),
        "public, malformed JSON": desk.http(
            "POST", "/tickets", body=b"{", headers={"Content-Type": "application/json"}
        ),
        "public, body over the desk's limit": desk.http(
            "POST", "/tickets", body=b"x" * (300 * 1024), headers={"Content-Type": "application/json"}
        ),
        "staff": desk.http("GET", "/staff/me", token=tokens["helpdesk"]),
        "staff, a refusal": desk.http("GET", "/staff/tickets/EP-0000-000001", token=tokens["helpdesk"]),
        "admin": desk.http("GET", "/staff/admin/whoami", token=tokens["admin"]),
        "approvals page": desk.http("GET", "/approvals/tidak-ada"),
    }
    statuses = {name: response.status for name, response in answers.items()}
    assert statuses["public, JSON"] == 200 and statuses["staff"] == 200 and statuses["admin"] == 200
    assert statuses["public, body over the desk's limit"] == 413
    assert all(status >= 400 for name, status in statuses.items() if "refusal" in name or "not" in name)
    for name, response in answers.items():
        assert _header(response, "X-Content-Type-Options") == "nosniff", name
        assert len([key for key in response.headers if key.lower() == "x-content-type-options"]) == 1, name


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(docfactory.pdf_letter(), "application/pdf"), (docfactory.png(4, 4), "image/png")],
    ids=["pdf", "png"],
)
def test_a_document_link_forces_its_checked_type_and_a_download(
    desk: LocalDesk, tokens: dict[str, str], content: bytes, content_type: str
) -> None:
    upload_id = _checked_upload(desk, content, content_type)
    receipt = _ticket_with(desk, upload_id, f"Unduh {EXTENSION[content_type]}")

    # the object itself is stored with the type the check established
    stored = desk.client("s3").head_object(Bucket=desk.ref("DocumentsBucket"), Key=f"documents/{upload_id}")
    assert stored["ContentType"] == content_type

    answer = desk.http(
        "GET", f"/tickets/{receipt['number']}/documents/{upload_id}?code={receipt['access_code']}"
    )
    assert answer.status == 302
    assert_nosniff(answer)
    staff_page = desk.http("GET", f"/staff/tickets/{receipt['number']}", token=tokens["helpdesk"])
    assert staff_page.status == 200, staff_page.text
    assert_nosniff(staff_page)
    [document] = staff_page.json()["documents"]

    for link in (str(answer.headers["Location"]), str(document["url"])):
        query = parse_qs(urlsplit(link).query)
        assert query["response-content-type"] == [content_type]
        assert query["response-content-disposition"][0].startswith("attachment;")
        assert int(query["X-Amz-Expires"][0]) <= 300
        fetched = requests.get(link, timeout=10)
        assert fetched.status_code == 200 and fetched.content == content
        assert fetched.headers["Content-Type"] == content_type
        assert fetched.headers["Content-Disposition"].startswith("attachment;")


def test_api_gateways_own_answers_say_nosniff_too(desk: LocalDesk) -> None:
    unknown = desk.http("GET", "/no/such/route")
    unsigned = desk.http("GET", "/staff/queue")
    assert (unknown.status, unsigned.status) == (404, 401)
    for answer in (unknown, unsigned):
        assert {k.lower(): v for k, v in answer.headers.items()}.get("x-content-type-options") == "nosniff"
