"""The calendar's administration against the twins: an administrator adds and removes days off for the
nation, a province or an LPSE, each change moves what the deadline question answers at once, and a
regional day off is listed with its scope. ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from twins.desk import Twins

from desk.calendar_service import OverrideForm, add_override, deadline, remove_override, year_view
from desk.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")
AGENT = StaffUser("sari", "sari@lkpp.go.id", frozenset({"agent"}), "helpdesk")
FRIDAY = date(2026, 12, 4)


def _day_off(
    twins: Twins, day: date = FRIDAY, scope: str = "national", user: StaffUser = ADMIN
) -> dict[str, Any]:
    form = OverrideForm(
        date=day, working=False, reason="Cuti bersama", reference="SKB 3 Menteri", scope=scope
    )
    return add_override(form, user=user, now=NOW, overrides=twins.calendar)


def test_a_day_off_moves_the_deadline_at_once_and_its_removal_moves_it_back(twins: Twins) -> None:
    before = deadline(NOW, 1, "WIB", None)["due_at"]
    added = _day_off(twins)
    assert added["version"] == 1 and added["override"]["created_by"] == "admin"
    after = deadline(NOW, 1, "WIB", None)
    assert after["calendar_version"] == 1 and after["due_at"] > before
    removed = remove_override(FRIDAY, "national", user=ADMIN, now=NOW, overrides=twins.calendar)
    assert removed["version"] == 2 and deadline(NOW, 1, "WIB", None)["due_at"] == before


def test_a_provinces_day_off_counts_only_there_and_is_listed_with_its_scope(twins: Twins) -> None:
    national = deadline(NOW, 1, "WITA", None)["due_at"]
    _day_off(twins, scope="Bali")
    assert deadline(NOW, 1, "WITA", None)["due_at"] == national
    assert deadline(NOW, 1, "WITA", "Bali")["due_at"] > national
    listed = [d for d in year_view(2026)["non_working"] if d["date"] == "2026-12-04"]
    assert [d["scope"] for d in listed] == ["Bali"]


def test_changes_that_cannot_be_are_refused_and_change_nothing(twins: Twins) -> None:
    _day_off(twins)
    with pytest.raises(Conflict):
        _day_off(twins)
    with pytest.raises(InvalidInput) as unknown:
        _day_off(twins, scope="lpse-atlantis")
    assert "scope" in unknown.value.fields
    with pytest.raises(RuleViolation):  # a Saturday is no working day
        add_override(
            OverrideForm(date=date(2026, 12, 5), working=True, reason="Kerja bakti", scope="national"),
            user=ADMIN,
            now=NOW,
            overrides=twins.calendar,
        )
    with pytest.raises(Forbidden):
        _day_off(twins, date(2026, 12, 7), user=AGENT)
    with pytest.raises(NotFound):
        remove_override(date(2026, 12, 7), "national", user=ADMIN, now=NOW, overrides=twins.calendar)
    assert twins.calendar.version == 1 and len(twins.calendar.changes) == 1


def test_a_deadline_question_outside_the_calendars_years_names_its_field() -> None:
    with pytest.raises(RuleViolation) as refused:
        deadline(datetime(1999, 1, 4, tzinfo=UTC), 3, "WIB", None)
    assert "from" in refused.value.fields
