"""Each shared field type's JSON schema (what /openapi.json shows) is never wider than its rule: every
value the schema allows, the desk accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from desk import fields

TYPES = {
    "Email": fields.Email,
    "StaffEmail": fields.StaffEmail,
    "Phone": fields.Phone,
    "Line": fields.Line,
    "Message": fields.Message,
    "Slug": fields.Slug,
}


def _allowed(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    limit = min(schema.get("maxLength", 200), 400)
    return st.from_regex(schema["pattern"], fullmatch=False).filter(lambda text: len(text) <= limit)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_value_the_schema_allows_is_accepted(name: str) -> None:
    adapter: TypeAdapter[str] = TypeAdapter(TYPES[name])
    schema = adapter.json_schema()

    @settings(max_examples=150, derandomize=True, deadline=None)
    @given(_allowed(schema))
    def accepted(value: str) -> None:
        adapter.validate_python(value)

    accepted()


def test_the_visible_pattern_counts_what_cleaning_keeps() -> None:
    three = re.compile(fields.visible_pattern(3))
    assert three.search("a b c") and three.search("\u200babc") and not three.search("a\u200b\u200bb ")
    one = re.compile(fields.visible_pattern())
    assert one.search(" \t x") and not one.search(" \t\u200b\x00\n")
