"""The upload use cases against the in-memory twins of the upload records and the documents bucket: asking
for an upload, the check after arrival (accepted, rejected, orphan, a repeat, a check held elsewhere, a
failed store), what may be downloaded, and an attachment that came by mail; ``now`` given, no clock
read."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from twins import InMemoryUploads
from twins.adapters import InMemoryFiles
from twins.desk import Twins
from unit import docfactory

from desk import clock, runtime
from desk.data import files as files_data
from desk.documents import uploads
from desk.documents.purposes import MB, PDF, Purpose, UploadSpec, validate_upload_request
from desk.errors import Gone
from desk.settings import get_settings

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def records(twins: Twins) -> InMemoryUploads:
    return twins.uploads


@pytest.fixture
def files() -> InMemoryFiles:
    twin = InMemoryFiles(get_settings().documents_bucket, signed_at=NOW)
    runtime.provide(files_data.documents, twin)
    return twin


def _asked(spec: UploadSpec | None = None) -> dict[str, Any]:
    return uploads.request_upload(
        spec or validate_upload_request("sk_letter", "SK Dinas.pdf", PDF, 2000), now=NOW
    )


def _arrived(files: InMemoryFiles, upload_id: str, content: bytes) -> None:
    """What the browser's POST leaves in quarantine."""
    files.write(f"quarantine/{upload_id}", content, content_type=PDF)


def _checked(upload_id: str, *, bucket: str | None = None) -> dict[str, Any]:
    """What the check does with the event S3 sends for the upload's arrival in quarantine."""
    bucket = bucket or get_settings().documents_bucket
    return uploads.check_arrival(bucket, f"quarantine/{upload_id}", now=NOW)


# --- asking for an upload ------------------------------------------------------------------------------


def test_asking_records_the_upload_pending_and_signs_a_post_into_quarantine_for_five_minutes(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    answer = _asked()
    upload_id = answer["upload_id"]
    record = records.load(upload_id)
    assert record is not None
    assert (record["status"], record["purpose"], record["filename"]) == (
        "pending",
        "sk_letter",
        "SK Dinas.pdf",
    )
    assert record["attach_before"] == "2026-12-04T02:00:00Z"
    assert answer["expires_at"] == record["post_expires_at"] == "2026-12-03T02:05:00Z"
    assert answer["max_size"] == 10 * MB
    assert answer["fields"]["key"] == f"quarantine/{upload_id}"
    policy = json.loads(base64.b64decode(answer["fields"]["policy"]))
    assert ["content-length-range", 1, 10 * MB] in policy["conditions"]
    assert {"Content-Type": PDF} in policy["conditions"]
    assert policy["expiration"] == "2026-12-03T02:05:00Z"
    assert files.files == {}  # nothing is stored until the browser posts


# --- the check after arrival ---------------------------------------------------------------------------


def test_a_clean_pdf_is_accepted_stored_under_documents_and_taken_out_of_quarantine(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    content = docfactory.pdf_letter()
    upload_id = _asked()["upload_id"]
    _arrived(files, upload_id, content)
    assert _checked(upload_id) == {"upload_id": upload_id, "outcome": "accepted", "reason_code": None}
    assert set(files.files) == {f"documents/{upload_id}"}
    stored = files.files[f"documents/{upload_id}"]
    assert stored.content == content and stored.content_type == PDF
    assert stored.metadata == {"upload-id": upload_id, "status": "accepted"}
    sha = hashlib.sha256(content).hexdigest()
    assert uploads.status(upload_id) == {"status": "accepted", "sha256": sha}
    record = records.load(upload_id)
    assert record is not None and record["object_key"] == f"documents/{upload_id}"
    assert record["checked_at"] == clock.iso(NOW) and "check_claim" not in record
    # The same event again (S3 may deliver it twice) changes nothing.
    assert _checked(upload_id) == {"upload_id": upload_id, "outcome": "already_checked", "status": "accepted"}


def test_a_file_that_is_not_what_it_claims_is_rejected_and_kept_apart(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    upload_id = _asked()["upload_id"]
    _arrived(files, upload_id, docfactory.png())
    assert _checked(upload_id)["outcome"] == "rejected"
    assert set(files.files) == {f"rejected/{upload_id}"}
    assert files.files[f"rejected/{upload_id}"].metadata["status"] == "rejected"
    status = uploads.status(upload_id)
    assert status["status"] == "rejected" and status["reason_code"] == "type_mismatch" and status["reason"]


def test_a_file_past_its_limit_is_read_one_byte_past_it_and_rejected(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    spec = UploadSpec(Purpose.ATTACHMENT, "lampiran.pdf", PDF, size=50, max_size=100)
    upload_id = _asked(spec)["upload_id"]
    _arrived(files, upload_id, b"%PDF-1.7\n" + b"x" * 200)
    assert _checked(upload_id)["reason_code"] == "too_large"
    assert len(files.read(f"rejected/{upload_id}")) == 101  # kept as far as it was read


def test_a_file_the_desk_never_signed_is_tagged_an_orphan_and_left_for_the_lifecycle(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    _arrived(files, "stranger", b"%PDF-1.7")
    assert _checked("stranger") == {"upload_id": "stranger", "outcome": "orphan"}
    assert files.tags_of("quarantine/stranger") == {"desk": "orphan"}


def test_keys_outside_quarantine_and_events_of_another_bucket_are_ignored(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    upload_id = _asked()["upload_id"]
    _arrived(files, upload_id, docfactory.pdf_letter())
    bucket = get_settings().documents_bucket
    assert uploads.check_arrival(bucket, f"documents/{upload_id}", now=NOW)["outcome"] == "ignored"
    assert _checked(upload_id, bucket="someone-elses-bucket")["outcome"] == "ignored"
    assert records.load(upload_id)["status"] == "pending"  # type: ignore[index]
    assert set(files.files) == {f"quarantine/{upload_id}"}


def test_an_upload_another_check_holds_is_left_to_it(files: InMemoryFiles, records: InMemoryUploads) -> None:
    upload_id = _asked()["upload_id"]
    _arrived(files, upload_id, docfactory.pdf_letter())
    until = clock.iso(NOW + timedelta(minutes=1))
    assert records.claim_check(upload_id, token="other", until=until, now=clock.iso(NOW))
    assert _checked(upload_id) == {"upload_id": upload_id, "outcome": "being_checked"}
    assert set(files.files) == {f"quarantine/{upload_id}"}


def test_a_store_that_fails_gives_the_claim_back_so_the_retry_checks_at_once(
    files: InMemoryFiles, records: InMemoryUploads, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload_id = _asked()["upload_id"]
    _arrived(files, upload_id, docfactory.pdf_letter())

    def slow_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("S3 is slow")

    with monkeypatch.context() as failing:
        failing.setattr(files, "write", slow_down)
        with pytest.raises(ConnectionError):
            _checked(upload_id)
    record = records.load(upload_id)
    assert record is not None and record["status"] == "pending" and "check_claim" not in record
    assert set(files.files) == {f"quarantine/{upload_id}"}  # nothing lost: the retry reads it again
    assert _checked(upload_id)["outcome"] == "accepted"


# --- serving -------------------------------------------------------------------------------------------


def _accepted(files: InMemoryFiles, filename: str = "SK Dinas.pdf") -> dict[str, Any]:
    upload_id = _asked(validate_upload_request("sk_letter", filename, PDF, 2000))["upload_id"]
    _arrived(files, upload_id, docfactory.pdf_letter())
    _checked(upload_id)
    record = uploads.load(upload_id)
    assert record is not None
    return record


def test_a_file_not_accepted_is_never_served(files: InMemoryFiles, records: InMemoryUploads) -> None:
    pending = records.load(_asked()["upload_id"])
    with pytest.raises(Gone) as refused:
        uploads.download_url(pending)  # type: ignore[arg-type]
    assert refused.value.code == "document_unavailable"


def test_an_accepted_file_is_served_only_once_the_malware_scan_found_it_clean(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    record = _accepted(files)
    with pytest.raises(Gone) as refused:
        uploads.download_url(record)
    assert refused.value.code == "document_not_scanned"
    files.tag(record["object_key"], {uploads.SCAN_TAG: "THREATS_FOUND"})
    with pytest.raises(Gone):
        uploads.download_url(record)
    files.tag(record["object_key"], {uploads.SCAN_TAG: uploads.SCAN_CLEAN})
    url = uploads.download_url(record)
    assert f"/documents/{record['upload_id']}?" in url
    assert "filename%3D%22SK%20Dinas.pdf%22" in url and "X-Amz-Expires=300" in url


def test_without_a_scanner_an_accepted_file_is_served_at_once(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    runtime.provide(get_settings, get_settings().model_copy(update={"require_malware_scan": False}))
    record = _accepted(files)
    assert f"/documents/{record['upload_id']}?" in uploads.download_url(record)


def test_a_list_of_documents_links_only_what_may_be_downloaded_now(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    clean, unscanned = _accepted(files, "bersih.pdf"), _accepted(files, "belum.pdf")
    files.tag(clean["object_key"], {uploads.SCAN_TAG: uploads.SCAN_CLEAN})
    pending = _asked()["upload_id"]
    listed = uploads.listed([clean["upload_id"], unscanned["upload_id"], pending, "unknown"])
    assert [(d["filename"], d["status"], "url" in d) for d in listed] == [
        ("bersih.pdf", "accepted", True),
        ("belum.pdf", "accepted", False),
        ("SK Dinas.pdf", "pending", False),
    ]


# --- attachments that came by mail ----------------------------------------------------------------------


def test_a_mailed_attachment_is_recorded_as_its_requests_and_checked_like_an_upload(
    files: InMemoryFiles, records: InMemoryUploads
) -> None:
    content = docfactory.pdf_letter()
    upload_id = uploads.store_from_mail(
        content, "surat.pdf", PDF, number="EP-2026-000001", now=NOW, source="mail:abc"
    )
    record = records.load(upload_id)
    assert record is not None and record["attached_to"] == "EP-2026-000001" and record["status"] == "pending"
    arrived = files.files[f"quarantine/{upload_id}"]
    assert arrived.content == content and arrived.content_type == "application/octet-stream"
    assert _checked(upload_id)["outcome"] == "accepted"
