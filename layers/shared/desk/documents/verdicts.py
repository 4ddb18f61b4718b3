"""What the upload checks decide: the limits they apply, the refusal one step returns, and the verdict
on the whole file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = ["DEFAULT_LIMITS", "CheckLimits", "CheckResult", "Refusal", "refuse"]


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


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one step refuses the file: a reason code of :class:`CheckResult`, what the content was found to
    be, the figures the verdict records, and the further ``detail`` the reason's sentences name (a limit,
    the declared type, the active content found...)."""

    code: str
    detected: str | None = None
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    detail: Mapping[str, object] = field(default_factory=dict)


def refuse(
    code: str,
    detected: str | None = None,
    *,
    pages: int | None = None,
    width: int | None = None,
    height: int | None = None,
    **detail: object,
) -> Refusal:
    """A :class:`Refusal`, with what its sentences name as keywords."""
    return Refusal(code, detected, pages, width, height, detail)
