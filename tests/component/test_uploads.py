"""Uploads end to end: a presigned POST into quarantine, the check after arrival, attaching a checked
file to one request, and what is never served."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import desk_time
import pytest
import requests
from unit import docfactory

from desk import clock
from desk.documents.purposes import PUBLIC_PURPOSES, STAFF_PURPOSES
from desk_local.stack import LocalDesk

FORM = {
    "kind": "complaint",
    "subject": "Lampiran",
    "message": "Terlampir.",
    "name": "Ani",
    "email": "ani@example.go.id",
}


STAFF_ONLY = STAFF_PURPOSES - PUBLIC_PURPOSES


def _ask(desk: LocalDesk, token: str | None = None, **overrides: Any) -> Any:
    """A grant from the public door, or with a staff token from the staff's door."""
    body = {
        "purpose": "attachment",
        "filename": "surat.pdf",
        "content_type": "application/pdf",
        "size": 1000,
        **overrides,
    }
    return desk.http("POST", "/staff/uploads" if token else "/uploads", json_body=body, token=token)


def _status(desk: LocalDesk, upload_id: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = desk.http("GET", f"/uploads/{upload_id}").json()
        if body["status"] != "pending":
            desk.functions.settle()  # the check records its outcome before it clears quarantine
            return body  # type: ignore[no-any-return]
        time.sleep(0.02)
    raise AssertionError("the check did not finish")


def upload(
    desk: LocalDesk,
    content: bytes,
    *,
    content_type: str = "application/pdf",
    purpose: str = "attachment",
    token: str | None = None,
    filename: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """Ask for a presigned POST, post the file to it as a browser would, wait for the check. The staff's
    purposes go through the staff's door, signed in (as the secretary unless a token is given)."""
    if token is None and purpose in STAFF_ONLY:
        token = desk.login("secretary")
    answer = _ask(
        desk,
        token,
        purpose=purpose,
        content_type=content_type,
        size=max(len(content), 1),
        filename=filename
        or "berkas" + {"application/pdf": ".pdf", "image/jpeg": ".jpg"}.get(content_type, ".png"),
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
    assert second.status == 422
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
    assert refused.status == 422
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
    assert response.status == 422
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
    assert response.status == 422


def _s3_event(bucket: str, key: str) -> dict[str, Any]:
    """An ObjectCreated notification as S3 sends it to the check function."""
    return {
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
                    "object": {"key": key, "size": 10, "eTag": "e", "sequencer": "s"},
                },
            }
        ]
    }


def test_a_repeated_s3_event_changes_nothing(desk: LocalDesk) -> None:
    upload_id, status = upload(desk, docfactory.png(), content_type="image/png")
    assert status["status"] == "accepted"
    bucket = desk.functions.get("UploadCheckFunction").environ["DOCUMENTS_BUCKET"]
    again = desk.functions.invoke("UploadCheckFunction", _s3_event(bucket, f"quarantine/{upload_id}"))
    assert again.error is None, again.error
    assert again.result["checked"][0]["outcome"] == "already_checked"
    assert _status(desk, upload_id)["status"] == "accepted"


def _checks_of(desk: LocalDesk, upload_id: str) -> list[Any]:
    """The check function's finished runs for one upload (each S3 event, each retry)."""
    return [
        i
        for i in list(desk.functions.history)
        if i.function == desk.functions.get("UploadCheckFunction").name
        and upload_id in str(i.event["Records"][0]["s3"]["object"]["key"])
    ]


def _checks_finished(desk: LocalDesk, upload_id: str, count: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for i in _checks_of(desk, upload_id) if i.error is None) >= count:
            return True
        time.sleep(0.02)
    return False


def _served(desk: LocalDesk, upload_id: str) -> bytes:
    """What the requester downloads once the upload is attached to a request."""
    receipt = desk.http(
        "POST",
        "/tickets",
        json_body={**FORM, "subject": "Unduh yang diperiksa", "attachment_upload_ids": [upload_id]},
    )
    assert receipt.status == 201, receipt.text
    number, code = receipt.json()["number"], receipt.json()["access_code"]
    response = desk.http("GET", f"/tickets/{number}/documents/{upload_id}?code={code}")
    assert response.status == 302, response.text
    fetched = requests.get(response.headers["Location"], timeout=10)
    assert fetched.status_code == 200
    return fetched.content


def test_a_file_posted_again_with_the_same_fields_never_replaces_the_checked_one(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A presigned POST works until it expires: the malicious file re-posted with the same fields while the
    clean one is being checked (and again after) is never checked into documents/ nor served."""
    import hashlib
    import threading

    from desk.documents import checks, uploads

    clean, malicious = docfactory.pdf_letter(), docfactory.pdf_with_javascript()
    answer = _ask(desk, size=len(clean))
    assert answer.status == 201, answer.text
    post = answer.json()
    upload_id = post["upload_id"]

    def repost() -> None:
        files = {"file": ("x", malicious, "application/pdf")}
        response = requests.post(post["url"], data=post["fields"], files=files, timeout=10)
        assert response.status_code in (200, 204), response.text

    first_check_done = threading.Event()
    real_check, real_arrival = checks.check_file, uploads.check_arrival

    def check_file(stream: Any, **kwargs: Any) -> Any:
        result = real_check(stream, **kwargs)
        if result.sha256 == hashlib.sha256(clean).hexdigest():
            repost()  # the clean file was read and hashed; the attacker posts again now
            # the re-post's event meets this check (it holds the claim, so that check must end first)
            assert _checks_finished(desk, upload_id, 1, timeout=30), "the re-post's check did not run"
        elif result.sha256 == hashlib.sha256(malicious).hexdigest():
            assert first_check_done.wait(30)  # a second check, if any, finishes after the first
        return result

    def check_arrival(bucket: str, raw_key: str, **kwargs: Any) -> Any:
        try:
            return real_arrival(bucket, raw_key, **kwargs)
        finally:
            if upload_id in raw_key:
                first_check_done.set()

    monkeypatch.setattr(checks, "check_file", check_file)
    monkeypatch.setattr(uploads, "check_arrival", check_arrival)
    posted = requests.post(
        post["url"], data=post["fields"], files={"file": ("x", clean, "application/pdf")}, timeout=10
    )
    assert posted.status_code in (200, 204), posted.text
    clean_sha = hashlib.sha256(clean).hexdigest()
    assert _status(desk, upload_id) == {"status": "accepted", "sha256": clean_sha}
    assert _checks_finished(desk, upload_id, 2)  # the clean file's event and the re-post's

    bucket = desk.ref("DocumentsBucket")
    s3 = desk.client("s3")
    stored = s3.get_object(Bucket=bucket, Key=f"documents/{upload_id}")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == clean_sha
    assert _served(desk, upload_id) == clean
    # The re-post's event came while the clean file held the claim: it was not checked.
    outcomes = [i.result["checked"][0]["outcome"] for i in _checks_of(desk, upload_id) if i.error is None]
    assert sorted(outcomes) == ["accepted", "being_checked"]

    # Once checked, the same fields posted again change nothing and are not checked.
    repost()
    assert _checks_finished(desk, upload_id, 3)
    assert _checks_of(desk, upload_id)[-1].result["checked"][0]["outcome"] == "already_checked"
    assert _status(desk, upload_id) == {"status": "accepted", "sha256": clean_sha}
    assert s3.get_object(Bucket=bucket, Key=f"documents/{upload_id}")["Body"].read() == clean


@contextmanager
def _no_s3_events(desk: LocalDesk) -> Iterator[None]:
    """The bucket's notifications off, so the test itself invokes the check with its S3 event."""
    s3 = desk.client("s3")
    bucket = desk.ref("DocumentsBucket")
    saved = s3.get_bucket_notification_configuration(Bucket=bucket)
    saved.pop("ResponseMetadata", None)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    try:
        yield
    finally:
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=saved)


def test_a_file_swapped_while_it_is_checked_is_not_served_unchecked(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from desk.documents import checks

    clean, malicious = docfactory.pdf_letter(), docfactory.pdf_with_javascript()
    bucket = desk.ref("DocumentsBucket")
    s3 = desk.client("s3")
    real_check = checks.check_file

    def check_file(stream: Any, **kwargs: Any) -> Any:
        result = real_check(stream, **kwargs)
        # Between the read and whatever the check does next, the quarantined object is replaced.
        s3.put_object(
            Bucket=bucket, Key=f"quarantine/{upload_id}", Body=malicious, ContentType="application/pdf"
        )
        return result

    with _no_s3_events(desk):
        post = _ask(desk, size=len(clean)).json()
        upload_id = post["upload_id"]
        files = {"file": ("x", clean, "application/pdf")}
        posted = requests.post(post["url"], data=post["fields"], files=files, timeout=10)
        assert posted.status_code in (200, 204), posted.text
        monkeypatch.setattr(checks, "check_file", check_file)
        run = desk.functions.invoke("UploadCheckFunction", _s3_event(bucket, f"quarantine/{upload_id}"))
        monkeypatch.setattr(checks, "check_file", real_check)
    assert run.error is None, run.error

    status = _status(desk, upload_id)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    if status["status"] == "rejected":
        assert f"documents/{upload_id}" not in keys
        return
    stored = s3.get_object(Bucket=bucket, Key=f"documents/{upload_id}")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == status["sha256"]  # what is stored is what was hashed
    assert stored == clean and _served(desk, upload_id) == clean


def test_a_check_that_fails_midway_is_checked_again_by_the_retry(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim on the upload does not outlive a check that failed: Lambda's retry checks the file."""
    from desk.documents import checks

    real_check = checks.check_file
    failures: list[int] = []

    def check_file(stream: Any, **kwargs: Any) -> Any:
        if not failures:
            failures.append(1)
            raise OSError("the connection to S3 dropped")
        return real_check(stream, **kwargs)

    monkeypatch.setattr(checks, "check_file", check_file)
    _, status = upload(desk, docfactory.pdf_letter())
    assert failures and status["status"] == "accepted"


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
    assert response.status == 422
    assert "kedaluwarsa" in response.json()["error"]["fields"]["attachment_upload_ids.0"]


@pytest.mark.parametrize("purpose", sorted(STAFF_ONLY))
def test_each_door_takes_its_own_purposes(desk: LocalDesk, tokens: dict[str, str], purpose: str) -> None:
    stranger = _ask(desk, purpose=purpose)
    assert stranger.status == 400 and "purpose" in stranger.json()["error"]["fields"]
    assert purpose not in stranger.json()["error"]["fields"]["purpose"]  # only the door's own are offered
    unsigned = desk.http(
        "POST",
        "/staff/uploads",
        json_body={"purpose": purpose, "filename": "a.pdf", "content_type": "application/pdf", "size": 9},
    )
    assert unsigned.status == 401
    signed = _ask(desk, tokens["director"], purpose=purpose)
    assert signed.status == 201, signed.text
    public_only = _ask(desk, tokens["director"], purpose="payment_proof")
    assert public_only.status == 400 and "purpose" in public_only.json()["error"]["fields"]
