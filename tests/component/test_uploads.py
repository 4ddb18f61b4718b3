"""Uploads end to end: a presigned POST into quarantine, the check after arrival, attaching a checked
file to one request, and what is never served."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import desk_time
import pytest
import requests
from unit import docfactory

from desk import clock
from desk_local.stack import LocalDesk

FORM = {
    "kind": "complaint",
    "subject": "Lampiran",
    "message": "Terlampir.",
    "name": "Ani",
    "email": "ani@example.go.id",
}


def _ask(desk: LocalDesk, **overrides: Any) -> Any:
    body = {
        "purpose": "attachment",
        "filename": "surat.pdf",
        "content_type": "application/pdf",
        "size": 1000,
        **overrides,
    }
    return desk.http("POST", "/uploads", json_body=body)


def _status(desk: LocalDesk, upload_id: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = desk.http("GET", f"/uploads/{upload_id}").json()
        if body["status"] != "pending":
            return body  # type: ignore[no-any-return]
        time.sleep(0.02)
    raise AssertionError("the check did not finish")


def upload(
    desk: LocalDesk, content: bytes, *, content_type: str = "application/pdf", purpose: str = "attachment"
) -> tuple[str, dict[str, Any]]:
    """Ask for a presigned POST, post the file to it as a browser would, wait for the check."""
    answer = _ask(
        desk,
        purpose=purpose,
        content_type=content_type,
        size=max(len(content), 1),
        filename="berkas" + {"application/pdf": ".pdf", "image/jpeg": ".jpg"}.get(content_type, ".png"),
    )
    assert answer.status == 201, answer.text
    post = answer.json()
    response = requests.post(
        post["url"], data=post["fields"], files={"file": ("x", content, content_type)}, timeout=10
    )
    assert response.status_code in (200, 204), response.text
    return post["upload_id"], _status(desk, post["upload_id"])


def test_the_presigned_post_is_bounded_and_short_lived(desk: LocalDesk) -> None:
    response = _ask(desk)
    assert response.status == 201
    body = response.json()
    assert body["max_size"] == 10 * 1024 * 1024
    assert body["fields"]["key"] == f"quarantine/{body['upload_id']}"
    assert body["fields"]["Content-Type"] == "application/pdf"
    assert len(body["upload_id"]) >= 22
    import base64
    import json

    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    assert ["content-length-range", 1, 10 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    # An AWS signature keeps real time, whatever the desk's clock says.
    expires = clock.parse_iso(policy["expiration"])
    assert expires.timestamp() - time.time() <= 300


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "selfie"}, "purpose"),
        ({"content_type": "application/zip"}, "content_type"),
        ({"size": 10 * 1024 * 1024 + 1}, "size"),
        ({"purpose": "payment_proof", "size": 5 * 1024 * 1024 + 1}, "size"),
        ({"filename": "..//..."}, "filename"),
        ({"size": 0}, "size"),
    ],
)
def test_bad_upload_requests_name_the_field(desk: LocalDesk, overrides: dict[str, Any], field: str) -> None:
    response = _ask(desk, **overrides)
    assert response.status == 400
    assert field in response.json()["error"]["fields"]


def test_a_good_pdf_is_accepted_moved_out_of_quarantine_and_attachable(desk: LocalDesk) -> None:
    import hashlib

    content = docfactory.pdf_letter()
    upload_id, status = upload(desk, content)
    assert status == {"status": "accepted", "sha256": hashlib.sha256(content).hexdigest()}
    bucket = desk.functions.get("UploadCheckFunction").environ["DOCUMENTS_BUCKET"]
    keys = [o["Key"] for o in desk.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert f"documents/{upload_id}" in keys and f"quarantine/{upload_id}" not in keys

    created = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Dengan lampiran", "attachment_upload_ids": [upload_id]},
    )
    assert created.status == 201, created.text
    second = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Lampiran dipakai lagi", "attachment_upload_ids": [upload_id]},
    )
    assert second.status == 400
    assert "sudah dipakai" in second.json()["error"]["fields"]["attachment_upload_ids.0"]


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (docfactory.zip_with_pdf_header(), "application/pdf", "type_mismatch"),
        (docfactory.jpeg(), "application/pdf", "type_mismatch"),
        (docfactory.pdf_with_javascript(), "application/pdf", "pdf_active_content"),
        (docfactory.pdf_with_escaped_javascript(), "application/pdf", "pdf_active_content"),
        (docfactory.pdf_with_javascript_in_object_stream(), "application/pdf", "pdf_active_content"),
        (docfactory.pdf_encrypted(), "application/pdf", "pdf_encrypted"),
        (docfactory.png_bomb_declared(), "image/png", "image_too_large"),
    ],
)
def test_bad_files_are_rejected_with_a_reason_and_never_served(
    desk: LocalDesk, content: bytes, content_type: str, reason: str
) -> None:
    upload_id, status = upload(desk, content, content_type=content_type)
    assert status["status"] == "rejected"
    assert status["reason_code"] == reason
    assert status["reason"]
    bucket = desk.functions.get("UploadCheckFunction").environ["DOCUMENTS_BUCKET"]
    keys = [o["Key"] for o in desk.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert f"rejected/{upload_id}" in keys and f"documents/{upload_id}" not in keys
    refused = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": f"Ditolak {reason}", "attachment_upload_ids": [upload_id]},
    )
    assert refused.status == 400
    assert "ditolak" in refused.json()["error"]["fields"]["attachment_upload_ids.0"]


def test_a_file_one_byte_over_the_limit_is_rejected_although_the_emulator_let_it_in(desk: LocalDesk) -> None:
    answer = _ask(desk, purpose="payment_proof", size=1000).json()
    oversized = docfactory.pdf_letter() + b"\n%" + b"x" * (5 * 1024 * 1024)
    oversized = oversized[: 5 * 1024 * 1024 + 1]
    requests.post(
        answer["url"], data=answer["fields"], files={"file": ("x", oversized, "application/pdf")}, timeout=30
    )
    status = _status(desk, answer["upload_id"])
    assert status["status"] == "rejected" and status["reason_code"] == "too_large"


def test_an_empty_file_is_rejected(desk: LocalDesk) -> None:
    answer = _ask(desk).json()
    desk.client("s3").put_object(
        Bucket=answer["url"].split("//")[1].split(".")[0], Key=answer["fields"]["key"], Body=b""
    )
    status = _status(desk, answer["upload_id"])
    assert status["status"] == "rejected" and status["reason_code"] == "empty"


def test_unknown_and_pending_uploads_cannot_be_attached(desk: LocalDesk) -> None:
    pending = _ask(desk).json()["upload_id"]
    response = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Belum diperiksa", "attachment_upload_ids": [pending, "nope"]},
    )
    assert response.status == 400
    fields = response.json()["error"]["fields"]
    assert "belum selesai diperiksa" in fields["attachment_upload_ids.0"]
    assert "tidak dikenal" in fields["attachment_upload_ids.1"]
    assert desk.http("GET", "/uploads/nope").status == 404


def test_an_upload_for_another_purpose_cannot_be_attached_to_a_complaint(desk: LocalDesk) -> None:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    assert status["status"] == "accepted"
    response = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "SK sebagai lampiran", "attachment_upload_ids": [upload_id]},
    )
    assert response.status == 400


def test_a_repeated_s3_event_changes_nothing(desk: LocalDesk) -> None:
    upload_id, status = upload(desk, docfactory.png(), content_type="image/png")
    assert status["status"] == "accepted"
    bucket = desk.functions.get("UploadCheckFunction").environ["DOCUMENTS_BUCKET"]
    event = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "ap-southeast-3",
                "eventTime": clock.iso(desk_time.now()),
                "eventName": "ObjectCreated:Post",
                "userIdentity": {"principalId": "x"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "r", "x-amz-id-2": "i"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "c",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "x"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {"key": f"quarantine/{upload_id}", "size": 10, "eTag": "e", "sequencer": "s"},
                },
            }
        ]
    }
    again = desk.functions.invoke("UploadCheckFunction", event)
    assert again.error is None, again.error
    assert again.result["checked"][0]["outcome"] == "already_checked"
    assert _status(desk, upload_id)["status"] == "accepted"


def test_the_requester_downloads_an_attached_file_through_a_short_lived_link(desk: LocalDesk) -> None:
    from urllib.parse import parse_qs, urlsplit

    upload_id, _ = upload(desk, docfactory.pdf_letter())
    receipt = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Unduh lampiran", "attachment_upload_ids": [upload_id]},
    ).json()
    path = f"/tickets/{receipt['number']}/documents/{upload_id}"
    response = desk.http("GET", f"{path}?code={receipt['access_code']}")
    assert response.status == 302
    link = response.headers["Location"]
    query = parse_qs(urlsplit(link).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["response-content-disposition"][0].startswith("attachment;")
    fetched = requests.get(link, timeout=10)
    assert fetched.status_code == 200 and fetched.content == docfactory.pdf_letter()
    assert desk.http("GET", f"{path}?code=AAAAAAAAAAAAAAA").status == 404
    other = desk.http("POST", "/tickets", json_body={**FORM, "subject": "Lain"}).json()
    stolen = desk.http("GET", f"/tickets/{other['number']}/documents/{upload_id}?code={other['access_code']}")
    assert stolen.status == 404


def test_an_upload_not_attached_in_time_has_expired(desk: LocalDesk) -> None:
    upload_id, status = upload(desk, docfactory.pdf_letter())
    assert status["status"] == "accepted"
    # a day after the upload: move its deadline into the past rather than wait
    desk.client("dynamodb").update_item(
        TableName=desk.ref("DeskTable"),
        Key={"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": "UPLOAD"}},
        UpdateExpression="SET attach_before = :past",
        ExpressionAttributeValues={":past": {"S": clock.iso(desk_time.now() - timedelta(days=1))}},
    )
    response = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Terlambat melampirkan", "attachment_upload_ids": [upload_id]},
    )
    assert response.status == 400
    assert "kedaluwarsa" in response.json()["error"]["fields"]["attachment_upload_ids.0"]
