"""Reading an inbound email into a ``ParsedMessage``; ``parse_message`` never raises.

The stdlib parser runs with the ``compat32`` policy: with ``policy.default`` the structured header
classes raise ``IndexError`` on headers such as ``Content-Type: text/plain; name*`` while the message is
still being parsed, whereas ``compat32`` keeps header values as text. Every header is then read from
``raw_items()`` and decoded by ``desk.mail.headers``: raw 8-bit bytes as UTF-8 or else Windows-1252,
RFC 2047 words with tolerant charsets, addresses with ``getaddresses`` and a pattern fallback. What
cannot be read is named in ``problems`` instead of raising. The raw message stays the record: this is a
reading of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesHeaderParser
from types import MappingProxyType

from desk.ids import NUMBER
from desk.mail.body import Attachment, Walk, forward_notes, looks_binary, segments_text, walk_body
from desk.mail.bounces import DeliveryReport, delivery_report
from desk.mail.decoding import Problems
from desk.mail.headers import collect_headers, read_envelope
from desk.mail.parts import content_type, param, safe
from desk.mail.quotes import strip_quoted

__all__ = ["Attachment", "DeliveryReport", "ParsedMessage", "extract_ticket_tags", "parse_message"]

FEED_CHUNK = 64 * 1024

_TICKET_TAG = re.compile(rf"\[({NUMBER})\]", re.IGNORECASE)


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


def _as_bytes(raw: object) -> bytes:
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, (bytearray, memoryview)):
        return bytes(raw)
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    raise TypeError("a message is bytes")


def _defects(walk: Walk, msg: Message) -> None:
    for part in [msg, *walk.visited]:
        for defect in safe(lambda part=part: list(part.defects), []):
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
    problems = Problems()
    if not data.strip():
        problems.add("message:empty")
        problems.add("header:From")
        return ParsedMessage(problems=problems.as_tuple(), size=len(data))
    msg = _read(data)
    headers = collect_headers(msg, problems)
    if not headers:
        problems.add("header:none")
    envelope = read_envelope(headers, problems)

    walk = Walk(problems=problems)
    segments = walk_body(msg, 0, walk)
    _defects(walk, msg)
    own = segments_text(segments, walk)
    if own and looks_binary(own):
        problems.add("body:binary")
        own = ""
    notes = forward_notes(walk)
    full_text = "\n\n".join(t for t in (own, notes) if t)
    text = "\n\n".join(t for t in (strip_quoted(own), notes) if t)

    top_type = content_type(msg)
    report_type = param(msg, "report-type") if top_type == "multipart/report" else None
    report = delivery_report(top_type, report_type, envelope.from_address, walk.evidence, full_text)
    attachments = tuple(walk.attachments)
    problem_list = problems.as_tuple()
    return ParsedMessage(
        **envelope._asdict(),
        text=text,
        full_text=full_text,
        attachments=attachments,
        headers_ok=not any(p.startswith("header:") for p in problem_list),
        problems=problem_list,
        understood=bool(envelope.from_address or full_text.strip() or attachments),
        size=len(data),
        delivery_report=report,
    )


def _salvage(data: bytes, exc: BaseException) -> ParsedMessage:
    """Headers only, after the full parse failed (for example a structure nested beyond recursion)."""
    problems = Problems()
    problems.add(f"parse:{type(exc).__name__}")
    try:
        msg = BytesHeaderParser(policy=email_policy.compat32).parsebytes(data)
        headers = collect_headers(msg, problems)
        envelope = read_envelope(headers, problems)
    except Exception:  # noqa: BLE001
        problems.add("header:From")
        return ParsedMessage(problems=problems.as_tuple(), size=len(data))
    return ParsedMessage(
        **envelope._asdict(),
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
