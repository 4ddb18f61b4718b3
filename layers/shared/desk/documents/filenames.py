"""Filenames people give us, made safe to store, show and send back in a download.

A filename is only ever a label: storage keys are made by the server. What comes from a browser or an
email can hold anything (path parts, NUL, line breaks, bidirectional overrides that make
``invoice\u202efdp.exe`` read as ``invoiceexe.pdf``), so every name goes through :func:`safe_filename`
before it is stored or shown, and through :func:`content_disposition` before it goes into a header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = [
    "EXTENSIONS",
    "FALLBACK_STEM",
    "MAX_FILENAME_BYTES",
    "content_disposition",
    "has_meaningful_name",
    "safe_filename",
]

#: Longest safe name, in UTF-8 bytes, extension included. File systems stop at 255 bytes; this leaves
#: room for a suffix such as " (1)" added by a browser, and keeps the encoded header short.
MAX_FILENAME_BYTES = 180

#: Stem used when nothing usable is left of the original name.
FALLBACK_STEM = "dokumen"

#: Extensions allowed for each content type we serve; the first is the one we add.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg", "jpe"),
    "image/png": ("png",),
}

# Characters that are not allowed in Windows filenames.
_RESERVED_CHARACTERS = re.compile(r'[<>:"|?*]')
# A suffix that looks like an extension of some other type (".exe", ".docx", ".html"), which we replace.
_FOREIGN_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")
# Device names Windows will not open as files, whatever the extension.
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{n}" for n in range(10)} | {f"LPT{n}" for n in range(10)}
)
# RFC 5987 attr-char, beyond what ``quote`` already leaves alone (letters, digits, "_.-~").
_ATTR_CHAR_EXTRA = "!#$&+^`|"


def _clean_text(text: str) -> str:
    """Drop control, format and surrogate characters; turn every kind of white space into one space.

    Format characters (category Cf) include the bidirectional embeddings and overrides (U+202A–U+202E),
    isolates (U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width characters and the BOM.
    """
    text = unicodedata.normalize("NFC", text)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("Z") or char in "\t\n\r\v\f":
            kept.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def _base_name(original: str) -> str:
    """The last path part, whichever separator the sender's system used."""
    cleaned = _clean_text(original).replace("\\", "/")
    parts = [part.strip() for part in cleaned.split("/")]
    name = next((part for part in reversed(parts) if part not in ("", ".", "..")), "")
    # Trailing dots and spaces are dropped by Windows ("x.pdf." would not be "x.pdf"). Leading dots are
    # removed from the stem later, once ".pdf" is known to be an extension without a name.
    return _RESERVED_CHARACTERS.sub("_", name).rstrip(" .").lstrip(" ")


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name, ""
    return stem, extension


def has_meaningful_name(original: str) -> bool:
    """True when the name, without path parts and extension, holds at least one letter or digit.

    ``"___.pdf"``, ``".pdf"``, ``"..."``, ``"-"`` and ``"\u202e"`` are not meaningful; ``"1.pdf"`` and
    ``"Surat Tugas.pdf"`` are.
    """
    stem, _ = _split_extension(_base_name(original))
    return any(unicodedata.category(char)[0] in "LN" for char in stem)


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


def safe_filename(original: str, content_type: str) -> str:
    """A filename safe to store and to offer in a download, made from what the sender called the file.

    Path parts (``/``, ``\\``, ``..``), control and format characters (bidi overrides included) and the
    characters Windows refuses are removed; white space is collapsed; the name is capped at
    :data:`MAX_FILENAME_BYTES` UTF-8 bytes, keeping the extension. For the types we serve, the extension
    is made to match the content type: a matching one is kept (lower-cased), a foreign one (``.exe``) is
    replaced, and otherwise the right one is appended. For any other type the sender's extension is kept.
    Never raises; an empty result becomes ``dokumen.<ext>``.
    """
    name = _base_name(original)
    stem, extension = _split_extension(name)
    allowed = EXTENSIONS.get(content_type.split(";", 1)[0].strip().lower())
    if allowed is not None:
        if extension.lower() in allowed:
            extension = extension.lower()
        elif extension and not _FOREIGN_EXTENSION.fullmatch(extension):
            # Not an extension at all ("No. 12"): it is part of the name.
            stem, extension = f"{stem}.{extension}", allowed[0]
        else:
            extension = allowed[0]
    elif not _FOREIGN_EXTENSION.fullmatch(extension):
        stem, extension = (f"{stem}.{extension}" if extension else stem), ""

    stem = stem.strip(" .")  # no hidden files, no "name .pdf"
    if not any(unicodedata.category(char)[0] in "LN" for char in stem):
        stem = FALLBACK_STEM
    if stem.upper() in _WINDOWS_DEVICES:
        stem = f"{stem}_"
    suffix = f".{extension}" if extension else ""
    stem = _truncate_utf8(stem, MAX_FILENAME_BYTES - len(suffix.encode("utf-8"))).rstrip(" .")
    return f"{stem or FALLBACK_STEM}{suffix}"


def _ascii_fallback(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(
        char if char.isascii() else ("" if unicodedata.combining(char) else "_") for char in decomposed
    )
    ascii_only = re.sub(r"[\x00-\x1f\x7f\"\\%;]", "_", ascii_only)
    stem, extension = _split_extension(ascii_only)
    if not any(char.isalnum() for char in stem):
        stem = FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str) -> str:
    """A ``Content-Disposition: attachment`` value for ``filename`` (RFC 6266 with RFC 5987).

    It carries an ASCII ``filename="..."`` for old clients (accents dropped, other characters replaced by
    ``_``) and the exact name as ``filename*=UTF-8''...``. The name is cleaned again here, so a value
    that never went through :func:`safe_filename` cannot inject a header.
    """
    name = _base_name(filename) or FALLBACK_STEM
    name = _truncate_utf8(name, MAX_FILENAME_BYTES)
    fallback = _ascii_fallback(name)
    encoded = quote(name, safe=_ATTR_CHAR_EXTRA, encoding="utf-8")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
