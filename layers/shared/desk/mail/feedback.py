"""SES's bounce and complaint notifications (through SNS) for mail the desk sent: noted on the request
the mail belonged to (found by our signed Message-ID); never a request of their own."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from desk import keys
from desk.errors import Conflict
from desk.mail.send import number_from_message_id
from desk.requests import lifecycle, work
from desk.requests.store import RequestRepository


def _our_message_id(mail: dict[str, Any]) -> str | None:
    for header in mail.get("headers") or []:
        if str(header.get("name", "")).lower() == "message-id":
            return str(header.get("value", ""))
    common = mail.get("commonHeaders") or {}
    return str(common.get("messageId") or "") or None


def handle(message: str, *, now: datetime, store: RequestRepository) -> dict[str, Any]:
    try:
        notification = json.loads(message)
    except json.JSONDecodeError:
        return {"kind": "ignored", "reason": "not JSON"}
    kind = notification.get("notificationType") or notification.get("eventType")
    if kind not in ("Bounce", "Complaint"):
        return {"kind": "ignored", "reason": str(kind)}
    mail = notification.get("mail") or {}
    message_id = _our_message_id(mail)
    number = number_from_message_id(message_id, keys.key_ring()) if message_id else None
    stored = store.load(number) if number else None
    if stored is None:
        return {"kind": kind.lower(), "number": None}
    if kind == "Bounce":
        detail = notification.get("bounce") or {}
        recipients = [r.get("emailAddress") for r in detail.get("bouncedRecipients") or []]
        permanent = detail.get("bounceType") == "Permanent"
        event = {
            "kind": "mail_bounced",
            "public": False,
            "data": {"failed_recipients": recipients, "bounce_type": detail.get("bounceType")},
        }
        fields = {"requester_mail_failing": True} if permanent else {}
    else:
        detail = notification.get("complaint") or {}
        recipients = [r.get("emailAddress") for r in detail.get("complainedRecipients") or []]
        event = {"kind": "mail_complaint", "public": False, "data": {"recipients": recipients}}
        fields = {"requester_complained": True}
    for _ in range(2):  # one retry if a staff change landed in between
        try:
            work.commit(
                stored,
                lifecycle.Change(stored.item["status"], [event], fields),
                actor="system",
                now=now,
                store=store,
            )
            break
        except Conflict:
            stored = store.load(stored.item["number"]) or stored
    return {"kind": kind.lower(), "number": stored.item["number"]}
