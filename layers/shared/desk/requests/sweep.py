"""The periodic sweep over open work: a calendar change reaches every open deadline it touches.

It reads the open-work index (its projection carries each request's SLA snapshot), recomputes the
requests whose snapshot names an older calendar version by replaying their log, records the new due
instant and version, and tells the assignee when the deadline moved. It also names the requests whose
deadline passed since the sweep before (a promise broken, which the operators' alarm counts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desk import clock, keys
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.errors import Conflict
from desk.mail import send
from desk.requests import lifecycle, sla, work
from desk.settings import get_settings


def recompute_deadlines(*, now: datetime) -> dict[str, Any]:
    calendar = current_calendar(fresh=True)
    store = requests_repository()
    moved, checked, breached = [], 0, []
    since = _last_sweep(now)
    for entry in store.open_work():
        snapshot = entry.get("sla") or {}
        checked += 1
        if _newly_breached(snapshot, since, now):
            breached.append(schema.number_of(str(entry["pk"])))
        if not snapshot or int(snapshot.get("calendar_version") or 0) == calendar.version:
            continue
        number = schema.number_of(str(entry["pk"]))
        stored = store.load(number)
        if stored is None:
            continue
        replayed = sla.replay(sorted(stored.events, key=lambda e: e["sk"]), calendar)
        if replayed is None:
            continue
        old_due = snapshot.get("due_at")
        new_due = clock.iso(replayed.due_at)
        event = {
            "kind": "deadline_recomputed",
            "public": new_due != old_due,
            "data": {"from": old_due, "to": new_due, "calendar_version": calendar.version},
        }
        change = lifecycle.Change(stored.item["status"], [event])
        try:
            updated = work.commit(stored, change, actor="system", now=now, store=store)
        except Conflict:
            continue  # someone wrote meanwhile: the next sweep recomputes it
        if new_due != old_due:
            moved.append({"number": number, "from": old_due, "to": new_due})
            _tell_assignee(updated, old_due, new_due, now)
    return {"checked": checked, "moved": moved, "breached": breached, "calendar_version": calendar.version}


def _last_sweep(now: datetime) -> datetime:
    """When the sweep before this one ran (now, the first time: no breach is counted twice or late)."""
    from desk.data.marks import repository as marks

    found = marks().swap(schema.SWEEP_WATERMARK, {"until": clock.iso(now)})
    return clock.parse_iso(str(found["until"])) if found else now


def _newly_breached(snapshot: dict[str, Any], since: datetime, now: datetime) -> bool:
    """The deadline passed between the last sweep and this one, unanswered and not paused."""
    due = snapshot.get("due_at")
    if not due or snapshot.get("answered_at") or snapshot.get("paused_since"):
        return False
    return since < clock.parse_iso(str(due)) <= now


def _tell_assignee(item: dict[str, Any], old_due: str | None, new_due: str, now: datetime) -> None:
    assignee = item.get("assignee")
    if not assignee or item.get("status") == "answered":
        return  # an answered request's deadline binds nobody any more: no news for its assignee
    from desk.dates import human_datetime

    tz = (item.get("sla") or {}).get("tz") or "Asia/Jakarta"  # the request's zone: its deadline is there
    text = (
        f"Tenggat {item['number']} berubah karena perubahan kalender hari kerja: "
        f"{human_datetime(clock.parse_iso(old_due), tz) if old_due else '-'} menjadi "
        f"{human_datetime(clock.parse_iso(new_due), tz)}."
    )
    mail = send.OutgoingMail(
        to=(assignee,), subject="Tenggat berubah", text=text, html=f"<p>{text}</p>", number=item["number"]
    )
    send.send(mail, sender=get_settings().support_address, ring=keys.key_ring(), date=now)
