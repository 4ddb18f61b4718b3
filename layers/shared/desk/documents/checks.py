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
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import IO, Final

import pypdf
from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

__all__ = [
    "DEFAULT_LIMITS",
    "HEAD_SIZE",
    "CheckLimits",
    "CheckResult",
    "check_file",
    "sniff_type",
]

PDF: Final = "application/pdf"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
ZIP: Final = "application/zip"

#: How far into a file the PDF header may start (after a BOM and white space only: domain-rules §6).
HEAD_SIZE: Final = 1024
CHUNK_SIZE: Final = 64 * 1024
#: A stream that cannot seek is copied to a temporary file; this much of it stays in memory.
SPOOL_IN_MEMORY: Final = 1024 * 1024

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE: Final = b"\xff\xd8\xff"
PDF_SIGNATURE: Final = b"%PDF-"
#: All that may come before a PDF's header: a UTF-8 byte order mark, then white space. Anything else
#: (markup, script) is what a browser sniffing the first bytes would act on, so the file is not a PDF.
_PDF_START: Final = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*%PDF-")


@dataclass(frozen=True, slots=True)
class CheckLimits:
    """Limits beyond the size limit, which comes with each call."""

    #: A PDF with more pages is refused (an SK letter has a few; a long report may have hundreds).
    max_pdf_pages: int = 500
    #: A PDF with more indirect objects is refused before it is searched (a 500-page scan has ~2,000).
    max_pdf_objects: int = 200_000
    #: 64 megapixels: an A4 page scanned at 600 dpi is 35 MP, a phone's 50 MP mode up to 8192 × 6144
    #: (50.3 MP). It stays below Pillow's own decompression-bomb warning (89 MP) for whoever decodes it
    #: later; decoded as RGBA it takes 256 MB.
    max_image_pixels: int = 64_000_000
    #: Longest side in pixels; longer is a bomb or a strip no one can read.
    max_image_side: int = 30_000
    #: JPEG segments read before the image data starts (real files have fewer than 30).
    max_jpeg_segments: int = 4096
    #: Most bytes one PDF stream may decode to while it is searched (only object and cross-reference
    #: streams are decoded; a real object stream is tens of kilobytes). pypdf's own default is 75 MB,
    #: which a 100 KB compression bomb reaches, costing twice that in memory.
    max_pdf_decoded_stream: int = 16 * 1024 * 1024
    #: Objects pypdf may look for by scanning the whole file: those the cross-reference table misplaces
    #: or leaves out. Each such search reads the file once more (2,000 of them in a 5 MB file take 20 s);
    #: a sound PDF needs none, a sloppy one a few.
    max_pdf_repairs: int = 100
    #: Actions run without a click (an /OpenAction, /AA entries, what they chain with /Next) that are
    #: objects of their own, looked up where they are referenced. Each lookup may decode an object
    #: stream, like a repair; a letter has none or one.
    max_pdf_actions: int = 100


DEFAULT_LIMITS: Final = CheckLimits()


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one file.

    ``sha256`` (hex) and ``size`` describe the whole file, except for ``too_large``: reading stops one byte
    past the limit, so ``size`` is ``max_size + 1`` and ``sha256`` is the empty string. ``detected_type`` is
    what the content is, when known (``application/zip`` for an archive in disguise). ``pages`` is set for
    PDFs that could be opened, ``width`` and ``height`` for images whose header could be read.

    Reason codes: ``empty``, ``too_large``, ``unsupported_type``, ``type_mismatch``, ``pdf_encrypted``,
    ``pdf_unreadable``, ``pdf_too_many_pages``, ``pdf_too_complex``, ``pdf_active_content``,
    ``image_unreadable``, ``image_too_large``.
    """

    accepted: bool
    reason_code: str | None
    reason: str | None
    reason_en: str | None
    sha256: str
    size: int
    detected_type: str | None = None
    pages: int | None = None
    width: int | None = None
    height: int | None = None


# --- sniffing -------------------------------------------------------------------------------------------


def sniff_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show, or None: PNG, JPEG, or PDF (header at the start,
    after at most a BOM and white space, within the first 1,024 bytes). A file that starts as an image
    is that image, and one that starts as anything else is not a PDF, even with ``%PDF-`` further in."""
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(JPEG_SIGNATURE):
        return JPEG
    if _PDF_START.match(head[:HEAD_SIZE]):
        return PDF
    return None


def _normalise_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


# --- messages -------------------------------------------------------------------------------------------

_TYPE_LABEL: Final = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", ZIP: "ZIP"}

_ACTIVE_CONTENT_LABEL: Final = {
    "/JavaScript": ("JavaScript", "JavaScript"),
    "/JS": ("JavaScript", "JavaScript"),
    "/Launch": ("perintah menjalankan program (Launch)", "a command that runs a program (Launch)"),
    "/EmbeddedFile": ("berkas tersemat", "an embedded file"),
    "/EmbeddedFiles": ("berkas tersemat", "an embedded file"),
    "/EF": ("berkas tersemat", "an embedded file"),
    "/GoToE": ("tautan ke berkas tersemat", "a link into an embedded file"),
    "/GoToR": ("tautan yang membuka berkas lain", "a link that opens another file"),
    "/RichMedia": ("media interaktif (RichMedia)", "interactive media (RichMedia)"),
    "/XFA": ("formulir XFA", "an XFA form"),
    "/OnInstantiate": ("skrip di objek 3D", "a script in a 3D object"),
    "/URI": ("tautan berskrip atau ke berkas lokal", "a scripted or local-file link"),
}


#: What an action run without a click would do, by its type (/S), for the uploader.
_AUTOMATIC_ACTION_LABEL: Final = {
    "/JavaScript": ("menjalankan JavaScript", "running JavaScript"),
    "/Launch": ("menjalankan program (Launch)", "running a program (Launch)"),
    "/SubmitForm": (
        "mengirim isi formulir ke alamat lain (SubmitForm)",
        "sending the form's contents to another address (SubmitForm)",
    ),
    "/ImportData": (
        "mengambil data dari berkas lain (ImportData)",
        "reading data from another file (ImportData)",
    ),
    "/URI": ("membuka alamat web (URI)", "opening a web address (URI)"),
    "/GoToR": ("membuka berkas lain (GoToR)", "opening another file (GoToR)"),
    "/GoToE": ("membuka berkas tersemat (GoToE)", "opening an embedded file (GoToE)"),
    "/Rendition": ("memutar media (Rendition)", "playing media (Rendition)"),
    "/Sound": ("memutar suara (Sound)", "playing a sound (Sound)"),
    "/Movie": ("memutar video (Movie)", "playing a video (Movie)"),
    "/ResetForm": ("mengosongkan formulir (ResetForm)", "clearing the form (ResetForm)"),
    "/Hide": ("menyembunyikan atau menampilkan isi halaman (Hide)", "hiding or showing content (Hide)"),
}


def _shown_name(name: object) -> str:
    """A PDF name as it may be shown to people: letters and digits only, and short (names come from the
    file, and hex escapes can put anything in them)."""
    return "".join(char for char in str(name) if char.isascii() and char.isalnum())[:40]


def _automatic_action_label(name: str, command: str | None) -> tuple[str, str]:
    known = _AUTOMATIC_ACTION_LABEL.get(name)
    if known is not None:
        return known
    if name == "/Named":
        shown = _shown_name(command or "")
        if shown:
            return (f"perintah penampil PDF {shown} (Named)", f"the PDF viewer command {shown} (Named)")
        return ("perintah penampil PDF (Named)", "a PDF viewer command (Named)")
    shown = _shown_name(name)
    if shown:
        return (f"tindakan {shown}", f"the {shown} action")
    return ("tindakan yang tidak dikenal", "an unknown action")


def _size_text(size: int) -> str:
    mb = 1024 * 1024
    if size % mb == 0:
        return f"{size // mb} MB"
    return f"{size / mb:.1f} MB"


def _messages(code: str, **detail: object) -> tuple[str, str]:
    match code:
        case "empty":
            return ("Berkas kosong (0 bita).", "The file is empty (0 bytes).")
        case "too_large":
            limit = _size_text(int(str(detail["limit"])))
            return (
                f"Ukuran berkas melebihi batas {limit}.",
                f"The file is larger than the {limit} limit.",
            )
        case "unsupported_type":
            return (
                f"Jenis berkas {detail['declared']} tidak diterima; hanya PDF, JPEG, atau PNG.",
                f"Files of type {detail['declared']} are not accepted; only PDF, JPEG or PNG.",
            )
        case "type_mismatch":
            declared = _TYPE_LABEL.get(str(detail["declared"]), str(detail["declared"]))
            detected = detail.get("found")
            if detected is None:
                return (
                    f"Isi berkas bukan {declared} seperti yang dinyatakan.",
                    f"The content of the file is not {declared} as declared.",
                )
            found = _TYPE_LABEL.get(str(detected), str(detected))
            if detected == ZIP:
                return (
                    f"Berkas ini berisi arsip ZIP yang disamarkan sebagai {declared}.",
                    f"The file holds a ZIP archive disguised as {declared}.",
                )
            return (
                f"Isi berkas adalah {found}, bukan {declared} seperti yang dinyatakan.",
                f"The content of the file is {found}, not {declared} as declared.",
            )
        case "pdf_encrypted":
            return (
                "PDF ini terenkripsi atau dilindungi kata sandi. "
                "Simpan ulang tanpa kata sandi, lalu unggah lagi.",
                "The PDF is encrypted or password-protected. Save it again without a password and upload it.",
            )
        case "pdf_unreadable":
            if detail.get("no_pages"):
                return ("PDF ini tidak memiliki halaman.", "The PDF has no pages.")
            return ("PDF ini rusak atau tidak dapat dibaca.", "The PDF is damaged or cannot be read.")
        case "pdf_too_many_pages":
            return (
                f"PDF ini memiliki {detail['pages']} halaman; paling banyak {detail['limit']} halaman.",
                f"The PDF has {detail['pages']} pages; at most {detail['limit']} are accepted.",
            )
        case "pdf_too_complex":
            return (
                f"PDF ini terlalu rumit untuk diperiksa ({detail['objects']} objek; "
                f"paling banyak {detail['limit']}).",
                f"The PDF is too complex to check ({detail['objects']} objects; at most {detail['limit']}).",
            )
        case "pdf_active_content" if detail.get("automatic"):
            command = detail.get("command")
            found_id, found_en = _automatic_action_label(
                str(detail["name"]), None if command is None else str(command)
            )
            return (
                f"PDF ini menjalankan tindakan otomatis yang tidak diizinkan: {found_id}. Tindakan otomatis "
                "hanya boleh berpindah halaman di dalam dokumen ini. "
                "Cetak ulang sebagai PDF (Print to PDF) atau pindai ulang, lalu unggah lagi.",
                f"The PDF runs an automatic action that is not allowed: {found_en}. An automatic action may "
                "only move to a page of the same document. "
                "Print it again to PDF or scan it again, then upload it.",
            )
        case "pdf_active_content":
            found_id, found_en = _ACTIVE_CONTENT_LABEL.get(str(detail["name"]), (str(detail["name"]),) * 2)
            return (
                f"PDF ini berisi konten aktif yang tidak diizinkan: {found_id}. "
                "Cetak ulang sebagai PDF (Print to PDF) atau pindai ulang, lalu unggah lagi.",
                f"The PDF holds active content that is not allowed: {found_en}. "
                "Print it again to PDF or scan it again, then upload it.",
            )
        case "image_unreadable":
            return ("Gambar ini rusak atau tidak dapat dibaca.", "The image is damaged or cannot be read.")
        case "image_too_large":
            return (
                f"Gambar ini berukuran {detail['width']} × {detail['height']} piksel; paling besar "
                f"{detail['megapixels']} megapiksel dan {detail['side']} piksel per sisi.",
                f"The image is {detail['width']} × {detail['height']} pixels; at most "
                f"{detail['megapixels']} megapixels and {detail['side']} pixels a side.",
            )
    raise ValueError(f"no message for reason code {code!r}")


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
    declared = _normalise_type(declared_type)
    reading = _read(stream, max_size)
    try:
        return _judge(reading, declared, max_size, limits)
    finally:
        if reading.owned:
            reading.body.close()


_Reject = Callable[..., CheckResult]


def _judge(reading: _Reading, declared: str, max_size: int, limits: CheckLimits) -> CheckResult:
    def reject(
        code: str,
        detected: str | None = None,
        *,
        pages: int | None = None,
        width: int | None = None,
        height: int | None = None,
        **detail: object,
    ) -> CheckResult:
        reason, reason_en = _messages(code, pages=pages, width=width, height=height, **detail)
        return CheckResult(
            accepted=False,
            reason_code=code,
            reason=reason,
            reason_en=reason_en,
            sha256=reading.sha256,
            size=reading.size,
            detected_type=detected,
            pages=pages,
            width=width,
            height=height,
        )

    if reading.size == 0:
        return reject("empty")
    detected = sniff_type(reading.head)
    if reading.over_limit:
        return reject("too_large", detected, limit=max_size)
    if declared not in (PDF, JPEG, PNG):
        return reject("unsupported_type", detected, declared=declared)
    if detected != declared:
        return reject("type_mismatch", detected, declared=declared, found=detected)
    if _is_zip(reading.body):
        return reject("type_mismatch", ZIP, declared=declared, found=ZIP)

    if declared == PDF:
        pages = _check_pdf(reading.body, limits, reject)
        if isinstance(pages, CheckResult):
            return pages
        return CheckResult(
            accepted=True,
            reason_code=None,
            reason=None,
            reason_en=None,
            sha256=reading.sha256,
            size=reading.size,
            detected_type=PDF,
            pages=pages,
        )

    image = (
        _jpeg(reading.body, reading.size, limits) if declared == JPEG else _png(reading.body, reading.size)
    )
    if image.width is None or image.height is None:
        return reject("image_unreadable", declared)
    if (
        image.width * image.height > limits.max_image_pixels
        or max(image.width, image.height) > limits.max_image_side
    ):
        return reject(
            "image_too_large",
            declared,
            width=image.width,
            height=image.height,
            megapixels=f"{limits.max_image_pixels / 1_000_000:g}",
            side=limits.max_image_side,
        )
    if not image.intact:
        return reject("image_unreadable", declared, width=image.width, height=image.height)
    return CheckResult(
        accepted=True,
        reason_code=None,
        reason=None,
        reason_en=None,
        sha256=reading.sha256,
        size=reading.size,
        detected_type=declared,
        width=image.width,
        height=image.height,
    )


def _is_zip(body: IO[bytes]) -> bool:
    """True when the file is also a readable ZIP archive with at least one member.

    zipfile finds the end-of-central-directory record near the end of the file and accepts data before
    the archive (as self-extracting archives have), so a PDF header in front does not hide it.
    """
    try:
        body.seek(0)
        if not zipfile.is_zipfile(body):
            return False
        body.seek(0)
        with zipfile.ZipFile(body) as archive:
            return len(archive.infolist()) > 0
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error):
        return False
    except (ArithmeticError, NotImplementedError):  # an offset too large to seek to; an unknown format
        return False


# --- PDF ------------------------------------------------------------------------------------------------

#: Dictionary keys that mean active content wherever they appear.
_ACTIVE_KEYS: Final = frozenset(
    {
        "/JS",  # the script of a JavaScript action
        "/JavaScript",  # the document-level scripts of the /Names dictionary
        "/EmbeddedFiles",  # the embedded files of the /Names dictionary
        "/EF",  # the embedded file streams of a file specification
        "/XFA",  # an XML form, which carries its own scripts
        "/RichMediaContent",  # Flash / video content of a RichMedia annotation
        "/OnInstantiate",  # the script of a 3D artwork
    }
)
#: Name values that mean active content under a given key (an action's /S, an object's /Type...).
_ACTIVE_VALUES: Final = {
    "/S": frozenset({"/JavaScript", "/Launch", "/GoToE", "/GoToR"}),
    "/Type": frozenset({"/EmbeddedFile"}),
    "/Subtype": frozenset({"/RichMedia"}),
}
#: A link (/URI action) to one of these runs a script or reaches the reader's own disk or network.
_RISKY_URI_SCHEMES: Final = ("javascript:", "vbscript:", "data:", "file:")
#: Keys whose actions run without a click: the document's /OpenAction, and the additional actions (/AA)
#: of the document (close, save, print), a page (open, close), an annotation or a form field (the pointer
#: enters, the field gets focus...).
_TRIGGERS: Final = frozenset({"/OpenAction", "/AA"})
#: The /Named actions that only move within the document; the others run viewer commands (print, save,
#: close, search...).
_NAVIGATION_COMMANDS: Final = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})

#: What pypdf (and the code it calls) raises on malformed input. pypdf documents PyPdfError, but its
#: parsers also let through the built-in errors of the operations they make on bad data (a failed int(),
#: a missing key, a short struct, a deep recursion...). MemoryError, NameError and the like still raise.
_PDF_ERRORS: Final = (
    PyPdfError,
    DependencyError,
    ValueError,  # includes UnicodeDecodeError, binascii.Error
    LookupError,  # KeyError, IndexError
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,  # ZeroDivisionError, OverflowError, decimal.InvalidOperation
    RuntimeError,  # includes RecursionError
    OSError,  # a seek before the start of a real file
    EOFError,
    struct.error,
    zlib.error,
)


#: pypdf limits lowered to ``max_pdf_decoded_stream`` while a file is checked.
_PYPDF_DECODE_LIMITS: Final = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "image_maximum_buffer_size",
)


def _pypdf_limits(limits: CheckLimits) -> AbstractContextManager[object]:
    """pypdf's decoding limits for this check, in this context only (pypdf keeps them in a ContextVar).

    ``apply_configuration`` comes with the Configuration of recent pypdf 6 releases; on one without it,
    pypdf's built-in limits apply.
    """
    apply = getattr(pypdf, "apply_configuration", None)
    configuration = getattr(pypdf, "Configuration", None)
    if apply is None or configuration is None:
        return nullcontext()
    known = {field.name for field in dataclasses.fields(configuration)}
    overwrites = {name: limits.max_pdf_decoded_stream for name in _PYPDF_DECODE_LIMITS if name in known}
    context: AbstractContextManager[object] = apply(**overwrites)
    return context


def _check_pdf(body: IO[bytes], limits: CheckLimits, reject: _Reject) -> int | CheckResult:
    """The page count of an acceptable PDF, or the rejection."""
    with _pypdf_limits(limits):
        return _check_pdf_within_limits(body, limits, reject)


def _check_pdf_within_limits(body: IO[bytes], limits: CheckLimits, reject: _Reject) -> int | CheckResult:
    try:
        body.seek(0)
        reader = PdfReader(body, strict=False)
    except DependencyError:
        # Raised while pypdf tries the empty password of an AES-encrypted file when no AES provider
        # (cryptography) is installed, as in the Lambda layer: the file is encrypted.
        return reject("pdf_encrypted", PDF)
    except _PDF_ERRORS:
        return reject("pdf_unreadable", PDF)
    try:
        if reader.is_encrypted:
            return reject("pdf_encrypted", PDF)
        objects = _object_count(reader)
        if objects > limits.max_pdf_objects:
            return reject("pdf_too_complex", PDF, objects=objects, limit=limits.max_pdf_objects)
        found = _find_active_content(reader, limits)
        if found is not None:
            return reject(
                "pdf_active_content",
                PDF,
                name=found.name,
                automatic=found.automatic,
                command=found.command,
            )
        pages = len(reader.pages)
    except _PDF_ERRORS:
        return reject("pdf_unreadable", PDF)
    finally:
        reader.close()
    if pages == 0:
        return reject("pdf_unreadable", PDF, no_pages=True)
    if pages > limits.max_pdf_pages:
        return reject("pdf_too_many_pages", PDF, pages=pages, limit=limits.max_pdf_pages)
    return pages


@dataclass(frozen=True, slots=True)
class _Finding:
    """What made a PDF active: a name, and whether an action the PDF runs on its own was refused
    (``automatic``; ``name`` is then the action's type, and ``command`` the command of a /Named)."""

    name: str
    automatic: bool = False
    command: str | None = None


def _object_count(reader: PdfReader) -> int:
    return sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm)


_PDF_WHITE_SPACE: Final = rb"[\x00\t\n\x0c\r ]"
_OBJECT_HEADER: Final = re.compile(rb"%s*(\d{1,10})%s+(\d{1,10})%s" % ((_PDF_WHITE_SPACE,) * 3))


class _RepairBudget:
    """Counts the objects pypdf would have to find by scanning the whole file, and stops at the limit.

    pypdf resolves a reference whose cross-reference entry is missing, or whose offset does not point at
    ``N G obj``, by searching the entire file for that header. That repair is right for one damaged
    entry and ruinous for thousands, so every resolution (pypdf's own, for a stream's /Length or an
    object stream, included) goes through :meth:`get_object`, installed on this reader only, which
    charges the budget before a repair happens.
    """

    def __init__(self, reader: PdfReader, limit: int) -> None:
        self._reader = reader
        self._resolve = reader.get_object
        self._limit = limit
        self.spent = 0

    def install(self) -> None:
        setattr(self._reader, "get_object", self.get_object)  # noqa: B010 (shadows the method on this instance)

    def get_object(self, reference: int | IndirectObject) -> PdfObject | None:
        if isinstance(reference, int):
            reference = IndirectObject(reference, 0, self._reader)
        key = (reference.generation, reference.idnum)
        if key not in self._reader.resolved_objects and self.needs_repair(*key):
            self.charge()
        return self._resolve(reference)

    def charge(self) -> None:
        self.spent += 1
        if self.spent > self._limit:
            raise PdfReadError(
                f"more than {self._limit} objects missing from or misplaced in the cross-reference"
            )

    def needs_repair(self, generation: int, number: int) -> bool:
        reader = self._reader
        if generation == 0 and number in reader.xref_objStm:
            return False  # decoded from its object stream, itself resolved through here
        offset = reader.xref.get(generation, {}).get(number)
        if offset is None:
            return True
        if reader.xref_free_entry.get(generation, {}).get(number, False):
            return False
        stream = reader.stream
        position = stream.tell()
        try:
            stream.seek(offset)
            header = _OBJECT_HEADER.match(stream.read(64))
        finally:
            stream.seek(position)
        return header is None or (int(header[1]), int(header[2])) != (number, generation)


def _find_active_content(reader: PdfReader, limits: CheckLimits) -> _Finding | None:
    """The first active content found, searching the trailer and every indirect object.

    Objects are resolved one by one from pypdf's cross-reference (which it rebuilds by scanning the file
    when the table is broken), and dropped from its cache once searched, so memory holds about one
    object (or one object stream) at a time rather than the whole document. References are not followed
    into listed objects: every listed object is searched on its own turn, which also makes cycles
    harmless. A reference to an object the table does not list is resolved afterwards, as pypdf would
    resolve it (by finding ``N G obj`` in the file), so an action cannot hide by being left out of the
    table. Such lookups, and those of misplaced entries, are limited by :class:`_RepairBudget`. The
    actions run without a click are the exception: they are looked up where they are referenced
    (:class:`_AutomaticActions`).
    """
    budget = _RepairBudget(reader, limits.max_pdf_repairs)
    budget.install()
    actions = _AutomaticActions(reader, limits.max_pdf_actions)
    cache = reader.resolved_objects
    listed_directly = reader.xref
    in_streams = reader.xref_objStm
    unlisted: list[tuple[int, int]] = []  # in the order the references were met
    noted: set[tuple[int, int]] = set()

    def note(reference: IndirectObject) -> None:
        key = (reference.generation, reference.idnum)
        if (
            key in noted
            or (key[0] == 0 and key[1] in in_streams)
            or key[1] in listed_directly.get(key[0], ())
        ):
            return
        if len(unlisted) >= limits.max_pdf_repairs:  # each will need a repair: stop before the list grows
            raise PdfReadError(f"more than {limits.max_pdf_repairs} references to unlisted objects")
        noted.add(key)
        unlisted.append(key)

    found = _search(reader.trailer, note, actions)
    if found is not None:
        return found
    direct = [
        (generation, number)
        for generation, entries in list(listed_directly.items())
        for number in list(entries)
        if not (generation == 0 and number in in_streams)
    ]
    for generation, number in direct:
        found = _search(reader.get_object(IndirectObject(number, generation, reader)), note, actions)
        cache.pop((generation, number), None)
        if found is not None:
            return found
    by_stream: dict[int, list[int]] = {}
    for number, (stream_number, _index) in list(in_streams.items()):
        by_stream.setdefault(stream_number, []).append(number)
    for stream_number, numbers in by_stream.items():
        # The first object read decodes the whole object stream and caches all its objects.
        for number in numbers:
            found = _search(reader.get_object(IndirectObject(number, 0, reader)), note, actions)
            if found is not None:
                return found
        for number in numbers:
            cache.pop((0, number), None)
        cache.pop((0, stream_number), None)

    searched = 0
    while searched < len(unlisted):  # searching one may note more
        generation, number = unlisted[searched]
        searched += 1
        found = _search(reader.get_object(IndirectObject(number, generation, reader)), note, actions)
        cache.pop((generation, number), None)
        if found is not None:
            return found
    return None


def _resolve(value: object) -> object:
    if isinstance(value, IndirectObject):
        return value.get_object()
    return value


def _risky_uri(value: object) -> bool:
    value = _resolve(value)
    if isinstance(value, ByteStringObject):
        text = bytes(value).decode("latin-1")
    elif isinstance(value, (TextStringObject, str)):
        text = str(value)
    else:
        return False
    # Readers and browsers ignore leading white space and control characters in a URL.
    text = "".join(char for char in text if char > " ").lower()
    return text.startswith(_RISKY_URI_SCHEMES)


def _search(
    root: object, note: Callable[[IndirectObject], None], actions: _AutomaticActions
) -> _Finding | None:
    """Search one object and the direct objects inside it; references are handed to ``note``, and the
    actions of triggers that need no click to ``actions``."""
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):  # stream objects too: their dictionary, not their data
            for key, value in dict.items(item):
                if key in _ACTIVE_KEYS:
                    return _Finding(str(key))
                if key in _TRIGGERS:
                    found = actions.check(str(key), value)
                    if found is not None:
                        return found
                flagged = _ACTIVE_VALUES.get(key)
                if flagged is not None:
                    name = _resolve(value)
                    if isinstance(name, str) and name in flagged:
                        return _Finding(str(name))
                elif key == "/URI" and _risky_uri(value):
                    return _Finding("/URI")
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        elif isinstance(item, IndirectObject):
            note(item)
    return None


class _AutomaticActions:
    """Checks the actions a PDF runs without a click: each must move within the document.

    A trigger's value is checked where the trigger is met, looking up the referenced objects (the action,
    an /AA dictionary, the actions chained with /Next), since an action object searched on its own turn
    does not show whether it runs on a click or on its own. Each object is looked up once per document
    and role (cycles end), at most ``limit`` of them, and whatever a lookup put into pypdf's cache (a
    whole object stream, when it decoded one) is dropped again, so memory still holds one object (or one
    object stream) at a time.
    """

    def __init__(self, reader: PdfReader, limit: int) -> None:
        self._cache = reader.resolved_objects
        self._limit = limit
        self._looked_up: set[tuple[int, int, str]] = set()

    def check(self, trigger: str, value: object) -> _Finding | None:
        """The first action run by ``trigger`` (/OpenAction or /AA) that is not navigation, or None."""
        # Roles: "open" is an action or a destination; "additional" a dictionary of trigger → action;
        # "action" an action, or (after /Next) an array of actions.
        pending: list[tuple[object, str]] = [(value, "open" if trigger == "/OpenAction" else "additional")]
        while pending:
            item, role = pending.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation, role)
                if key in self._looked_up:
                    continue
                self._looked_up.add(key)
                if len(self._looked_up) > self._limit:
                    raise PdfReadError(f"more than {self._limit} automatic actions to look up")
                item = self._look_up(item)
            if isinstance(item, DictionaryObject):
                if role == "additional":
                    pending.extend((entry, "action") for entry in dict.values(item))
                    continue
                found = _not_navigation(item)
                if found is not None:
                    return found
                following = dict.get(item, "/Next")
                if following is not None:
                    pending.append((following, "action"))
            elif isinstance(item, ArrayObject) and role == "action":
                pending.extend((entry, "action") for entry in list.__iter__(item))
            # Anything else is a destination (an /OpenAction array or name), or nothing a reader runs.
        return None

    def _look_up(self, reference: IndirectObject) -> object:
        known = len(self._cache)
        try:
            return reference.get_object()
        finally:
            # A lookup only adds to the cache: what it added is at the end.
            for key in list(itertools.islice(self._cache, known, None)):
                del self._cache[key]


def _not_navigation(action: DictionaryObject) -> _Finding | None:
    """None for an action that moves within the document (/GoTo, a navigation /Named), else the finding."""
    # Names only: a string that reads "/GoTo" is no action type, and what a reader does with it is unsure.
    kind = _resolve(dict.get(action, "/S"))
    if isinstance(kind, NameObject) and kind == "/GoTo":
        return None
    if isinstance(kind, NameObject) and kind == "/Named":
        command = _resolve(dict.get(action, "/N"))
        if isinstance(command, NameObject) and command in _NAVIGATION_COMMANDS:
            return None
        return _Finding("/Named", automatic=True, command=str(command) if isinstance(command, str) else None)
    return _Finding(str(kind) if isinstance(kind, str) else "", automatic=True)


# --- images ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ImageHeader:
    width: int | None = None
    height: int | None = None
    #: The structure around the header is sound (PNG: chunks up to IEND with image data; JPEG: segments up
    #: to the start of the image data).
    intact: bool = False


_UNREADABLE: Final = _ImageHeader()

# Valid PNG bit depths per colour type (PNG spec, table 11.1).
_PNG_DEPTHS: Final = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
_PNG_MAX_DIMENSION: Final = 2**31 - 1


def _png(body: IO[bytes], size: int) -> _ImageHeader:
    """Width and height from the IHDR chunk (CRC checked), then a walk over the chunk headers."""
    body.seek(len(PNG_SIGNATURE))
    header = body.read(25)
    if len(header) < 25:
        return _UNREADABLE
    length, kind = struct.unpack(">I4s", header[:8])
    (crc,) = struct.unpack(">I", header[21:25])
    if kind != b"IHDR" or length != 13 or zlib.crc32(header[4:21]) != crc:
        return _UNREADABLE
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", header[8:21])
    if (
        not 0 < width <= _PNG_MAX_DIMENSION
        or not 0 < height <= _PNG_MAX_DIMENSION
        or depth not in _PNG_DEPTHS.get(colour, ())
        or compression != 0
        or filtering != 0
        or interlace not in (0, 1)
    ):
        return _UNREADABLE

    position = len(PNG_SIGNATURE) + 25
    has_data = False
    while True:
        body.seek(position)
        chunk = body.read(8)
        if len(chunk) < 8:
            break  # no IEND
        length, kind = struct.unpack(">I4s", chunk)
        if length > _PNG_MAX_DIMENSION or not kind.isalpha() or kind == b"IHDR":
            break
        if kind == b"IEND":
            return _ImageHeader(width, height, intact=has_data)
        has_data = has_data or kind == b"IDAT"
        position += 12 + length
        if position > size:
            break
    return _ImageHeader(width, height, intact=False)


# Start-of-frame markers (baseline, extended, progressive, lossless; Huffman and arithmetic coding).
_JPEG_SOF: Final = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
_JPEG_SOS: Final = 0xDA
_JPEG_MAX_FILL: Final = 1024


def _jpeg(body: IO[bytes], size: int, limits: CheckLimits) -> _ImageHeader:
    """Width and height from the first start-of-frame segment, walking segment lengths up to the scan.

    Segments are skipped by their length, so markers inside an APP segment (an Exif thumbnail has its own
    start of frame) are never taken for the image's own.
    """
    body.seek(len(JPEG_SIGNATURE) - 1)
    width: int | None = None
    height: int | None = None
    for _segment in range(limits.max_jpeg_segments):
        if body.read(1) != b"\xff":
            break
        marker = body.read(1)
        fill = 0
        while marker == b"\xff" and fill < _JPEG_MAX_FILL:
            marker = body.read(1)
            fill += 1
        if not marker or marker == b"\xff":
            break
        code = marker[0]
        if code in _JPEG_STANDALONE:
            continue
        if code in (0x00, 0xD8, 0xD9):
            break  # a stuffed byte, a second start, or the end before any image data
        raw_length = body.read(2)
        if len(raw_length) < 2:
            break
        (length,) = struct.unpack(">H", raw_length)
        if length < 2:
            break
        if code == _JPEG_SOS:
            return _ImageHeader(width, height, intact=width is not None)
        if code in _JPEG_SOF and width is None:
            frame = body.read(length - 2)
            if len(frame) < 6:
                break
            _precision, frame_height, frame_width, components = struct.unpack(">BHHB", frame[:6])
            if frame_width == 0 or frame_height == 0 or components == 0 or len(frame) < 6 + 3 * components:
                # A height of 0 defers it to a DNL marker after the data: not supported, not needed.
                return _UNREADABLE
            width, height = frame_width, frame_height
            continue
        position = body.tell() + length - 2
        if position > size:
            break
        body.seek(position)
    return _ImageHeader(width, height, intact=False)
