"""Readable plain text from an email's HTML body (stdlib ``html.parser`` only).

Scripts, styles and titles are dropped; links are kept as ``text (url)``; paragraphs, line breaks, list
items and table rows become lines; ``<blockquote>`` content is prefixed with ``> `` so that quoted reply
history can be recognised afterwards; entities are decoded. Never raises: markup the parser cannot
follow falls back to a plain tag strip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "title", "template"})
_LINE_BLOCKS = frozenset(
    {
        "div",
        "li",
        "tr",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "form",
        "fieldset",
        "center",
        "figure",
        "figcaption",
        "main",
        "nav",
        "aside",
        "caption",
        "body",
    }
)
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre", "blockquote", "hr"}
)
_CELLS = frozenset({"td", "th"})
_LINK_SCHEMES = ("http://", "https://", "ftp://", "mailto:")
# A tag or declaration the parser can take in one bounded step: a name, attributes with balanced quotes
# and no ``<``/``>`` inside, then ``>``. Any other ``<`` is escaped before parsing: ``html.parser`` scans
# to the end of the input for each unclosed construct (``"<a " * 100_000`` takes minutes).
_BOUNDED_TAG = re.compile(
    r"<(?:/?[A-Za-z][^<>\"'\x00]{0,1000}(?:(?:\"[^\"<>]{0,2000}\"|'[^'<>]{0,2000}')[^<>\"'\x00]{0,1000}){0,100}>"
    r"|![^<>\-][^<>]{0,1000}>|\?[^<>]{0,1000}>)"
)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TAG = re.compile(r"<[^<>]{0,2000}>")
_BLANKS = re.compile(r"\n{3,}")

_Attrs = list[tuple[str, str | None]]


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.cur: list[str] = []
        self.cur_depth = 0
        self.cur_blank = False  # a line holding only &nbsp; (Outlook's empty paragraph)
        self.skip = 0
        self.pre = 0
        self.quote = 0
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[str, int]] = []  # (href, index in self.captured at start)
        self.captured: list[str] = []

    # line handling ------------------------------------------------------------------------------
    def _push(self, text: str) -> None:
        self.lines.append((self.cur_depth, text))
        self.cur = []
        self.cur_blank = False

    def end_line(self) -> None:
        """Close the current line if it has content."""
        if self.cur:
            self._push("".join(self.cur).rstrip())
        elif self.cur_blank:
            self._push("")

    def hard_break(self) -> None:
        """``<br>``: always ends a line, even an empty one."""
        if not self.cur and not self.cur_blank:
            self.cur_depth = self.quote
        self._push("".join(self.cur).rstrip())

    def blank_line(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1][1] != "":
            self.lines.append((self.quote, ""))

    def emit(self, text: str) -> None:
        if not text:
            return
        if not self.cur:
            self.cur_depth = self.quote
        self.cur.append(text)
        if self.links:
            self.captured.append(text)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![name[ … ]]>`` with a name the stdlib does not know raises; skip it instead."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    # parser callbacks ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: _Attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "body":
            self.skip = 0
        opener = _OPENERS.get(tag)
        if opener is not None:
            opener(self, tag, attrs)

    def handle_startendtag(self, tag: str, attrs: _Attrs) -> None:
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        closer = _CLOSERS.get(tag)
        if closer is not None:
            closer(self, tag)

    # opening tags -------------------------------------------------------------------------------
    def _open_break(self, tag: str, attrs: _Attrs) -> None:
        self.hard_break()

    def _open_p(self, tag: str, attrs: _Attrs) -> None:
        classes = (dict(attrs).get("class") or "").lower()
        if "msonormal" in classes:
            self.end_line()
        else:
            self.blank_line()

    def _open_quote(self, tag: str, attrs: _Attrs) -> None:
        self.blank_line()
        self.quote += 1

    def _open_list(self, tag: str, attrs: _Attrs) -> None:
        self.end_line()
        self.lists.append([1 if tag == "ol" else 0, 0])

    def _open_item(self, tag: str, attrs: _Attrs) -> None:
        self.end_line()
        if self.lists and self.lists[-1][0]:
            self.lists[-1][1] += 1
            self.emit(f"{self.lists[-1][1]}. ")
        else:
            self.emit("- ")

    def _open_paragraph(self, tag: str, attrs: _Attrs) -> None:
        self.blank_line()

    def _open_pre(self, tag: str, attrs: _Attrs) -> None:
        self.blank_line()
        self.pre += 1

    def _open_rule(self, tag: str, attrs: _Attrs) -> None:
        self.blank_line()
        self.emit("---")
        self.end_line()

    def _open_line_block(self, tag: str, attrs: _Attrs) -> None:
        self.end_line()

    def _open_cell(self, tag: str, attrs: _Attrs) -> None:
        if self.cur and "".join(self.cur).strip():
            self.emit(" | ")

    def _open_link(self, tag: str, attrs: _Attrs) -> None:
        href = (dict(attrs).get("href") or "").strip()
        self.links.append((href, len(self.captured)))

    # closing tags -------------------------------------------------------------------------------
    def _close_link(self, tag: str) -> None:
        if self.links:
            href, start = self.links.pop()
            label = "".join(self.captured[start:]).strip()
            if not self.links:
                self.captured = []
            self._link_suffix(href, label)

    def _close_quote(self, tag: str) -> None:
        self.end_line()
        self.quote = max(0, self.quote - 1)
        self.blank_line()

    def _close_list(self, tag: str) -> None:
        self.end_line()
        if self.lists:
            self.lists.pop()

    def _close_p(self, tag: str) -> None:
        # An Outlook paragraph is one line; a real paragraph gets its blank line on the next <p>.
        self.end_line()

    def _close_paragraph(self, tag: str) -> None:
        self.blank_line()

    def _close_pre(self, tag: str) -> None:
        self.pre = max(0, self.pre - 1)
        self.blank_line()

    def _close_line_block(self, tag: str) -> None:
        self.end_line()

    def _link_suffix(self, href: str, label: str) -> None:
        lowered = href.lower()
        if not lowered.startswith(_LINK_SCHEMES):
            return
        shown = href[7:] if lowered.startswith("mailto:") else href
        if not shown or shown == label or href == label:
            return
        if label:
            self.emit(f" ({shown})")
        else:
            self.emit(shown)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            pieces = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for i, piece in enumerate(pieces):
                if i:
                    self.hard_break()
                self.emit(piece)
            return
        if not data.strip(" \t\r\n\f\v\u00a0"):
            if "\u00a0" in data and not self.cur:
                self.cur_blank = True
                self.cur_depth = self.quote
            elif self.cur and not self.cur[-1].endswith(" "):
                self.emit(" ")
            return
        text = _SPACES.sub(" ", data)
        if not self.cur:
            text = text.lstrip()
        elif self.cur[-1].endswith(" ") and text.startswith(" "):
            text = text[1:]
        self.emit(text)

    def result(self) -> str:
        self.end_line()
        out: list[str] = []
        for depth, line in self.lines:
            line = line.rstrip()
            out.append(("> " * depth + line).rstrip() if depth and line else line)
        return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n")


# What each tag does where it opens and where it closes. Tags named alone take precedence over their
# group (``p``, ``ul``, ``ol``, ``blockquote`` are paragraphs too; ``li`` is a line block too).
_OPENERS: dict[str, Callable[[_Converter, str, _Attrs], None]] = {
    **dict.fromkeys(_CELLS, _Converter._open_cell),
    **dict.fromkeys(_LINE_BLOCKS, _Converter._open_line_block),
    **dict.fromkeys(_PARAGRAPHS, _Converter._open_paragraph),
    "pre": _Converter._open_pre,
    "hr": _Converter._open_rule,
    "br": _Converter._open_break,
    "p": _Converter._open_p,
    "blockquote": _Converter._open_quote,
    "ul": _Converter._open_list,
    "ol": _Converter._open_list,
    "li": _Converter._open_item,
    "a": _Converter._open_link,
}
_CLOSERS: dict[str, Callable[[_Converter, str], None]] = {
    **dict.fromkeys(_LINE_BLOCKS, _Converter._close_line_block),
    **dict.fromkeys(_PARAGRAPHS, _Converter._close_paragraph),
    "pre": _Converter._close_pre,
    "p": _Converter._close_p,
    "blockquote": _Converter._close_quote,
    "ul": _Converter._close_list,
    "ol": _Converter._close_list,
    "a": _Converter._close_link,
}


def _defuse(markup: str) -> str:
    """``markup`` with every ``<`` that does not open a bounded tag or a closed comment escaped."""
    out: list[str] = []
    pos = 0
    no_comment_end_from = len(markup) + 1  # past this point no "-->" remains
    while True:
        lt = markup.find("<", pos)
        if lt < 0:
            out.append(markup[pos:])
            return "".join(out)
        out.append(markup[pos:lt])
        if markup.startswith("<!--", lt) and lt < no_comment_end_from:
            end = markup.find("-->", lt + 4)
            if end >= 0:
                out.append(markup[lt : end + 3])
                pos = end + 3
                continue
            no_comment_end_from = lt
        match = _BOUNDED_TAG.match(markup, lt)
        if match:
            out.append(match.group(0))
            pos = match.end()
        else:
            out.append("&lt;")
            pos = lt + 1


def _fallback(markup: str) -> str:
    text = _TAG.sub(" ", markup)
    text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment. Never raises."""
    if not isinstance(markup, str) or not markup:
        return ""
    converter = _Converter()
    try:
        converter.feed(_defuse(markup))
        converter.close()
        return converter.result()
    except Exception:  # noqa: BLE001 - any parser failure falls back to a tag strip
        return _fallback(markup)
