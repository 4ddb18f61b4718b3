"""The header block of a message read as text: addresses, message ids, the date, the flags that
classification needs, and the ``Envelope`` that gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from types import MappingProxyType
from typing import NamedTuple

from desk.mail.decoding import Problems, clean_line, decode_words, unsurrogate

MAX_ADDRESS_HEADER = 65_536  # beyond it an address header is cut and named in ``problems``

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

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSGID = re.compile(r"<([^<>\s]{1,998})>")
_ADDR_SPEC = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+")
_ADDR_OK = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+$")
_EMPTY_GROUP = re.compile(r"^\s*[\w .'-]+:\s*;?\s*$")

Headers = Mapping[str, list[str]]  # lowercased name to its values, in message order
HeaderPairs = list[tuple[str, str]]  # (lowercased name, value) in message order


class Envelope(NamedTuple):
    """Who sent a message to whom, its ids, subject, date and classification flags."""

    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    from_address: str | None
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    date: datetime | None
    header_flags: Mapping[str, str]


def is_address(value: str) -> bool:
    """Whether ``value`` is a bare ``local@domain`` with nothing an address cannot hold."""
    return _ADDR_OK.match(value) is not None


def unfold(value: str) -> str:
    """A header value with its folding line breaks removed."""
    return _FOLD.sub("", value)


def collect_headers(msg: Message, problems: Problems) -> dict[str, list[str]]:
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
            headers.setdefault(key, []).append(unfold(text).replace("\r", "").replace("\n", ""))
        except Exception:  # noqa: BLE001 - one bad header does not spoil the others
            problems.add(f"header:{str(name)[:40]}")
    return headers


def first(headers: Headers, name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def text_header(headers: Headers, name: str, problems: Problems) -> str:
    value = first(headers, name)
    if value is None:
        return ""
    try:
        return clean_line(decode_words(unsurrogate(value), problems))
    except Exception:  # noqa: BLE001
        problems.add(f"header:{name.title()}")
        return clean_line(value.encode("ascii", "replace").decode("ascii"))


def addresses(headers: Headers, name: str, label: str, problems: Problems) -> list[tuple[str, str]]:
    """(display name, lowercased address) pairs of an address header; a pattern search when the
    stdlib finds none in text that is not empty."""
    values = headers.get(name)
    if not values:
        return []
    try:
        text = ", ".join(unsurrogate(v) for v in values)
    except Exception:  # noqa: BLE001
        problems.add(f"header:{label}")
        return []
    if len(text) > MAX_ADDRESS_HEADER:
        text = text[:MAX_ADDRESS_HEADER]
        problems.add(f"header:{label}")
    out = _parsed_addresses(text, problems)
    if out:
        return out
    stripped = text.strip()
    if not stripped or _EMPTY_GROUP.match(stripped):
        return []
    found = [("", m.group(0).strip(".").lower()) for m in _ADDR_SPEC.finditer(text)]
    problems.add(f"header:{label}")
    return [pair for pair in found if is_address(pair[1])]


def _parsed_addresses(text: str, problems: Problems) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    try:
        pairs = getaddresses([text])
    except Exception:  # noqa: BLE001 - stdlib address parsing on malformed input
        pairs = []
    out: list[tuple[str, str]] = []
    for display, addr in pairs:
        addr = addr.strip().strip("<>").strip().lower()
        if is_address(addr):
            try:
                shown = clean_line(decode_words(display, problems))
            except Exception:  # noqa: BLE001
                shown = ""
            out.append((shown, addr))
    return out


def message_ids(value: str | None) -> tuple[str, ...]:
    """The ``<id>`` values in a header, without brackets, in order and without repeats."""
    if not value:
        return ()
    text = unsurrogate(value)
    ids = _MSGID.findall(text)
    if not ids:
        ids = [tok.strip("<>,;") for tok in text.split() if "@" in tok]
    seen: dict[str, None] = {}
    for item in ids:
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def first_message_id(value: str | None) -> str | None:
    ids = message_ids(value)
    return ids[0] if ids else None


def header_pairs(text: str) -> HeaderPairs:
    """``Name: value`` pairs of a header block given as text (continuations joined)."""
    pairs: HeaderPairs = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def _date(value: str | None, problems: Problems) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(unsurrogate(value).strip())
    except Exception:  # noqa: BLE001 - ValueError, TypeError, OverflowError on bad dates
        problems.add("header:Date")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _flags(headers: Headers) -> Mapping[str, str]:
    flags: dict[str, str] = {}
    for name in FLAG_HEADERS:
        value = first(headers, name)
        if value is not None:
            flags[name] = clean_line(unsurrogate(value))[:500]
    return MappingProxyType(flags)


def _recipients(headers: Headers, name: str, label: str, problems: Problems) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for _, a in addresses(headers, name, label, problems)))


def read_envelope(headers: Headers, problems: Problems) -> Envelope:
    senders = addresses(headers, "from", "From", problems)
    from_name, from_address = senders[0] if senders else ("", None)
    if from_address is None:
        problems.add("header:From")
    # Read From, To, Cc, Reply-To, Subject, Date in turn: ``problems`` keeps the order it is told.
    to = _recipients(headers, "to", "To", problems)
    cc = _recipients(headers, "cc", "Cc", problems)
    reply_to = _recipients(headers, "reply-to", "Reply-To", problems)
    return Envelope(
        message_id=first_message_id(first(headers, "message-id")),
        in_reply_to=message_ids(" ".join(headers.get("in-reply-to", []))),
        references=message_ids(" ".join(headers.get("references", []))),
        subject=text_header(headers, "subject", problems),
        from_address=from_address,
        from_name=from_name,
        to=to,
        cc=cc,
        reply_to=reply_to,
        date=_date(first(headers, "date"), problems),
        header_flags=_flags(headers),
    )
