"""The staff-operated doors: a phone call logged by the helpdesk, a walk-in form taken at reception."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from desk import aws, clock
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.errors import Conflict, InvalidInput
from desk.mail.templates import status_url
from desk.requests import acknowledge, intake, lifecycle, work
from desk.requests.forms import Email, Line, Message, OptionalLine, Phone
from desk.requests.model import Channel, RequestType, Status
from desk.requests.store import RequestStore
from desk.settings import get_settings
from desk.staff import StaffUser

LKPP_ZONE = "Asia/Jakarta"
SLOT = timedelta(minutes=30)
OPENS, CLOSES = time(7, 30), time(16, 0)
SEARCH_WORKING_DAYS = 10


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
    store = RequestStore()
    receipt = intake.submit(new, now=now, store=store, calendar=current_calendar())
    if form.email and form.send_number:
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
    status = receipt.status
    if form.resolved_on_call and not receipt.repeated:
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


def _book(officer: str, number: str, slots: list[tuple[datetime, datetime]]) -> tuple[datetime, datetime]:
    """Take the first free slot: each half hour of the officer's day is one item, written only if absent."""
    from botocore.exceptions import ClientError

    table = aws.table()
    for start, end in slots:
        halves = []
        moment = start
        while moment < end:
            halves.append(moment)
            moment += SLOT
        try:
            table.meta.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": table.name,
                            "Item": {"pk": f"MEETING#{officer}", "sk": clock.iso(half), "number": number},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    }
                    for half in halves
                ]
            )
            return start, end
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
    raise Conflict("Tidak ada jadwal kosong dalam 10 hari kerja ke depan.", code="no_free_slot")


def take_walk_in(form: WalkInForm, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    from desk.admin.units import get_unit, head_of

    user.require("reception")
    if get_unit(form.unit) is None:
        raise InvalidInput("Unit tujuan tidak dikenal.", fields={"unit": "unit tidak dikenal"})
    officer = form.officer or head_of(form.unit)
    if not officer:
        raise InvalidInput(
            "Unit itu belum punya kepala; sebutkan petugasnya.", fields={"officer": "wajib diisi"}
        )
    requester: dict[str, Any] = {"name": form.visitor_name}
    for name in ("phone", "email", "institution"):
        if getattr(form, name):
            requester[name] = getattr(form, name)
    new = intake.NewRequest(
        type=RequestType.WALK_IN,
        channel=Channel.WALK_IN,
        subject=form.topic,
        body=form.notes,
        requester=requester,
        unit=form.unit,
        details={"kind": form.kind, "taken_by": user.email},
        working_days=intake.working_days_for(RequestType.WALK_IN),
    )
    store = RequestStore()
    receipt = intake.submit(new, now=now, store=store, calendar=current_calendar())
    if form.email:
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
    start_day = form.preferred_date or now.astimezone(zone(LKPP_ZONE)).date()
    start, end = _book(officer, receipt.number, _slots(start_day, form.minutes, now))
    stored = work.load(receipt.number, store)
    change = lifecycle.apply_action(stored.item, "assign", actor=user.email, assignee=officer)
    meeting = {"officer": officer, "start": clock.iso(start), "end": clock.iso(end)}
    change.events.append({"kind": "meeting_booked", "public": True, "data": meeting})
    change = lifecycle.Change(change.status, change.events, {**change.fields, "meeting": meeting})
    work.commit(stored, change, actor=user.email, now=now, store=store)
    link = status_url(get_settings().site_url, receipt.number, receipt.access_code)
    return {
        "number": receipt.number,
        "access_code": receipt.access_code,
        "status": Status.IN_PROGRESS,
        "due_at": receipt.due_at,
        "meeting": meeting,
        "status_url": link,
        "receipt_html": receipt_html(receipt.number, receipt.access_code, form, meeting, link),
    }


def receipt_html(number: str, code: str, form: WalkInForm, meeting: dict[str, str], link: str) -> str:
    """The printable tanda terima, with a QR code to the status page (the code is shown only here)."""
    import segno

    from desk.dates import human_datetime

    qr = segno.make(link, error="m").svg_inline(scale=4, title="Tautan status")
    when = human_datetime(clock.parse_iso(meeting["start"]))
    rows = [
        ("Nomor", number),
        ("Kode akses", code),
        ("Nama", form.visitor_name),
        ("Perihal", form.topic),
        ("Jadwal konsultasi", when),
        ("Petugas", meeting["officer"]),
    ]
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        '<!doctype html><html lang="id"><meta charset="utf-8"><title>Tanda terima '
        f'{escape(number)}</title><body style="font-family:sans-serif"><h1>Tanda terima konsultasi</h1>'
        f"<table>{table}</table><p>Pantau status: {escape(link)}</p>{qr}</body></html>"
    )
