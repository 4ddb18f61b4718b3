"""Indonesian working days (hari kerja) and the deadline arithmetic every other part of the desk uses."""

from desk.calendar.rules import (
    CUTI_BERSAMA,
    LIBUR_NASIONAL,
    NATIONAL,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    OVERRIDE,
    ZONES,
    NonWorkingDay,
    Override,
    ScopedCalendar,
    WorkingCalendar,
    validate_override,
    zone,
)

__all__ = [
    "CUTI_BERSAMA",
    "LIBUR_NASIONAL",
    "NATIONAL",
    "OFFICE_CLOSES",
    "OFFICE_OPENS",
    "OVERRIDE",
    "ZONES",
    "NonWorkingDay",
    "Override",
    "ScopedCalendar",
    "WorkingCalendar",
    "validate_override",
    "zone",
]
