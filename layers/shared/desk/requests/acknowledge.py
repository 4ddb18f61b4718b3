"""The acknowledgement a requester receives: number, access code and the status page link."""

from __future__ import annotations

from datetime import datetime

from desk import clock, dates, keys
from desk.mail import send, templates
from desk.requests.intake import NewRequest, Receipt
from desk.requests.store import RequestStore, event_sort_key
from desk.settings import Settings


def acknowledge(
    new: NewRequest, receipt: Receipt, *, settings: Settings, store: RequestStore, now: datetime
) -> None:
    """Mail the acknowledgement and record it in the log; a failed send is recorded, never raised."""
    address = new.requester.get("email")
    if not address or receipt.repeated:
        return
    due_text = (
        dates.human_datetime(clock.parse_iso(receipt.due_at), language=new.language)
        if receipt.due_at
        else "-"
    )
    rendered = templates.acknowledgement(
        number=receipt.number,
        code=receipt.access_code,
        type_=new.type,
        subject=new.subject,
        due_text=due_text,
        site_url=settings.site_url,
        language=new.language,
    )
    mail = send.OutgoingMail(
        to=(address,), subject=rendered.subject, text=rendered.text, html=rendered.html, number=receipt.number
    )
    event = {
        "pk": f"REQ#{receipt.number}",
        "sk": event_sort_key(2),
        "at": clock.iso(now),
        "public": False,
        "actor": "system",
        "data": {"to": address},
    }
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
