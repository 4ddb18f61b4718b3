"""Removing quoted reply history from an email body.

What counts as history, first match wins:

* an attribution line, in English or Indonesian, possibly wrapped over up to three lines:
  ``On Mon, 1 Jan 2024 at 10:00, Budi <budi@example.id> wrote:`` /
  ``Pada tanggal Sen, 1 Jan 2024 pukul 10.00 Budi <budi@example.id> menulis:``.
  When the quoted block under it is followed by new text (bottom posting or answers between the quoted
  lines), only the attribution and the ``>`` lines go; otherwise everything from the attribution on;
* an Outlook separator: ``-----Original Message-----`` (also ``Pesan Asli`` and the mobile
  ``-------- Original message --------``), or a header block ``From:`` / ``Dari:`` followed by at least
  two of ``Sent`` / ``Date`` / ``To`` / ``Subject`` / ``Cc`` (or their Indonesian names), with the
  ``____`` rule Outlook puts above it; everything from there on goes;
* lines starting with ``>``.

Forwarded content is kept: once a forward marker (``---------- Forwarded message ----------``,
``Begin forwarded message:``, an Outlook header block whose subject starts with ``FW:``/``Fwd:``) is met,
the rest is left as it is, because a forwarded message is usually the request itself.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"^[ \t]{0,3}>")
_ATTRIBUTION_START = re.compile(r"^\s*(on|pada)\s", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"\b(wrote|menulis)\s*:\s*$", re.IGNORECASE)
_DIGIT = re.compile(r"[0-9]")
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|pesan asli|pesan awal|pesan orisinal)\s*-{2,}\s*$", re.IGNORECASE
)
_FORWARD = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|pesan (yang )?diteruskan|pesan terusan)\s*-{2,}"
    r"|begin forwarded message\s*:|awal pesan (yang )?diteruskan\s*:)\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_FROM = re.compile(r"^\s*\*?\s*(from|dari)\s*:\*?\s*\S", re.IGNORECASE)
_OTHER_HEADER = re.compile(
    r"^\s*\*?\s*(sent|date|to|cc|subject|dikirim|terkirim|tanggal|kepada|tembusan|subjek|perihal)\s*:",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(
    r"^\s*\*?\s*(subject|subjek|perihal)\s*:\*?\s*(fw|fwd|tr|wg|rv)\s*:", re.IGNORECASE
)
_BLANKS = re.compile(r"\n{3,}")
_MAX_ATTRIBUTION = 400


def _attribution_end(lines: list[str], i: int) -> int | None:
    """Index of the last line of an attribution starting at line i, or None."""
    if not _ATTRIBUTION_START.match(lines[i]):
        return None
    joined = ""
    for j in range(i, min(i + 3, len(lines))):
        if j > i and not lines[j].strip():
            return None
        joined = f"{joined} {lines[j].strip()}" if joined else lines[j].strip()
        if len(joined) > _MAX_ATTRIBUTION:
            return None
        if _ATTRIBUTION_END.search(joined):
            return j if _DIGIT.search(joined) else None
    return None


def _header_block(lines: list[str], i: int) -> tuple[bool, bool]:
    """(is an Outlook header block, is a forward) for a ``From:`` line at i."""
    if not _FROM.match(lines[i]):
        return False, False
    others = 0
    forward = False
    for line in lines[i + 1 : i + 7]:
        if _OTHER_HEADER.match(line):
            others += 1
            if _FORWARD_SUBJECT.match(line):
                forward = True
    return others >= 2, forward


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for j in range(start, len(lines)):
        if lines[j].strip():
            return j
    return None


def _text_after_quote(lines: list[str], start: int) -> bool:
    """Whether unquoted text follows the quoted block that starts at or after ``start``."""
    seen_quote = False
    for line in lines[start:]:
        if not line.strip():
            continue
        if _QUOTED.match(line):
            seen_quote = True
            continue
        if seen_quote:
            return True
        return False
    return False


def _history_start(lines: list[str]) -> tuple[int, int | None, set[int]]:
    """(index where kept text ends, index where a forward starts, attribution lines to drop)."""
    drop: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FORWARD.match(line):
            return i, i, drop
        if _ORIGINAL.match(line):
            return i, None, drop
        if _RULE.match(line):
            j = _next_nonblank(lines, i + 1)
            if j is not None and j - i <= 2:
                block, forward = _header_block(lines, j)
                if block:
                    return (i, i, drop) if forward else (i, None, drop)
        block, forward = _header_block(lines, i)
        if block:
            return (i, i, drop) if forward else (i, None, drop)
        end = _attribution_end(lines, i)
        if end is not None:
            nxt = _next_nonblank(lines, end + 1)
            if nxt is not None and _QUOTED.match(lines[nxt]) and _text_after_quote(lines, nxt):
                drop.update(range(i, end + 1))
                i = end + 1
                continue
            return i, None, drop
        i += 1
    return len(lines), None, drop


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return _BLANKS.sub("\n\n", text).strip("\n")


def strip_quoted(text: str) -> str:
    """The new part of a reply: ``text`` without quoted history. Never raises."""
    if not isinstance(text, str) or not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut, forward_at, drop = _history_start(lines)
    kept = [line for n, line in enumerate(lines[:cut]) if n not in drop and not _QUOTED.match(line)]
    if forward_at is not None:
        kept.extend(lines[forward_at:])
    return _tidy(kept)
