"""Text from the bytes of a message: declared charsets read tolerantly, RFC 2047 encoded words, and the
list of problems met on the way (what could not be read is named there instead of raising).
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterator

MAX_PROBLEMS = 50

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
_CONTROL_WS = re.compile(r"[\r\n\t\f\v]+")
_SURROGATE = re.compile("[\udc80-\udcff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


class Problems:
    """What could not be read, in the order met, without repeats and at most ``MAX_PROBLEMS``."""

    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, item: str) -> None:
        if len(self._items) < MAX_PROBLEMS:
            self._items.setdefault(item[:80], None)

    def __iter__(self) -> Iterator[str]:
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


def decode_bytes(data: bytes, label: str | None, problems: Problems | None = None) -> str:
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


def unsurrogate(value: str) -> str:
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


def decode_words(value: str, problems: Problems | None = None) -> str:
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


def clean_line(value: str) -> str:
    """One line of text: control whitespace runs as single spaces, ends trimmed."""
    return _CONTROL_WS.sub(" ", value).strip()
