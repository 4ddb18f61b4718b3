"""The checks a file must pass after it is uploaded, before anyone may download it.

The upload policy (presigned POST) is not trusted: the local S3 emulator does not enforce it, and mail
attachments never had one. So :func:`check_file` reads the stored bytes and decides on its own:

1. it streams the file once in chunks, computing SHA-256 and the real size, and stops one byte past
   ``max_size`` (an oversize file is refused without being read to its end);
2. an empty file is refused; a type other than PDF, JPEG or PNG is refused (kept for staff, never served);
3. the magic bytes must match the declared type (PDF ``%PDF-`` at the start, after nothing but a UTF-8
   byte order mark and white space, within the first 1,024 bytes; JPEG ``FF D8 FF``; PNG's 8-byte
   signature), and the file must not also be a ZIP archive (a ZIP with a PDF header, or a PDF or image
   with a ZIP appended);
4. a PDF is opened with pypdf: encrypted, unreadable, page-less or too long documents are refused, and
   every indirect object pypdf can resolve (objects inside compressed object streams, and objects left
   out of the cross-reference table but referenced, included), plus the trailer, is searched for active
   content; an action the PDF runs without a click (its /OpenAction, an /AA entry, and what either
   chains with /Next) must move within the document (/GoTo, or /Named NextPage, PrevPage, FirstPage,
   LastPage) and is refused otherwise. pypdf's decoding limits are lowered for the check, and the
   number of objects it may have to find by scanning the whole file is limited, so a small hostile file
   costs neither gigabytes nor minutes;
5. an image's dimensions are read from its header without decoding pixels, and an image above the
   pixel limit (a decompression bomb) is refused.

Malformed content never raises out of :func:`check_file`: it becomes a rejection with a stable
``reason_code`` and a sentence in Bahasa Indonesia (``reason``) and English (``reason_en``). Only a
failure to read the given stream itself (an I/O error) propagates, so the caller can retry.

This module reads the stream and gives the verdict; the steps live in :mod:`.content_types` (3),
:mod:`.archive_checks` (the ZIP of 3), :mod:`.pdf_checks` (4) and :mod:`.image_checks` (5), the limits
and verdicts in :mod:`.verdicts`, and the sentences of each reason in :mod:`.reasons`.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import IO, Final

from desk.documents.archive_checks import is_zip_archive
from desk.documents.content_types import HEAD_SIZE, JPEG, PDF, PNG, ZIP, normalise_type, sniff_type
from desk.documents.image_checks import check_image
from desk.documents.pdf_checks import check_pdf
from desk.documents.reasons import explain
from desk.documents.verdicts import DEFAULT_LIMITS, CheckLimits, CheckResult, Refusal, refuse

__all__ = [
    "DEFAULT_LIMITS",
    "HEAD_SIZE",
    "CheckLimits",
    "CheckResult",
    "check_file",
    "sniff_type",
]

CHUNK_SIZE: Final = 64 * 1024
#: A stream that cannot seek is copied to a temporary file; this much of it stays in memory.
SPOOL_IN_MEMORY: Final = 1024 * 1024


# --- reading the stream ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    body: IO[bytes]
    owned: bool
    size: int
    sha256: str
    head: bytes
    over_limit: bool


def _is_seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _read(stream: IO[bytes], max_size: int) -> _Reading:
    """Hash the stream in chunks, keep its first bytes, and give back a seekable body to parse.

    A seekable stream is rewound and used as the body; any other is copied to a spooled temporary file
    as it is hashed (in memory up to :data:`SPOOL_IN_MEMORY`). Nothing past ``max_size + 1`` is read.
    """
    seekable = _is_seekable(stream)
    body: IO[bytes]
    if seekable:
        stream.seek(0)
        body = stream
    else:
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    digest = hashlib.sha256()
    head = bytearray()
    size = 0
    try:
        while size <= max_size:
            chunk = stream.read(min(CHUNK_SIZE, max_size + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size > max_size:
                break
            digest.update(chunk)
            if len(head) < HEAD_SIZE:
                head += chunk[: HEAD_SIZE - len(head)]
            if not seekable:
                body.write(chunk)
    except BaseException:
        if not seekable:
            body.close()
        raise
    over = size > max_size
    return _Reading(
        body=body,
        owned=not seekable,
        size=size,
        sha256="" if over else digest.hexdigest(),
        head=bytes(head),
        over_limit=over,
    )


# --- the check ------------------------------------------------------------------------------------------


def check_file(
    stream: IO[bytes],
    *,
    declared_type: str,
    max_size: int,
    limits: CheckLimits = DEFAULT_LIMITS,
) -> CheckResult:
    """Check one uploaded file; see the module's description for the steps.

    ``stream`` is read from its start when it can seek (and left open), otherwise from where it is.
    ``declared_type`` is the content type the upload announced (parameters and case are ignored);
    ``max_size`` the purpose's limit in bytes. Raises only ``ValueError`` for a negative ``max_size`` and
    whatever reading ``stream`` raises.
    """
    if max_size < 0:
        raise ValueError("max_size must not be negative")
    declared = normalise_type(declared_type)
    reading = _read(stream, max_size)
    try:
        return _judge(reading, declared, max_size, limits)
    finally:
        if reading.owned:
            reading.body.close()


def _judge(reading: _Reading, declared: str, max_size: int, limits: CheckLimits) -> CheckResult:
    refusal = _refusal_before_parsing(reading, declared, max_size)
    if refusal is not None:
        return _refused(reading, refusal)
    if declared == PDF:
        pages = check_pdf(reading.body, limits)
        if isinstance(pages, Refusal):
            return _refused(reading, pages)
        return _accepted(reading, PDF, pages=pages)
    image = check_image(reading.body, reading.size, declared, limits)
    if isinstance(image, Refusal):
        return _refused(reading, image)
    return _accepted(reading, declared, width=image.width, height=image.height)


def _refusal_before_parsing(reading: _Reading, declared: str, max_size: int) -> Refusal | None:
    """The refusal the size, the declared type and the first bytes decide, if any (steps 1 to 3)."""
    if reading.size == 0:
        return refuse("empty")
    detected = sniff_type(reading.head)
    if reading.over_limit:
        return refuse("too_large", detected, limit=max_size)
    if declared not in (PDF, JPEG, PNG):
        return refuse("unsupported_type", detected, declared=declared)
    if detected != declared:
        return refuse("type_mismatch", detected, declared=declared, found=detected)
    if is_zip_archive(reading.body):
        return refuse("type_mismatch", ZIP, declared=declared, found=ZIP)
    return None


def _refused(reading: _Reading, refusal: Refusal) -> CheckResult:
    reason, reason_en = explain(refusal)
    return CheckResult(
        accepted=False,
        reason_code=refusal.code,
        reason=reason,
        reason_en=reason_en,
        sha256=reading.sha256,
        size=reading.size,
        detected_type=refusal.detected,
        pages=refusal.pages,
        width=refusal.width,
        height=refusal.height,
    )


def _accepted(
    reading: _Reading,
    detected: str,
    *,
    pages: int | None = None,
    width: int | None = None,
    height: int | None = None,
) -> CheckResult:
    return CheckResult(
        accepted=True,
        reason_code=None,
        reason=None,
        reason_en=None,
        sha256=reading.sha256,
        size=reading.size,
        detected_type=detected,
        pages=pages,
        width=width,
        height=height,
    )
