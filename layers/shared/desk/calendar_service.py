"""Use cases of the calendar endpoints: the year's non-working days, overrides, and deadlines on demand."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from desk import clock
from desk.calendar import NATIONAL, ZONES, Override, WorkingCalendar, official, validate_override
from desk.calendar_store import CalendarRepository, current_calendar
from desk.errors import RuleViolation
from desk.fields import Reason
from desk.places import PROVINCES
from desk.reference import lpse_ids
from desk.staff import StaffUser


class OverrideForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: date
    working: bool
    reason: Reason = Field(min_length=3, max_length=300)
    reference: str = Field(default="", max_length=200)
    # The schema shows national and the provinces; an LPSE's id is taken too.
    scope: str = Field(
        default=NATIONAL,
        min_length=1,
        max_length=80,
        json_schema_extra={"enum": [NATIONAL, *sorted(PROVINCES)], "description": "or an LPSE's id"},
    )


def known_scopes() -> set[str]:
    return {NATIONAL, *PROVINCES, *lpse_ids()}


def _override_view(override: Override) -> dict[str, Any]:
    return {**asdict(override), "date": override.date.isoformat()}


def year_view(year: int, calendar: WorkingCalendar | None = None) -> dict[str, Any]:
    calendar = calendar or current_calendar()
    scopes = sorted({o.scope for o in calendar.overrides if o.scope != NATIONAL})
    days: list[dict[str, Any]] = [
        {"date": d.date.isoformat(), "name": d.name, "kind": d.kind, "scope": d.scope}
        for d in calendar.non_working_days(year)
    ]
    for scope in scopes:  # a regional day off is listed with its scope
        national = {d["date"] for d in days}
        days += [
            {"date": d.date.isoformat(), "name": d.name, "kind": d.kind, "scope": scope}
            for d in calendar.non_working_days(year, scopes=(scope,))
            if d.date.isoformat() not in national
        ]
    return {
        "year": year,
        "version": calendar.version,
        "non_working": sorted(days, key=lambda d: (d["date"], d["scope"])),
        "overrides": [_override_view(o) for o in calendar.overrides if o.date.year == year],
        # What the table only estimates: a year with no SKB yet counts no cuti bersama until the
        # administrators enter the decree's days as overrides.
        "estimated": {
            "cuti_bersama": year in official.WITHOUT_SKB_YEARS,
            "islamic_dates": year in official.ISLAMIC_ESTIMATED_YEARS,
        },
    }


def add_override(
    form: OverrideForm, *, user: StaffUser, now: datetime, overrides: CalendarRepository
) -> dict[str, Any]:
    user.require("admin")
    override = Override(
        date=form.date, working=form.working, scope=form.scope, reason=form.reason, reference=form.reference
    )
    validate_override(override, known_scopes=known_scopes())
    stored, version = overrides.add(override, actor=user.username, now=now)
    current_calendar(fresh=True, overrides=overrides)
    return {"override": _override_view(stored), "version": version}


def remove_override(
    day: date, scope: str, *, user: StaffUser, now: datetime, overrides: CalendarRepository
) -> dict[str, Any]:
    user.require("admin")
    removed, version = overrides.remove(day, scope, actor=user.username, now=now)
    current_calendar(fresh=True, overrides=overrides)
    return {"removed": _override_view(removed), "version": version}


Zone = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "WIB", "WITA", "WIT"]


def deadline(start: datetime, working_days: int, tz: str, scope: str | None) -> dict[str, Any]:
    calendar = current_calendar()
    if not calendar.first_year <= start.year <= calendar.last_year:  # year 1 overflows the zone's offset
        years = f"{calendar.first_year}-{calendar.last_year}"
        raise RuleViolation(
            "Tanggal mulai di luar kalender hari kerja.", fields={"from": f"di luar kalender ({years})"}
        )
    scopes = (scope,) if scope and scope != NATIONAL else ()
    due = calendar.scoped(*scopes).add_working_days(start, working_days, ZONES.get(tz, tz))
    return {"due_at": clock.iso(due), "calendar_version": calendar.version}
