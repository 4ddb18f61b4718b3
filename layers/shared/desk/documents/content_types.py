"""The content types the upload checks know, and what the first bytes of a file show it to be."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "HEAD_SIZE",
    "JPEG",
    "JPEG_SIGNATURE",
    "PDF",
    "PNG",
    "PNG_SIGNATURE",
    "ZIP",
    "normalise_type",
    "sniff_type",
]

PDF: Final = "application/pdf"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
ZIP: Final = "application/zip"

#: How far into a file the PDF header may start (after a BOM and white space only: domain-rules §6).
HEAD_SIZE: Final = 1024

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE: Final = b"\xff\xd8\xff"
PDF_SIGNATURE: Final = b"%PDF-"
#: All that may come before a PDF's header: a UTF-8 byte order mark, then white space. Anything else
#: (markup, script) is what a browser sniffing the first bytes would act on, so the file is not a PDF.
_PDF_START: Final = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*%PDF-")


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


def normalise_type(content_type: str) -> str:
    """A declared content type without its parameters, in lower case."""
    return content_type.split(";", 1)[0].strip().lower()
