"""Properties of the deadline arithmetic over random receipts, zones, scopes and overrides.

Where a property needs an oracle it is a naive day-by-day walk written here (or numpy's busday_offset),
never the bisection the calendar itself uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.calendar import CUTI_BERSAMA, Override, ScopedCalendar, WorkingCalendar, official

pytestmark = pytest.mark.unit

OFFSETS = {
    "Asia/Jakarta": timezone(timedelta(hours=7)),
    "Asia/Makassar": timezone(timedelta(hours=8)),
    "Asia/Jayapura": timezone(timedelta(hours=9)),
}
SCOPE_SETS = [(), ("Bali",), ("Bali", "lpse-denpasar"), ("Papua",), ("lpse-denpasar",)]
OPENS, CLOSES = time(7, 30), time(16)


@dataclass(frozen=True)
class Scenario:
    calendar: ScopedCalendar
    working: Callable[[date], bool]  # the oracle
    received: datetime
    tz: str

    @property
    def local_day(self) -> date:
        return self.received.astimezone(OFFSETS[self.tz]).date()


def oracle(overrides: list[Override], scopes: tuple[str, ...], skip_cuti: bool) -> Callable[[date], bool]:
    closed = {date.fromisoformat(iso) for iso, kind, _ in official.DAYS if kind != CUTI_BERSAMA or skip_cuti}

    def working(d: date) -> bool:
        if d.weekday() >= 5:
            return False
        for scope in (*reversed(scopes), "national"):
            matches = [o for o in overrides if o.date == d and o.scope == scope]
            if matches:
                return matches[-1].working
        return d not in closed

    return working


@st.composite
def scenarios(draw: st.DrawFn, *, with_overrides: bool = True) -> Scenario:
    received = draw(
        # A month inside the table's first year: tests shift the moment up to 20 days back.
        st.datetimes(min_value=datetime(2024, 2, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC))
    )
    tz = draw(st.sampled_from(sorted(OFFSETS)))
    scopes = draw(st.sampled_from(SCOPE_SETS))
    skip_cuti = draw(st.booleans()) if with_overrides else True
    overrides: list[Override] = []
    if with_overrides:
        # Overrides near the receipt, where they change the answer.
        near = st.integers(-3, 120).map(lambda k: received.date() + timedelta(days=k))
        overrides = draw(
            st.lists(
                st.builds(
                    Override,
                    date=near,
                    working=st.booleans(),
                    scope=st.sampled_from(["national", "Bali", "lpse-denpasar", "Papua"]),
                    reason=st.just("test"),
                    reference=st.just("test"),
                ),
                max_size=12,
            )
        )
    calendar = WorkingCalendar.from_official(overrides=overrides, skip_cuti_bersama=skip_cuti)
    return Scenario(calendar.scoped(*scopes), oracle(overrides, scopes, skip_cuti), received, tz)


def walk(start: date, n: int, working: Callable[[date], bool]) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= working(day)
    return day


def naive_working_time(a: datetime, b: datetime, tz: str, working: Callable[[date], bool]) -> timedelta:
    """Sum, day by day, the overlap of [a, b) with the working days' 00:00-24:00."""
    if b < a:
        return -naive_working_time(b, a, tz, working)
    zone = OFFSETS[tz]
    total = timedelta(0)
    day = a.astimezone(zone).date()
    while (start := datetime.combine(day, time(), zone)) < b:
        if working(day):
            total += max(timedelta(0), min(b, start + timedelta(days=1)) - max(a, start))
        day += timedelta(days=1)
    return total


counts = st.integers(min_value=1, max_value=60)
common = settings(deadline=None, max_examples=150)


@common
@given(scenarios(), st.integers(0, 60), st.integers(0, 60))
def test_adding_n_then_m_equals_adding_n_plus_m(s: Scenario, n: int, m: int) -> None:
    first = s.calendar.add_working_days(s.received, n, s.tz)
    assert s.calendar.add_working_days(first, m, s.tz) == s.calendar.add_working_days(s.received, n + m, s.tz)


@common
@given(scenarios(), counts)
def test_the_due_day_is_a_working_day_at_its_last_second(s: Scenario, n: int) -> None:
    due = s.calendar.add_working_days(s.received, n, s.tz)
    local = due.astimezone(OFFSETS[s.tz])
    assert due.tzinfo is UTC
    assert local.time() == time(23, 59, 59)
    assert s.working(local.date())
    assert s.calendar.is_working_day(local.date())
    assert local.date() == walk(s.local_day, n, s.working)


@common
@given(scenarios(), counts)
def test_n_minus_one_working_days_lie_strictly_between_receipt_and_due(s: Scenario, n: int) -> None:
    due_day = s.calendar.add_working_days(s.received, n, s.tz).astimezone(OFFSETS[s.tz]).date()
    assert due_day > s.local_day
    assert s.calendar.working_days_between(s.local_day, due_day) == n - 1
    between = (s.local_day + timedelta(days=k) for k in range(1, (due_day - s.local_day).days))
    assert sum(map(s.working, between)) == n - 1


@common
@given(scenarios(with_overrides=False), counts)
def test_numpy_busday_offset_agrees_on_the_official_table(s: Scenario, n: int) -> None:
    np = pytest.importorskip("numpy")
    holidays = [iso for iso, _, _ in official.DAYS]
    # roll="backward" from the receipt day gives "the n-th business day after it", even from a holiday.
    expected = np.busday_offset(np.datetime64(s.local_day), n, roll="backward", holidays=holidays)
    due = s.calendar.add_working_days(s.received, n, s.tz).astimezone(OFFSETS[s.tz]).date()
    assert np.datetime64(due) == expected


@common
@given(scenarios(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_working_time_added_is_working_time_between(s: Scenario, delta: timedelta) -> None:
    later = s.calendar.add_working_time(s.received, delta, s.tz)
    assert later >= s.received
    assert later.tzinfo is UTC
    assert s.calendar.working_time_between(s.received, later, s.tz) == delta
    # The earliest such instant: a moment earlier, less working time has passed (when any was asked).
    if delta:
        earlier = later - timedelta(microseconds=1)
        assert s.calendar.working_time_between(s.received, earlier, s.tz) < delta


@common
@given(scenarios(), st.timedeltas(min_value=-timedelta(days=20), max_value=timedelta(days=20)), st.data())
def test_working_time_between_matches_a_day_by_day_sum(
    s: Scenario, shift: timedelta, data: st.DataObject
) -> None:
    other = s.received + shift
    between = s.calendar.working_time_between
    expected = naive_working_time(s.received, other, s.tz, s.working)
    assert between(s.received, other, s.tz) == expected
    assert between(other, s.received, s.tz) == -expected
    middle = s.received + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
    assert between(s.received, middle, s.tz) + between(middle, other, s.tz) == expected
    assert s.calendar.working_days_left(s.received, other, s.tz) == expected / timedelta(days=1)


@common
@given(scenarios())
def test_next_office_moment_is_in_office_hours_and_the_first_such_moment(s: Scenario) -> None:
    moment = s.calendar.next_office_moment(s.received, s.tz)
    local = moment.astimezone(OFFSETS[s.tz])
    assert moment >= s.received
    assert moment.tzinfo is UTC
    assert s.working(local.date())
    assert OPENS <= local.time() < CLOSES
    # Oracle: the first working day whose closing is after t, opened no earlier than t.
    zone = OFFSETS[s.tz]
    day = s.local_day
    while not (s.working(day) and datetime.combine(day, CLOSES, zone) > s.received):
        day += timedelta(days=1)
    assert moment == max(s.received, datetime.combine(day, OPENS, zone))


@common
@given(scenarios(), st.integers(1, 30))
def test_a_span_covers_its_start_and_the_next_n_minus_one_working_days(s: Scenario, n: int) -> None:
    start = s.calendar.next_working_day(s.local_day)
    end = s.calendar.span_end(start, n)
    assert end == walk(start, n - 1, s.working)
    assert s.working(end)
