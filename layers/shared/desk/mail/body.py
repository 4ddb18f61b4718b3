"""The body of a message: its MIME tree walked into text segments and attachments, with forwarded
messages, winmail.dat contents and delivery-report parts read on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from typing import NamedTuple

from desk.mail import bounces
from desk.mail.bounces import BounceEvidence
from desk.mail.decoding import Problems
from desk.mail.headers import collect_headers, first, first_message_id, text_header
from desk.mail.htmltext import html_to_text
from desk.mail.parts import (
    EXTENSIONS,
    Segment,
    content_id,
    content_type,
    disposition,
    filename,
    normalise,
    param,
    part_text,
    payload,
    safe,
)
from desk.mail.tnef import is_winmail, read_winmail

# Limits that keep one hostile message from eating a function's time or memory. Beyond them the
# content is still in the raw file; ``problems`` says what was not read.
MAX_PARTS = 1000
MAX_DEPTH = 300
MAX_TEXT_CHARS = 1_000_000
MAX_HTML_CHARS = 2_000_000

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_FORWARDED_HEADERS = (("From", "from"), ("Date", "date"), ("Subject", "subject"), ("To", "to"))


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


class Forwarded(NamedTuple):
    filename: str  # of the attachment that keeps the forwarded message whole
    head: str  # its From, Date, Subject and To as lines
    text: str


@dataclass
class Walk:
    """What a walk over a MIME tree has gathered so far besides text."""

    problems: Problems
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[Forwarded] = field(default_factory=list)
    tnef_bodies: list[str] = field(default_factory=list)
    parts: int = 0
    evidence: BounceEvidence = field(default_factory=BounceEvidence)
    visited: list[Message] = field(default_factory=list)

    def enter(self, part: Message, depth: int) -> bool:
        """Count ``part`` in; False when a limit stops the walk from reading it."""
        self.parts += 1
        if self.parts > MAX_PARTS:
            self.problems.add("structure:parts")
            return False
        if depth > MAX_DEPTH:
            self.problems.add("structure:depth")
            return False
        self.visited.append(part)
        return True

    def attach(
        self,
        content: bytes,
        ctype: str,
        name: str | None,
        *,
        inline: bool = False,
        content_id: str | None = None,
    ) -> None:
        """Add an attachment, named after its type when it has no name, made unique by ``(n)``."""
        if not name:
            name = f"attachment-{len(self.attachments) + 1}{EXTENSIONS.get(ctype, '.bin')}"
        taken = {a.filename.lower() for a in self.attachments}
        if name.lower() in taken:
            stem, dot, ext = name.rpartition(".")
            if not dot:
                stem, ext = name, ""
            n = 2
            while f"{stem} ({n}){dot}{ext}".lower() in taken:
                n += 1
            name = f"{stem} ({n}){dot}{ext}"
        self.attachments.append(Attachment(name, ctype, content, inline, content_id))


def walk_body(part: Message, depth: int, walk: Walk, *, resource: bool = False) -> list[Segment]:
    """Text segments of ``part``; attachments are collected into ``walk`` on the way."""
    if not walk.enter(part, depth):
        return []
    ctype = content_type(part)
    content = safe(part.get_payload, None)
    if not ctype.startswith("multipart/") or not isinstance(content, list):
        if ctype.startswith("multipart/"):
            ctype = "text/plain"  # a multipart without a usable boundary: read its content as text
        return _leaf(part, ctype, depth, walk, resource=resource)
    children = [child for child in content if isinstance(child, Message)]
    if ctype == "multipart/alternative":
        return _alternative(children, depth, walk, resource=resource)
    if ctype == "multipart/related" and children:
        return _related(part, children, depth, walk, resource=resource)
    segments: list[Segment] = []
    for child in children:
        segments.extend(walk_body(child, depth + 1, walk, resource=resource))
    return segments


def _alternative(children: list[Message], depth: int, walk: Walk, *, resource: bool) -> list[Segment]:
    """The first option with plain text, else the first with any text (every option is walked)."""
    options = [walk_body(child, depth + 1, walk, resource=resource) for child in children]
    for option in options:
        if any(kind == "plain" and text.strip() for kind, text in option):
            return option
    for option in options:
        if any(text.strip() for _, text in option):
            return option
    return []


def _related(
    part: Message, children: list[Message], depth: int, walk: Walk, *, resource: bool
) -> list[Segment]:
    """The root's text; the other children are resources of it (inline images and the like)."""
    root_index = _related_root(part, children)
    segments: list[Segment] = []
    for i, child in enumerate(children):
        segments.extend(walk_body(child, depth + 1, walk, resource=resource or i != root_index))
    return segments


def _related_root(part: Message, children: list[Message]) -> int:
    """The child named by the ``start`` parameter, else the first."""
    start = param(part, "start")
    if start:
        wanted = start.strip().strip("<>")
        for i, child in enumerate(children):
            if content_id(child) == wanted:
                return i
    return 0


def _leaf(part: Message, ctype: str, depth: int, walk: Walk, *, resource: bool) -> list[Segment]:
    disp = disposition(part)
    name = filename(part, walk.problems)
    if _message_part(part, ctype, name, depth, walk):
        return []
    data = payload(part, walk.problems)
    if ctype == "text/rfc822-headers":
        bounces.note_returned_headers(data, walk.evidence)
        name = name or "original-headers.txt"
    if is_winmail(ctype, name):
        _winmail(data, ctype, name, walk)
        return []
    is_text_body = ctype in ("text/plain", "text/html") and disp != "attachment" and name is None
    if is_text_body and not resource:
        return [_text_body(part, ctype, data, walk)]
    cid = content_id(part)
    inline = disp == "inline" or (disp != "attachment" and cid is not None)
    walk.attach(data, ctype, name, inline=inline, content_id=cid)
    return []


def _message_part(part: Message, ctype: str, name: str | None, depth: int, walk: Walk) -> bool:
    """Reads a ``message/*`` part that holds messages or report fields; False for any other part."""
    if ctype in ("message/rfc822", "message/global"):
        _forwarded(part, depth, walk)
    elif ctype == "message/delivery-status":
        walk.attach(bounces.read_delivery_status(part, walk.evidence), ctype, "delivery-status.txt")
    elif ctype.startswith("message/") and part.is_multipart():
        blocks = [m for m in safe(part.get_payload, []) if isinstance(m, Message)]
        content = b"".join(safe(m.as_bytes, b"") for m in blocks)
        if ctype == "message/disposition-notification":
            bounces.note_disposition_notification(blocks, walk.evidence)
            name = name or "disposition-notification.txt"
        walk.attach(content, ctype, name)
    else:
        return False
    return True


def _winmail(data: bytes, ctype: str, name: str | None, walk: Walk) -> None:
    """The files and body of a winmail.dat; the file itself when it cannot be read."""
    winmail = read_winmail(data)
    if winmail is None:
        walk.problems.add("tnef:unreadable")
        walk.attach(data, ctype, name or "winmail.dat")
        return
    for found in winmail.files:
        walk.attach(found.content, found.content_type, found.filename)
    if winmail.body is not None:
        kind, text = winmail.body
        walk.tnef_bodies.append(text if kind == "plain" else html_to_text(text[:MAX_HTML_CHARS]))


def _text_body(part: Message, ctype: str, data: bytes, walk: Walk) -> Segment:
    """The part's text, cut at the limit for its kind; when cut, the whole is kept as an attachment."""
    text = part_text(part, ctype, data, walk.problems)
    limit = MAX_HTML_CHARS if ctype == "text/html" else MAX_TEXT_CHARS
    if len(text) > limit:
        walk.problems.add("body:truncated")
        walk.attach(data, ctype, "body" + EXTENSIONS[ctype])
        text = text[:limit]
    return Segment("html" if ctype == "text/html" else "plain", text)


def _forwarded(part: Message, depth: int, walk: Walk) -> None:
    """A forwarded message: kept whole as an attachment, and its text read for a note in the body."""
    content = safe(part.get_payload, None)
    inner = content[0] if isinstance(content, list) and content else None
    number = sum(1 for a in walk.attachments if a.filename.startswith("forwarded")) + 1
    name = "forwarded.eml" if number == 1 else f"forwarded-{number}.eml"
    if not isinstance(inner, Message):
        walk.attach(payload(part, walk.problems), "message/rfc822", name)
        return
    raw = safe(inner.as_bytes, None)
    if raw is None:
        raw = safe(lambda: inner.as_string().encode("utf-8", "surrogateescape"), b"")
        walk.problems.add("forwarded:serialise")
    walk.attach(raw, "message/rfc822", name)
    # The inner message is read with problems of its own: what it lacks is not this message's concern.
    inner_problems = Problems()
    headers = collect_headers(inner, inner_problems)
    walk.evidence.note_original(first_message_id(first(headers, "message-id")))
    sub = Walk(problems=inner_problems, parts=walk.parts)
    segments = walk_body(inner, depth + 1, sub)
    walk.parts = sub.parts
    text = "\n\n".join(t for t in (segments_text(segments, sub), forward_notes(sub)) if t)
    head_lines = []
    for label, key in _FORWARDED_HEADERS:
        value = text_header(headers, key, inner_problems)
        if value:
            head_lines.append(f"{label}: {value}")
    walk.forwarded.append(Forwarded(name, "\n".join(head_lines), text))


def segments_text(segments: list[Segment], walk: Walk) -> str:
    """The text of ``segments`` (HTML converted), or of the winmail.dat bodies when they have none."""
    texts: list[str] = []
    for kind, text in segments:
        if kind == "html":
            text = html_to_text(text)
        text = normalise(text).strip("\n")
        if text.strip():
            texts.append(text)
    if not texts and walk.tnef_bodies:
        texts = [normalise(body).strip("\n") for body in walk.tnef_bodies if body.strip()]
    return "\n\n".join(texts)


def looks_binary(text: str) -> bool:
    """Whether ``text`` is mostly control or undecodable characters (binary read as text)."""
    sample = text[:20000]
    visible = len(sample) - sample.count(" ") - sample.count("\n") - sample.count("\t")
    if visible <= 0:
        return False
    return len(_BAD_CHARS.findall(sample)) * 12 > visible


def forward_notes(walk: Walk) -> str:
    """A note per forwarded message: a separator line naming its attachment, its head, its text."""
    notes = []
    for name, head, text in walk.forwarded:
        block = f"---------- Forwarded message ({name}) ----------"
        if head:
            block += "\n" + head
        if text:
            block += "\n\n" + text
        notes.append(block)
    return "\n\n".join(notes)
