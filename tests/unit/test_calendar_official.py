"""The generated official table: the ``holidays`` package still matches the SKB lists of domain-rules §1,
and ``desk/calendar/official.py`` is exactly what tools/generate_calendar.py would write now."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from desk import clock
from desk.calendar import CUTI_BERSAMA, LIBUR_NASIONAL, WorkingCalendar, official

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
JAKARTA = ZoneInfo("Asia/Jakarta")

# domain-rules §1, "Official lists, for tests": (month, day). Typed from the document, not the package.
LIBUR_2025 = [(1, 1), (1, 27), (1, 29), (3, 29), (3, 31), (4, 1), (4, 18), (4, 20), (5, 1), (5, 12), (5, 29),
              (6, 1), (6, 6), (6, 27), (8, 17), (9, 5), (12, 25)]  # fmt: skip
CUTI_2025 = [(1, 28), (3, 28), (4, 2), (4, 3), (4, 4), (4, 7), (5, 13), (5, 30), (6, 9), (8, 18), (12, 26)]
LIBUR_2026 = [(1, 1), (1, 16), (2, 17), (3, 19), (3, 21), (3, 22), (4, 3), (4, 5), (5, 1), (5, 14), (5, 27),
              (5, 31), (6, 1), (6, 16), (8, 17), (8, 25), (12, 25)]  # fmt: skip
CUTI_2026 = [(2, 16), (3, 18), (3, 20), (3, 23), (3, 24), (5, 15), (5, 28), (12, 24)]
OFFICIAL = {
    (2025, LIBUR_NASIONAL): LIBUR_2025,
    (2025, CUTI_BERSAMA): CUTI_2025,
    (2026, LIBUR_NASIONAL): LIBUR_2026,
    (2026, CUTI_BERSAMA): CUTI_2026,
}


def documented(year: int, kind: str) -> set[date]:
    return {date(year, m, d) for m, d in OFFICIAL[(year, kind)]}


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    # tools/ is not a package on the import path: load the script by its file.
    spec = importlib.util.spec_from_file_location(
        "generate_calendar", ROOT / "tools" / "generate_calendar.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_holidays_package_agrees_with_the_official_lists(year: int) -> None:
    holidays = pytest.importorskip("holidays")
    public = holidays.country_holidays("ID", categories=("public",), years=year)
    government = holidays.country_holidays("ID", categories=("government",), years=year)
    assert set(public) == documented(year, LIBUR_NASIONAL)
    assert set(government) == documented(year, CUTI_BERSAMA)
    # The package's default (public only) misses cuti bersama: the categories must be asked for.
    assert not set(holidays.country_holidays("ID", years=year)) & documented(year, CUTI_BERSAMA)


def test_official_py_is_what_the_generator_writes_now(generator: ModuleType) -> None:
    pytest.importorskip("holidays")
    committed = (ROOT / "layers" / "shared" / "desk" / "calendar" / "official.py").read_text(encoding="utf-8")
    expected = generator.generate(official.FIRST_YEAR, official.LAST_YEAR)
    assert committed == expected, "official.py is stale: run python tools/generate_calendar.py"
    assert generator.committed_years() == (official.FIRST_YEAR, official.LAST_YEAR)


def test_the_table_covers_at_least_three_years_past_the_clock() -> None:
    # The desk refuses to count a deadline outside the table: regenerate it (tools/generate_calendar.py
    # writes YEARS_AHEAD years past this year) long before a deadline can reach its end.
    this_year = clock.now().astimezone(JAKARTA).year
    assert official.LAST_YEAR >= this_year + 3, "run python tools/generate_calendar.py"


def test_years_without_an_skb_are_marked_estimated_and_count_no_cuti_bersama() -> None:
    holidays = pytest.importorskip("holidays")
    years = range(official.FIRST_YEAR, official.LAST_YEAR + 1)
    with_skb = {day.year for day in holidays.country_holidays("ID", categories=("government",), years=years)}
    assert official.WITHOUT_SKB_YEARS == frozenset(years) - with_skb
    assert not official.WITHOUT_SKB_YEARS & {2024, 2025, 2026, 2027}  # SKBs signed before this table
    cuti_years = {int(iso[:4]) for iso, kind, _ in official.DAYS if kind == CUTI_BERSAMA}
    assert not cuti_years & official.WITHOUT_SKB_YEARS
    # Such a year still has its projected national holidays (17 August is never estimated).
    for year in official.WITHOUT_SKB_YEARS:
        assert (f"{year}-08-17", LIBUR_NASIONAL) in {(iso, kind) for iso, kind, _ in official.DAYS}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_generated_table_holds_the_official_lists(year: int) -> None:
    rows = [(date.fromisoformat(iso), kind) for iso, kind, _ in official.DAYS if iso.startswith(str(year))]
    for kind in (LIBUR_NASIONAL, CUTI_BERSAMA):
        assert {d for d, k in rows if k == kind} == documented(year, kind)
    assert len(rows) == sum(len(OFFICIAL[(year, kind)]) for kind in (LIBUR_NASIONAL, CUTI_BERSAMA))


def test_the_table_shape() -> None:
    covered = set(range(official.FIRST_YEAR, official.LAST_YEAR + 1))
    assert official.FIRST_YEAR == 2024
    dates = [iso for iso, _, _ in official.DAYS]
    assert dates == sorted(set(dates)), "sorted, one row per date"
    assert {kind for _, kind, _ in official.DAYS} == {LIBUR_NASIONAL, CUTI_BERSAMA}
    assert all(name.strip() for _, _, name in official.DAYS)
    assert {int(iso[:4]) for iso in dates} == covered
    # 2025 and 2026 are fixed by SKB; the package names the years it only estimates.
    assert not official.ISLAMIC_ESTIMATED_YEARS & {2024, 2025, 2026}
    assert official.ISLAMIC_ESTIMATED_YEARS <= covered
    assert official.WITHOUT_SKB_YEARS <= official.ISLAMIC_ESTIMATED_YEARS


def test_from_official_covers_the_table_years() -> None:
    calendar = WorkingCalendar.from_official()
    assert (calendar.first_year, calendar.last_year) == (official.FIRST_YEAR, official.LAST_YEAR)
    assert {d.date for d in calendar.non_working_days(2025)} == documented(2025, LIBUR_NASIONAL) | documented(
        2025, CUTI_BERSAMA
    )


def test_render_is_deterministic_and_quotes_safely(generator: ModuleType) -> None:
    rows = [("2025-01-01", LIBUR_NASIONAL, 'Tahun "Baru" \\ Masehi')]
    text = generator.render(rows, [2027], first_year=2025, last_year=2025, source="test", without_skb=[2028])
    assert text == generator.render(
        list(rows), [2027], first_year=2025, last_year=2025, source="test", without_skb=[2028]
    )
    namespace: dict[str, object] = {}
    exec(compile(text, "official.py", "exec"), namespace)  # the output is valid Python with the same data
    assert namespace["DAYS"] == tuple(rows)
    assert namespace["ISLAMIC_ESTIMATED_YEARS"] == frozenset({2027})
    assert namespace["WITHOUT_SKB_YEARS"] == frozenset({2028})
    years = [2027, 2028, 2029]
    runs = generator.render(rows, years, first_year=2025, last_year=2025, source="t", without_skb=[])
    assert "frozenset(range(2027, 2030))" in runs
    assert "WITHOUT_SKB_YEARS: frozenset[int] = frozenset()" in runs
    assert (namespace["FIRST_YEAR"], namespace["LAST_YEAR"]) == (2025, 2025)


def test_importing_the_calendar_does_not_import_holidays() -> None:
    code = "import sys, desk.calendar; print('holidays' in sys.modules, 'zoneinfo' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "layers" / "shared")},
    )
    assert result.stdout.split() == ["False", "False"]
