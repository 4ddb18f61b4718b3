"""One behaviour suite for the documents bucket, against S3 (moto) and the in-memory twin: files read back
whole or up to a limit, a missing one is named, tags replace each other, and the signed POST and GET say
what the desk asked of them."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from twins.adapters import InMemoryFiles

from desk import clock
from desk.data.files import S3Files
from desk.documents.files import DocumentFiles, FileMissing

PDF = "application/pdf"


@pytest.fixture(params=["moto", "twin"])
def files(request: pytest.FixtureRequest) -> DocumentFiles:
    if request.param == "twin":
        return InMemoryFiles()
    s3, bucket = request.getfixturevalue("moto_bucket")
    return S3Files(s3, bucket)


def test_a_file_reads_back_whole_or_up_to_a_limit(files: DocumentFiles) -> None:
    files.write("documents/a", b"0123456789", content_type=PDF, metadata={"upload-id": "a"})
    assert files.read("documents/a") == b"0123456789"
    sink = io.BytesIO()
    assert files.read_into("documents/a", sink, limit=4) == 4
    assert sink.getvalue() == b"0123"
    whole = io.BytesIO()
    assert files.read_into("documents/a", whole, limit=11) == 10
    assert whole.getvalue() == b"0123456789"


def test_a_write_from_a_file_with_its_hash_replaces_what_was_there(files: DocumentFiles) -> None:
    import hashlib

    files.write("documents/a", b"first", content_type=PDF)
    content = b"second, from a spooled file"
    files.write(
        "documents/a", io.BytesIO(content), content_type=PDF, sha256=hashlib.sha256(content).hexdigest()
    )
    assert files.read("documents/a") == content


def test_a_missing_file_is_named_by_every_read(files: DocumentFiles) -> None:
    for read in (
        lambda: files.read("quarantine/none"),
        lambda: files.read_into("quarantine/none", io.BytesIO(), limit=10),
        lambda: files.tags_of("quarantine/none"),
        lambda: files.tag("quarantine/none", {"desk": "orphan"}),
    ):
        with pytest.raises(FileMissing):
            read()


def test_tags_start_empty_and_each_tagging_replaces_the_last(files: DocumentFiles) -> None:
    files.write("quarantine/u", b"x", content_type=PDF)
    assert files.tags_of("quarantine/u") == {}
    files.tag("quarantine/u", {"desk": "orphan", "GuardDutyMalwareScanStatus": "NO_THREATS_FOUND"})
    assert files.tags_of("quarantine/u") == {
        "desk": "orphan",
        "GuardDutyMalwareScanStatus": "NO_THREATS_FOUND",
    }
    files.tag("quarantine/u", {"desk": "kept"})
    assert files.tags_of("quarantine/u") == {"desk": "kept"}


def test_a_deleted_file_is_gone_and_deleting_it_again_is_no_error(files: DocumentFiles) -> None:
    files.write("quarantine/u", b"x", content_type=PDF)
    files.delete("quarantine/u")
    with pytest.raises(FileMissing):
        files.read("quarantine/u")
    files.delete("quarantine/u")


def test_a_presigned_post_holds_the_file_to_its_key_type_size_and_lifetime(files: DocumentFiles) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    post = files.presigned_post(
        "quarantine/u-1", content_type=PDF, max_size=1000, lifetime=timedelta(minutes=5)
    )
    after = datetime.now(UTC)
    assert str(urlsplit(post["url"]).hostname).startswith("desk-documents.")
    assert post["fields"]["key"] == "quarantine/u-1" and post["fields"]["Content-Type"] == PDF
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    conditions = policy["conditions"]
    for condition in (
        {"Content-Type": PDF},
        ["content-length-range", 1, 1000],
        {"bucket": "desk-documents"},
        {"key": "quarantine/u-1"},
    ):
        assert condition in conditions
    expires = clock.parse_iso(policy["expiration"])
    assert before + timedelta(minutes=5) <= expires <= after + timedelta(minutes=5)


def test_a_download_url_names_the_file_and_the_headers_it_is_served_with(files: DocumentFiles) -> None:
    disposition = "attachment; filename=\"surat.pdf\"; filename*=UTF-8''surat.pdf"
    url = files.download_url(
        "documents/u-1", disposition=disposition, content_type=PDF, lifetime=timedelta(seconds=300)
    )
    parts = urlsplit(url)
    assert parts.path.endswith("/documents/u-1")
    query = parse_qs(parts.query)
    assert query["response-content-disposition"] == [disposition]
    assert query["response-content-type"] == [PDF]
    assert query["X-Amz-Expires"] == ["300"]
