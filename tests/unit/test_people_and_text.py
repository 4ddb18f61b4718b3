"""What people type and who staff are: addresses, names, claims from the authorizer."""

from __future__ import annotations

import pytest

from desk import staff
from desk.addresses import normalise_address
from desk.errors import Forbidden, Unauthorized
from desk.requests.text import clean_line, clean_text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ani@example.go.id", "ani@example.go.id"),
        ("Ani Wulandari <ANI@Example.GO.ID>", "ANI@example.go.id"),
        ("  budi.s+desk@pemprov-jatim.go.id ", "budi.s+desk@pemprov-jatim.go.id"),
        ("siti@bücher.example", "siti@xn--bcher-kva.example"),
        ("not-an-address", None),
        ("a@b", None),
        ("two@@at.example", None),
        ("dot.@example.com", None),
        ("x@-bad-.example", None),
        ("", None),
    ],
)
def test_addresses(typed: str, expected: str | None) -> None:
    assert normalise_address(typed) == expected


def test_control_and_bidi_override_characters_are_dropped_from_names() -> None:
    assert clean_line("Ani\u202e\u0000 Wulandari\t\n ") == "Ani Wulandari"
    assert clean_text("baris 1\r\nbaris 2\u200b\x07") == "baris 1\nbaris 2"


@pytest.mark.parametrize(
    "groups",
    [
        ["admin", "helpdesk"],
        "[admin, helpdesk]",
        "[admin helpdesk]",
        "admin,helpdesk",
        '["admin","helpdesk"]',
    ],
)
def test_groups_arrive_in_any_of_the_shapes_api_gateway_uses(groups: object) -> None:
    user = staff.from_claims(
        {"cognito:username": "u1", "cognito:groups": groups, "token_use": "id", "custom:unit": "helpdesk"}
    )
    assert user.roles == {"admin", "helpdesk"}
    assert user.unit == "helpdesk"


def test_unknown_groups_grant_nothing_and_missing_claims_are_401() -> None:
    user = staff.from_claims({"cognito:username": "u1", "cognito:groups": "[superuser]"})
    assert user.roles == frozenset()
    with pytest.raises(Forbidden):
        user.require("admin")
    with pytest.raises(Unauthorized):
        staff.from_claims(None)
    with pytest.raises(Unauthorized):
        staff.from_claims({"cognito:username": "u1", "token_use": "access"})
