"""Use cases on existing requests: staff act and reply, the requester adds information, queues."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from desk import clock, ids, keys
from desk.calendar import WorkingCalendar
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.errors import Conflict, Forbidden, InvalidInput, NotFound
from desk.mail import send, templates
from desk.observability import logger
from desk.requests import access, lifecycle, privacy, sla
from desk.requests.lifecycle import Change
from desk.requests.model import RequestType
from desk.requests.store import Claim, QueuePage, RequestRepository, StoredRequest, attach_uploads
from desk.settings import get_settings
from desk.staff import StaffUser

QUEUE_PAGE = 50
COMMIT_ATTEMPTS = 6

# Reads the request, answers the change to write (None: nothing to do) and what to return.
Build = Callable[[StoredRequest], tuple[Change | None, dict[str, Any]]]


def load(number: str, store: RequestRepository) -> StoredRequest:
    stored = store.load(number) if ids.is_number(number) else None
    if stored is None:
        raise NotFound("Permintaan tidak ditemukan.", code="request_not_found")
    return stored


def sla_view(
    item: dict[str, Any], now: datetime, calendar: WorkingCalendar | None = None
) -> dict[str, Any] | None:
    return sla.state(sla.from_snapshot(item.get("sla")), now, calendar or current_calendar())


def commit(
    stored: StoredRequest,
    change: Change,
    *,
    actor: str,
    now: datetime,
    store: RequestRepository,
    mail_kind: str | None = None,
    claims: Sequence[Claim] = (),
) -> dict[str, Any]:
    """Write the change (status, fields, events, SLA snapshot) in one transaction; mail the requester
    when the change says so. A failed send is recorded in the log, never raised."""
    calendar = current_calendar()
    at = clock.iso(now)
    events = [{**event, "at": at, "actor": actor} for event in change.events]
    prepared = None
    if change.notify_requester and mail_kind:
        prepared = _prepare_mail(stored, change.notify_requester, mail_kind, now)
        if prepared is not None:
            events.append(
                {
                    "kind": "mail_sent",
                    "public": False,
                    "at": at,
                    "actor": "system",
                    "data": {
                        "to": list(prepared.to),
                        "message_id": prepared.message_id,
                        "purpose": mail_kind,
                    },
                }
            )
    ordered = sorted(stored.events, key=lambda e: e["sk"])
    replayed = sla.replay([*ordered, *events], calendar)
    fields = {"status": str(change.status), "updated_at": at, **change.fields}
    if replayed is not None:
        fields["sla"] = replayed.snapshot()
    updated = store.commit(stored.item, int(stored.item["version"]), fields, events, claims)
    # One line per change, to follow a request through the logs by its number (kinds only: no text).
    logger().info(
        "request changed",
        extra={
            "number": updated["number"],
            "from_status": stored.item["status"],
            "to_status": updated["status"],
            "events": [e["kind"] for e in events],
            "actor": actor,
        },
    )
    if prepared is not None:
        try:
            send.deliver(prepared)
        except Exception as error:  # noqa: BLE001 - the change stands; staff see the failure in the log
            store.append_event(
                stored.item["number"],
                int(updated["version"]),
                {
                    **schema.event(updated["number"], int(updated["version"]) + 1),
                    "at": at,
                    "kind": "mail_failed",
                    "public": False,
                    "actor": "system",
                    "data": {"message_id": prepared.message_id, "error": type(error).__name__},
                },
            )
    return updated


def apply(
    number: str, build: Build, *, actor: str, now: datetime, store: RequestRepository
) -> dict[str, Any]:
    """Read, build the change, write; again from a fresh read when someone else wrote in between (a
    workflow step and a staff action on one request), with a short jittered wait."""
    for attempt in range(COMMIT_ATTEMPTS):
        stored = load(number, store)
        change, result = build(stored)
        if change is None:
            return result
        try:
            commit(stored, change, actor=actor, now=now, store=store)
            return result
        except Conflict as error:
            if error.code != "edit_conflict" or attempt == COMMIT_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not secrecy
    raise AssertionError("unreachable")


def _prepare_mail(stored: StoredRequest, text: str, kind: str, now: datetime) -> send.Prepared | None:
    address = (stored.identity or {}).get("email")
    if not address:
        return None
    item = stored.item
    rendered = templates.update_to_requester(
        number=item["number"],
        type_=RequestType(item["type"]),
        text=text,
        kind=kind,
        language=item.get("language", "id"),
    )
    settings = get_settings()
    in_reply_to = (item.get("details") or {}).get("message_id")
    mail = send.OutgoingMail(
        to=(address,),
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        number=item["number"],
        automatic=False,
        in_reply_to=f"<{in_reply_to}>" if in_reply_to else None,
    )
    return send.prepare(mail, sender=settings.support_address, ring=keys.key_ring(), date=now)


# --- staff ---------------------------------------------------------------------------------------------


def may_work_on(number: str, user: StaffUser) -> None:
    """Refuse, before a form is read, a request that is not there (404) or not the caller's to work
    (403); the act checks again on the request it writes."""
    access.require_work(user, load(number, requests_repository()).item)


def act(number: str, action: str, body: dict[str, Any], *, user: StaffUser, now: datetime) -> dict[str, Any]:
    store = requests_repository()
    stored = load(number, store)
    access.require_work(user, stored.item)
    lifecycle.require_staff_may(stored.item, action)
    change = lifecycle.apply_action(
        stored.item,
        action,
        actor=user.email,
        reason=body.get("reason"),
        assignee=body.get("assignee"),
        working_days=body.get("working_days"),
        forward_to=body.get("to"),
        transfer_to=_unit_named(body.get("unit")) if action == "transfer" else None,
    )
    kind = next((e["kind"] for e in change.events if e.get("public")), None)
    updated = commit(stored, change, actor=user.email, now=now, store=store, mail_kind=kind)
    if action == "assign" and updated.get("assignee") and updated["assignee"] != user.email:
        _tell_assignee(updated, by=user, now=now)
    return summary(updated, now)


def _unit_named(unit_id: Any) -> tuple[str, str] | None:
    """(id, name) of a unit of the desk, for a transfer; an unknown unit is named as the field at fault."""
    from desk.admin.units import get_unit

    if not unit_id:
        return None
    unit = get_unit(str(unit_id))
    if unit is None:
        raise InvalidInput("Unit tujuan tidak dikenal.", fields={"unit": f"tidak dikenal: {unit_id}"})
    return unit.id, unit.name


def _tell_assignee(item: dict[str, Any], *, by: StaffUser, now: datetime) -> None:
    """The colleague a request is handed to hears of it, with its deadline in the request's zone."""
    from desk.dates import human_datetime

    due = (item.get("sla") or {}).get("due_at")
    tz = (item.get("sla") or {}).get("tz") or "Asia/Jakarta"
    text = (
        f"{by.email} menugaskan {item['number']} kepada Anda: {privacy.shown_subject(item) or '-'}.\n"
        f"Batas waktu: {human_datetime(clock.parse_iso(due), tz) if due else '-'}.\n"
        f"Buka di konsol staf: {get_settings().site_url}/staff/#request/{item['number']}"
    )
    mail = send.OutgoingMail(
        to=(item["assignee"],),
        subject="Permintaan ditugaskan kepada Anda",
        text=text,
        html="".join(f"<p>{escape(line)}</p>" for line in text.splitlines()),
        number=item["number"],
    )
    try:
        send.send(mail, sender=get_settings().support_address, ring=keys.key_ring(), date=now)
    except Exception as error:  # noqa: BLE001 - the assignment stands; the console shows it in the queue
        from desk.observability import logger

        logger().warning("assignment mail not sent", number=item["number"], error=type(error).__name__)


def reply(
    number: str, text: str, *, internal: bool, set_status: str | None, user: StaffUser, now: datetime
) -> dict[str, Any]:
    store = requests_repository()
    stored = load(number, store)
    access.require_work(user, stored.item)
    if not internal:
        lifecycle.require_staff_may(stored.item, "reply")
    change = lifecycle.staff_reply(
        stored.item, text=text, internal=internal, actor=user.email, set_status=set_status
    )
    updated = commit(
        stored, change, actor=user.email, now=now, store=store, mail_kind=None if internal else "replied"
    )
    return summary(updated, now)


def summary(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    answer = {
        "number": item["number"],
        "type": item["type"],
        "status": item["status"],
        "subject": privacy.shown_subject(item),
        "unit": item.get("unit", ""),
        "assignee": item.get("assignee", ""),
        "sla": sla_view(item, now),
    }
    if item.get("step"):
        answer["step"] = item["step"]
    return answer


def staff_view(number: str, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    from desk.admin.units import head_of
    from desk.documents import uploads

    store = requests_repository()
    stored = load(number, store)
    item = stored.item
    access.require_view(user, item)
    content = access.may_read_content(user, item)
    identity = stored.identity or {}
    show_identity = access.may_see_identity(user, item, head_of(item.get("unit", "")))
    requester = (
        {k: v for k, v in identity.items() if k not in ("pk", "sk")} if show_identity else {"anonymous": True}
    )
    hidden = [] if show_identity else privacy.identity_values(identity)
    # A file's name travels in its download link too: signed with the name as this reader may see it.
    documents = (
        uploads.listed(item.get("documents", []), rename=lambda name: privacy.redact(name, hidden))
        if content
        else []
    )
    events = sorted(stored.events, key=lambda e: e["sk"])
    timeline = [
        {k: v for k, v in e.items() if k in ("at", "kind", "public", "text", "actor", "data")}
        for e in events
        if content or e.get("kind") not in ("requester_wrote", "replied", "note")
    ]
    view = {
        **summary(item, now),
        "subject": item.get("subject", ""),  # the whole subject, redacted below when need be
        "channel": item.get("channel"),
        "created_at": item.get("created_at"),
        "tz": (item.get("sla") or {}).get("tz") or "Asia/Jakarta",  # the zone the console shows dates in
        "anonymous": bool(item.get("anonymous")),
        "confidential": bool(item.get("confidential")),
        "body": item.get("body", "") if content else None,
        "details": item.get("details") or {},
        "requester": requester,
        "documents": documents,
        "timeline": timeline,
        "audit": [{"at": e["at"], "actor": e.get("actor", ""), "kind": e["kind"]} for e in events],
    }
    # The identity's values travel in events (the address an acknowledgement went to, a bounce, a
    # signature in a message): hidden wherever they stand from whoever may not see the identity.
    return view if show_identity else privacy.redact(view, hidden)


def queue(
    *,
    user: StaffUser,
    unit: str | None,
    assignee_me: bool,
    status: str | None,
    cursor: str | None,
    now: datetime,
) -> dict[str, Any]:
    """Open work, soonest deadline first: one page of the unit's (or the person's) queue."""
    if assignee_me:
        page = QueuePage(assignee=user.email, status=status, cursor=cursor, limit=QUEUE_PAGE)
    else:
        unit = unit or user.unit
        if not access.may_see_queue(user, unit):
            raise Forbidden("Antrean unit lain tidak dapat dibuka.", code="other_unit")
        page = QueuePage(unit=unit, status=status, cursor=cursor, limit=QUEUE_PAGE)
    items, next_cursor = requests_repository().queue(page)
    calendar = current_calendar()
    return {
        "items": [summary(item, now) | {"sla": sla_view(item, now, calendar)} for item in items],
        "next_cursor": next_cursor,
    }


# --- the requester -------------------------------------------------------------------------------------


def requester_adds(
    number: str, code: str, text: str, *, client: str, now: datetime, upload_ids: list[str] | None = None
) -> dict[str, Any]:
    """The requester writes from the status page, with files checked like a new request's."""
    from desk.documents import uploads
    from desk.requests.intake import authorised

    store = requests_repository()
    stored = authorised(number, code, store, client=client, now=now)
    days = working_days(stored.item)
    change = lifecycle.requester_message(stored.item, text=text, working_days=days)
    claims: list[Claim] = []
    if upload_ids:
        attached = uploads.usable_uploads(
            upload_ids, purposes={"attachment"}, now=now, field="attachment_upload_ids"
        )
        claims = attach_uploads(attached, at=clock.iso(now))
        change.events[0]["data"]["documents"] = list(attached)
        change.fields["documents"] = [*stored.item.get("documents", []), *attached]
    updated = commit(stored, change, actor="requester", now=now, store=store, claims=claims)
    return {"number": updated["number"], "status": updated["status"]}


def working_days(item: dict[str, Any]) -> int:
    """The answer time of the request's type (a reopened request gets it anew), at its LPSE when it has
    one: a user-ID request keeps its LPSE's own service standard, not the type's fallback."""
    from desk.admin.policies import policy_for

    lpse_id = str((item.get("details") or {}).get("lpse_id") or "")
    return policy_for(str(item["type"]), lpse_id=lpse_id or None).working_days
