"""The checks of a JPEG or PNG upload: its dimensions are read from its header without decoding pixels,
and an image above the pixel limit (a decompression bomb) or with a broken structure is refused."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import IO, Final, NamedTuple

from desk.documents.content_types import JPEG, JPEG_SIGNATURE, PNG_SIGNATURE
from desk.documents.verdicts import CheckLimits, Refusal, refuse

__all__ = ["ImageSize", "check_image"]


class ImageSize(NamedTuple):
    """The dimensions of an acceptable image, in pixels."""

    width: int
    height: int


def check_image(body: IO[bytes], size: int, image_type: str, limits: CheckLimits) -> ImageSize | Refusal:
    """The dimensions of an acceptable JPEG or PNG (``image_type``), or the refusal."""
    image = _jpeg(body, size, limits) if image_type == JPEG else _png(body, size)
    if image.width is None or image.height is None:
        return refuse("image_unreadable", image_type)
    if (
        image.width * image.height > limits.max_image_pixels
        or max(image.width, image.height) > limits.max_image_side
    ):
        return refuse(
            "image_too_large",
            image_type,
            width=image.width,
            height=image.height,
            megapixels=f"{limits.max_image_pixels / 1_000_000:g}",
            side=limits.max_image_side,
        )
    if not image.intact:
        return refuse("image_unreadable", image_type, width=image.width, height=image.height)
    return ImageSize(image.width, image.height)


@dataclass(frozen=True, slots=True)
class _ImageHeader:
    width: int | None = None
    height: int | None = None
    #: The structure around the header is sound (PNG: chunks up to IEND with image data; JPEG: segments up
    #: to the start of the image data).
    intact: bool = False


_UNREADABLE: Final = _ImageHeader()

# --- PNG ------------------------------------------------------------------------------------------------

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


# --- JPEG -----------------------------------------------------------------------------------------------

# Start-of-frame markers (baseline, extended, progressive, lossless; Huffman and arithmetic coding).
_JPEG_SOF: Final = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
#: A stuffed byte, a second start, or the end: met before any image data, the image has no header.
_JPEG_NO_HEADER: Final = frozenset({0x00, 0xD8, 0xD9})
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
        code = _next_marker(body)
        if code is None or code in _JPEG_NO_HEADER:
            break
        if code in _JPEG_STANDALONE:
            continue
        length = _segment_length(body)
        if length is None:
            break
        if code == _JPEG_SOS:
            return _ImageHeader(width, height, intact=width is not None)
        if code in _JPEG_SOF and width is None:
            frame = _frame_size(body, length)
            if frame is None:
                return _UNREADABLE
            width, height = frame
            continue
        position = body.tell() + length - 2
        if position > size:
            break
        body.seek(position)
    return _ImageHeader(width, height, intact=False)


def _next_marker(body: IO[bytes]) -> int | None:
    """The code of the marker that starts here (after any fill bytes), or None where none does."""
    if body.read(1) != b"\xff":
        return None
    marker = body.read(1)
    fill = 0
    while marker == b"\xff" and fill < _JPEG_MAX_FILL:
        marker = body.read(1)
        fill += 1
    if not marker or marker == b"\xff":
        return None
    return marker[0]


def _segment_length(body: IO[bytes]) -> int | None:
    """The length a segment gives itself (its two length bytes included), or None when it cannot be."""
    raw_length = body.read(2)
    if len(raw_length) < 2:
        return None
    (length,) = struct.unpack(">H", raw_length)
    return length if length >= 2 else None


def _frame_size(body: IO[bytes], length: int) -> tuple[int, int] | None:
    """Width and height from a start-of-frame segment, or None when it is cut short or names no image."""
    frame = body.read(length - 2)
    if len(frame) < 6:
        return None
    _precision, height, width, components = struct.unpack(">BHHB", frame[:6])
    if width == 0 or height == 0 or components == 0 or len(frame) < 6 + 3 * components:
        # A height of 0 defers it to a DNL marker after the data: not supported, not needed.
        return None
    return width, height
