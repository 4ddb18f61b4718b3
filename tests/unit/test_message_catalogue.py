"""The pages' message catalogue: every text in Indonesian has its English, with the same placeholders,
and each key is said once across the catalogue's files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "web" / "assets" / "messages"
_ENTRY = re.compile(r'^\s*("(?:[^"\\]|\\.)+")\s*:\s*(".*")\s*,?\s*$')
_CONTINUED = re.compile(r'^\s*("(?:[^"\\]|\\.)+")\s*:\s*(".*")\s*\+\s*$')


def _sections(path: Path) -> dict[str, dict[str, str]]:
    """The ``id`` and ``en`` blocks of one file, read as the flat string maps they are."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    pending: tuple[str, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        block = re.match(r"^\s*(id|en): \{", line)
        if block:
            current = sections.setdefault(block.group(1), {})
            continue
        if current is None:
            continue
        if pending is not None:  # a text continued on the next line with +
            key, text = pending
            tail = line.strip().rstrip(",")
            more = tail.endswith("+")
            text += json.loads(tail.rstrip("+").strip())
            pending = (key, text) if more else None
            if not more:
                current[key] = text
            continue
        found = _ENTRY.match(line) or _CONTINUED.match(line)
        if found:
            key, text = json.loads(found.group(1)), json.loads(found.group(2))
            if _CONTINUED.match(line):
                pending = (key, text)
            else:
                current[key] = text
    return sections


FILES = sorted(CATALOGUE.glob("*.js"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_text_has_its_english_with_the_same_placeholders(path: Path) -> None:
    sections = _sections(path)
    indonesian, english = sections.get("id", {}), sections.get("en", {})
    assert indonesian, f"{path.name}: no Indonesian texts read"
    assert set(indonesian) == set(english), {
        "only Indonesian": sorted(set(indonesian) - set(english)),
        "only English": sorted(set(english) - set(indonesian)),
    }
    for key, text in indonesian.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", english[key])), key


def test_each_key_is_said_in_one_file() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for path in FILES:
        for key in _sections(path).get("id", {}):
            if key in seen:
                clashes.append((key, seen[key], path.name))
            seen[key] = path.name
    assert not clashes
