"""The acknowledgement a requester receives: number, access code and the status page link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desk import clock, dates, keys
from desk.data import schema
from desk.mail import send, templates
from desk.requests import lifecycle, ratelimit
from desk.requests.intake import NewRequest, Receipt
from desk.requests.store import RequestRepository
from desk.settings import Settings


def acknowledge(
    new: NewRequest,
    receipt: Receipt,
    *,
    settings: Settings,
    store: RequestRepository,
    now: datetime,
    client: str | None = None,
) -> bool:
    """Mail the acknowledgement and record it in the log; a failed send is recorded, never raised, and a
    record that cannot be written (:func:`_record`) is logged, never raised.

    ``client`` marks a public door (a form, or "" for the email door): there the acknowledgements to one
    address, and from one client, are limited (``ratelimit``); one held back is recorded for staff, and
    the requester still has the number and code the form showed. Staff doors pass nothing. Answers
    whether the acknowledgement went out. A request that waits for its requester to confirm it (one the
    desk prepared) asks for that instead of promising an answer date."""
    address = new.requester.get("email")
    if not address or receipt.repeated:
        return False
    if client is not None and not ratelimit.acknowledgement_allowed(address, client, now):
        held = {"kind": "mail_withheld", "data": {"to": address, "purpose": "acknowledgement"}}
        _record(store, receipt.number, _event(receipt.number, now) | held)
        return False
    details = new.details or {}
    prepared = lifecycle.awaiting_confirmation({"details": details})  # the desk prepared it from mail
    due_text = (
        dates.human_datetime(clock.parse_iso(receipt.due_at), new.tz, new.language) if receipt.due_at else "-"
    )
    rendered = templates.acknowledgement(
        number=receipt.number,
        code=receipt.access_code,
        type_=new.type,
        due_text=due_text,
        site_url=settings.site_url,
        language=new.language,
        follows=str(details.get("follows", "")) if prepared else None,
    )
    mail = send.OutgoingMail(
        to=(address,), subject=rendered.subject, text=rendered.text, html=rendered.html, number=receipt.number
    )
    event = _event(receipt.number, now) | {"data": {"to": address}}
    try:
        message_id = send.send(mail, sender=settings.support_address, ring=keys.key_ring(), date=now)
        event |= {
            "kind": "mail_sent",
            "data": {"to": address, "message_id": message_id, "purpose": "acknowledgement"},
        }
    except Exception as error:  # noqa: BLE001 - the request stands; staff see the failure in its log
        event |= {
            "kind": "mail_failed",
            "data": {"to": address, "purpose": "acknowledgement", "error": type(error).__name__},
        }
    _record(store, receipt.number, event)
    return event["kind"] == "mail_sent"


def _record(store: RequestRepository, number: str, event: dict[str, Any]) -> None:
    """The acknowledgement's line in the request's log. The request is stored by now and the mail gone (or
    refused): a write that still fails (the table throttled past every retry) must not undo the rest of
    the door, which would answer an error for a stored request and never start its workflow, a retry
    finding the request already made. The operators read it in the logs, by the request's number."""
    try:
        store.append_event(number, expected_version=1, event=event)
    except Exception as error:  # noqa: BLE001 - the request stands; its log misses this line
        from desk.observability import logger

        logger().error(
            "acknowledgement not recorded",
            extra={"number": number, "kind": event.get("kind"), "error": type(error).__name__},
        )


def _event(number: str, now: datetime) -> dict[str, Any]:
    """The request's second event (its first is ``created``)."""
    return {
        **schema.event(number, 2),
        "at": clock.iso(now),
        "public": False,
        "actor": "system",
    }
