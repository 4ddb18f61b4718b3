"""One behaviour suite for the upload records, against DynamoDB (moto) and the in-memory twin: one check
holds an upload at a time, a lapsed claim may be taken over, and only the holder ends it."""

from __future__ import annotations

from typing import Any

import pytest
from twins import InMemoryUploads

from desk.data.uploads import UploadStore
from desk.documents.store import CheckClaimLost, UploadRepository
from desk.errors import Conflict

NOW = "2026-12-03T02:00:00Z"
LATER = "2026-12-03T02:15:00Z"  # past the first claim
UNTIL = "2026-12-03T02:10:01Z"


@pytest.fixture(params=["dynamodb", "twin"])
def uploads(request: pytest.FixtureRequest) -> UploadRepository:
    if request.param == "twin":
        return InMemoryUploads()
    return UploadStore(request.getfixturevalue("moto_table"))


def _pending(uploads: UploadRepository, upload_id: str = "u-1") -> dict[str, Any]:
    record = {"upload_id": upload_id, "purpose": "attachment", "status": "pending", "max_size": 10}
    uploads.create(record)
    return record


def test_a_record_reads_back_and_its_id_is_taken_once(uploads: UploadRepository) -> None:
    record = _pending(uploads)
    loaded = uploads.load("u-1")
    assert loaded is not None and {k: loaded[k] for k in record} == record
    with pytest.raises(Conflict):
        uploads.create(record)
    assert uploads.load("u-none") is None


def test_one_check_holds_an_upload_until_its_claim_lapses(uploads: UploadRepository) -> None:
    _pending(uploads)
    assert uploads.claim_check("u-1", token="first", until=UNTIL, now=NOW)
    assert not uploads.claim_check("u-1", token="second", until=UNTIL, now=NOW)
    assert uploads.claim_check("u-1", token="third", until="2026-12-03T02:30:00Z", now=LATER)
    assert uploads.load("u-1")["check_claim"] == "third"  # type: ignore[index]


def test_only_the_holder_releases_or_records_and_the_outcome_ends_the_claim(
    uploads: UploadRepository,
) -> None:
    _pending(uploads)
    assert uploads.claim_check("u-1", token="mine", until=UNTIL, now=NOW)
    uploads.release_check("u-1", "not-mine")
    assert uploads.load("u-1")["check_claim"] == "mine"  # type: ignore[index]
    with pytest.raises(CheckClaimLost):
        uploads.record_outcome("u-1", "not-mine", {"status": "accepted"})
    uploads.record_outcome("u-1", "mine", {"status": "accepted", "sha256": "ab"})
    done = uploads.load("u-1")
    assert done is not None and done["status"] == "accepted" and "check_claim" not in done
    # Checked: no check may claim it again, and a late outcome is refused.
    assert not uploads.claim_check("u-1", token="late", until="2026-12-03T03:00:00Z", now=LATER)
    with pytest.raises(CheckClaimLost):
        uploads.record_outcome("u-1", "mine", {"status": "rejected"})


def test_a_released_claim_lets_the_next_check_in_at_once(uploads: UploadRepository) -> None:
    _pending(uploads)
    assert uploads.claim_check("u-1", token="failed", until=UNTIL, now=NOW)
    uploads.release_check("u-1", "failed")
    assert uploads.claim_check("u-1", token="retry", until=UNTIL, now=NOW)


def test_an_accepted_upload_is_attached_once_and_only_in_time(uploads: UploadRepository) -> None:
    for upload_id, status, before in (
        ("u-1", "accepted", LATER),
        ("u-2", "pending", LATER),
        ("u-3", "accepted", NOW),
    ):
        uploads.create(
            {"upload_id": upload_id, "purpose": "attachment", "status": status, "attach_before": before}
            | {"expires_at": 1_800_000_000}
        )
    assert uploads.attach("u-1", "EP-2026-000001", UNTIL)
    assert not uploads.attach("u-1", "EP-2026-000002", UNTIL)  # someone's already
    attached = uploads.load("u-1")
    assert (
        attached is not None and attached["attached_to"] == "EP-2026-000001" and "expires_at" not in attached
    )
    assert not uploads.attach("u-2", "EP-2026-000002", UNTIL)  # not checked yet
    assert not uploads.attach("u-3", "EP-2026-000002", UNTIL)  # its window closed at NOW
    assert not uploads.attach("u-none", "EP-2026-000002", UNTIL)
