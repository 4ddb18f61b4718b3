"""Filenames from the public made safe to store, show and send back in a download."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.documents.filenames import (
    MAX_FILENAME_BYTES,
    content_disposition,
    has_meaningful_name,
    safe_filename,
)
from desk.documents.purposes import validate_upload_request
from desk.errors import InvalidInput

pytestmark = pytest.mark.unit

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

BIDI_AND_INVISIBLE = (
    [chr(c) for c in range(0x202A, 0x202F)]  # embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
    + [chr(c) for c in range(0x2066, 0x206A)]  # isolates (LRI, RLI, FSI, PDI)
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff", "\u00ad"]  # marks, zero-width, BOM, SHY
)


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        pytest.param("Surat Tugas.pdf", PDF, "Surat Tugas.pdf", id="plain"),
        pytest.param("../../etc/passwd", PDF, "passwd.pdf", id="dot-dot-slash"),
        pytest.param("..\\..\\Windows\\system32\\surat.pdf", PDF, "surat.pdf", id="dot-dot-backslash"),
        pytest.param(
            "C:\\Users\\budi\\Documents\\SK Kepala Dinas.pdf", PDF, "SK Kepala Dinas.pdf", id="windows"
        ),
        pytest.param("/var/tmp/../bukti.png", PNG, "bukti.png", id="absolute"),
        pytest.param("surat/..", PDF, "surat.pdf", id="trailing-dot-dot"),
        pytest.param("laporan\x00.pdf", PDF, "laporan.pdf", id="nul"),
        pytest.param("laporan.pdf\x00.exe", PDF, "laporan.pdf.pdf", id="nul-before-exe"),
        pytest.param("baris\r\nX-Evil: 1.pdf", PDF, "baris X-Evil_ 1.pdf", id="crlf"),
        pytest.param("invoice\u202efdp.exe", PDF, "invoicefdp.pdf", id="right-to-left-override"),
        pytest.param("\u2067tagihan\u2069.pdf", PDF, "tagihan.pdf", id="isolate"),
        pytest.param("  Surat   Tugas\t2025 .pdf", PDF, "Surat Tugas 2025.pdf", id="white-space"),
        pytest.param("foto.png", JPEG, "foto.jpg", id="wrong-extension"),
        pytest.param("foto.JPEG", JPEG, "foto.jpeg", id="other-jpeg-extension"),
        pytest.param("scan", PDF, "scan.pdf", id="no-extension"),
        pytest.param("Surat No. 12", PDF, "Surat No. 12.pdf", id="dot-in-name"),
        pytest.param("invoice.pdf.exe", PDF, "invoice.pdf.pdf", id="double-extension"),
        pytest.param(".htaccess", PDF, "htaccess.pdf", id="hidden"),
        pytest.param("...", PDF, "dokumen.pdf", id="dots-only"),
        pytest.param("", PNG, "dokumen.png", id="empty"),
        pytest.param("\u202e\u202e", PDF, "dokumen.pdf", id="format-only"),
        pytest.param("CON.pdf", PDF, "CON_.pdf", id="windows-device"),
        pytest.param('a<b>c:d"e|f?g*h.pdf', PDF, "a_b_c_d_e_f_g_h.pdf", id="windows-forbidden"),
        pytest.param(
            "Bukti Bayar 50%; lunas.png", PNG, "Bukti Bayar 50%; lunas.png", id="percent-semicolon-kept"
        ),
        pytest.param("Café\u0301.pdf", PDF, unicodedata.normalize("NFC", "Café\u0301.pdf"), id="nfc"),
        pytest.param("lampiran.zip", "application/zip", "lampiran.zip", id="other-type-keeps-extension"),
    ],
)
def test_safe_filename(original: str, content_type: str, expected: str) -> None:
    assert safe_filename(original, content_type) == expected


def test_length_is_capped_and_the_extension_kept() -> None:
    name = safe_filename("a" * 500 + ".pdf", PDF)
    assert name.endswith(".pdf") and len(name.encode()) == MAX_FILENAME_BYTES
    wide = safe_filename("é" * 300 + ".png", PNG)  # two bytes a letter: never cut inside one
    assert wide.endswith(".png") and len(wide.encode()) <= MAX_FILENAME_BYTES
    assert set(wide[:-4]) == {"é"}


@pytest.mark.parametrize("char", BIDI_AND_INVISIBLE)
def test_every_bidi_and_invisible_character_is_removed(char: str) -> None:
    assert safe_filename(f"sur{char}at.pdf", PDF) == "surat.pdf"


@pytest.mark.parametrize(
    ("name", "meaningful"),
    [
        ("Surat.pdf", True),
        ("1.pdf", True),
        ("وثيقة.pdf", True),
        ("สัญญา.pdf", True),
        ("___.pdf", False),
        (".pdf", False),
        ("...", False),
        ("-_-", False),
        ("!!! ???", False),
        ("   ", False),
        ("\u202e", False),
        ("../..", False),
    ],
)
def test_a_name_must_hold_a_letter_or_a_digit(name: str, meaningful: bool) -> None:
    assert has_meaningful_name(name) is meaningful


@pytest.mark.parametrize("name", ["", "   ", "...", "___.pdf", "!!!", "-.pdf", "\u202e\u200b", "../../"])
def test_an_upload_named_only_with_punctuation_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_upload_request("sk_letter", name, PDF, 1000)
    assert set(refused.value.fields) == {"filename"}


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("SK\x00 Kepala.pdf", "SK Kepala.pdf"),
        ("SK\u202efdp.exe", "SKfdp.pdf"),
    ],
)
def test_an_upload_with_a_dangerous_name_is_accepted_under_a_safe_one(name: str, stored: str) -> None:
    assert validate_upload_request("sk_letter", name, PDF, 1000).filename == stored


# --- Content-Disposition --------------------------------------------------------------------------------


def test_content_disposition_of_an_ascii_name() -> None:
    assert content_disposition("Surat Tugas.pdf") == (
        "attachment; filename=\"Surat Tugas.pdf\"; filename*=UTF-8''Surat%20Tugas.pdf"
    )


def test_content_disposition_of_a_non_ascii_name() -> None:
    header = content_disposition("Résumé – Dinas.pdf")
    assert header.startswith('attachment; filename="Resume _ Dinas.pdf"; ')
    assert header.endswith("filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20Dinas.pdf")


def test_content_disposition_of_an_unsafe_value_cannot_inject_a_header() -> None:
    header = content_disposition('x"; filename="evil.exe\r\nSet-Cookie: a=b.pdf')
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback and ";" not in fallback
    assert header.count('"') == 2


def test_content_disposition_of_a_name_without_letters_has_a_fallback() -> None:
    assert content_disposition("ِ…").startswith('attachment; filename="dokumen"')


# --- properties -----------------------------------------------------------------------------------------

_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=400)


@given(original=_ANY_TEXT, content_type=st.sampled_from([PDF, JPEG, PNG]))
def test_safe_filename_is_always_safe(original: str, content_type: str) -> None:
    name = safe_filename(original, content_type)
    assert name and not name.startswith((".", " ")) and not name.endswith(" ")
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert all(unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn") for char in name)
    assert len(name.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert (
        name.rsplit(".", 1)[1] in {PDF: ("pdf",), JPEG: ("jpg", "jpeg", "jpe"), PNG: ("png",)}[content_type]
    )
    assert has_meaningful_name(name)
    assert safe_filename(name, content_type) == name  # stable: cleaning twice changes nothing


@given(original=_ANY_TEXT)
def test_content_disposition_is_always_a_clean_ascii_header(original: str) -> None:
    header = content_disposition(safe_filename(original, PDF))
    assert header.isascii() and header.isprintable()
    assert header.startswith('attachment; filename="') and header.count('"') == 2
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded, encoding="utf-8", errors="strict") == safe_filename(original, PDF)
