"""What a file may be uploaded for, which types each purpose takes, and how large it may be.

The limits are binary megabytes (1 MB = 1,048,576 bytes), the unit people see in their file managers:

================  =========  ===========================  ================================================
purpose           limit      types                        what it is
================  =========  ===========================  ================================================
sk_letter         10 MB      PDF, JPEG, PNG               SK / assignment letter for a buyer's user ID
company_letter    10 MB      PDF, JPEG, PNG               company letter for a provider's user ID
training_letter   10 MB      PDF, JPEG, PNG               training request letter
payment_proof     5 MB       PDF, JPEG, PNG               proof of payment (often a phone photo or screenshot)
letter_scan       10 MB      PDF, JPEG, PNG               scan of an incoming paper letter (secretary)
draft_answer      10 MB      PDF                          a Subdit's draft answer (staff)
signed_letter     10 MB      PDF                          the Director's signed letter (staff)
attachment        10 MB      PDF, JPEG, PNG               any other supporting document
================  =========  ===========================  ================================================

Draft answers and signed letters are made by staff from a word processor or a signing service, so
they are PDF only; everything the public sends may also be a photo or a screenshot.

Each door takes its own purposes: ``POST /uploads`` (no sign-in) the public's, ``POST /staff/uploads``
(signed in) the staff's. A stranger cannot make a file that passes for a letter scan or a signed answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from desk.documents.filenames import has_meaningful_name, safe_filename
from desk.errors import InvalidInput

__all__ = [
    "CONTENT_TYPES",
    "DOORS",
    "JPEG",
    "MAX_FILENAME_LENGTH",
    "PDF",
    "PNG",
    "PUBLIC_PURPOSES",
    "PURPOSES",
    "STAFF_PURPOSES",
    "Purpose",
    "PurposeRule",
    "UploadSpec",
    "upload_schema",
    "validate_upload_request",
]

MB = 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

#: Every content type the desk accepts, in the order the contract lists them.
CONTENT_TYPES: tuple[str, ...] = (PDF, JPEG, PNG)

#: A filename longer than this (in characters, before cleaning) is refused rather than cut.
MAX_FILENAME_LENGTH = 1024


class Purpose(StrEnum):
    SK_LETTER = "sk_letter"
    COMPANY_LETTER = "company_letter"
    TRAINING_LETTER = "training_letter"
    PAYMENT_PROOF = "payment_proof"
    LETTER_SCAN = "letter_scan"
    DRAFT_ANSWER = "draft_answer"
    SIGNED_LETTER = "signed_letter"
    ATTACHMENT = "attachment"


@dataclass(frozen=True, slots=True)
class PurposeRule:
    purpose: Purpose
    max_size: int
    content_types: frozenset[str]


_ANY = frozenset(CONTENT_TYPES)
_PDF_ONLY = frozenset({PDF})

#: The rule of each purpose, by its contract name.
PURPOSES: Mapping[str, PurposeRule] = MappingProxyType(
    {
        rule.purpose.value: rule
        for rule in (
            PurposeRule(Purpose.SK_LETTER, 10 * MB, _ANY),
            PurposeRule(Purpose.COMPANY_LETTER, 10 * MB, _ANY),
            PurposeRule(Purpose.TRAINING_LETTER, 10 * MB, _ANY),
            PurposeRule(Purpose.PAYMENT_PROOF, 5 * MB, _ANY),
            PurposeRule(Purpose.LETTER_SCAN, 10 * MB, _ANY),
            PurposeRule(Purpose.DRAFT_ANSWER, 10 * MB, _PDF_ONLY),
            PurposeRule(Purpose.SIGNED_LETTER, 10 * MB, _PDF_ONLY),
            PurposeRule(Purpose.ATTACHMENT, 10 * MB, _ANY),
        )
    }
)

#: What each door takes: the public's documents, and the staff's (who also attach supporting files).
PUBLIC_PURPOSES = frozenset(
    {
        Purpose.SK_LETTER,
        Purpose.COMPANY_LETTER,
        Purpose.TRAINING_LETTER,
        Purpose.PAYMENT_PROOF,
        Purpose.ATTACHMENT,
    }
)
STAFF_PURPOSES = frozenset(
    {Purpose.LETTER_SCAN, Purpose.DRAFT_ANSWER, Purpose.SIGNED_LETTER, Purpose.ATTACHMENT}
)
DOORS: Mapping[str, frozenset[Purpose]] = MappingProxyType(
    {"public": PUBLIC_PURPOSES, "staff": STAFF_PURPOSES}
)

_TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

#: What each purpose is called in a sentence people read.
LABELS: Mapping[str, str] = MappingProxyType(
    {
        "sk_letter": "surat tugas / SK",
        "company_letter": "surat perusahaan",
        "training_letter": "surat permohonan pelatihan",
        "payment_proof": "bukti pembayaran",
        "letter_scan": "pindaian surat",
        "draft_answer": "draf jawaban",
        "signed_letter": "surat bertanda tangan",
        "attachment": "lampiran",
    }
)


@dataclass(frozen=True, slots=True)
class UploadSpec:
    """An upload request that passed validation: what the presigned POST is built from.

    ``filename`` is already made safe (:func:`desk.documents.filenames.safe_filename`); the raw name is
    not kept. ``max_size`` is the purpose's limit, the upper bound of the policy's ``content-length-range``
    and the ``max_size`` the check after upload is run with.
    """

    purpose: Purpose
    filename: str
    content_type: str
    size: int
    max_size: int


def _megabytes(size: int) -> str:
    return f"{size // MB} MB" if size % MB == 0 else f"{size:,} bita".replace(",", ".")


def validate_upload_request(
    purpose: str, filename: str, content_type: str, size: int, door: str = "public"
) -> UploadSpec:
    """Check a ``POST /uploads`` (``door="public"``) or ``POST /staff/uploads`` (``"staff"``) request;
    raise :class:`InvalidInput` naming every field that is wrong.

    ``content_type`` must be one of the contract's exact values (lower case, no parameters) because the
    presigned policy fixes it byte for byte. ``size`` is the size the client announces; a ``bool`` is not
    a size. When the purpose is unknown, the checks that depend on it (types it takes, its size limit)
    are skipped; the others still run, so one answer names every field to fix.
    """
    problems: dict[str, str] = {}
    taken = DOORS[door]
    rule = PURPOSES.get(purpose) if isinstance(purpose, str) else None
    if rule is not None and rule.purpose not in taken:
        rule = None
    if rule is None:
        choices = ", ".join(p for p in PURPOSES if p in taken)
        problems["purpose"] = f"Keperluan unggahan tidak dikenal; pilih salah satu: {choices}."
    found = {
        "filename": _filename_problem(filename),
        "content_type": _content_type_problem(content_type, rule, purpose),
        "size": _size_problem(size, rule, purpose),
    }
    problems.update((name, problem) for name, problem in found.items() if problem is not None)

    if problems or rule is None:
        first = next(iter(problems.values()))
        several = "Permintaan unggahan tidak valid; periksa kolom yang ditandai."
        message = first if len(problems) == 1 else several
        raise InvalidInput(message, fields=problems)

    return UploadSpec(
        purpose=rule.purpose,
        filename=safe_filename(filename, content_type),
        content_type=content_type,
        size=size,
        max_size=rule.max_size,
    )


def _filename_problem(filename: object) -> str | None:
    """What is wrong with the filename, if anything."""
    if not isinstance(filename, str) or not filename.strip():
        return "Nama berkas wajib diisi."
    if len(filename) > MAX_FILENAME_LENGTH:
        return f"Nama berkas terlalu panjang (paling banyak {MAX_FILENAME_LENGTH} karakter)."
    if not has_meaningful_name(filename):
        return "Nama berkas harus memuat huruf atau angka, bukan hanya tanda baca."
    return None


def _content_type_problem(content_type: object, rule: PurposeRule | None, purpose: str) -> str | None:
    """What is wrong with the type; the purpose's own types are checked only when the purpose is known."""
    if not isinstance(content_type, str) or content_type not in CONTENT_TYPES:
        return "Jenis berkas tidak diterima; kirim PDF, JPEG, atau PNG."
    if rule is not None and content_type not in rule.content_types:
        allowed = ", ".join(_TYPE_LABELS[t] for t in CONTENT_TYPES if t in rule.content_types)
        return f"Untuk {LABELS[purpose]} hanya diterima berkas {allowed}."
    return None


def _size_problem(size: object, rule: PurposeRule | None, purpose: str) -> str | None:
    """What is wrong with the size; the purpose's limit is checked only when the purpose is known."""
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        return "Ukuran berkas harus bilangan bulat lebih dari 0 bita."
    if rule is not None and size > rule.max_size:
        return f"Ukuran berkas melebihi batas {_megabytes(rule.max_size)} untuk {LABELS[purpose]}."
    return None


def upload_schema(door: str) -> dict[str, Any]:
    """The JSON schema of an upload request at a door: one shape per purpose it takes, with that
    purpose's types and size limit (the schema shows plain file names; the rules take more)."""
    variants = [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["purpose", "filename", "content_type", "size"],
            "properties": {
                "purpose": {"const": name},
                "filename": {
                    "type": "string",
                    "maxLength": 200,
                    "pattern": r"^[A-Za-z0-9][A-Za-z0-9 _()-]{0,99}\.(pdf|jpg|jpeg|png)$",
                },
                "content_type": {"enum": [t for t in CONTENT_TYPES if t in rule.content_types]},
                "size": {"type": "integer", "minimum": 1, "maximum": rule.max_size},
            },
        }
        for name, rule in PURPOSES.items()
        if rule.purpose in DOORS[door]
    ]
    return {"oneOf": variants}
