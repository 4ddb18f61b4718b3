"""The files and body inside a ``winmail.dat`` (Outlook's TNEF), read with ``tnefparse`` when one is met.

The library is imported only then, so that reading ordinary mail does not pay for it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from desk.mail.decoding import decode_bytes
from desk.mail.parts import EXTENSIONS, Segment, safe

TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
MAX_TNEF_OBJECTS = 10_000  # beyond it the file is kept whole rather than decoded
_TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"


class WinmailFile(NamedTuple):
    filename: str | None
    content_type: str
    content: bytes


class Winmail(NamedTuple):
    """What a winmail.dat holds: its files, and its body when it has one that can be read."""

    files: list[WinmailFile]
    body: Segment | None


def is_winmail(ctype: str, name: str | None) -> bool:
    return ctype in TNEF_TYPES or (name or "").lower() == "winmail.dat"


def _shape_ok(data: bytes) -> bool:
    """A cheap walk over TNEF object lengths, so that a hostile file cannot make the decoder crawl."""
    if len(data) < 6 or data[:4] != _TNEF_SIGNATURE:
        return False
    offset, count = 6, 0
    while offset + 12 < len(data):
        offset += int.from_bytes(data[offset + 5 : offset + 9], "little") + 11
        count += 1
        if count > MAX_TNEF_OBJECTS:
            return False
    return True


def _type_for_name(name: str | None) -> str:
    """A content type from a file name's extension (TNEF carries names, not types)."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    for ctype, known in EXTENSIONS.items():
        if known == ext and not ctype.startswith(("message/", "text/rfc822")):
            return ctype
    return {".jpeg": "image/jpeg", ".htm": "text/html"}.get(ext, "application/octet-stream")


def _files(tnef: Any) -> list[WinmailFile]:
    files: list[WinmailFile] = []
    for item in safe(lambda: list(tnef.attachments), []):
        name = safe(item.long_filename, None) or safe(lambda item=item: item.name, None)
        content = safe(lambda item=item: bytes(item.data), b"")
        if isinstance(name, bytes):
            name = decode_bytes(name, getattr(tnef, "codepage", None))
        name = name.strip("\x00").strip() if isinstance(name, str) else None
        clean = name.replace("\\", "/").rsplit("/", 1)[-1] if name else None
        files.append(WinmailFile(clean or None, _type_for_name(clean), content))
    return files


def _body(body: object, html: object, codepage: object) -> Segment | None:
    """The plain body when it has text, else the HTML body when it has any."""
    label = codepage if isinstance(codepage, str) else None
    if isinstance(body, bytes):
        body = decode_bytes(body.rstrip(b"\x00"), label)
    if isinstance(html, bytes):
        html = decode_bytes(html.rstrip(b"\x00"), label)
    if isinstance(body, str) and body.strip("\x00 \r\n"):
        return Segment("plain", body.strip("\x00"))
    if isinstance(html, str) and html.strip():
        return Segment("html", html)
    return None


def read_winmail(data: bytes) -> Winmail | None:
    """The files and body of a winmail.dat; None when it cannot be read (then it is kept whole)."""
    if not _shape_ok(data):
        return None
    try:
        from tnefparse.tnef import TNEF

        tnef = TNEF(data, do_checksum=False)
    except Exception:  # noqa: BLE001 - any failure of the decoder keeps the file as it is
        return None
    files = _files(tnef)
    body = safe(lambda: tnef.body, None)
    html = safe(lambda: tnef.htmlbody, None)
    if not files and not body and not html:
        return None  # nothing readable (an RTF-only body, or not TNEF at all): keep the file whole
    return Winmail(files, _body(body, html, safe(lambda: tnef.codepage, None)))
