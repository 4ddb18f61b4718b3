"""Dates as people read them: the one formatter every mail, page and letter uses, in the zone of the
request (domain-rules.md §1: LPSEs are in WIB, WITA or WIT)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk.dates import human_date, human_datetime, zone_label
from desk.errors import InvalidInput

# The end of a working day in Bali (23:59 WITA) is 22:59 in Jakarta and already the next day in Jayapura.
BALI_END_OF_DAY = datetime(2026, 12, 10, 15, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "language", "expected"),
    [
        ("Asia/Jakarta", "id", "Kamis, 10 Desember 2026 pukul 22.59 WIB"),
        ("Asia/Makassar", "id", "Kamis, 10 Desember 2026 pukul 23.59 WITA"),
        ("Asia/Jayapura", "id", "Jumat, 11 Desember 2026 pukul 00.59 WIT"),
        ("Asia/Jakarta", "en", "Thursday, 10 December 2026 at 22:59 WIB"),
        ("Asia/Makassar", "en", "Thursday, 10 December 2026 at 23:59 WITA"),
        ("Asia/Jayapura", "en", "Friday, 11 December 2026 at 00:59 WIT"),
    ],
)
def test_an_instant_reads_in_the_zone_it_is_shown_in(tz: str, language: str, expected: str) -> None:
    assert human_datetime(BALI_END_OF_DAY, tz, language) == expected


def test_the_short_names_people_use_are_zones_too() -> None:
    # LPSE forms and the calendar API take WIB/WITA/WIT as well as the IANA names.
    assert human_datetime(BALI_END_OF_DAY, "WITA") == "Kamis, 10 Desember 2026 pukul 23.59 WITA"
    assert human_datetime(BALI_END_OF_DAY, "WIT", "en") == "Friday, 11 December 2026 at 00:59 WIT"
    assert [zone_label(tz) for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "WIT")] == [
        "WIB",
        "WITA",
        "WIT",
        "WIT",
    ]


def test_a_zone_outside_indonesia_is_refused_rather_than_mislabelled() -> None:
    with pytest.raises(InvalidInput):
        human_datetime(BALI_END_OF_DAY, "Asia/Singapore")


def test_an_unknown_language_reads_in_indonesian() -> None:
    assert human_datetime(BALI_END_OF_DAY, "Asia/Makassar", "fr") == (
        "Kamis, 10 Desember 2026 pukul 23.59 WITA"
    )


def test_a_day_as_a_letter_writes_it() -> None:
    assert human_date(date(2026, 12, 1)) == "Selasa, 1 Desember 2026"
    assert human_date(date(2026, 12, 1), "en") == "Tuesday, 1 December 2026"
    assert human_date(date(2026, 8, 17), weekday=False) == "17 Agustus 2026"
