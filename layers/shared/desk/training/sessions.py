"""Training sessions, their bookings and attendance, in the desk's table.

- a session ``pk=TRAINING#SESSIONS, sk=SESSION#<id>`` (one partition: the organiser lists them all):
  dates, place, capacity, fee, ``booked`` seats, status and the history of every change;
- a booking ``pk=TRAINING#SESSION#<id>, sk=BOOKING#<request number>``: the request's participants with
  their attendance per day.

Seats are taken in one transaction with the booking, on the condition that the session still has them
(``booked <= capacity - seats``): of two acceptances racing for the last seats one wins, the other's
transaction is cancelled and it is refused with :class:`SessionRefused`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from desk import clock, ids, keys
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.errors import Conflict, InvalidInput, NotFound
from desk.fields import Reason
from desk.settings import get_settings
from desk.staff import StaffUser
from desk.training import rules
from desk.training.requests import TZ
from desk.training.store import SessionRepository

MAIL_CHUNK = 50  # SES takes at most 50 recipients per message


class SessionRefused(Exception):
    """The chosen session cannot take the request (full, cancelled, unknown): the organiser decides again."""


class NewSession(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    start_date: date
    place: Reason = Field(min_length=3, max_length=300)  # a place or an online link
    capacity: int = Field(ge=1, le=10_000)
    fee: int = Field(default=0, ge=0, le=rules.MAX_FEE)  # rupiah per participant; zero is a free training


class Reschedule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    start_date: date
    place: Reason | None = Field(default=None, min_length=3, max_length=300)
    reason: Reason = Field(min_length=3, max_length=2000)


class Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: Reason = Field(min_length=3, max_length=2000)


class Mark(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=5, max_length=40)
    email: str = Field(min_length=3, max_length=320)
    day: date
    present: bool


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[Mark] = Field(min_length=1, max_length=2000)


def _today(now: datetime) -> date:
    return now.astimezone(zone(TZ)).date()


def _check_start(start: date, now: datetime, field: str = "start_date") -> date:
    calendar = current_calendar().scoped()
    problem = rules.start_problem(calendar, start, today=_today(now))
    if problem:
        raise InvalidInput("Tanggal mulai sesi tidak dapat dipakai.", fields={field: problem})
    return rules.session_end(calendar, start)


def view(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "session_id": item["session_id"],
        "start_date": item["start_date"],
        "end_date": item["end_date"],
        "place": item["place"],
        "capacity": int(item["capacity"]),
        "fee": int(item["fee"]),
        "booked": int(item["booked"]),
        "seats_left": rules.seats_left(item),
        "status": item["status"],
        "history": list(item.get("history") or []),
    }


def _new_item(form: NewSession, *, by: str, now: datetime, booked: int = 0) -> dict[str, Any]:
    end = _check_start(form.start_date, now)
    session_id = "TRN-" + ids.new_opaque_id(6)
    return {
        "session_id": session_id,
        "start_date": form.start_date.isoformat(),
        "end_date": end.isoformat(),
        "place": form.place,
        "capacity": form.capacity,
        "fee": form.fee,
        "booked": booked,
        "status": "scheduled",
        "version": 1,
        "calendar_version": current_calendar().version,
        "created_at": clock.iso(now),
        "created_by": by,
        "history": [
            {"at": clock.iso(now), "by": by, "kind": "created", "start_date": form.start_date.isoformat()}
        ],
    }


def create(form: NewSession, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    user.require("training")
    item = _new_item(form, by=user.email, now=now)
    store().create(item)
    return view(item)


def store() -> SessionRepository:
    """The sessions' repository (DynamoDB's; the tests may hold a twin in its place)."""
    from desk.data.sessions import repository

    return repository()


def load(session_id: str) -> dict[str, Any]:
    item = store().load(session_id)
    if item is None:
        raise NotFound("Sesi pelatihan tidak ditemukan.", code="session_not_found")
    return item


def listing(*, user: StaffUser) -> dict[str, Any]:
    user.require("training")
    items = store().sessions()
    return {"items": sorted((view(i) for i in items), key=lambda s: (s["start_date"], s["session_id"]))}


def open_sessions(now: datetime) -> list[dict[str, Any]]:
    """Sessions a request can still be booked into (no sign-in: the reply's signed link offers them)."""
    today = _today(now)
    bookable = [
        s
        for s in (view(i) for i in store().sessions())
        if s["status"] != "cancelled" and s["seats_left"] > 0 and date.fromisoformat(s["start_date"]) > today
    ]
    return sorted(bookable, key=lambda s: (s["start_date"], s["session_id"]))


def bookings(session_id: str) -> list[dict[str, Any]]:
    return store().bookings(session_id)


def detail(session_id: str, *, user: StaffUser) -> dict[str, Any]:
    user.require("training")
    session = view(load(session_id))
    session["bookings"] = [
        {
            "number": b["number"],
            "institution": b.get("institution", ""),
            "seats": int(b["seats"]),
            "participants": b.get("participants", []),
        }
        for b in sorted(bookings(session_id), key=lambda b: str(b["number"]))
    ]
    return session


# --- booking (the workflow's accept) -------------------------------------------------------------------


def _booking(session_id: str, number: str, booking: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "number": number,
        "session_id": session_id,
        "seats": len(booking["participants"]),
        "institution": booking.get("institution", ""),
        "contact": booking.get("contact", {}),
        "participants": [{**p, "attendance": {}, "trained": False} for p in booking["participants"]],
        "booked_at": clock.iso(now),
        "version": 1,
    }


def existing_booking(number: str, session_id: str) -> dict[str, Any] | None:
    return store().booking(session_id, number)


def book(
    decision: Mapping[str, Any], number: str, booking: Mapping[str, Any], *, by: str, now: datetime
) -> dict[str, Any]:
    """Seat the request's participants in the chosen session, or in the new one the decision describes;
    a retry of the same booking returns it. :class:`SessionRefused` when it cannot be done."""
    seats = len(booking["participants"])
    sessions = store()
    if decision.get("session_id"):
        session_id = str(decision["session_id"])
        if existing_booking(number, session_id):
            return view(load(session_id))
        taken = _seat_in_session(sessions, session_id, number, booking, now)
    else:
        session_id, taken = _seat_in_new_session(sessions, decision, number, booking, by=by, now=now)
    if not taken:
        if existing_booking(number, session_id):  # a retry after our own write went through
            return view(load(session_id))
        left = rules.seats_left(load(session_id))
        raise SessionRefused(f"kursi sesi {session_id} baru saja terisi: sisa {left}, diperlukan {seats}")
    return view(load(session_id))


def _seat_in_session(
    sessions: SessionRepository, session_id: str, number: str, booking: Mapping[str, Any], now: datetime
) -> bool:
    """Book the seats in a scheduled session that has not started; False when they were taken first."""
    seats = len(booking["participants"])
    try:
        session = load(session_id)
    except NotFound:
        raise SessionRefused(f"sesi {session_id} tidak ada") from None
    if session["status"] != "scheduled":
        raise SessionRefused(f"sesi {session_id} sudah dibatalkan")
    if session["start_date"] <= _today(now).isoformat():
        raise SessionRefused(f"sesi {session_id} sudah dimulai")
    if rules.seats_left(session) < seats:
        raise SessionRefused(f"sisa kursi sesi {session_id} {rules.seats_left(session)}, diperlukan {seats}")
    return sessions.take_seats(
        session_id,
        seats=seats,
        capacity=int(session["capacity"]),
        booking=_booking(session_id, number, booking, now),
    )


def _seat_in_new_session(
    sessions: SessionRepository,
    decision: Mapping[str, Any],
    number: str,
    booking: Mapping[str, Any],
    *,
    by: str,
    now: datetime,
) -> tuple[str, bool]:
    """Create the session the decision describes with the booking in it: its id, and False when that
    could not be written."""
    seats = len(booking["participants"])
    form = NewSession.model_validate(
        {k: decision.get(k) for k in ("start_date", "place", "capacity")} | {"fee": decision.get("fee") or 0}
    )
    if form.capacity < seats:
        raise SessionRefused(f"kapasitas sesi baru {form.capacity} kurang dari {seats} peserta")
    try:
        item = _new_item(form, by=by, now=now, booked=seats)
    except InvalidInput as error:
        raise SessionRefused(f"tanggal mulai: {error.fields.get('start_date')}") from None
    session_id = item["session_id"]
    return session_id, sessions.create_with_booking(item, _booking(session_id, number, booking, now))


# --- changes the organiser makes -------------------------------------------------------------------------


def _change(
    session_id: str, fields: Mapping[str, Any], entry: dict[str, Any], version: int
) -> dict[str, Any]:
    return store().change(session_id, fields, entry, version)


def reschedule(session_id: str, form: Reschedule, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    user.require("training")
    session = load(session_id)
    if session["status"] != "scheduled":
        raise Conflict("Sesi yang dibatalkan tidak dapat dijadwalkan ulang.", code="session_cancelled")
    end = _check_start(form.start_date, now)
    entry = {
        "at": clock.iso(now),
        "by": user.email,
        "kind": "rescheduled",
        "from": [session["start_date"], session["end_date"]],
        "to": [form.start_date.isoformat(), end.isoformat()],
        "reason": form.reason,
    }
    fields: dict[str, Any] = {"start_date": form.start_date.isoformat(), "end_date": end.isoformat()}
    if form.place:
        entry["place"] = form.place
        fields["place"] = form.place
    updated = _change(session_id, fields, entry, int(session["version"]))
    text = (
        f"Jadwal pelatihan e-Purchasing ({session_id}) diubah menjadi {_dates(updated)} "
        f"di {updated['place']}.\n"
        f"Alasan: {form.reason}"
    )
    _tell_booked(session_id, "Perubahan jadwal pelatihan", text, kind="training_rescheduled", now=now)
    return view(updated)


def cancel(session_id: str, form: Cancel, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    user.require("training")
    session = load(session_id)
    if session["status"] != "scheduled":
        raise Conflict("Sesi ini sudah dibatalkan.", code="session_cancelled")
    entry = {"at": clock.iso(now), "by": user.email, "kind": "cancelled", "reason": form.reason}
    updated = _change(session_id, {"status": "cancelled"}, entry, int(session["version"]))
    text = f"Pelatihan e-Purchasing ({session_id}, {_dates(session)}) dibatalkan.\nAlasan: {form.reason}"
    _tell_booked(session_id, "Pembatalan pelatihan", text, kind="training_cancelled", now=now)
    return view(updated)


def _dates(session: Mapping[str, Any]) -> str:
    return f"{session['start_date']} s.d. {session['end_date']}"


def addresses(booking: Mapping[str, Any]) -> list[str]:
    """The contact person and every participant, once each."""
    found = [str((booking.get("contact") or {}).get("email") or "")]
    found += [str(p.get("email") or "") for p in booking.get("participants", [])]
    return list(dict.fromkeys(a for a in found if a))


def mail_people(people: Iterable[str], subject: str, text: str, *, number: str | None, now: datetime) -> int:
    """One message per block of at most 50 recipients; returns how many were sent."""
    from html import escape

    from desk.mail import send

    settings = get_settings()
    ring = keys.key_ring()
    everyone = list(people)
    sent = 0
    html = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line)
    for start in range(0, len(everyone), MAIL_CHUNK):
        mail = send.OutgoingMail(
            to=tuple(everyone[start : start + MAIL_CHUNK]),
            subject=subject,
            text=text,
            html=html,
            number=number,
        )
        send.send(mail, sender=settings.support_address, ring=ring, date=now)
        sent += 1
    return sent


def _tell_booked(session_id: str, subject: str, text: str, *, kind: str, now: datetime) -> None:
    """Mail everyone booked and write the change in each request's log (the requester's page shows it)."""
    from desk.data.requests import repository as requests_repository
    from desk.requests import work
    from desk.requests.lifecycle import Change

    store = requests_repository()
    event = {"kind": kind, "public": True, "text": text, "data": {"session_id": session_id}}
    for booking in bookings(session_id):
        number = str(booking["number"])
        mail_people(addresses(booking), subject, text, number=number, now=now)
        # The request's own workflow may be writing its reply at the same moment: retried, not refused.
        work.apply(
            number,
            lambda stored: (Change(str(stored.item["status"]), [event]), {}),
            actor="system",
            now=now,
            store=store,
        )


# --- attendance ------------------------------------------------------------------------------------------


def record_attendance(session_id: str, form: Attendance, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    """Mark each participant present or absent on each day; present on both days → trained."""
    user.require("training")
    session = load(session_id)
    days = rules.attendance_days(session)
    problems = _day_problems(form.records, days, today=_today(now).isoformat())
    by_number: dict[str, list[tuple[int, Mark]]] = {}
    for index, mark in enumerate(form.records):
        by_number.setdefault(mark.number, []).append((index, mark))
    if session["status"] != "scheduled":
        raise Conflict("Sesi ini dibatalkan.", code="session_cancelled")
    loaded = {number: existing_booking(number, session_id) for number in by_number}
    problems.update(_booking_problems(by_number, loaded))
    if problems:
        raise InvalidInput("Ada catatan kehadiran yang tidak dapat dipakai.", fields=problems)
    trained: list[dict[str, str]] = []
    for number, marks in by_number.items():
        booking = loaded[number]
        assert booking is not None
        people = _with_attendance(booking["participants"], marks, days)
        trained += [
            {"number": number, "email": str(person["email"]), "name": str(person["name"])}
            for person in people
            if person["trained"]
        ]
        store().set_participants(session_id, number, people, by=user.email, version=int(booking["version"]))
    return {"session_id": session_id, "days": days, "trained": trained}


def _day_problems(records: Iterable[Mark], days: Sequence[str], *, today: str) -> dict[str, str]:
    """The marks for a day the session does not hold, or one still to come, by field."""
    problems: dict[str, str] = {}
    for index, mark in enumerate(records):
        day = mark.day.isoformat()
        if day not in days:
            problems[f"records.{index}.day"] = f"hari sesi ini: {', '.join(days)}"
        elif day > today:
            problems[f"records.{index}.day"] = "kehadiran dicatat pada hari itu atau sesudahnya"
    return problems


def _booking_problems(
    by_number: Mapping[str, list[tuple[int, Mark]]], loaded: Mapping[str, Mapping[str, Any] | None]
) -> dict[str, str]:
    """The marks for a request not booked in the session, or for someone not among its participants."""
    problems: dict[str, str] = {}
    for number, marks in by_number.items():
        booking = loaded[number]
        if booking is None:
            for index, _ in marks:
                problems[f"records.{index}.number"] = "permohonan ini tidak terdaftar di sesi ini"
            continue
        emails = {str(p["email"]).lower() for p in booking["participants"]}
        for index, mark in marks:
            if mark.email.lower() not in emails:
                problems[f"records.{index}.email"] = "bukan peserta permohonan ini"
    return problems


def _with_attendance(
    participants: Iterable[Mapping[str, Any]], marks: Iterable[tuple[int, Mark]], days: Sequence[str]
) -> list[dict[str, Any]]:
    """The participants with these marks added to their attendance, and whether each is now trained."""
    people = [dict(p) for p in participants]
    for _, mark in marks:
        person = next(p for p in people if str(p["email"]).lower() == mark.email.lower())
        person["attendance"] = {
            **dict(person.get("attendance") or {}),
            mark.day.isoformat(): mark.present,
        }
    for person in people:
        person["trained"] = rules.trained(person.get("attendance") or {}, days)
    return people


def trained_people(session_id: str) -> list[dict[str, Any]]:
    return [
        {"number": b["number"], "email": p["email"], "name": p["name"]}
        for b in bookings(session_id)
        for p in b.get("participants", [])
        if p.get("trained")
    ]
