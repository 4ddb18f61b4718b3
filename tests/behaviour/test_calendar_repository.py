"""One behaviour suite for the calendar's overrides, against DynamoDB (moto) and the in-memory twin."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from twins import InMemoryCalendar

from desk.calendar import Override
from desk.calendar_store import CalendarRepository
from desk.data.calendar import CalendarStore
from desk.errors import Conflict, NotFound

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
CUTI = Override(date(2026, 12, 24), False, "national", "cuti bersama", "SKB 3 Menteri")
BALI = Override(date(2026, 12, 24), True, "Bali", "bekerja", "Pergub")


@pytest.fixture(params=["dynamodb", "twin"])
def calendar(request: pytest.FixtureRequest) -> CalendarRepository:
    if request.param == "twin":
        return InMemoryCalendar()
    return CalendarStore(request.getfixturevalue("moto_table"))


def test_every_change_bumps_the_version_and_names_who_made_it(calendar: CalendarRepository) -> None:
    assert calendar.load() == ([], 0)
    stored, version = calendar.add(CUTI, actor="admin@lkpp.go.id", now=NOW)
    assert (
        version == 1
        and stored.created_by == "admin@lkpp.go.id"
        and stored.created_at == "2026-12-03T02:00:00Z"
    )
    assert calendar.add(BALI, actor="admin@lkpp.go.id", now=NOW)[1] == 2
    overrides, version = calendar.load()
    assert version == 2 and [(o.scope, o.working) for o in overrides] == [("Bali", True), ("national", False)]


def test_one_override_per_day_and_scope_and_a_refused_change_keeps_the_version(
    calendar: CalendarRepository,
) -> None:
    calendar.add(CUTI, actor="a", now=NOW)
    with pytest.raises(Conflict) as refused:
        calendar.add(CUTI, actor="b", now=NOW)
    assert refused.value.code == "override_exists"
    assert calendar.load()[1] == 1


def test_removing_gives_back_the_override_and_a_missing_one_is_not_found(
    calendar: CalendarRepository,
) -> None:
    calendar.add(CUTI, actor="a", now=NOW)
    removed, version = calendar.remove(CUTI.date, "national", actor="b", now=NOW)
    assert removed.reason == "cuti bersama" and version == 2
    assert calendar.load() == ([], 2)
    with pytest.raises(NotFound):
        calendar.remove(CUTI.date, "national", actor="b", now=NOW)
