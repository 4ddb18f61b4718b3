"""Uploads through S3: presigned POSTs into quarantine, the check after arrival, attaching a checked
file to one request, and short-lived downloads.

Keys are made here, never from a filename: ``quarantine/<id>`` on arrival, then ``documents/<id>`` once
accepted or ``rejected/<id>`` (kept for staff, never served). Each upload has one record
``pk=UPLOAD#<id>``, ``sk=UPLOAD`` with its purpose, its check result and the request it belongs to.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

from desk import clock, ids
from desk.documents.files import DocumentFiles
from desk.documents.purposes import LABELS, PURPOSES, UploadSpec
from desk.documents.store import UploadRepository
from desk.errors import Gone, InvalidInput, NotFound, RuleViolation
from desk.settings import get_settings

QUARANTINE = "quarantine/"
ACCEPTED = "documents/"
REJECTED = "rejected/"
POST_LIFETIME = timedelta(minutes=5)  # domain-rules §6: a short expiry
ATTACH_WITHIN = timedelta(hours=24)  # an upload not attached by then cannot be used
DOWNLOAD_SECONDS = 300
SCAN_TAG = "GuardDutyMalwareScanStatus"
SCAN_CLEAN = "NO_THREATS_FOUND"
_SPOOL = 1024 * 1024  # the check reads from a spooled file: at most this much of it in memory
CHECK_HOLD = timedelta(minutes=1)  # how long a check holds its claim: the check function's timeout


def _records() -> UploadRepository:
    from desk.data.uploads import repository

    return repository()


def _files() -> DocumentFiles:
    """The documents bucket (S3's; the tests may hold a twin in its place)."""
    from desk.data.files import documents

    return documents()


def request_upload(spec: UploadSpec, *, now: datetime) -> dict[str, Any]:
    """Record the upload and sign a POST policy for it (signing is local: no call to S3)."""
    upload_id = ids.new_opaque_id(16)
    key = QUARANTINE + upload_id
    expires = now + POST_LIFETIME
    _records().create(
        {
            "upload_id": upload_id,
            "purpose": str(spec.purpose),
            "filename": spec.filename,
            "content_type": spec.content_type,
            "declared_size": spec.size,
            "max_size": spec.max_size,
            "status": "pending",
            "created_at": clock.iso(now),
            "post_expires_at": clock.iso(expires),
            "attach_before": clock.iso(now + ATTACH_WITHIN),
            "expires_at": int((now + timedelta(days=30)).timestamp()),  # the record outlives an unused file
        }
    )
    post = _files().presigned_post(
        key, content_type=spec.content_type, max_size=spec.max_size, lifetime=POST_LIFETIME
    )
    return {
        "upload_id": upload_id,
        "url": post["url"],
        "fields": post["fields"],
        "expires_at": clock.iso(expires),
        "max_size": spec.max_size,
    }


def load(upload_id: str) -> dict[str, Any] | None:
    if not upload_id or len(upload_id) > 64:
        return None
    return _records().load(upload_id)


def status(upload_id: str) -> dict[str, Any]:
    item = load(upload_id)
    if item is None:
        raise NotFound("Unggahan tidak ditemukan.", code="upload_not_found")
    answer: dict[str, Any] = {"status": item["status"]}
    if item["status"] == "rejected":
        answer["reason"] = item.get("reason")
        answer["reason_code"] = item.get("reason_code")
    if item.get("sha256"):
        answer["sha256"] = item["sha256"]
    return answer


# --- the check after arrival --------------------------------------------------------------------------


def upload_id_from_key(raw_key: str) -> str | None:
    key = unquote_plus(raw_key)  # S3 event keys arrive URL-encoded
    if not key.startswith(QUARANTINE):
        return None
    upload_id = key[len(QUARANTINE) :]
    return upload_id if upload_id and "/" not in upload_id else None


def check_arrival(
    bucket: str, raw_key: str, *, now: datetime, hold: timedelta = CHECK_HOLD
) -> dict[str, Any]:
    """Check one object that arrived in quarantine and store it; a repeated event changes nothing.

    The check first claims the upload (one conditional write), so of several events for the same key
    (a presigned POST can be used again until it expires) one checks and the others are ignored. The
    claim lasts ``hold``: as long as the invocation may run, so no check outlives its claim, and a retry
    after a check that died (Lambda waits a minute or more) finds it lapsed. Only the documents bucket's
    events are checked: the files are read from it, whatever bucket an event names.
    """
    upload_id = upload_id_from_key(raw_key)
    if upload_id is None or bucket != get_settings().documents_bucket:
        return {"key": raw_key, "outcome": "ignored"}
    record = load(upload_id)
    files = _files()
    source = QUARANTINE + upload_id
    if record is None:
        # Nothing the desk signed: keep it out of reach (tagged; the quarantine lifecycle removes it).
        files.tag(source, {"desk": "orphan"})
        return {"upload_id": upload_id, "outcome": "orphan"}
    if record["status"] != "pending":
        return {"upload_id": upload_id, "outcome": "already_checked", "status": record["status"]}
    claim = _claim(upload_id, now=now, hold=hold)
    if claim is None:
        record = load(upload_id) or record
        if record["status"] != "pending":
            return {"upload_id": upload_id, "outcome": "already_checked", "status": record["status"]}
        return {"upload_id": upload_id, "outcome": "being_checked"}
    try:
        outcome = _check_and_store(files, upload_id, record, claim, now=now)
    except Exception:
        _release(upload_id, claim)  # Lambda's retry may check it at once
        raise
    # Stored and recorded before the delete: a retry after a failed delete finds the upload checked.
    files.delete(source)
    return outcome


def _claim(upload_id: str, *, now: datetime, hold: timedelta) -> str | None:
    """Take the check of a pending upload: a token, or None while another check holds it."""
    token = ids.new_opaque_id(16)
    # instants are stored in whole seconds: round up, or the claim lapses before the check ends
    until = clock.iso(now + hold + timedelta(seconds=1))
    return token if _records().claim_check(upload_id, token=token, until=until, now=clock.iso(now)) else None


def _release(upload_id: str, claim: str) -> None:
    _records().release_check(upload_id, claim)


def _check_and_store(
    files: DocumentFiles, upload_id: str, record: dict[str, Any], claim: str, *, now: datetime
) -> dict[str, Any]:
    from desk.documents.checks import check_file  # pypdf only where files are checked

    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as spool:
        # One byte past the limit is enough to refuse.
        files.read_into(QUARANTINE + upload_id, spool, limit=int(record["max_size"]) + 1)
        spool.seek(0)
        result = check_file(spool, declared_type=record["content_type"], max_size=int(record["max_size"]))
        if result.reason_code == "unsupported_type" and str(record.get("source", "")).startswith("mail:"):
            from desk.admin.attachments import allowed_types

            if record["content_type"] in allowed_types():  # an admin allows this type from email
                result = replace(result, accepted=True, reason_code=None, reason=None, reason_en=None)
        target = (ACCEPTED if result.accepted else REJECTED) + upload_id
        verdict = "accepted" if result.accepted else "rejected"
        # The bytes that were checked and hashed are written, not copied from quarantine again: the
        # quarantined object may have been replaced since it was read (the presigned POST is reusable),
        # and a copy conditioned on its ETag is not enforced by moto. (A file refused as too large is
        # kept cut one byte past the limit, as far as it was read.)
        spool.seek(0)
        # The store refuses the write unless the bytes it receives have the recorded hash (a file cut
        # short has none).
        files.write(
            target,
            spool,
            content_type=record["content_type"],
            metadata={"upload-id": upload_id, "status": verdict},
            sha256=result.sha256 or None,
        )
    checked = {k: v for k, v in asdict(result).items() if v is not None and k != "accepted"}
    fields = {"status": verdict, "object_key": target, "checked_at": clock.iso(now), "check": checked}
    fields |= {name: checked[name] for name in ("sha256", "size", "reason", "reason_code") if name in checked}
    _records().record_outcome(upload_id, claim, fields)
    return {"upload_id": upload_id, "outcome": verdict, "reason_code": result.reason_code}


# --- attaching to a request ---------------------------------------------------------------------------


def usable_uploads(
    upload_ids: list[str],
    *,
    purposes: set[str],
    now: datetime,
    field: str,
    replay_of: Callable[[], str | None] | None = None,
) -> list[str]:
    """Refuse, naming why, any upload that cannot be attached to a new request; return the ids.

    The creating transaction then claims them with conditions (``AttachUpload`` in
    ``desk.requests.store``), which guard the race between two requests that name the same upload.
    ``replay_of`` gives the request an Idempotency-Key already made: its own uploads pass, so the retry
    gets the first receipt.
    """
    if len(set(upload_ids)) != len(upload_ids):
        raise InvalidInput(
            "Ada unggahan yang disebut dua kali.", fields={field: "unggahan yang sama disebut dua kali"}
        )
    # The ids are well formed; what refuses one is a rule (unknown, taken, not checked yet): 422.
    problems: dict[str, str] = {}
    for index, upload_id in enumerate(upload_ids):
        name = f"{field}.{index}" if field.endswith("s") else field
        record = load(upload_id)
        if record is None:
            problems[name] = "unggahan tidak dikenal"
            continue
        if replay_of is not None and record.get("attached_to") and record["attached_to"] == replay_of():
            continue
        if record["purpose"] not in purposes:
            problems[name] = (
                f"unggahan ini untuk {LABELS.get(record['purpose'], record['purpose'])}, bukan "
                + " atau ".join(sorted(LABELS.get(p, p) for p in purposes))
            )
        elif record.get("attached_to"):
            problems[name] = "unggahan ini sudah dipakai untuk permohonan lain"
        elif record["status"] == "pending":
            problems[name] = "berkas belum selesai diperiksa; tunggu sebentar lalu kirim lagi"
        elif record["status"] == "rejected":
            problems[name] = f"berkas ditolak: {record.get('reason') or record.get('reason_code')}"
        elif clock.parse_iso(record["attach_before"]) < now:
            problems[name] = "unggahan sudah kedaluwarsa; unggah ulang berkasnya"
    if problems:
        raise RuleViolation("Ada unggahan yang tidak dapat dipakai.", code="upload_unusable", fields=problems)
    return list(upload_ids)


# --- serving ------------------------------------------------------------------------------------------


def download_url(record: dict[str, Any]) -> str:
    """A presigned GET of a few minutes for an accepted file (and, in AWS, a clean malware scan)."""
    from desk.documents.filenames import content_disposition

    if record.get("status") != "accepted" or not record.get("object_key"):
        raise Gone("Dokumen ini tidak dapat diunduh.", code="document_unavailable")
    files = _files()
    if get_settings().require_malware_scan:
        if files.tags_of(record["object_key"]).get(SCAN_TAG) != SCAN_CLEAN:
            raise Gone("Dokumen ini belum lolos pemindaian malware.", code="document_not_scanned")
    return files.download_url(
        record["object_key"],
        disposition=content_disposition(record["filename"]),
        content_type=record["content_type"],
        lifetime=timedelta(seconds=DOWNLOAD_SECONDS),
    )


def listed(upload_ids: Iterable[str], *, rename: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
    """A request's documents as the pages list them: each known upload's facts and, when it may be
    downloaded now, a short-lived ``url`` (a file still waiting for its malware scan is listed without).
    ``rename`` gives the file name a reader sees, in the list and in the download."""
    found: list[dict[str, Any]] = []
    for upload_id in upload_ids:
        record = load(str(upload_id))
        if record is None:
            continue
        if rename is not None and record.get("filename"):
            record["filename"] = rename(str(record["filename"]))
        document = {
            k: record.get(k)
            for k in ("upload_id", "purpose", "filename", "content_type", "size", "sha256", "status")
        }
        if record.get("status") == "accepted":
            try:
                document["url"] = download_url(record)
            except Gone:
                pass
        found.append(document)
    return found


def purposes_named(*names: str) -> set[str]:
    unknown = set(names) - set(PURPOSES)
    if unknown:
        raise ValueError(f"unknown purposes {unknown}")
    return set(names)


def store_from_mail(
    content: bytes, filename: str, content_type: str, *, number: str, now: datetime, source: str
) -> str:
    """An attachment that arrived by email: recorded like an upload and already tied to its request, then
    put into quarantine, where the same check function takes it (other types are kept, never served)."""
    from desk.documents.filenames import safe_filename

    upload_id = ids.new_opaque_id(16)
    declared = content_type if content_type in PURPOSES["attachment"].content_types else content_type[:100]
    _records().create(
        {
            "upload_id": upload_id,
            "purpose": "attachment",
            "filename": safe_filename(filename or "lampiran", declared)
            if declared in PURPOSES["attachment"].content_types
            else (filename or "lampiran")[:180],
            "content_type": declared,
            "declared_size": len(content),
            "max_size": PURPOSES["attachment"].max_size,
            "status": "pending",
            "created_at": clock.iso(now),
            "attach_before": clock.iso(now),
            "attached_to": number,
            "attached_at": clock.iso(now),
            "source": source,
        }
    )
    _files().write(QUARANTINE + upload_id, content, content_type="application/octet-stream")
    return upload_id
