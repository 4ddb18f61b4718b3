"""Reading an inbound email into a ``ParsedMessage``; ``parse_message`` never raises.

The stdlib parser runs with the ``compat32`` policy: with ``policy.default`` the structured header
classes raise ``IndexError`` on headers such as ``Content-Type: text/plain; name*`` while the message is
still being parsed, whereas ``compat32`` keeps header values as text. Every header is then read from
``raw_items()`` and decoded here: raw 8-bit bytes as UTF-8 or else Windows-1252, RFC 2047 words with
tolerant charsets, addresses with ``getaddresses`` and a pattern fallback. What cannot be read is named
in ``problems`` instead of raising. The raw message stays the record: this is a reading of it.
"""

from __future__ import annotations

import binascii
import codecs
import email
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy as email_policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from types import MappingProxyType
from typing import Any

from desk.ids import NUMBER
from desk.mail.htmltext import html_to_text
from desk.mail.quotes import strip_quoted

# Limits that keep one hostile message from eating a function's time or memory. Beyond them the
# content is still in the raw file; ``problems`` says what was not read.
MAX_PARTS = 1000
MAX_DEPTH = 300
MAX_TEXT_CHARS = 1_000_000
MAX_HTML_CHARS = 2_000_000
MAX_ADDRESS_HEADER = 65_536
MAX_PROBLEMS = 50
MAX_TNEF_OBJECTS = 10_000
FEED_CHUNK = 64 * 1024

# Header values that classification needs (lowercased names); see desk.mail.automated.
FLAG_HEADERS = (
    "auto-submitted",
    "precedence",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "list-id",
    "list-unsubscribe",
    "list-post",
    "return-path",
    "x-loop",
    "content-type",
)

_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
_EXTENSIONS = {
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
# Labels that are seen on mail but unknown to Python, or better read as a superset.
_CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-7": "utf-7",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "utf8": "utf-8",
}
# Labels that mean "western text": when the bytes are not plain ASCII they are read as UTF-8 when that
# is valid (a common mislabel) and otherwise as Windows-1252, the superset that mail clients really send.
_WESTERN = frozenset(
    {"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp1252", "windows-1252", ""}
)
_REFUSED_CODECS = frozenset(
    {"unicode_escape", "raw_unicode_escape", "unicode_internal", "idna", "punycode", "undefined"}
)
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,80})\?([bBqQ])\?([^?\s]*)\?=")
_WS_ONLY = re.compile(r"^[ \t\r\n]*$")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL_WS = re.compile(r"[\r\n\t\f\v]+")
_SURROGATE = re.compile("[\udc80-\udcff]")
_MSGID = re.compile(r"<([^<>\s]{1,998})>")
_ADDR_SPEC = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+")
_ADDR_OK = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+$")
_EMPTY_GROUP = re.compile(r"^\s*[\w .'-]+:\s*;?\s*$")
_TICKET_TAG = re.compile(rf"\[({NUMBER})\]", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_NUL = re.compile("\x00")
_MAILER_DAEMON = re.compile(r"^(mailer-daemon|mail-daemon|mailerdaemon)(@|$)", re.IGNORECASE)
_FAILED_LINE = re.compile(r"^\s*<?([^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+?)>?:?\s*$")
_BODY_MESSAGE_ID = re.compile(r"^\s*message-id\s*:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes = field(repr=False)
    inline: bool = False
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What a bounce says: the message it returns and the recipients that failed.

    ``report_type`` is the ``report-type`` of a ``multipart/report`` (``delivery-status`` for a DSN,
    ``disposition-notification`` for a read receipt), or None for a bounce that a mailer daemon sent
    as ordinary mail.
    """

    report_type: str | None
    original_message_id: str | None
    failed_recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    message_id: str | None = None
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    subject: str = ""
    from_address: str | None = None
    from_name: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    date: datetime | None = None
    text: str = ""
    full_text: str = ""
    attachments: tuple[Attachment, ...] = ()
    headers_ok: bool = False
    problems: tuple[str, ...] = ()
    understood: bool = False
    auth: dict[str, str] = field(default_factory=dict)
    size: int = 0
    header_flags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    delivery_report: DeliveryReport | None = None

    @property
    def ticket_tags(self) -> tuple[str, ...]:
        return extract_ticket_tags(self.subject)


def extract_ticket_tags(subject: str) -> tuple[str, ...]:
    """The ``[EP-YYYY-NNNNNN]`` tags in a subject, upper-cased, in order, without repeats."""
    if not isinstance(subject, str):
        return ()
    seen: dict[str, None] = {}
    for match in _TICKET_TAG.finditer(subject):
        seen.setdefault(match.group(1).upper(), None)
    return tuple(seen)


# --------------------------------------------------------------------------------------------------
# Text decoding


class _Problems:
    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, item: str) -> None:
        if len(self._items) < MAX_PROBLEMS:
            self._items.setdefault(item[:80], None)

    def __iter__(self) -> Any:
        return iter(self._items)

    def as_tuple(self) -> tuple[str, ...]:
        return tuple(self._items)


def _codec_for(label: str | None) -> tuple[str | None, bool]:
    """(Python codec name or None for the western guess, whether the label was recognised)."""
    if label is None:
        return None, True
    name = label.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name in _WESTERN:
        return None, True
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None, False
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _REFUSED_CODECS:
        return None, False
    if info.name in ("ascii", "latin_1", "iso8859-1", "cp1252"):
        return None, True
    return info.name, True


def _western(data: bytes) -> str:
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data) and data.decode("utf-8", "replace").count("\ufffd") * 20 < len(data):
        return data.decode("utf-8", "replace")
    # Windows-1252 leaves five bytes undefined: those are read as Latin-1 so that nothing is lost.
    text = data.decode("cp1252", "surrogateescape")
    return _SURROGATE.sub(lambda m: chr(ord(m.group(0)) - 0xDC00), text)


def decode_bytes(data: bytes, label: str | None, problems: _Problems | None = None) -> str:
    """Bytes to text under a declared charset, tolerating wrong and unknown labels."""
    codec, known = _codec_for(label)
    if not known and problems is not None and label:
        problems.add("charset:" + re.sub(r"[^A-Za-z0-9_.:+-]", "?", label.strip().strip("\"'").lower())[:40])
    if codec is None:
        return _western(data)
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError, TypeError):
        pass
    if codec == "utf-8":
        return _western(data)  # labelled UTF-8 but not UTF-8: most often Windows-1252
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(codec, "replace")
    except (LookupError, ValueError, TypeError):
        return _western(data)


def _unsurrogate(value: str) -> str:
    """A header value as read by the stdlib (8-bit bytes as surrogates) to real text."""
    if not _SURROGATE.search(value):
        return value
    return _western(value.encode("utf-8", "surrogateescape"))


def _decode_word(encoding: str, payload: str) -> bytes | None:
    try:
        raw = payload.encode("utf-8", "surrogateescape")
        if encoding in "bB":
            raw = raw.rstrip(b"=")
            for candidate in (raw + b"=" * (-len(raw) % 4), raw[: len(raw) - len(raw) % 4]):
                try:
                    return binascii.a2b_base64(candidate)
                except binascii.Error:
                    continue
            return None
        return binascii.a2b_qp(raw.replace(b"_", b" "))
    except (binascii.Error, ValueError, UnicodeError):
        return None


def decode_words(value: str, problems: _Problems | None = None) -> str:
    """RFC 2047 encoded words decoded; whitespace between adjacent words dropped; never raises."""
    if "=?" not in value:
        return value
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset: str | None = None
    pos = 0
    last_end = -1

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending:
            out.append(decode_bytes(b"".join(pending), pending_charset, problems))
        pending = []
        pending_charset = None

    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        charset = match.group(1).split("*", 1)[0]
        data = _decode_word(match.group(2), match.group(3))
        if data is None:
            flush()
            out.append(gap)
            out.append(match.group(0))
            pos = match.end()
            last_end = -1
            continue
        adjacent = last_end == pos and _WS_ONLY.match(gap) is not None  # only whitespace since the last word
        if adjacent and pending_charset is not None and charset.lower() == pending_charset.lower():
            pending.append(data)
        else:
            flush()
            if not adjacent:
                out.append(gap)
            pending = [data]
            pending_charset = charset
        pos = match.end()
        last_end = pos
    flush()
    out.append(value[pos:])
    return "".join(out)


def _clean_line(value: str) -> str:
    return _CONTROL_WS.sub(" ", value).strip()


# --------------------------------------------------------------------------------------------------
# Headers


def _collect_headers(msg: Message, problems: _Problems) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    try:
        items = list(msg.raw_items())
    except Exception:  # noqa: BLE001 - unreadable header block
        problems.add("header:block")
        return headers
    for name, value in items:
        try:
            key = str(name).strip().lower()
            text = value if isinstance(value, str) else str(value)
            headers.setdefault(key, []).append(_FOLD.sub("", text).replace("\r", "").replace("\n", ""))
        except Exception:  # noqa: BLE001 - one bad header does not spoil the others
            problems.add(f"header:{str(name)[:40]}")
    return headers


def _first(headers: Mapping[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _text_header(headers: Mapping[str, list[str]], name: str, problems: _Problems) -> str:
    value = _first(headers, name)
    if value is None:
        return ""
    try:
        return _clean_line(decode_words(_unsurrogate(value), problems))
    except Exception:  # noqa: BLE001
        problems.add(f"header:{name.title()}")
        return _clean_line(value.encode("ascii", "replace").decode("ascii"))


def _addresses(
    headers: Mapping[str, list[str]], name: str, label: str, problems: _Problems
) -> list[tuple[str, str]]:
    values = headers.get(name)
    if not values:
        return []
    try:
        text = ", ".join(_unsurrogate(v) for v in values)
    except Exception:  # noqa: BLE001
        problems.add(f"header:{label}")
        return []
    if len(text) > MAX_ADDRESS_HEADER:
        text = text[:MAX_ADDRESS_HEADER]
        problems.add(f"header:{label}")
    pairs: list[tuple[str, str]] = []
    try:
        pairs = getaddresses([text])
    except Exception:  # noqa: BLE001 - stdlib address parsing on malformed input
        pairs = []
    out: list[tuple[str, str]] = []
    for display, addr in pairs:
        addr = addr.strip().strip("<>").strip().lower()
        if _ADDR_OK.match(addr):
            try:
                shown = _clean_line(decode_words(display, problems))
            except Exception:  # noqa: BLE001
                shown = ""
            out.append((shown, addr))
    if out:
        return out
    stripped = text.strip()
    if not stripped or _EMPTY_GROUP.match(stripped):
        return []
    found = [("", m.group(0).strip(".").lower()) for m in _ADDR_SPEC.finditer(text)]
    problems.add(f"header:{label}")
    return [pair for pair in found if _ADDR_OK.match(pair[1])]


def _message_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    text = _unsurrogate(value)
    ids = _MSGID.findall(text)
    if not ids:
        ids = [tok.strip("<>,;") for tok in text.split() if "@" in tok]
    seen: dict[str, None] = {}
    for item in ids:
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def _date(value: str | None, problems: _Problems) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(_unsurrogate(value).strip())
    except Exception:  # noqa: BLE001 - ValueError, TypeError, OverflowError on bad dates
        problems.add("header:Date")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _flags(headers: Mapping[str, list[str]]) -> Mapping[str, str]:
    flags: dict[str, str] = {}
    for name in FLAG_HEADERS:
        value = _first(headers, name)
        if value is not None:
            flags[name] = _clean_line(_unsurrogate(value))[:500]
    return MappingProxyType(flags)


# --------------------------------------------------------------------------------------------------
# Body and attachments


@dataclass
class _Walk:
    problems: _Problems
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[tuple[str, str, str]] = field(default_factory=list)  # (name, head, text)
    tnef_bodies: list[str] = field(default_factory=list)
    parts: int = 0
    dsn_blocks: list[list[tuple[str, str]]] = field(default_factory=list)
    original_ids: list[str] = field(default_factory=list)
    visited: list[Message] = field(default_factory=list)


def _safe(call: Any, default: Any) -> Any:
    try:
        return call()
    except Exception:  # noqa: BLE001 - a part's header that the stdlib cannot read
        return default


def _content_type(part: Message) -> str:
    ctype = _safe(part.get_content_type, "text/plain")
    return ctype.lower() if isinstance(ctype, str) else "application/octet-stream"


def _disposition(part: Message) -> str | None:
    disp = _safe(part.get_content_disposition, None)
    return disp.lower() if isinstance(disp, str) else None


def _param(part: Message, name: str, header: str = "content-type") -> str | None:
    value = _safe(lambda: part.get_param(name, None, header), None)
    if isinstance(value, tuple):
        value = _safe(lambda: email.utils.collapse_rfc2231_value(value), None)
    return value if isinstance(value, str) else None


def _filename(part: Message, problems: _Problems) -> str | None:
    raw = _safe(part.get_filename, None)
    if raw is None:
        name = _param(part, "name")
        raw = name
    if not isinstance(raw, str):
        return None
    try:
        name = _clean_line(decode_words(_unsurrogate(raw), problems))
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


def _content_id(part: Message) -> str | None:
    values = _safe(lambda: part.get_all("content-id"), None)
    if not values:
        return None
    value = _unsurrogate(str(values[0])).strip().strip("<>").strip()
    return value[:998] or None


def _payload(part: Message, problems: _Problems) -> bytes:
    data = _safe(lambda: part.get_payload(decode=True), None)
    if data is None:
        raw = _safe(part.get_payload, "")
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


def _normalise(text: str) -> str:
    text = _NUL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _part_text(part: Message, ctype: str, data: bytes, walk: _Walk) -> str:
    charset = _safe(part.get_content_charset, None)
    if charset is None and ctype == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    text = decode_bytes(data, charset if isinstance(charset, str) else None, walk.problems)
    if ctype == "text/plain" and (_param(part, "format") or "").lower() == "flowed":
        text = _unflow(text.replace("\r\n", "\n"), (_param(part, "delsp") or "").lower() == "yes")
    return text


def _add_attachment(
    walk: _Walk,
    content: bytes,
    ctype: str,
    name: str | None,
    *,
    inline: bool = False,
    content_id: str | None = None,
) -> None:
    if not name:
        name = f"attachment-{len(walk.attachments) + 1}{_EXTENSIONS.get(ctype, '.bin')}"
    taken = {a.filename.lower() for a in walk.attachments}
    if name.lower() in taken:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = 2
        while f"{stem} ({n}){dot}{ext}".lower() in taken:
            n += 1
        name = f"{stem} ({n}){dot}{ext}"
    walk.attachments.append(Attachment(name, ctype, content, inline, content_id))


def _type_for_name(name: str | None) -> str:
    """A content type from a file name's extension (TNEF carries names, not types)."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    for ctype, known in _EXTENSIONS.items():
        if known == ext and not ctype.startswith(("message/", "text/rfc822")):
            return ctype
    return {".jpeg": "image/jpeg", ".htm": "text/html"}.get(ext, "application/octet-stream")


def _tnef_shape_ok(data: bytes) -> bool:
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


def _expand_tnef(data: bytes, walk: _Walk) -> bool:
    """Attachments and body of a winmail.dat; False when it cannot be read (then it is kept whole)."""
    if not _tnef_shape_ok(data):
        return False
    try:
        from tnefparse.tnef import TNEF

        tnef = TNEF(data, do_checksum=False)
    except Exception:  # noqa: BLE001 - any failure of the decoder keeps the file as it is
        return False
    found: list[tuple[str | None, bytes]] = []
    for item in _safe(lambda: list(tnef.attachments), []):
        name = _safe(item.long_filename, None) or _safe(lambda item=item: item.name, None)
        content = _safe(lambda item=item: bytes(item.data), b"")
        if isinstance(name, bytes):
            name = decode_bytes(name, getattr(tnef, "codepage", None))
        found.append((name.strip("\x00").strip() if isinstance(name, str) else None, content))
    body = _safe(lambda: tnef.body, None)
    html = _safe(lambda: tnef.htmlbody, None)
    if not found and not body and not html:
        return False  # nothing readable (an RTF-only body, or not TNEF at all): keep the file whole
    for name, content in found:
        clean = name.replace("\\", "/").rsplit("/", 1)[-1] if name else None
        _add_attachment(walk, content, _type_for_name(clean), clean or None)
    codepage = _safe(lambda: tnef.codepage, None)
    if isinstance(body, bytes):
        body = decode_bytes(body.rstrip(b"\x00"), codepage if isinstance(codepage, str) else None)
    if isinstance(html, bytes):
        html = decode_bytes(html.rstrip(b"\x00"), codepage if isinstance(codepage, str) else None)
    if isinstance(body, str) and body.strip("\x00 \r\n"):
        walk.tnef_bodies.append(body.strip("\x00"))
    elif isinstance(html, str) and html.strip():
        walk.tnef_bodies.append(html_to_text(html[:MAX_HTML_CHARS]))
    return True


def _header_pairs(text: str) -> list[tuple[str, str]]:
    """``Name: value`` pairs of a header block given as text (continuations joined)."""
    pairs: list[tuple[str, str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def _delivery_status(part: Message, walk: _Walk) -> bytes:
    payload = _safe(part.get_payload, None)
    chunks: list[bytes] = []
    if isinstance(payload, list):
        for block in payload:
            pairs = [
                (str(k).strip().lower(), _unsurrogate(_FOLD.sub("", str(v))).strip())
                for k, v in _safe(lambda block=block: list(block.raw_items()), [])
            ]
            walk.dsn_blocks.append(pairs)
            chunks.append("\n".join(f"{k}: {v}" for k, v in pairs).encode("utf-8", "replace"))
    elif isinstance(payload, str):
        text = _unsurrogate(payload)
        for block in re.split(r"\r?\n[ \t]*\r?\n", text):
            pairs = _header_pairs(block)
            if pairs:
                walk.dsn_blocks.append(pairs)
        chunks.append(text.encode("utf-8", "replace"))
    return b"\n\n".join(chunks)


def _forwarded(part: Message, depth: int, walk: _Walk) -> None:
    payload = _safe(part.get_payload, None)
    inner = payload[0] if isinstance(payload, list) and payload else None
    number = sum(1 for a in walk.attachments if a.filename.startswith("forwarded")) + 1
    name = "forwarded.eml" if number == 1 else f"forwarded-{number}.eml"
    if not isinstance(inner, Message):
        _add_attachment(walk, _payload(part, walk.problems), "message/rfc822", name)
        return
    content = _safe(inner.as_bytes, None)
    if content is None:
        content = _safe(lambda: inner.as_string().encode("utf-8", "surrogateescape"), b"")
        walk.problems.add("forwarded:serialise")
    _add_attachment(walk, content, "message/rfc822", name)
    inner_problems = _Problems()
    headers = _collect_headers(inner, inner_problems)
    msgid = _message_ids(_first(headers, "message-id"))
    if msgid:
        walk.original_ids.append(msgid[0])
    sub = _Walk(problems=inner_problems, parts=walk.parts)
    segments = _body(inner, depth + 1, sub)
    walk.parts = sub.parts
    text = "\n\n".join(t for t in (_segments_text(segments, sub), _forward_notes(sub)) if t)
    head_lines = []
    for label, key in (("From", "from"), ("Date", "date"), ("Subject", "subject"), ("To", "to")):
        value = _text_header(headers, key, inner_problems)
        if value:
            head_lines.append(f"{label}: {value}")
    walk.forwarded.append((name, "\n".join(head_lines), text))


def _leaf(part: Message, ctype: str, depth: int, walk: _Walk, *, resource: bool) -> list[tuple[str, str]]:
    disp = _disposition(part)
    name = _filename(part, walk.problems)
    if ctype in ("message/rfc822", "message/global"):
        _forwarded(part, depth, walk)
        return []
    if ctype == "message/delivery-status":
        _add_attachment(walk, _delivery_status(part, walk), ctype, "delivery-status.txt")
        return []
    if ctype.startswith("message/") and part.is_multipart():
        payload = [m for m in _safe(part.get_payload, []) if isinstance(m, Message)]
        content = b"".join(_safe(m.as_bytes, b"") for m in payload)
        if ctype == "message/disposition-notification":
            for block in payload:
                fields = {str(k).lower(): str(v) for k, v in _safe(block.raw_items, [])}
                ids = _message_ids(fields.get("original-message-id"))
                if ids:
                    walk.original_ids.append(ids[0])
            name = name or "disposition-notification.txt"
        _add_attachment(walk, content, ctype, name)
        return []
    data = _payload(part, walk.problems)
    if ctype == "text/rfc822-headers":
        ids = _message_ids(dict(_header_pairs(decode_bytes(data, None))).get("message-id"))
        if ids:
            walk.original_ids.append(ids[0])
        name = name or "original-headers.txt"
    if ctype in _TNEF_TYPES or (name or "").lower() == "winmail.dat":
        if _expand_tnef(data, walk):
            return []
        walk.problems.add("tnef:unreadable")
        _add_attachment(walk, data, ctype, name or "winmail.dat")
        return []
    is_text_body = ctype in ("text/plain", "text/html") and disp != "attachment" and name is None
    if is_text_body and not resource:
        text = _part_text(part, ctype, data, walk)
        limit = MAX_HTML_CHARS if ctype == "text/html" else MAX_TEXT_CHARS
        if len(text) > limit:
            walk.problems.add("body:truncated")
            _add_attachment(walk, data, ctype, "body" + _EXTENSIONS[ctype])
            text = text[:limit]
        return [("html" if ctype == "text/html" else "plain", text)]
    cid = _content_id(part)
    inline = disp == "inline" or (disp != "attachment" and cid is not None)
    _add_attachment(walk, data, ctype, name, inline=inline, content_id=cid)
    return []


def _has_plain(segments: list[tuple[str, str]]) -> bool:
    return any(kind == "plain" and text.strip() for kind, text in segments)


def _body(part: Message, depth: int, walk: _Walk, *, resource: bool = False) -> list[tuple[str, str]]:
    """Text segments (kind, text) of ``part``; attachments are collected into ``walk`` on the way."""
    walk.parts += 1
    if walk.parts > MAX_PARTS:
        walk.problems.add("structure:parts")
        return []
    if depth > MAX_DEPTH:
        walk.problems.add("structure:depth")
        return []
    walk.visited.append(part)
    ctype = _content_type(part)
    payload = _safe(part.get_payload, None)
    if not ctype.startswith("multipart/") or not isinstance(payload, list):
        if ctype.startswith("multipart/"):
            ctype = "text/plain"  # a multipart without a usable boundary: read its content as text
        return _leaf(part, ctype, depth, walk, resource=resource)
    children = [child for child in payload if isinstance(child, Message)]
    if ctype == "multipart/alternative":
        options = [_body(child, depth + 1, walk, resource=resource) for child in children]
        for option in options:
            if _has_plain(option):
                return option
        for option in options:
            if any(text.strip() for _, text in option):
                return option
        return []
    if ctype == "multipart/related" and children:
        start = _param(part, "start")
        root_index = 0
        if start:
            wanted = start.strip().strip("<>")
            for i, child in enumerate(children):
                if _content_id(child) == wanted:
                    root_index = i
                    break
        segments: list[tuple[str, str]] = []
        for i, child in enumerate(children):
            got = _body(child, depth + 1, walk, resource=resource or i != root_index)
            segments.extend(got)
        return segments
    segments = []
    for child in children:
        segments.extend(_body(child, depth + 1, walk, resource=resource))
    return segments


def _segments_text(segments: list[tuple[str, str]], walk: _Walk) -> str:
    texts: list[str] = []
    for kind, text in segments:
        if kind == "html":
            text = html_to_text(text)
        text = _normalise(text).strip("\n")
        if text.strip():
            texts.append(text)
    if not texts and walk.tnef_bodies:
        texts = [_normalise(body).strip("\n") for body in walk.tnef_bodies if body.strip()]
    return "\n\n".join(texts)


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    visible = len(sample) - sample.count(" ") - sample.count("\n") - sample.count("\t")
    if visible <= 0:
        return False
    return len(_BAD_CHARS.findall(sample)) * 12 > visible


def _forward_notes(walk: _Walk) -> str:
    notes = []
    for name, head, text in walk.forwarded:
        block = f"---------- Forwarded message ({name}) ----------"
        if head:
            block += "\n" + head
        if text:
            block += "\n\n" + text
        notes.append(block)
    return "\n\n".join(notes)


# --------------------------------------------------------------------------------------------------
# Bounces


def _address_from_field(value: str) -> str | None:
    """``rfc822; user@example.id`` (DSN Final-Recipient) to ``user@example.id``."""
    addr = value.split(";", 1)[1] if ";" in value else value
    addr = addr.strip().strip("<>").strip().lower()
    return addr if _ADDR_OK.match(addr) else None


def _report(
    top_type: str, report_type: str | None, from_address: str | None, walk: _Walk, text: str
) -> DeliveryReport | None:
    failed: dict[str, None] = {}
    if top_type == "multipart/report":
        for block in walk.dsn_blocks:
            fields = dict(block)
            if "final-recipient" not in fields and "original-recipient" not in fields:
                continue
            action = fields.get("action", "").strip().lower()
            status = fields.get("status", "").strip()
            if action == "failed" or (not action and status.startswith("5")):
                addr = _address_from_field(
                    fields.get("final-recipient") or fields.get("original-recipient", "")
                )
                if addr:
                    failed.setdefault(addr, None)
        original = walk.original_ids[0] if walk.original_ids else None
        return DeliveryReport((report_type or "").lower() or None, original, tuple(failed))
    if from_address and _MAILER_DAEMON.match(from_address):
        original = walk.original_ids[0] if walk.original_ids else None
        marker = re.search(r"(?im)^.*(copy of the message|original message|message headers follow).*$", text)
        head = text[: marker.start()] if marker else text
        if original is None:
            found = _BODY_MESSAGE_ID.search(text[marker.start() :] if marker else text)
            if found:
                original = found.group(1).strip("<>")
        for line in head.split("\n"):
            match = _FAILED_LINE.match(line)
            if match:
                failed.setdefault(match.group(1).lower(), None)
        return DeliveryReport(None, original, tuple(failed))
    return None


# --------------------------------------------------------------------------------------------------
# Entry point


def _as_bytes(raw: object) -> bytes:
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, (bytearray, memoryview)):
        return bytes(raw)
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    raise TypeError("a message is bytes")


def _envelope(
    headers: Mapping[str, list[str]], problems: _Problems
) -> tuple[dict[str, Any], str | None, str]:
    fields: dict[str, Any] = {}
    senders = _addresses(headers, "from", "From", problems)
    from_name, from_address = senders[0] if senders else ("", None)
    if from_address is None:
        problems.add("header:From")
    fields["to"] = tuple(dict.fromkeys(a for _, a in _addresses(headers, "to", "To", problems)))
    fields["cc"] = tuple(dict.fromkeys(a for _, a in _addresses(headers, "cc", "Cc", problems)))
    fields["reply_to"] = tuple(
        dict.fromkeys(a for _, a in _addresses(headers, "reply-to", "Reply-To", problems))
    )
    ids = _message_ids(_first(headers, "message-id"))
    fields["message_id"] = ids[0] if ids else None
    fields["in_reply_to"] = _message_ids(" ".join(headers.get("in-reply-to", [])))
    fields["references"] = _message_ids(" ".join(headers.get("references", [])))
    fields["subject"] = _text_header(headers, "subject", problems)
    fields["date"] = _date(_first(headers, "date"), problems)
    fields["header_flags"] = _flags(headers)
    return fields, from_address, from_name


def _defects(walk: _Walk, msg: Message) -> None:
    for part in [msg, *walk.visited]:
        for defect in _safe(lambda part=part: list(part.defects), []):
            walk.problems.add("defect:" + type(defect).__name__.removesuffix("Defect"))


def _read(data: bytes) -> Message:
    """The stdlib parse, fed in chunks: ``message_from_bytes`` copies the whole message into a
    ``StringIO`` (four bytes a character), which nearly triples peak memory on a 25 MB message."""
    parser = BytesFeedParser(policy=email_policy.compat32)
    view = memoryview(data)
    for start in range(0, len(data), FEED_CHUNK):
        parser.feed(bytes(view[start : start + FEED_CHUNK]))
    return parser.close()


def _parse(data: bytes) -> ParsedMessage:
    problems = _Problems()
    if not data.strip():
        problems.add("message:empty")
        problems.add("header:From")
        return ParsedMessage(problems=problems.as_tuple(), size=len(data))
    msg = _read(data)
    headers = _collect_headers(msg, problems)
    if not headers:
        problems.add("header:none")
    fields, from_address, from_name = _envelope(headers, problems)

    walk = _Walk(problems=problems)
    segments = _body(msg, 0, walk)
    _defects(walk, msg)
    own = _segments_text(segments, walk)
    if own and _looks_binary(own):
        problems.add("body:binary")
        own = ""
    notes = _forward_notes(walk)
    full_text = "\n\n".join(t for t in (own, notes) if t)
    text = "\n\n".join(t for t in (strip_quoted(own), notes) if t)

    top_type = _content_type(msg)
    report_type = _param(msg, "report-type") if top_type == "multipart/report" else None
    report = _report(top_type, report_type, from_address, walk, full_text)
    attachments = tuple(walk.attachments)
    problem_list = problems.as_tuple()
    return ParsedMessage(
        **fields,
        from_address=from_address,
        from_name=from_name,
        text=text,
        full_text=full_text,
        attachments=attachments,
        headers_ok=not any(p.startswith("header:") for p in problem_list),
        problems=problem_list,
        understood=bool(from_address or full_text.strip() or attachments),
        size=len(data),
        delivery_report=report,
    )


def _salvage(data: bytes, exc: BaseException) -> ParsedMessage:
    """Headers only, after the full parse failed (for example a structure nested beyond recursion)."""
    problems = _Problems()
    problems.add(f"parse:{type(exc).__name__}")
    try:
        msg = BytesHeaderParser(policy=email_policy.compat32).parsebytes(data)
        headers = _collect_headers(msg, problems)
        fields, from_address, from_name = _envelope(headers, problems)
    except Exception:  # noqa: BLE001
        problems.add("header:From")
        return ParsedMessage(problems=problems.as_tuple(), size=len(data))
    return ParsedMessage(
        **fields,
        from_address=from_address,
        from_name=from_name,
        headers_ok=False,
        problems=problems.as_tuple(),
        understood=False,
        size=len(data),
    )


def parse_message(raw: bytes) -> ParsedMessage:
    """Read a raw RFC 5322 message. Never raises; what could not be read is listed in ``problems``."""
    try:
        data = _as_bytes(raw)
    except Exception:  # noqa: BLE001
        return ParsedMessage(problems=("input:type", "header:From"))
    try:
        return _parse(data)
    except Exception as exc:  # noqa: BLE001 - the parser must never raise; the raw file stays the record
        return _salvage(data, exc)
