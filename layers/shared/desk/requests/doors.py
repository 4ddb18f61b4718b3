"""The staff-operated doors: a phone call logged by the helpdesk, a walk-in form taken at reception."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from desk import clock, keys
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.dates import human_datetime
from desk.errors import Conflict, InvalidInput, RuleViolation
from desk.fields import Email, Line, Message, OptionalLine, Phone
from desk.mail import send
from desk.mail.templates import status_url
from desk.requests import acknowledge, intake, lifecycle, work
from desk.requests.model import Channel, RequestType, Status
from desk.requests.store import Claim, ClaimClash, Hold, RequestRepository
from desk.settings import get_settings
from desk.staff import StaffUser

LKPP_ZONE = "Asia/Jakarta"
SLOT = timedelta(minutes=30)
OPENS, CLOSES = time(7, 30), time(16, 0)
SEARCH_WORKING_DAYS = 10
BOOKING_ATTEMPTS = 3  # looks again when a racing walk-in took the slot first


class CallForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    caller_name: Line
    phone: Phone
    email: Email | None = None
    institution: OptionalLine | None = None
    kind: Literal["complaint", "suggestion", "input"]
    category: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")
    summary: Message
    resolved_on_call: bool = False
    send_number: bool = True


class WalkInForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    visitor_name: Line
    phone: Phone | None = None
    email: Email | None = None
    institution: OptionalLine | None = None
    kind: Literal["complaint", "suggestion", "input"] = "input"
    topic: Line
    notes: Message
    unit: str = Field(min_length=1, max_length=80)
    officer: Email | None = None
    preferred_date: date | None = None
    minutes: Literal[30, 60] = 30


def _subject(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:117] + "..." if len(first) > 120 else first


def log_call(form: CallForm, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    user.require("helpdesk")
    requester: dict[str, Any] = {"name": form.caller_name, "phone": form.phone}
    if form.email:
        requester["email"] = form.email
    if form.institution:
        requester["institution"] = form.institution
    new = intake.NewRequest(
        type=RequestType.CALL,
        channel=Channel.PHONE,
        subject=_subject(form.summary),
        body=form.summary,
        requester=requester,
        unit="helpdesk",
        details={"kind": form.kind, "category": form.category, "taken_by": user.email},
        working_days=intake.working_days_for(RequestType.CALL),
    )
    store = requests_repository()
    receipt = intake.submit(new, now=now, store=store, calendar=current_calendar())
    if form.email and form.send_number:
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
    status = receipt.status
    if receipt.repeated:
        # The same call logged again (a double click): the request as it stands, closed on the call or not.
        status = work.load(receipt.number, store).item["status"]
    elif form.resolved_on_call:
        stored = work.load(receipt.number, store)
        answered = lifecycle.apply_action(
            stored.item, "resolve", actor=user.email, reason="Selesai saat telepon."
        )
        work.commit(stored, answered, actor=user.email, now=now, store=store)
        stored = work.load(receipt.number, store)
        closed = lifecycle.apply_action(stored.item, "close", actor=user.email)
        status = work.commit(stored, closed, actor=user.email, now=now, store=store)["status"]
    return {
        "number": receipt.number,
        "access_code": receipt.access_code,
        "status": status,
        "due_at": receipt.due_at,
    }


def _slots(start_day: date, minutes: int, now: datetime) -> list[tuple[datetime, datetime]]:
    """Candidate meeting times: office hours of the next working days, on the half hour, after now."""
    calendar = current_calendar().scoped()
    local = zone(LKPP_ZONE)
    found: list[tuple[datetime, datetime]] = []
    day = start_day
    for _ in range(SEARCH_WORKING_DAYS):
        while not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
        moment = datetime.combine(day, OPENS, local)
        end_of_day = datetime.combine(day, CLOSES, local)
        while moment + timedelta(minutes=minutes) <= end_of_day:
            if moment > now:
                found.append((moment, moment + timedelta(minutes=minutes)))
            moment += SLOT
        day = calendar.next_working_day(day)
    return found


def _free_slot(
    officer: str, slots: list[tuple[datetime, datetime]], store: RequestRepository
) -> tuple[datetime, datetime] | None:
    """The first candidate whose half hours the officer has free, by one read of their bookings."""
    if not slots:
        return None
    taken = store.meetings_booked(officer, clock.iso(slots[0][0]), clock.iso(slots[-1][1]))
    for start, end in slots:
        if not any(clock.iso(half) in taken for half in _halves(start, end)):
            return start, end
    return None


def _halves(start: datetime, end: datetime) -> list[datetime]:
    halves = []
    moment = start
    while moment < end:
        halves.append(moment)
        moment += SLOT
    return halves


def _booking(officer: str, start: datetime, end: datetime) -> list[Claim]:
    """The slot's half hours, held in the request's own transaction: each only if still free, so two
    walk-ins racing for one slot cannot both have it."""
    return [Hold(schema.meeting(officer, clock.iso(half))) for half in _halves(start, end)]


def _first_day(preferred: date | None, now: datetime) -> date:
    """Where the search starts: the preferred date, refused when it is past or the office is closed then."""
    today = now.astimezone(zone(LKPP_ZONE)).date()
    if preferred is None:
        return today
    if preferred < today:
        raise RuleViolation(
            "Tanggal yang diinginkan sudah lewat.",
            code="walk_in_date_past",
            fields={"preferred_date": "sudah lewat"},
        )
    if not current_calendar().scoped().is_working_day(preferred):
        raise RuleViolation(
            "Tanggal yang diinginkan bukan hari kerja; pilih hari kerja.",
            code="walk_in_date_closed",
            fields={"preferred_date": "bukan hari kerja"},
        )
    return preferred


def _staff_name(email: str) -> str:
    """The officer's name from the user pool; the address when none is known (or the pool does not answer,
    which must not turn a visitor away)."""
    from desk.admin.users import StaffDirectory

    try:
        member = StaffDirectory().find(email)
    except Exception as error:  # noqa: BLE001 - the name is a courtesy; the booking does not depend on it
        from desk.observability import logger

        logger().warning("officer name not found", error=type(error).__name__)
        return email
    return member.name if member is not None and member.name else email


def _zone_of(unit: Any) -> str:
    """The officer's zone: LKPP's units are in Jakarta; an LPSE keeps its own."""
    from desk import reference
    from desk.admin import lpse

    if unit.kind == "lpse":
        for item in reference.cached_partition(lpse.PARTITION):
            if item.get("id") == unit.id and item.get("time_zone"):
                return str(item["time_zone"])
    return LKPP_ZONE


def take_walk_in(form: WalkInForm, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    """Forward a walk-in and book its meeting. Every refusal (the date, no free slot) comes before anything
    is written: the request and its booking are one transaction, so a refused walk-in leaves no request
    behind and mails nobody."""
    from desk.admin.units import get_unit, head_of

    user.require("reception")
    unit = get_unit(form.unit)
    if unit is None:
        raise InvalidInput("Unit tujuan tidak dikenal.", fields={"unit": "unit tidak dikenal"})
    officer = form.officer or head_of(form.unit)
    if not officer:
        raise InvalidInput(
            "Unit itu belum punya kepala; sebutkan petugasnya.", fields={"officer": "wajib diisi"}
        )
    start_day = _first_day(form.preferred_date, now)
    requester: dict[str, Any] = {"name": form.visitor_name}
    for name in ("phone", "email", "institution"):
        if getattr(form, name):
            requester[name] = getattr(form, name)
    store = requests_repository()
    officer_name = _staff_name(officer)
    no_slot = Conflict(
        f"Tidak ada jadwal kosong dalam {SEARCH_WORKING_DAYS} hari kerja ke depan.", code="no_free_slot"
    )
    for _ in range(BOOKING_ATTEMPTS):
        slot = _free_slot(officer, _slots(start_day, form.minutes, now), store)
        if slot is None:
            raise no_slot
        start, end = slot
        meeting = {
            "officer": officer,
            "officer_name": officer_name,
            "start": clock.iso(start),
            "end": clock.iso(end),
        }
        new = intake.NewRequest(
            type=RequestType.WALK_IN,
            channel=Channel.WALK_IN,
            subject=form.topic,
            body=form.notes,
            requester=requester,
            unit=form.unit,
            details={"kind": form.kind, "taken_by": user.email, "meeting": meeting},
            working_days=intake.working_days_for(RequestType.WALK_IN),
        )
        try:
            receipt = intake.submit(
                new,
                now=now,
                store=store,
                calendar=current_calendar(),
                claims=_booking(officer, start, end),
            )
        except ClaimClash:
            continue  # another walk-in took the slot between the look and the write: look again
        break
    else:
        raise no_slot
    link = status_url(get_settings().site_url, receipt.number, receipt.access_code)
    if receipt.repeated:
        # The same visitor and form again (a double click): the first booking stands, nothing is sent again.
        meeting = work.load(receipt.number, store).item.get("details", {}).get("meeting", meeting)
    else:
        if form.email:
            acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
        _forward(form, receipt.number, meeting, unit, user=user, now=now, store=store)
    return {
        "number": receipt.number,
        "access_code": receipt.access_code,
        "status": Status.IN_PROGRESS,
        "due_at": receipt.due_at,
        "meeting": meeting,
        "status_url": link,
        "receipt_html": receipt_html(receipt.number, receipt.access_code, form, meeting, link),
    }


def _forward(
    form: WalkInForm,
    number: str,
    meeting: dict[str, str],
    unit: Any,
    *,
    user: StaffUser,
    now: datetime,
    store: RequestRepository,
) -> None:
    """Assign the request to the officer, put the meeting on its public timeline (the status page shows
    it), and tell the officer and the visitor. The mails are logged with the change, as work.commit logs
    its own, and leave once it is stored."""
    start = clock.parse_iso(meeting["start"])
    minutes = int((clock.parse_iso(meeting["end"]) - start).total_seconds() // 60)
    booked = f"Pertemuan dengan {meeting['officer_name']} pada {human_datetime(start, LKPP_ZONE)}."
    stored = work.load(number, store)
    change = lifecycle.apply_action(stored.item, "assign", actor=user.email, assignee=meeting["officer"])
    change.events.append(
        {
            "kind": "meeting_booked",
            "public": True,
            "text": booked,
            "data": {"officer": meeting["officer"], "start": meeting["start"], "end": meeting["end"]},
        }
    )
    settings = get_settings()
    when = human_datetime(start, _zone_of(unit))  # the officer reads it in their own zone
    visitor = form.visitor_name + (f" ({form.institution})" if form.institution else "")
    mails = [
        (
            "meeting_officer",
            meeting["officer"],
            f"Konsultasi langsung: {form.visitor_name}, {when}",
            "Resepsionis meneruskan konsultasi langsung kepada Anda dan menjadwalkan pertemuan.\n"
            f"Tamu: {visitor}\nPerihal: {form.topic}\nWaktu: {when} ({minutes} menit)\nNomor: {number}\n"
            f"Buka di konsol staf: {settings.site_url.rstrip('/')}/staff/#request/{number}\n",
        )
    ]
    if form.email:
        mails.append(
            (
                "meeting_visitor",
                form.email,
                "Jadwal konsultasi Anda",
                f"{booked}\nDurasi: {minutes} menit.\nNomor: {number}\n"
                "Pesan ini dikirim otomatis; balas pesan ini untuk menambahkan informasi.\n",
            )
        )
    prepared = []
    for purpose, to, subject, text in mails:
        html = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
        mail = send.OutgoingMail(
            to=(to,),
            subject=subject,
            text=text,
            html=f'<!doctype html><html><body style="font-family:sans-serif">{html}</body></html>',
            number=number,
        )
        ready = send.prepare(mail, sender=settings.support_address, ring=keys.key_ring(), date=now)
        prepared.append(ready)
        change.events.append(
            {
                "kind": "mail_sent",
                "public": False,
                "data": {"to": [to], "message_id": ready.message_id, "purpose": purpose},
            }
        )
    change = lifecycle.Change(change.status, change.events, {**change.fields, "meeting": meeting})
    version = int(work.commit(stored, change, actor=user.email, now=now, store=store)["version"])
    for ready in prepared:
        try:
            send.deliver(ready)
        except Exception as error:  # noqa: BLE001 - the booking stands; staff see the failure in the log
            failed = {
                **schema.event(number, version + 1),
                "at": clock.iso(now),
                "kind": "mail_failed",
                "public": False,
                "actor": "system",
                "data": {"message_id": ready.message_id, "error": type(error).__name__},
            }
            store.append_event(number, version, failed)
            version += 1


def receipt_html(number: str, code: str, form: WalkInForm, meeting: dict[str, str], link: str) -> str:
    """The printable tanda terima, with a QR code to the status page (the code is shown only here)."""
    import segno

    qr = segno.make(link, error="m").svg_inline(scale=4, title="Tautan status")
    when = human_datetime(clock.parse_iso(meeting["start"]), LKPP_ZONE)
    rows = [
        ("Nomor", number),
        ("Kode akses", code),
        ("Nama", form.visitor_name),
        ("Perihal", form.topic),
        ("Jadwal konsultasi", when),
        ("Petugas", meeting.get("officer_name") or meeting["officer"]),
    ]
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        '<!doctype html><html lang="id"><meta charset="utf-8"><title>Tanda terima '
        f'{escape(number)}</title><body style="font-family:sans-serif"><h1>Tanda terima konsultasi</h1>'
        f"<table>{table}</table><p>Pantau status: {escape(link)}</p>{qr}</body></html>"
    )
