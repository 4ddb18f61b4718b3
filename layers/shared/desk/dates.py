"""Dates as people read them, in Bahasa Indonesia or English: the one formatter for mail, pages and
letters. An instant is shown in the zone of the request or task it belongs to (WIB, WITA or WIT), which
every caller passes: a deadline in Bali reads "23.59 WITA", never "22.59 WIB"."""

from __future__ import annotations

from datetime import date, datetime

from desk.calendar import ZONES, zone

# Names spelled out rather than taken from strftime, whose %A and %B follow the process's locale.
_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_ZONE_LABELS = {name: short for short, name in ZONES.items()}


def _language(language: str) -> str:
    return "en" if language == "en" else "id"


def zone_label(tz: str) -> str:
    """WIB, WITA or WIT for an IANA name (or for the short name itself)."""
    label = _ZONE_LABELS.get(tz, tz)
    zone(label)  # an unknown zone is refused, never shown under a wrong label
    return label


def human_date(day: date, language: str = "id", *, weekday: bool = True) -> str:
    """A day as people write it: Kamis, 10 Desember 2026 (Thursday, 10 December 2026); the day's name
    can be left out, as a letter's date leaves it."""
    lang = _language(language)
    text = f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
    return f"{_DAYS[lang][day.weekday()]}, {text}" if weekday else text


def human_datetime(moment: datetime, tz: str, language: str = "id") -> str:
    """An instant as people read it: Kamis, 10 Desember 2026 pukul 23.59 WITA (Thursday, 10 December
    2026 at 23:59 WITA), in ``tz`` (an IANA name or WIB/WITA/WIT): the zone of its request or task."""
    label = zone_label(tz)
    local = moment.astimezone(zone(label))
    day = human_date(local.date(), language)
    if _language(language) == "en":
        return f"{day} at {local:%H:%M} {label}"
    return f"{day} pukul {local:%H.%M} {label}"
