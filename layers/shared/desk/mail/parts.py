"""Reading one MIME part without raising: its type, disposition, parameters, file name, content id,
decoded content and text.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable
from email.message import Message
from typing import Any, Literal, NamedTuple

from desk.mail.decoding import Problems, clean_line, decode_bytes, decode_words, unsurrogate

EXTENSIONS = {
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/csv": ".csv",
    "text/rfc822-headers": ".txt",
    "message/rfc822": ".eml",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/pgp-signature": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
}
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_NUL = re.compile("\x00")


class Segment(NamedTuple):
    """A piece of body text as the message gives it: plain text, or HTML still to be converted."""

    kind: Literal["plain", "html"]
    text: str


def safe(call: Callable[..., Any], default: Any) -> Any:
    """``call()``, or ``default`` when it raises."""
    try:
        return call()
    except Exception:  # noqa: BLE001 - a part's header that the stdlib cannot read
        return default


def content_type(part: Message) -> str:
    ctype = safe(part.get_content_type, "text/plain")
    return ctype.lower() if isinstance(ctype, str) else "application/octet-stream"


def disposition(part: Message) -> str | None:
    disp = safe(part.get_content_disposition, None)
    return disp.lower() if isinstance(disp, str) else None


def param(part: Message, name: str, header: str = "content-type") -> str | None:
    value = safe(lambda: part.get_param(name, None, header), None)
    if isinstance(value, tuple):
        value = safe(lambda: email.utils.collapse_rfc2231_value(value), None)
    return value if isinstance(value, str) else None


def filename(part: Message, problems: Problems) -> str | None:
    """The part's file name, decoded, without a path, cut to 200 characters; None when it has none."""
    raw = safe(part.get_filename, None)
    if raw is None:
        name = param(part, "name")
        raw = name
    if not isinstance(raw, str):
        return None
    try:
        name = clean_line(decode_words(unsurrogate(raw), problems))
    except Exception:  # noqa: BLE001
        problems.add("attachment:filename")
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip()
    if name in ("", ".", ".."):
        return None
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def content_id(part: Message) -> str | None:
    values = safe(lambda: part.get_all("content-id"), None)
    if not values:
        return None
    value = unsurrogate(str(values[0])).strip().strip("<>").strip()
    return value[:998] or None


def payload(part: Message, problems: Problems) -> bytes:
    """The part's content with its transfer encoding undone."""
    data = safe(lambda: part.get_payload(decode=True), None)
    if data is None:
        raw = safe(part.get_payload, "")
        if isinstance(raw, str):
            return raw.encode("utf-8", "surrogateescape")
        problems.add("decode:payload")
        return b""
    if isinstance(data, str):
        return data.encode("utf-8", "surrogateescape")
    return bytes(data)


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: join soft-broken lines."""
    out: list[str] = []
    buf = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if line.endswith(" ") and line != "-- ":
            buf += line[:-1] if delsp else line
        else:
            out.append(buf + line)
            buf = ""
    if buf:
        out.append(buf)
    return "\n".join(out)


def normalise(text: str) -> str:
    """Line ends as ``\\n``, NULs dropped, trailing spaces trimmed from every line."""
    text = _NUL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def part_text(part: Message, ctype: str, data: bytes, problems: Problems) -> str:
    """The text of a ``text/plain`` or ``text/html`` part whose content is ``data``."""
    charset = safe(part.get_content_charset, None)
    if charset is None and ctype == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    text = decode_bytes(data, charset if isinstance(charset, str) else None, problems)
    if ctype == "text/plain" and (param(part, "format") or "").lower() == "flowed":
        text = _unflow(text.replace("\r\n", "\n"), (param(part, "delsp") or "").lower() == "yes")
    return text
