"""The sentences that tell the uploader why a file was refused, in Bahasa Indonesia and in English, one
way of saying it per reason code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from desk.documents.content_types import JPEG, PDF, PNG, ZIP
from desk.documents.verdicts import Refusal

__all__ = ["explain"]

#: The reason in Bahasa Indonesia and in English.
Sentences = tuple[str, str]
Detail = Mapping[str, object]

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


def explain(refusal: Refusal) -> Sentences:
    """Why the file was refused, in Bahasa Indonesia and in English."""
    detail = {"pages": refusal.pages, "width": refusal.width, "height": refusal.height, **refusal.detail}
    sentences = _SENTENCES.get(refusal.code)
    if sentences is None:
        raise ValueError(f"no message for reason code {refusal.code!r}")
    return sentences(detail)


def _shown_name(name: object) -> str:
    """A PDF name as it may be shown to people: letters and digits only, and short (names come from the
    file, and hex escapes can put anything in them)."""
    return "".join(char for char in str(name) if char.isascii() and char.isalnum())[:40]


def _automatic_action_label(name: str, command: str | None) -> Sentences:
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


def _empty(_detail: Detail) -> Sentences:
    return ("Berkas kosong (0 bita).", "The file is empty (0 bytes).")


def _too_large(detail: Detail) -> Sentences:
    limit = _size_text(int(str(detail["limit"])))
    return (
        f"Ukuran berkas melebihi batas {limit}.",
        f"The file is larger than the {limit} limit.",
    )


def _unsupported_type(detail: Detail) -> Sentences:
    return (
        f"Jenis berkas {detail['declared']} tidak diterima; hanya PDF, JPEG, atau PNG.",
        f"Files of type {detail['declared']} are not accepted; only PDF, JPEG or PNG.",
    )


def _type_mismatch(detail: Detail) -> Sentences:
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


def _pdf_encrypted(_detail: Detail) -> Sentences:
    return (
        "PDF ini terenkripsi atau dilindungi kata sandi. Simpan ulang tanpa kata sandi, lalu unggah lagi.",
        "The PDF is encrypted or password-protected. Save it again without a password and upload it.",
    )


def _pdf_unreadable(detail: Detail) -> Sentences:
    if detail.get("no_pages"):
        return ("PDF ini tidak memiliki halaman.", "The PDF has no pages.")
    return ("PDF ini rusak atau tidak dapat dibaca.", "The PDF is damaged or cannot be read.")


def _pdf_too_many_pages(detail: Detail) -> Sentences:
    return (
        f"PDF ini memiliki {detail['pages']} halaman; paling banyak {detail['limit']} halaman.",
        f"The PDF has {detail['pages']} pages; at most {detail['limit']} are accepted.",
    )


def _pdf_too_complex(detail: Detail) -> Sentences:
    return (
        f"PDF ini terlalu rumit untuk diperiksa ({detail['objects']} objek; "
        f"paling banyak {detail['limit']}).",
        f"The PDF is too complex to check ({detail['objects']} objects; at most {detail['limit']}).",
    )


def _pdf_active_content(detail: Detail) -> Sentences:
    if detail.get("automatic"):
        return _pdf_automatic_action(detail)
    found_id, found_en = _ACTIVE_CONTENT_LABEL.get(str(detail["name"]), (str(detail["name"]),) * 2)
    return (
        f"PDF ini berisi konten aktif yang tidak diizinkan: {found_id}. "
        "Cetak ulang sebagai PDF (Print to PDF) atau pindai ulang, lalu unggah lagi.",
        f"The PDF holds active content that is not allowed: {found_en}. "
        "Print it again to PDF or scan it again, then upload it.",
    )


def _pdf_automatic_action(detail: Detail) -> Sentences:
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


def _image_unreadable(_detail: Detail) -> Sentences:
    return ("Gambar ini rusak atau tidak dapat dibaca.", "The image is damaged or cannot be read.")


def _image_too_large(detail: Detail) -> Sentences:
    return (
        f"Gambar ini berukuran {detail['width']} × {detail['height']} piksel; paling besar "
        f"{detail['megapixels']} megapiksel dan {detail['side']} piksel per sisi.",
        f"The image is {detail['width']} × {detail['height']} pixels; at most "
        f"{detail['megapixels']} megapixels and {detail['side']} pixels a side.",
    )


_SENTENCES: Final[Mapping[str, Callable[[Detail], Sentences]]] = {
    "empty": _empty,
    "too_large": _too_large,
    "unsupported_type": _unsupported_type,
    "type_mismatch": _type_mismatch,
    "pdf_encrypted": _pdf_encrypted,
    "pdf_unreadable": _pdf_unreadable,
    "pdf_too_many_pages": _pdf_too_many_pages,
    "pdf_too_complex": _pdf_too_complex,
    "pdf_active_content": _pdf_active_content,
    "image_unreadable": _image_unreadable,
    "image_too_large": _image_too_large,
}
