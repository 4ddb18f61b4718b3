"""Working-day rules and deadline arithmetic, pinned to the official 2025 and 2026 lists.

The lists below are typed from domain-rules §1 (the SKB 3 Menteri, with the August 2025 amendment), not
taken from the ``holidays`` package, and every expected date in the table was counted by hand on them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from desk.calendar import (
    CUTI_BERSAMA,
    LIBUR_NASIONAL,
    OVERRIDE,
    ZONES,
    NonWorkingDay,
    Override,
    WorkingCalendar,
    validate_override,
)
from desk.errors import InvalidInput, RuleViolation

pytestmark = pytest.mark.unit

# domain-rules §1, "Official lists, for tests": (month, day).
LIBUR_2025 = [(1, 1), (1, 27), (1, 29), (3, 29), (3, 31), (4, 1), (4, 18), (4, 20), (5, 1), (5, 12), (5, 29),
              (6, 1), (6, 6), (6, 27), (8, 17), (9, 5), (12, 25)]  # fmt: skip
CUTI_2025 = [(1, 28), (3, 28), (4, 2), (4, 3), (4, 4), (4, 7), (5, 13), (5, 30), (6, 9), (8, 18), (12, 26)]
LIBUR_2026 = [(1, 1), (1, 16), (2, 17), (3, 19), (3, 21), (3, 22), (4, 3), (4, 5), (5, 1), (5, 14), (5, 27),
              (5, 31), (6, 1), (6, 16), (8, 17), (8, 25), (12, 25)]  # fmt: skip
CUTI_2026 = [(2, 16), (3, 18), (3, 20), (3, 23), (3, 24), (5, 15), (5, 28), (12, 24)]

# Offsets written out here rather than taken from the module under test.
WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
OFFSET = {"Asia/Jakarta": WIB, "Asia/Makassar": WITA, "Asia/Jayapura": WIT}

# A province's own day off: Bali closes for Galungan (Wednesday 23 April 2025).
GALUNGAN = Override(date(2025, 4, 23), False, "Bali", "Hari Raya Galungan", "SE Gubernur Bali")


def official_days() -> list[NonWorkingDay]:
    days = []
    for year, libur, cuti in ((2025, LIBUR_2025, CUTI_2025), (2026, LIBUR_2026, CUTI_2026)):
        days += [
            NonWorkingDay(date(year, m, d), "libur nasional", LIBUR_NASIONAL, "national") for m, d in libur
        ]
        days += [NonWorkingDay(date(year, m, d), "cuti bersama", CUTI_BERSAMA, "national") for m, d in cuti]
    return days


def from_documented_lists(
    overrides: tuple[Override, ...] = (), *, skip_cuti_bersama: bool = True
) -> WorkingCalendar:
    return WorkingCalendar(
        official_days(),
        first_year=2025,
        last_year=2026,
        overrides=overrides,
        skip_cuti_bersama=skip_cuti_bersama,
    )


@pytest.fixture(params=["documented lists", "generated table"])
def calendar(request: pytest.FixtureRequest) -> WorkingCalendar:
    """The same table test runs on the lists typed above and on the generated official table."""
    if request.param == "documented lists":
        return from_documented_lists((GALUNGAN,))
    return WorkingCalendar.from_official(overrides=(GALUNGAN,))


def end_of(day: str, tz: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(23, 59, 59), OFFSET[tz]).astimezone(UTC)


J, M, P = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

# (received, zone, N, scopes, due day in that zone, what the case is about)
CASES = [
    # The two worked examples of domain-rules §1.
    ("2026-03-17T10:00+07:00", J, 10, (), "2026-04-08", "worked example 2026 (Idulfitri cuti bersama)"),
    ("2025-03-26T10:00+07:00", J, 10, (), "2025-04-21", "worked example 2025"),
    # Friday evening, weekend receipts.
    ("2025-01-10T19:00+07:00", J, 1, (), "2025-01-13", "Friday evening"),
    ("2025-01-10T23:59:59+07:00", J, 5, (), "2025-01-17", "Friday, last second"),
    ("2025-01-10T00:00+07:00", J, 5, (), "2025-01-17", "Friday, first second: the hour never matters"),
    ("2025-01-11T09:00+07:00", J, 1, (), "2025-01-13", "Saturday"),
    ("2025-01-12T09:00+07:00", J, 5, (), "2025-01-17", "Sunday"),
    ("2025-01-25T09:00+07:00", J, 3, (), "2025-02-03", "Saturday before Isra Mikraj, Imlek and their cuti"),
    ("2025-01-24T18:00+07:00", J, 1, (), "2025-01-30", "Friday evening before Jan 27-29 2025"),
    ("2025-08-16T09:00+07:00", J, 1, (), "2025-08-19", "Saturday before the 18 August amendment"),
    # Idulfitri 2025: Mar 28 cuti, Mar 31-Apr 1 libur, Apr 2-4 and 7 cuti.
    ("2025-03-27T16:00+07:00", J, 1, (), "2025-04-08", "day before the Idulfitri 2025 run"),
    ("2025-03-27T08:00+07:00", J, 5, (), "2025-04-14", "day before the Idulfitri 2025 run, 5 days"),
    ("2025-03-26T10:00+07:00", J, 1, (), "2025-03-27", "two days before the run, 1 day"),
    ("2025-03-26T10:00+07:00", J, 2, (), "2025-04-08", "two days before the run, 2 days"),
    ("2025-04-02T10:00+07:00", J, 1, (), "2025-04-08", "received on a cuti bersama"),
    ("2025-04-07T10:00+07:00", J, 3, (), "2025-04-10", "received on the last cuti bersama"),
    ("2025-03-03T10:00+07:00", J, 20, (), "2025-04-09", "20 days through Idulfitri 2025"),
    ("2025-04-17T10:00+07:00", J, 1, (), "2025-04-21", "Good Friday 2025"),
    # Idulfitri 2026: Mar 18 cuti, 19 Nyepi, 20 cuti, 21-22 libur (weekend), 23-24 cuti.
    ("2026-03-17T15:00+07:00", J, 1, (), "2026-03-25", "day before the Idulfitri 2026 run"),
    ("2026-03-17T15:00+07:00", J, 5, (), "2026-03-31", "day before the Idulfitri 2026 run, 5 days"),
    ("2026-03-16T10:00+07:00", J, 2, (), "2026-03-25", "two days before the 2026 run"),
    ("2026-03-20T10:00+07:00", J, 1, (), "2026-03-25", "received on a cuti bersama 2026"),
    ("2026-03-09T10:00+07:00", J, 20, (), "2026-04-14", "20 days through Idulfitri and Good Friday 2026"),
    # Across the year end.
    ("2025-12-24T10:00+07:00", J, 1, (), "2025-12-29", "Christmas and its cuti 2025"),
    ("2025-12-24T10:00+07:00", J, 5, (), "2026-01-05", "into 2026 over New Year"),
    ("2025-12-31T20:00+07:00", J, 1, (), "2026-01-02", "New Year's Eve"),
    ("2025-12-31T20:00+07:00", J, 10, (), "2026-01-15", "New Year's Eve, 10 days"),
    ("2025-12-31T20:00+07:00", J, 11, (), "2026-01-19", "New Year's Eve, 11 days over Isra Mikraj"),
    ("2026-12-23T10:00+07:00", J, 1, (), "2026-12-28", "cuti bersama then Christmas 2026"),
    ("2026-12-23T10:00+07:00", J, 4, (), "2026-12-31", "last working day of 2026"),
    # The 18 August 2025 amendment (Monday made cuti bersama).
    ("2025-08-15T10:00+07:00", J, 1, (), "2025-08-19", "Friday before the amendment"),
    ("2025-08-14T10:00+07:00", J, 2, (), "2025-08-19", "Thursday before the amendment"),
    ("2025-08-15T10:00+07:00", J, 5, (), "2025-08-25", "a week over the amendment"),
    # Each zone: the receipt day is the zone's day.
    ("2025-01-13T23:30+07:00", J, 1, (), "2025-01-14", "Monday 23:30 WIB is Monday in WIB"),
    ("2025-01-13T23:30+07:00", M, 1, (), "2025-01-15", "... and Tuesday in WITA"),
    ("2025-01-13T23:30+07:00", P, 1, (), "2025-01-15", "... and Tuesday in WIT"),
    ("2025-01-13T16:30+00:00", J, 1, (), "2025-01-14", "the same instant given in UTC"),
    ("2025-01-13T15:59:59+00:00", M, 1, (), "2025-01-14", "23:59:59 WITA is still Monday"),
    ("2025-01-13T15:59:59+00:00", P, 1, (), "2025-01-15", "... but 00:59:59 Tuesday in WIT"),
    ("2025-01-23T23:30+07:00", J, 1, (), "2025-01-24", "Thursday night in WIB"),
    ("2025-01-23T23:30+07:00", P, 1, (), "2025-01-30", "... is Friday in WIT, before Jan 27-29"),
    ("2026-03-16T16:59:59+00:00", J, 1, (), "2026-03-17", "Monday 23:59:59 WIB"),
    ("2026-03-16T17:00:00+00:00", J, 1, (), "2026-03-25", "Tuesday 00:00 WIB, before the 2026 run"),
    ("2025-06-26T10:00+08:00", M, 1, (), "2025-06-30", "WITA over Islamic New Year 2025"),
    ("2026-08-14T10:00+09:00", P, 1, (), "2026-08-18", "WIT over Independence Day 2026"),
    # A province-only day off (Galungan, Bali, WITA).
    ("2025-04-22T10:00+08:00", M, 1, ("Bali",), "2025-04-24", "Bali skips Galungan"),
    ("2025-04-22T10:00+08:00", M, 1, (), "2025-04-23", "national calendar does not"),
    ("2025-04-22T10:00+08:00", M, 5, ("Bali",), "2025-04-30", "Bali, 5 days"),
    ("2025-04-22T10:00+08:00", M, 5, (), "2025-04-29", "national, 5 days"),
    ("2025-04-22T10:00+07:00", J, 1, ("Jawa Barat",), "2025-04-23", "another province is unaffected"),
    ("2025-04-22T10:00+08:00", M, 1, ("Bali", "lpse-denpasar"), "2025-04-24", "an LPSE in Bali too"),
    # Ordinary weeks and the other holidays of both years.
    ("2025-02-03T08:00+07:00", J, 5, (), "2025-02-10", "plain week"),
    ("2025-02-03T08:00+07:00", J, 10, (), "2025-02-17", "plain two weeks"),
    ("2025-04-30T10:00+07:00", J, 1, (), "2025-05-02", "Labour Day 2025"),
    ("2025-05-09T10:00+07:00", J, 1, (), "2025-05-14", "Waisak and its cuti 2025"),
    ("2025-05-28T10:00+07:00", J, 1, (), "2025-06-02", "Ascension, cuti, Pancasila on a Sunday"),
    ("2025-06-05T10:00+07:00", J, 3, (), "2025-06-12", "Idul Adha and its cuti 2025"),
    ("2025-09-04T10:00+07:00", J, 1, (), "2025-09-08", "Maulid 2025"),
    ("2026-01-15T10:00+07:00", J, 1, (), "2026-01-19", "Isra Mikraj 2026"),
    ("2026-02-09T10:00+07:00", J, 5, (), "2026-02-18", "Imlek and its cuti 2026"),
    ("2026-02-13T17:00+07:00", J, 1, (), "2026-02-18", "Friday evening before Imlek 2026"),
    ("2026-04-02T10:00+07:00", J, 1, (), "2026-04-06", "Good Friday 2026"),
    ("2026-05-13T10:00+07:00", J, 1, (), "2026-05-18", "Ascension and its cuti 2026"),
    ("2026-05-26T10:00+07:00", J, 1, (), "2026-05-29", "Idul Adha and its cuti 2026"),
    ("2026-05-26T10:00+07:00", J, 2, (), "2026-06-02", "... then Pancasila day 2026"),
    ("2026-06-15T10:00+07:00", J, 1, (), "2026-06-17", "Islamic New Year 2026"),
    ("2026-08-14T10:00+07:00", J, 6, (), "2026-08-26", "Independence Day and Maulid 2026"),
]


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize(
    ("received", "tz", "n", "scopes", "due_day", "why"), CASES, ids=[c[-1] for c in CASES]
)
def test_due_instant(
    calendar: WorkingCalendar, received: str, tz: str, n: int, scopes: tuple[str, ...], due_day: str, why: str
) -> None:
    due = calendar.scoped(*scopes).add_working_days(datetime.fromisoformat(received), n, tz)
    assert due == end_of(due_day, tz), why
    assert due.tzinfo is UTC


def test_public_holidays_only_gives_the_earlier_date_of_the_worked_example() -> None:
    calendar = from_documented_lists(skip_cuti_bersama=False).scoped()
    due = calendar.add_working_days(datetime(2026, 3, 17, 10, tzinfo=WIB), 10, J)
    assert due == end_of("2026-04-01", J)


def test_zone_abbreviations_are_accepted() -> None:
    calendar = from_documented_lists().scoped()
    received = datetime(2025, 1, 13, 23, 30, tzinfo=WIB)
    for short, name in ZONES.items():
        assert calendar.add_working_days(received, 1, short) == calendar.add_working_days(received, 1, name)


def test_fixed_offsets_match_the_tz_database_over_the_table_years() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    calendar = WorkingCalendar.from_official().scoped()
    for name, offset in OFFSET.items():
        try:
            real = zoneinfo.ZoneInfo(name)
        except zoneinfo.ZoneInfoNotFoundError:
            pytest.skip("no tz database here")
        for year in range(2024, 2031):
            for month in (1, 6, 12):
                local = datetime(year, month, 15, 23, 30, tzinfo=real)
                assert local.utcoffset() == offset.utcoffset(None)
                assert calendar.add_working_days(local, 1, name) == calendar.add_working_days(
                    local.replace(tzinfo=offset), 1, name
                )


def test_zero_days_is_the_end_of_the_receipt_day_even_a_saturday() -> None:
    calendar = from_documented_lists().scoped()
    assert calendar.add_working_days(datetime(2025, 1, 11, 9, tzinfo=WIB), 0, J) == end_of("2025-01-11", J)
    assert calendar.add_working_days(datetime(2025, 1, 13, 9, tzinfo=WIB), 0, J) == end_of("2025-01-13", J)


@pytest.mark.parametrize("n", [-1, True, 1.0, "3"])
def test_bad_day_counts_are_refused(n: object) -> None:
    calendar = from_documented_lists().scoped()
    with pytest.raises(InvalidInput) as caught:
        calendar.add_working_days(datetime(2025, 1, 13, 9, tzinfo=WIB), n, J)  # type: ignore[arg-type]
    assert "n" in caught.value.fields


def test_naive_datetimes_are_refused() -> None:
    calendar = from_documented_lists().scoped()
    naive = datetime(2025, 1, 13, 9)
    with pytest.raises(InvalidInput) as caught:
        calendar.add_working_days(naive, 1, J)
    assert "received" in caught.value.fields
    with pytest.raises(InvalidInput):
        calendar.working_time_between(naive, datetime(2025, 1, 14, tzinfo=UTC), J)
    with pytest.raises(InvalidInput):
        calendar.next_office_moment(naive, J)
    with pytest.raises(InvalidInput):
        calendar.add_working_time(naive, timedelta(hours=1), J)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Singapore", "wib", "", "Asia/Jakarta "])
def test_unknown_zones_are_refused_naming_tz(tz: str) -> None:
    calendar = from_documented_lists().scoped()
    with pytest.raises(InvalidInput) as caught:
        calendar.add_working_days(datetime(2025, 1, 13, 9, tzinfo=WIB), 1, tz)
    assert "tz" in caught.value.fields


def test_counting_beyond_the_table_is_refused_not_guessed() -> None:
    calendar = from_documented_lists().scoped()
    with pytest.raises(RuleViolation):
        calendar.add_working_days(datetime(2026, 12, 23, 10, tzinfo=WIB), 5, J)  # 1 Jan 2027 unknown
    with pytest.raises(RuleViolation):
        calendar.add_working_days(datetime(2024, 12, 31, 10, tzinfo=WIB), 1, J)  # receipt day unknown
    with pytest.raises(RuleViolation):
        calendar.is_working_day(date(2027, 1, 4))


# -- days ------------------------------------------------------------------------------------------------


def test_is_working_day() -> None:
    calendar = from_documented_lists().scoped()
    assert calendar.is_working_day(date(2025, 8, 20))
    assert not calendar.is_working_day(date(2025, 8, 18))  # the amendment
    assert not calendar.is_working_day(date(2025, 8, 23))  # Saturday
    assert not calendar.is_working_day(date(2025, 12, 25))
    with_cuti = from_documented_lists(skip_cuti_bersama=False).scoped()
    assert with_cuti.is_working_day(date(2025, 8, 18))
    assert not with_cuti.is_working_day(date(2025, 8, 17))


def test_a_datetime_is_not_a_date() -> None:
    calendar = from_documented_lists().scoped()
    with pytest.raises(InvalidInput):
        calendar.is_working_day(datetime(2025, 8, 20, 10, tzinfo=WIB))


def test_next_working_day_is_strictly_after() -> None:
    calendar = from_documented_lists().scoped()
    assert calendar.next_working_day(date(2025, 1, 10)) == date(2025, 1, 13)
    assert calendar.next_working_day(date(2025, 1, 11)) == date(2025, 1, 13)
    assert calendar.next_working_day(date(2025, 1, 13)) == date(2025, 1, 14)
    assert calendar.next_working_day(date(2025, 3, 27)) == date(2025, 4, 8)


def test_working_days_between_counts_strictly_between() -> None:
    calendar = from_documented_lists().scoped()
    assert calendar.working_days_between(date(2025, 3, 27), date(2025, 4, 8)) == 0
    assert calendar.working_days_between(date(2025, 3, 26), date(2025, 4, 9)) == 2
    assert calendar.working_days_between(date(2025, 1, 13), date(2025, 1, 17)) == 3
    assert calendar.working_days_between(date(2025, 1, 13), date(2025, 1, 14)) == 0
    assert calendar.working_days_between(date(2025, 1, 17), date(2025, 1, 13)) == 0


def test_a_training_of_two_working_days_covers_the_start_and_the_next_working_day() -> None:
    calendar = from_documented_lists().scoped()
    assert calendar.span_end(date(2025, 1, 13), 2) == date(2025, 1, 14)
    assert calendar.span_end(date(2025, 1, 10), 2) == date(2025, 1, 13)
    assert calendar.span_end(date(2025, 3, 27), 2) == date(2025, 4, 8)
    assert calendar.span_end(date(2025, 3, 27), 1) == date(2025, 3, 27)
    assert calendar.span_end(date(2025, 2, 3), 5) == date(2025, 2, 7)


def test_a_span_cannot_start_on_a_non_working_day() -> None:
    calendar = from_documented_lists().scoped()
    with pytest.raises(RuleViolation):
        calendar.span_end(date(2025, 8, 18), 2)
    with pytest.raises(RuleViolation):
        calendar.span_end(date(2025, 1, 11), 2)
    with pytest.raises(InvalidInput):
        calendar.span_end(date(2025, 1, 13), 0)


# -- working time ----------------------------------------------------------------------------------------


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def test_working_time_counts_whole_24_hour_working_days() -> None:
    calendar = from_documented_lists().scoped()
    between = calendar.working_time_between
    assert between(wib(2025, 1, 10, 12), wib(2025, 1, 13, 12), J) == timedelta(hours=24)
    assert between(wib(2025, 1, 11, 0), wib(2025, 1, 13, 0), J) == timedelta(0)
    assert between(wib(2025, 3, 27, 0), wib(2025, 4, 8, 0), J) == timedelta(days=1)
    assert between(wib(2025, 1, 13, 8), wib(2025, 1, 13, 9, 30), J) == timedelta(minutes=90)
    assert between(wib(2025, 1, 13, 12), wib(2025, 1, 10, 12), J) == -timedelta(hours=24)
    assert between(wib(2025, 1, 13, 12), wib(2025, 1, 13, 12), J) == timedelta(0)


def test_working_time_uses_the_zone_day() -> None:
    calendar = from_documented_lists().scoped()
    # Friday 23:00 to Saturday 01:00 WIB: one working hour in WIB; in WIT it is Saturday 01:00-03:00.
    a, b = wib(2025, 1, 10, 23), wib(2025, 1, 11, 1)
    assert calendar.working_time_between(a, b, J) == timedelta(hours=1)
    assert calendar.working_time_between(a, b, P) == timedelta(0)


def test_working_days_left_and_the_counting_start() -> None:
    calendar = from_documented_lists().scoped()
    received = wib(2026, 3, 17, 10)
    due = calendar.add_working_days(received, 10, J)
    start = calendar.counting_start(received, J)
    assert start == wib(2026, 3, 25)
    assert calendar.working_days_left(start, due, J) == pytest.approx(10 - 1 / 86400)
    assert calendar.working_days_left(due, due, J) == 0
    # One working day after the due day ends (Thursday 9 April, then Friday 10 April 00:00).
    assert calendar.working_days_left(wib(2026, 4, 10), due, J) == pytest.approx(-1 - 1 / 86400)


def test_add_working_time_moves_a_due_instant_over_non_working_days() -> None:
    calendar = from_documented_lists().scoped()
    due = wib(2025, 3, 27, 23, 59, 59)
    assert calendar.add_working_time(due, timedelta(days=1), J) == wib(2025, 4, 8, 23, 59, 59)
    assert calendar.add_working_time(wib(2025, 1, 10, 20), timedelta(hours=6), J) == wib(2025, 1, 13, 2)
    assert calendar.add_working_time(wib(2025, 1, 11, 10), timedelta(hours=1), J) == wib(2025, 1, 13, 1)
    # Exactly used up at the end of Friday: the earliest instant, Friday 24:00.
    assert calendar.add_working_time(wib(2025, 1, 10, 12), timedelta(hours=12), J) == wib(2025, 1, 11, 0)
    moved = calendar.add_working_time(wib(2025, 1, 11, 10), timedelta(0), J)
    assert moved == wib(2025, 1, 11, 10)
    assert moved.tzinfo is UTC
    with pytest.raises(InvalidInput):
        calendar.add_working_time(due, timedelta(seconds=-1), J)


# -- office hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "tz", "expected"),
    [
        ("2025-01-13T08:00+07:00", J, "2025-01-13T08:00+07:00"),
        ("2025-01-13T07:30+07:00", J, "2025-01-13T07:30+07:00"),
        ("2025-01-13T07:29:59+07:00", J, "2025-01-13T07:30+07:00"),
        ("2025-01-13T15:59:59+07:00", J, "2025-01-13T15:59:59+07:00"),
        ("2025-01-13T16:00+07:00", J, "2025-01-14T07:30+07:00"),
        ("2025-01-10T16:30+07:00", J, "2025-01-13T07:30+07:00"),
        ("2025-01-11T10:00+07:00", J, "2025-01-13T07:30+07:00"),
        ("2025-03-27T17:00+07:00", J, "2025-04-08T07:30+07:00"),
        ("2025-08-18T09:00+07:00", J, "2025-08-19T07:30+07:00"),
        ("2025-01-13T23:45+00:00", M, "2025-01-13T23:45+00:00"),  # Tuesday 07:45 WITA
        ("2025-01-13T23:45+00:00", J, "2025-01-14T07:30+07:00"),  # Tuesday 06:45 WIB
        ("2025-01-13T23:45+00:00", P, "2025-01-13T23:45+00:00"),  # Tuesday 08:45 WIT
    ],
)
def test_next_office_moment(t: str, tz: str, expected: str) -> None:
    calendar = from_documented_lists().scoped()
    moment = calendar.next_office_moment(datetime.fromisoformat(t), tz)
    assert moment == datetime.fromisoformat(expected)
    assert moment.tzinfo is UTC


# -- overrides -------------------------------------------------------------------------------------------


def national(day: date, working: bool) -> Override:
    return Override(day, working, "national", "test", "SKB test")


def test_an_override_makes_a_date_non_working() -> None:
    calendar = from_documented_lists((national(date(2025, 5, 2), False),)).scoped()
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.add_working_days(wib(2025, 4, 30, 10), 1, J) == end_of("2025-05-05", J)


def test_an_override_makes_a_cuti_bersama_working() -> None:
    calendar = from_documented_lists((national(date(2025, 12, 26), True),)).scoped()
    assert calendar.is_working_day(date(2025, 12, 26))
    assert calendar.add_working_days(wib(2025, 12, 24, 10), 1, J) == end_of("2025-12-26", J)


def test_an_override_cannot_make_a_weekend_working_even_if_stored() -> None:
    calendar = from_documented_lists((national(date(2025, 1, 11), True),)).scoped()
    assert not calendar.is_working_day(date(2025, 1, 11))


def test_a_province_override_applies_to_that_province_and_its_lpse_only() -> None:
    cal = from_documented_lists((GALUNGAN,))
    assert not cal.scoped("Bali").is_working_day(date(2025, 4, 23))
    assert not cal.scoped("Bali", "lpse-denpasar").is_working_day(date(2025, 4, 23))
    assert cal.scoped().is_working_day(date(2025, 4, 23))
    assert cal.scoped("Jawa Timur").is_working_day(date(2025, 4, 23))
    assert cal.scoped("national").is_working_day(date(2025, 4, 23))


def test_a_scope_override_wins_over_a_national_one_and_the_narrowest_scope_wins() -> None:
    day = date(2025, 5, 2)
    cal = from_documented_lists(
        (
            national(day, False),
            Override(day, True, "Bali", "open in Bali", "Pergub"),
            Override(day, False, "lpse-denpasar", "LPSE closed", "SK Kepala LPSE"),
        )
    )
    assert not cal.scoped().is_working_day(day)
    assert cal.scoped("Bali").is_working_day(day)
    assert not cal.scoped("Bali", "lpse-denpasar").is_working_day(day)
    assert not cal.scoped("Jawa Barat").is_working_day(day)


def test_national_overrides_always_apply() -> None:
    cal = from_documented_lists((national(date(2025, 5, 2), False), GALUNGAN))
    assert not cal.scoped("Bali").is_working_day(date(2025, 5, 2))
    assert not cal.scoped("lpse-denpasar").is_working_day(date(2025, 5, 2))


def test_the_version_is_carried() -> None:
    cal = WorkingCalendar.from_official(overrides=(GALUNGAN,), version=7)
    assert cal.version == 7
    assert cal.scoped("Bali").version == 7
    assert cal.overrides == (GALUNGAN,)
    assert WorkingCalendar.from_official().version == 0


def test_overrides_are_kept_in_date_order() -> None:
    later, earlier = national(date(2025, 5, 2), False), national(date(2025, 2, 3), False)
    assert from_documented_lists((later, earlier)).overrides == (earlier, later)


def test_non_working_days_lists_the_year_with_overrides() -> None:
    cal = from_documented_lists(
        (GALUNGAN, national(date(2025, 12, 26), True), national(date(2025, 5, 2), False))
    )
    days = cal.non_working_days(2025)
    dates = [d.date for d in days]
    assert dates == sorted(dates)
    expected = {date(2025, m, d) for m, d in LIBUR_2025 + CUTI_2025} - {date(2025, 12, 26)} | {
        date(2025, 5, 2)
    }
    assert set(dates) == expected
    assert len(dates) == len(expected)
    by_date = {d.date: d for d in days}
    assert by_date[date(2025, 8, 18)].kind == CUTI_BERSAMA
    assert by_date[date(2025, 8, 17)].kind == LIBUR_NASIONAL
    assert by_date[date(2025, 5, 2)] == NonWorkingDay(date(2025, 5, 2), "test", OVERRIDE, "national")
    bali = {d.date: d for d in cal.non_working_days(2025, scopes=("Bali",))}
    assert bali[date(2025, 4, 23)] == NonWorkingDay(date(2025, 4, 23), "Hari Raya Galungan", OVERRIDE, "Bali")
    assert set(bali) == expected | {date(2025, 4, 23)}


def test_non_working_days_without_skipping_cuti_bersama() -> None:
    cal = from_documented_lists(skip_cuti_bersama=False)
    assert {d.date for d in cal.non_working_days(2026)} == {date(2026, m, d) for m, d in LIBUR_2026}


def test_non_working_days_outside_the_table_is_refused() -> None:
    with pytest.raises(RuleViolation):
        from_documented_lists().non_working_days(2027)


KNOWN = {"Bali", "Jawa Barat", "lpse-denpasar"}


def test_validate_override_accepts_a_good_one() -> None:
    validate_override(GALUNGAN, known_scopes=KNOWN)
    validate_override(national(date(2025, 5, 2), False), known_scopes=KNOWN)
    validate_override(national(date(2025, 12, 26), True), known_scopes=KNOWN)
    validate_override(national(date(2025, 1, 11), False), known_scopes=KNOWN)  # Saturday, non-working


@pytest.mark.parametrize("day", [date(2025, 1, 11), date(2025, 1, 12)])
def test_validate_override_refuses_a_weekend_made_working(day: date) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_override(national(day, True), known_scopes=KNOWN)
    assert "Perpres 21/2023" in caught.value.message


def test_validate_override_refuses_an_unknown_scope() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_override(Override(date(2025, 5, 2), False, "Atlantis", "r", "ref"), known_scopes=KNOWN)
    assert set(caught.value.fields) == {"scope"}


@pytest.mark.parametrize("reason", ["", "   "])
def test_validate_override_refuses_an_empty_reason(reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_override(Override(date(2025, 5, 2), False, "Bali", reason, "ref"), known_scopes=KNOWN)
    assert set(caught.value.fields) == {"reason"}


def test_validate_override_refuses_a_datetime() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_override(
            Override(datetime(2025, 5, 2, 10), False, "Bali", "r", "ref"),
            known_scopes=KNOWN,
        )
    assert set(caught.value.fields) == {"date"}


def test_override_is_a_frozen_value() -> None:
    import dataclasses

    assert dataclasses.is_dataclass(GALUNGAN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        GALUNGAN.working = True  # type: ignore[misc]
    assert dataclasses.replace(GALUNGAN, reason="x").reason == "x"
