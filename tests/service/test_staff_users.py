"""Staff user administration against the in-memory twins of the user pool, reference data and the audit
trail: inviting (once per address, into a known unit), changing name, unit, role and sign-in, the guard
against locking oneself out and against moving a unit's head, and an audit entry for each change made;
``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from twins.adapters import InMemoryDirectory
from twins.desk import Twins

from desk.admin import audit, users
from desk.data import schema
from desk.errors import Conflict, InvalidInput, NotFound, RuleViolation
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)  # audit entries of one instant share a key
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")


@pytest.fixture
def staff(twins: Twins) -> InMemoryDirectory:
    twins.reference.save_import(
        [
            {"pk": schema.UNITS_PK, "sk": unit, "id": unit, "name": unit.title(), "head": head}
            for unit, head in (("sistem", "kepala@lkpp.go.id"), ("hukum", ""), ("direktorat", ""))
        ]
    )
    twins.directory.now = NOW  # when the pool records an invitation as made
    return twins.directory


def _invite(email: str, role: str = "helpdesk", unit: str = "sistem", name: str = "Ani") -> dict[str, Any]:
    return users.invite_user({"email": email, "name": name, "role": role, "unit": unit}, user=ADMIN, now=NOW)


def _trail(email: str) -> list[dict[str, Any]]:
    return list(audit.history("user", email, limit=100)["items"])


def test_an_invited_member_is_listed_with_role_and_unit_and_the_invitation_audited(
    staff: InMemoryDirectory,
) -> None:
    invited = _invite("Ani@LKPP.go.id")
    assert invited == {
        "email": "ani@lkpp.go.id",
        "name": "Ani",
        "role": "helpdesk",
        "roles": ["helpdesk"],
        "unit": "sistem",
        "enabled": True,
        "status": "FORCE_CHANGE_PASSWORD",
        "created_at": "2026-12-03T02:00:00Z",
    }
    assert users.list_users() == {"items": [invited]}
    (entry,) = _trail("ani@lkpp.go.id")
    assert (entry["what"], entry["who"], entry["before"], entry["after"]) == (
        "invite",
        "admin@lkpp.go.id",
        None,
        invited,
    )


def test_an_address_is_invited_once_and_only_into_a_known_unit(staff: InMemoryDirectory) -> None:
    _invite("ani@lkpp.go.id")
    with pytest.raises(Conflict) as again:
        _invite("ani@lkpp.go.id", role="admin")
    assert again.value.code == "user_exists"
    with pytest.raises(RuleViolation) as unknown:
        _invite("budi@lkpp.go.id", unit="tidak-ada")
    assert unknown.value.code == "unknown_unit"
    with pytest.raises(InvalidInput):
        _invite("bukan alamat")
    assert [m.email for m in staff.everyone()] == ["ani@lkpp.go.id"]


def test_an_address_the_pool_refuses_is_named_as_the_field_to_fix(staff: InMemoryDirectory) -> None:
    # The form takes it; the pool does not (its top-level domain has a digit).
    with pytest.raises(InvalidInput) as refused:
        _invite("ani@lkpp.g0")
    assert refused.value.fields == {"email": "bukan alamat email yang sah"}
    assert staff.everyone() == []


def test_name_unit_role_and_sign_in_change_together_with_one_audit_entry(staff: InMemoryDirectory) -> None:
    _invite("ani@lkpp.go.id")
    changed = users.update_user(
        "ani@lkpp.go.id",
        {"name": "Ani Rahma", "unit": "hukum", "role": "secretary", "enabled": False},
        user=ADMIN,
        now=LATER,
    )
    assert (changed["name"], changed["unit"], changed["roles"], changed["enabled"]) == (
        "Ani Rahma",
        "hukum",
        ["secretary"],
        False,
    )
    assert users.list_users()["items"] == [changed]
    assert [e["what"] for e in _trail("ani@lkpp.go.id")] == ["update", "invite"]


def test_a_change_that_changes_nothing_is_not_audited(staff: InMemoryDirectory) -> None:
    _invite("ani@lkpp.go.id")
    same = users.update_user("ani@lkpp.go.id", {"name": "Ani", "role": "helpdesk"}, user=ADMIN, now=LATER)
    assert same["name"] == "Ani" and [e["what"] for e in _trail("ani@lkpp.go.id")] == ["invite"]


def test_an_administrator_cannot_lock_themselves_out(staff: InMemoryDirectory) -> None:
    _invite("admin@lkpp.go.id", role="admin", unit="direktorat", name="Admin")
    for change in ({"enabled": False}, {"role": "helpdesk"}):
        with pytest.raises(RuleViolation) as refused:
            users.update_user("admin@lkpp.go.id", change, user=ADMIN, now=NOW)
        assert refused.value.code == "self_lockout"
    assert staff.find("admin@lkpp.go.id").roles == ("admin",)  # type: ignore[union-attr]


def test_the_head_of_a_unit_does_not_leave_it_until_another_heads_it(staff: InMemoryDirectory) -> None:
    _invite("kepala@lkpp.go.id", role="subdit", unit="sistem", name="Kepala")
    with pytest.raises(RuleViolation) as refused:
        users.update_user("kepala@lkpp.go.id", {"unit": "hukum"}, user=ADMIN, now=NOW)
    assert refused.value.code == "head_of_unit"
    assert staff.find("kepala@lkpp.go.id").unit == "sistem"  # type: ignore[union-attr]


def test_a_member_who_is_not_there_is_not_found(staff: InMemoryDirectory) -> None:
    for address in ("budi@lkpp.go.id", "bukan alamat"):
        with pytest.raises(NotFound):
            users.update_user(address, {"enabled": False}, user=ADMIN, now=NOW)
