"""Dates as people read them: in the unit's zone, in Bahasa Indonesia or English."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

_DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS_ID = [
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
]
_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def human_datetime(moment: datetime, tz: str = "Asia/Jakarta", language: str = "id") -> str:
    local = moment.astimezone(ZoneInfo(tz))
    zone = _ZONE_NAMES.get(tz, tz)
    if language == "en":
        return f"{local:%A, %-d %B %Y} at {local:%H:%M} {zone}"
    day = _DAYS_ID[local.weekday()]
    month = _MONTHS_ID[local.month - 1]
    return f"{day}, {local.day} {month} {local.year} pukul {local:%H.%M} {zone}"
