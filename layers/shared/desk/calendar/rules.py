"""Working days (hari kerja) and the deadline arithmetic built on them.

Pure: no AWS, no environment, no clock. Every instant comes in as an aware ``datetime`` and goes out as
an aware UTC ``datetime``; calendar days are taken in the unit's own zone (WIB, WITA or WIT).

The rules (docs: domain-rules §1):

* Monday to Friday are working days (Perpres 21/2023) except national holidays (libur nasional) and,
  by a configurable decision on by default, collective leave (cuti bersama).
* Overrides make a date working or non-working, nationally or for one province or LPSE. For a scoped
  calendar, the most specific override of a date wins (the scopes given last are the most specific),
  then a national override, then the official table. Saturdays and Sundays are never working, whatever
  an override says.
* Counting "within N working days of receipt": the receipt day is day 0 and never counted, whatever the
  hour; the deadline is the end (23:59:59 local) of the N-th working day after it.
* Working time is counted in whole days of 24 hours, 00:00 to 24:00 local, on working days only.

Speed: a scoped calendar precomputes, once, the sorted ordinals of its working days over the years the
table covers, so every question is a bisection rather than a walk day by day. Outside those years the
calendar does not guess: it raises ``RuleViolation``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from desk.calendar import official
from desk.errors import InvalidInput, RuleViolation

LIBUR_NASIONAL = "libur_nasional"
CUTI_BERSAMA = "cuti_bersama"
OVERRIDE = "override"
NATIONAL = "national"

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

# Indonesia has had no daylight saving since 1964 and these offsets since 1988, so fixed offsets are
# exact for every year the table covers; they also spare a tz database lookup on every cold start.
_OFFSETS = {
    "Asia/Jakarta": timezone(timedelta(hours=7), "WIB"),
    "Asia/Makassar": timezone(timedelta(hours=8), "WITA"),
    "Asia/Jayapura": timezone(timedelta(hours=9), "WIT"),
}
_ZONE_BY_NAME = {**_OFFSETS, **{short: _OFFSETS[name] for short, name in ZONES.items()}}

OFFICE_OPENS = time(7, 30)
OFFICE_CLOSES = time(16, 0)
_END_OF_DAY = time(23, 59, 59)
_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's correction of the official table for one date and one scope."""

    date: date
    working: bool
    scope: str  # "national", a province name or an LPSE id
    reason: str
    reference: str  # the decree (SKB, Keppres, Pergub...) behind it
    created_by: str = ""
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class NonWorkingDay:
    date: date
    name: str
    kind: str  # LIBUR_NASIONAL, CUTI_BERSAMA or OVERRIDE
    scope: str


def validate_override(override: Override, *, known_scopes: Collection[str]) -> None:
    """Refuse an override the rules do not allow. Duplicates are the storage layer's to refuse."""
    problems: dict[str, str] = {}
    if not isinstance(override.date, date) or isinstance(override.date, datetime):
        problems["date"] = "harus tanggal kalender (TTTT-BB-HH)"
    if override.scope != NATIONAL and override.scope not in known_scopes:
        problems["scope"] = (
            f"cakupan {override.scope!r} tidak dikenal: gunakan 'national', provinsi, atau id LPSE"
        )
    if not override.reason.strip():
        problems["reason"] = "alasan wajib diisi"
    if problems:
        raise InvalidInput("Pengecualian kalender belum benar.", fields=problems)
    if override.working and override.date.weekday() >= _SATURDAY:
        raise RuleViolation(
            "Sabtu dan Minggu tidak dapat dijadikan hari kerja: pemerintah bekerja Senin sampai Jumat "
            "(Perpres 21/2023).",
            fields={"date": "hari Sabtu atau Minggu tidak dapat dijadikan hari kerja"},
        )


def zone(tz: str) -> timezone:
    """The fixed-offset zone for an Indonesian zone name (IANA name or WIB/WITA/WIT)."""
    found = _ZONE_BY_NAME.get(tz) if isinstance(tz, str) else None
    if found is None:
        raise InvalidInput(
            f"Zona waktu {tz!r} tidak dikenal.",
            fields={"tz": f"salah satu dari {', '.join(sorted(_OFFSETS))} (atau {', '.join(ZONES)})"},
        )
    return found


def _instant(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput(f"{name} harus waktu dengan zona.", fields={name: "zona waktu wajib ada"})
    return value


def _day(value: date, name: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(f"{name} harus tanggal.", fields={name: "harus tanggal kalender"})
    return value


def _count(value: int, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(
            f"{name} harus bilangan bulat ≥ {minimum}.", fields={name: f"bilangan bulat ≥ {minimum}"}
        )
    return value


def _midnight(ordinal: int, tz: timezone) -> datetime:
    return datetime.combine(date.fromordinal(ordinal), time(), tz)


class ScopedCalendar:
    """The working days of one place: national days plus the overrides of the given scopes."""

    __slots__ = ("_calendar", "_first", "_flags", "_last", "_scopes", "_working")

    def __init__(self, calendar: WorkingCalendar, scopes: tuple[str, ...]) -> None:
        self._calendar = calendar
        self._scopes = scopes
        self._first = date(calendar.first_year, 1, 1).toordinal()
        self._last = date(calendar.last_year, 12, 31).toordinal()
        # Built on first use, then kept for the life of the container.
        self._working: list[int] | None = None
        self._flags: bytes = b""

    @property
    def version(self) -> int:
        return self._calendar.version

    @property
    def scopes(self) -> tuple[str, ...]:
        return self._scopes

    # -- days ------------------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        ordinal = self._ordinal(_day(d, "date"))
        self._table()
        return self._flags[ordinal - self._first] == 1

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return date.fromordinal(self._nth_after(self._ordinal(_day(d, "date")), 1))

    def working_days_between(self, d1: date, d2: date) -> int:
        """How many working days lie strictly between ``d1`` and ``d2`` (0 when ``d2`` ≤ ``d1``)."""
        first = self._ordinal(_day(d1, "d1"))
        last = self._ordinal(_day(d2, "d2"))
        if last <= first:
            return 0
        working = self._table()
        return bisect_left(working, last) - bisect_right(working, first)

    def span_end(self, start: date, n: int) -> date:
        """The last day of something that lasts ``n`` working days from working day ``start``."""
        _count(n, "n", 1)
        ordinal = self._ordinal(_day(start, "start"))
        if not self.is_working_day(start):
            raise RuleViolation(
                f"{start.isoformat()} is not a working day", fields={"start": "must be a working day"}
            )
        return date.fromordinal(self._nth_after(ordinal, n - 1)) if n > 1 else start

    # -- deadlines -------------------------------------------------------------------------------------

    def add_working_days(self, received: datetime, n: int, tz: str) -> datetime:
        """The due instant for "within ``n`` working days of receipt", in UTC.

        The receipt day (in ``tz``) is day 0 whatever the hour; the due instant is 23:59:59 local at the
        end of the ``n``-th working day after it. ``n = 0`` means "the same day": the end of the receipt
        day itself, working or not, which keeps adding N then M equal to adding N + M.
        """
        local_zone = zone(tz)
        _count(n, "n", 0)
        ordinal = self._ordinal(_instant(received, "received").astimezone(local_zone).toordinal())
        due = self._nth_after(ordinal, n) if n else ordinal
        return datetime.combine(date.fromordinal(due), _END_OF_DAY, local_zone).astimezone(UTC)

    def counting_start(self, received: datetime, tz: str) -> datetime:
        """Where counting starts for a receipt: 00:00 local of the first working day after its day.

        The working time from here to a due instant is the budget that "70% used" refers to.
        """
        local_zone = zone(tz)
        ordinal = self._ordinal(_instant(received, "received").astimezone(local_zone).toordinal())
        return _midnight(self._nth_after(ordinal, 1), local_zone).astimezone(UTC)

    # -- working time ----------------------------------------------------------------------------------

    def working_time_between(self, a: datetime, b: datetime, tz: str) -> timedelta:
        """Working time from ``a`` to ``b``: the hours of working days (00:00-24:00 local) between them.

        Signed: negative when ``b`` is before ``a`` (an overdue deadline gives a negative time left), so
        ``between(a, b) == -between(b, a)``.
        """
        local_zone = zone(tz)
        return self._elapsed(_instant(b, "b"), local_zone) - self._elapsed(_instant(a, "a"), local_zone)

    def working_days_left(self, now: datetime, due: datetime, tz: str) -> float:
        """Working time from ``now`` to ``due`` in days of 24 hours; negative once overdue."""
        return self.working_time_between(now, due, tz) / _DAY

    def add_working_time(self, t: datetime, delta: timedelta, tz: str) -> datetime:
        """The earliest instant at which ``delta`` of working time has passed since ``t`` (UTC).

        Used to move a due instant after a pause. Non-working days are skipped; ``delta`` must not be
        negative. When the time runs out exactly at the end of a working day, the answer is that
        midnight (not the start of the next working day: the earliest instant wins).
        """
        local_zone = zone(tz)
        _instant(t, "t")
        if not isinstance(delta, timedelta) or delta < timedelta(0):
            raise InvalidInput("delta must be a duration ≥ 0", fields={"delta": "a duration ≥ 0"})
        if not delta:
            self._elapsed(t, local_zone)  # still refuse an instant outside the calendar
            return t.astimezone(UTC)
        working = self._table()
        days, rest = divmod(self._elapsed(t, local_zone) + delta, _DAY)
        if days + (1 if rest else 0) > len(working):
            raise self._beyond(self._last + 1)
        if not rest:
            # Exactly whole days: the end of the days-th working day is the midnight after it.
            return _midnight(working[days - 1] + 1, local_zone).astimezone(UTC)
        return (_midnight(working[days], local_zone) + rest).astimezone(UTC)

    def next_office_moment(self, t: datetime, tz: str) -> datetime:
        """``t`` if it falls in office hours (07:30-16:00 local on a working day), else the next opening."""
        local_zone = zone(tz)
        local = _instant(t, "t").astimezone(local_zone)
        ordinal = self._ordinal(local.toordinal())
        self._table()
        if self._flags[ordinal - self._first]:
            moment = local.time()
            if OFFICE_OPENS <= moment < OFFICE_CLOSES:
                return t.astimezone(UTC)
            if moment < OFFICE_OPENS:
                return datetime.combine(local.date(), OFFICE_OPENS, local_zone).astimezone(UTC)
        opening = date.fromordinal(self._nth_after(ordinal, 1))
        return datetime.combine(opening, OFFICE_OPENS, local_zone).astimezone(UTC)

    # -- internals -------------------------------------------------------------------------------------

    def _table(self) -> list[int]:
        working = self._working
        if working is None:
            working, self._flags = self._calendar._working_days(self._scopes)
            self._working = working
        return working

    def _ordinal(self, value: date | int) -> int:
        ordinal = value if isinstance(value, int) else value.toordinal()
        if not self._first <= ordinal <= self._last:
            raise self._beyond(ordinal)
        return ordinal

    def _nth_after(self, ordinal: int, n: int) -> int:
        """The ordinal of the n-th working day strictly after ``ordinal`` (n ≥ 1)."""
        working = self._table()
        index = bisect_right(working, ordinal) + n - 1
        if index >= len(working):
            raise self._beyond(self._last + 1)
        return working[index]

    def _elapsed(self, t: datetime, local_zone: timezone) -> timedelta:
        """Working time from the start of the calendar to ``t``."""
        local = t.astimezone(local_zone)
        ordinal = self._ordinal(local.toordinal())
        working = self._table()
        elapsed = timedelta(days=bisect_left(working, ordinal))
        if self._flags[ordinal - self._first]:
            elapsed += timedelta(
                hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
            )
        return elapsed

    def _beyond(self, ordinal: int) -> RuleViolation:
        # Counting past the table would silently treat unknown holidays as working days.
        calendar = self._calendar
        return RuleViolation(
            f"the working-day calendar covers {calendar.first_year}-{calendar.last_year}, "
            f"not {date.fromordinal(ordinal).isoformat()}",
            fields={"date": f"outside the calendar ({calendar.first_year}-{calendar.last_year})"},
        )


class WorkingCalendar:
    """The official table plus the administrators' overrides, at one version."""

    __slots__ = (
        "_base",
        "_by_scope",
        "_scoped",
        "first_year",
        "last_year",
        "overrides",
        "skip_cuti_bersama",
        "version",
    )

    def __init__(
        self,
        base: Iterable[NonWorkingDay],
        *,
        first_year: int,
        last_year: int,
        overrides: Iterable[Override] = (),
        version: int = 0,
        skip_cuti_bersama: bool = True,
    ) -> None:
        if first_year > last_year:
            raise InvalidInput("first_year after last_year", fields={"first_year": "must be ≤ last_year"})
        self.first_year = first_year
        self.last_year = last_year
        self.version = _count(version, "version", 0)
        self.skip_cuti_bersama = skip_cuti_bersama
        self._base = {day.date: day for day in base}
        # Sorted for stable output; with two overrides of one date and scope (storage should refuse
        # that), the later in the given order wins, as the sort is stable.
        self.overrides: tuple[Override, ...] = tuple(sorted(overrides, key=lambda o: (o.date, o.scope)))
        self._by_scope: dict[str, dict[date, Override]] = {}
        for override in self.overrides:
            self._by_scope.setdefault(override.scope, {})[override.date] = override
        self._scoped: dict[tuple[str, ...], ScopedCalendar] = {}

    @classmethod
    def from_official(
        cls, overrides: Iterable[Override] = (), version: int = 0, skip_cuti_bersama: bool = True
    ) -> WorkingCalendar:
        """The generated official table (national holidays and cuti bersama) plus overrides."""
        return cls(
            _official_days(),
            first_year=official.FIRST_YEAR,
            last_year=official.LAST_YEAR,
            overrides=overrides,
            version=version,
            skip_cuti_bersama=skip_cuti_bersama,
        )

    def scoped(self, *scopes: str) -> ScopedCalendar:
        """The calendar of a place: ``scoped()`` is national, ``scoped("Bali", "lpse-denpasar")`` adds
        the overrides of Bali, then those of that LPSE (the later scope wins on a shared date)."""
        key = tuple(scope for scope in scopes if scope != NATIONAL)
        found = self._scoped.get(key)
        if found is None:
            found = self._scoped[key] = ScopedCalendar(self, key)
        return found

    def non_working_days(self, year: int, scopes: Iterable[str] = ()) -> list[NonWorkingDay]:
        """The year's non-working days besides weekends, in date order, for the given scopes.

        Official days (weekend ones included, as published) unless an applicable override makes them
        working; overrides that make a day non-working appear with kind ``override`` and their reason
        as name. Cuti bersama appear only when the calendar skips them.
        """
        if not self.first_year <= year <= self.last_year:
            raise RuleViolation(
                f"the working-day calendar covers {self.first_year}-{self.last_year}, not {year}",
                fields={"year": f"between {self.first_year} and {self.last_year}"},
            )
        chain = self._chain(tuple(scope for scope in scopes if scope != NATIONAL))
        dates = {d for d in self._base if d.year == year}
        for overrides in chain:
            dates.update(d for d in overrides if d.year == year)
        days: list[NonWorkingDay] = []
        for d in sorted(dates):
            override = next((overrides[d] for overrides in chain if d in overrides), None)
            if override is not None:
                if not override.working:
                    days.append(NonWorkingDay(d, override.reason, OVERRIDE, override.scope))
                continue
            base = self._base[d]
            if base.kind != CUTI_BERSAMA or self.skip_cuti_bersama:
                days.append(base)
        return days

    def _chain(self, scopes: tuple[str, ...]) -> list[dict[date, Override]]:
        """The override maps that apply, most specific first."""
        chain = [self._by_scope[scope] for scope in reversed(scopes) if scope in self._by_scope]
        if NATIONAL in self._by_scope:
            chain.append(self._by_scope[NATIONAL])
        return chain

    def _working_days(self, scopes: tuple[str, ...]) -> tuple[list[int], bytes]:
        """Sorted ordinals of the working days, and one flag byte per day of the covered years."""
        chain = self._chain(scopes)
        closed = {
            d.toordinal()
            for d, day in self._base.items()
            if day.kind != CUTI_BERSAMA or self.skip_cuti_bersama
        }
        first = date(self.first_year, 1, 1).toordinal()
        last = date(self.last_year, 12, 31).toordinal()
        working: list[int] = []
        flags = bytearray(last - first + 1)
        for ordinal in range(first, last + 1):
            if (ordinal - 1) % 7 >= _SATURDAY:  # ordinal 1 (0001-01-01) was a Monday
                continue
            open_ = ordinal not in closed
            if chain:
                d = date.fromordinal(ordinal)
                override = next((overrides[d] for overrides in chain if d in overrides), None)
                if override is not None:
                    open_ = override.working
            if open_:
                working.append(ordinal)
                flags[ordinal - first] = 1
        return working, bytes(flags)


_OFFICIAL: list[NonWorkingDay] = []


def _official_days() -> list[NonWorkingDay]:
    # Parsed once per container: the table is a literal, the dates are ISO strings.
    if not _OFFICIAL:
        _OFFICIAL.extend(
            NonWorkingDay(date.fromisoformat(iso), name, kind, NATIONAL) for iso, kind, name in official.DAYS
        )
    return _OFFICIAL
