"""Cleaning what people type: control and bidi-override characters never reach storage or mail."""

from __future__ import annotations

import re
import unicodedata

# Cc (controls) and Cf (format: bidi overrides, zero-width) except the ones ordinary text needs.
_KEEP = {"\n", "\t"}


def clean_line(value: str) -> str:
    """One line: no control or format characters, whitespace collapsed."""
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf"))
    return re.sub(r"\s+", " ", kept).strip()


def clean_text(value: str) -> str:
    """Several lines: newlines and tabs kept, other control and format characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(ch for ch in value if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf"))
    return kept.strip()
