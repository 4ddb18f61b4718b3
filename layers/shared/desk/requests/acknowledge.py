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
    """Mail the acknowledgement and record it in the log; a failed send is recorded, never raised.

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
        store.append_event(receipt.number, expected_version=1, event=_event(receipt.number, now) | held)
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
    store.append_event(receipt.number, expected_version=1, event=event)
    return event["kind"] == "mail_sent"


def _event(number: str, now: datetime) -> dict[str, Any]:
    """The request's second event (its first is ``created``)."""
    return {
        **schema.event(number, 2),
        "at": clock.iso(now),
        "public": False,
        "actor": "system",
    }
