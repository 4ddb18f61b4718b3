"""The training workflow's own tasks (statemachines/training.asl.json) and the daily participant reminder.

``book`` seats the participants (raising :class:`SessionRefused` when the session cannot take them: the
workflow records why and asks the organiser again); ``reply`` issues the reply letter once: it takes an
outgoing number, stores the PDF with the request, answers or rejects the request, and mails the letter.
A rerun after a failure finds what was done and only finishes the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from desk import clock, ids, keys
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.data.files import documents as document_files
from desk.data.requests import repository as requests_repository
from desk.data.uploads import repository as upload_records
from desk.requests import lifecycle, work
from desk.requests.lifecycle import Change
from desk.requests.store import StoredRequest
from desk.settings import get_settings
from desk.training import letter, rules, sessions
from desk.training.requests import TZ
from desk.training.sessions import SessionRefused

SYSTEM = "system"
MAIL_PURPOSE = "training_reply"
__all__ = ["SessionRefused", "remind", "run"]


def _status(stored: StoredRequest) -> str:
    status = str(stored.item["status"])
    return "in_progress" if status == "submitted" else status


def _decision(payload: Mapping[str, Any]) -> tuple[str, dict[str, Any], str]:
    reply = payload.get("reply") or {}
    return (
        str(reply.get("decision", "")),
        dict(reply.get("fields") or {}),
        str(reply.get("decided_by") or SYSTEM),
    )


def set_step(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    store = requests_repository()
    stored = work.load(str(payload["number"]), store)
    change = Change(
        _status(stored),
        [{"kind": "step", "public": True, "data": {"step": payload["step"]}}],
        {"step": payload["step"]},
    )
    work.commit(stored, change, actor=SYSTEM, now=now, store=store)
    return {"step": payload["step"]}


def book(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    _, fields, by = _decision(payload)
    stored = work.load(str(payload["number"]), requests_repository())
    identity = stored.identity or {}
    booking = {
        "participants": list(identity.get("participants") or []),
        "institution": identity.get("institution", ""),
        "contact": {"name": identity.get("name", ""), "email": identity.get("email", "")},
    }
    return sessions.book(fields, str(stored.item["number"]), booking, by=by, now=now)


def refused(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The chosen session could not take the request: say why in the log; the organiser is asked again."""
    import json

    failure = payload.get("failure") or {}
    why = str(failure.get("Cause") or failure.get("Error") or "sesi tidak dapat dipakai")
    try:  # Lambda reports the error as JSON in Cause: keep its message
        why = str(json.loads(why).get("errorMessage") or why)
    except (ValueError, AttributeError):
        pass
    store = requests_repository()
    stored = work.load(str(payload["number"]), store)
    event = {
        "kind": "session_refused",
        "public": False,
        "text": why[:1000],
        "data": {"by": _decision(payload)[2]},
    }
    work.commit(stored, Change(_status(stored), [event]), actor=SYSTEM, now=now, store=store)
    return {"refused": why[:1000]}


def _letter_date(now: datetime) -> str:
    return now.astimezone(zone(TZ)).date().isoformat()


def _store_pdf(number: str, outgoing: str, content: bytes, *, now: datetime) -> str:
    """The letter as a document of the request: an upload record, already checked and attached, whose
    object is under documents/ (served like any accepted file)."""
    import hashlib

    from desk.documents.uploads import ACCEPTED

    upload_id = ids.new_opaque_id(16)
    key = ACCEPTED + upload_id
    document_files().write(key, content, content_type="application/pdf")
    safe = outgoing.replace("/", "-")
    # Made here, so stored as checked (it is never in quarantine) and already the request's.
    upload_records().create(
        {
            "upload_id": upload_id,
            "purpose": "reply_letter",
            "filename": f"surat-balasan-{safe}.pdf",
            "content_type": "application/pdf",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "status": "accepted",
            "object_key": key,
            "created_at": clock.iso(now),
            "attached_to": number,
            "attached_at": clock.iso(now),
            "source": "generated",
        }
    )
    return upload_id


def reply(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    from desk.letters.numbers import next_outgoing_number

    decision, fields, by = _decision(payload)
    store = requests_repository()
    stored = work.load(str(payload["number"]), store)
    number = str(stored.item["number"])
    done = (stored.item.get("details") or {}).get("reply")
    if not done:
        identity = stored.identity or {}
        accepted = decision == "accept"
        session = dict(payload.get("booking") or {})
        outgoing = next_outgoing_number(now)
        pdf = letter.render(
            letter.ReplyLetter(
                outgoing_number=outgoing,
                date=_letter_date(now),
                request_number=number,
                institution=str(identity.get("institution", "")),
                contact_name=str(identity.get("name", "")),
                accepted=accepted,
                session=session,
                participants=tuple(str(p.get("name", "")) for p in identity.get("participants") or []),
                reason=str(fields.get("reason") or ""),
            )
        )
        upload_id = _store_pdf(number, outgoing, pdf, now=now)
        done = {
            "decision": decision,
            "outgoing_number": outgoing,
            "upload_id": upload_id,
            "decided_by": by,
            **({"session_id": session.get("session_id")} if accepted else {"reason": fields.get("reason")}),
        }
        details = {**(stored.item.get("details") or {}), "reply": done}
        documents = [*(stored.item.get("documents") or []), upload_id]
        extra = {"details": details, "documents": documents, "step": "done"}
        if accepted:
            text = (
                f"Permohonan diterima: sesi {session.get('session_id')}, {session.get('start_date')} s.d. "
                f"{session.get('end_date')}, {session.get('place')}. Surat balasan nomor {outgoing}."
            )
            change = Change(
                "answered", [{"kind": "answered", "public": True, "text": text, "data": {"by": by}}], extra
            )
        else:
            reason = f"{fields.get('reason')} (surat balasan nomor {outgoing})"
            rejected = lifecycle.apply_action(stored.item, "reject", actor=by, reason=reason)
            change = dataclasses.replace(rejected, fields={**rejected.fields, **extra}, notify_requester=None)
        work.commit(stored, change, actor=by, now=now, store=store)
        stored = work.load(number, store)
    if not any((e.get("data") or {}).get("purpose") == MAIL_PURPOSE for e in stored.events):
        _mail_letter(stored, done, now=now)
    return {"outgoing_number": done["outgoing_number"], "upload_id": done["upload_id"]}


def _mail_letter(stored: StoredRequest, done: Mapping[str, Any], *, now: datetime) -> None:
    """The reply letter to the requester, attached; recorded in the log either way."""
    from html import escape

    from desk.documents import uploads
    from desk.mail import send

    settings = get_settings()
    number = str(stored.item["number"])
    address = str((stored.identity or {}).get("email") or "")
    record = uploads.load(str(done["upload_id"])) or {}
    accepted = done.get("decision") == "accept"
    lines = [
        f"Surat balasan atas permohonan pelatihan Anda (nomor {done['outgoing_number']}) kami lampirkan.",
        "Permohonan Anda diterima; jadwal dan tempat pelatihan ada di surat."
        if accepted
        else f"Permohonan Anda belum dapat kami penuhi. Alasan: {done.get('reason')}",
        f"Nomor permintaan: {number}",
    ]
    mail = send.OutgoingMail(
        to=(address,),
        subject="Surat balasan permohonan pelatihan",
        text="\n".join(lines) + "\n",
        html="".join(f"<p>{escape(line)}</p>" for line in lines),
        number=number,
        automatic=False,
    )
    ring = keys.key_ring()
    message_id = send.new_message_id(number, ring, settings.support_address.rsplit("@", 1)[-1])
    message = send.build_message(mail, sender=settings.support_address, message_id=message_id, date=now)
    body = document_files().read(record["object_key"])
    message.add_attachment(body, maintype="application", subtype="pdf", filename=str(record["filename"]))
    data: dict[str, Any] = {"to": [address], "message_id": message_id, "purpose": MAIL_PURPOSE}
    try:
        send.deliver(send.Prepared(message_id, settings.support_address, mail.to, message.as_bytes()))
        event = {"kind": "mail_sent", "public": False, "data": data}
    except Exception as error:  # noqa: BLE001 - the reply stands; staff see the failure in the log
        event = {"kind": "mail_failed", "public": False, "data": {**data, "error": type(error).__name__}}
    # Recorded from a fresh read if a staff change landed meanwhile: a refusal here would retry the step
    # and send the letter twice.
    work.apply(
        number,
        lambda fresh: (Change(str(fresh.item["status"]), [event]), {}),
        actor=SYSTEM,
        now=now,
        store=requests_repository(),
    )


def run(action: str, payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    actions = {"set_step": set_step, "book": book, "refused": refused, "reply": reply}
    if action == "remind":
        return remind(now=now)
    if action not in actions:
        raise ValueError(f"unknown action {action!r}")
    return actions[action](payload, now=now)


# --- the daily reminder ----------------------------------------------------------------------------------


def remind(*, now: datetime) -> dict[str, Any]:
    """Remind the participants of every session starting 2 working days from today; once per booking
    (a second run the same day finds ``reminded_for``)."""
    calendar = current_calendar().scoped()
    today = now.astimezone(zone(TZ)).date()
    store = sessions.store()
    reminded = 0
    for session in store.sessions():
        start = datetime.fromisoformat(str(session["start_date"])).date()
        if session["status"] != "scheduled" or not rules.remind_on(calendar, start, today):
            continue
        text = (
            f"Pengingat: pelatihan e-Purchasing ({session['session_id']}) berlangsung "
            f"{session['start_date']} s.d. {session['end_date']} di {session['place']}.\n"
            "Kehadiran dicatat per hari; yang hadir pada kedua hari dicatat telah mengikuti pelatihan."
        )
        for booking in sessions.bookings(str(session["session_id"])):
            if booking.get("reminded_for") == session["start_date"]:
                continue
            sessions.mail_people(
                sessions.addresses(booking),
                "Pengingat pelatihan",
                text,
                number=str(booking["number"]),
                now=now,
            )
            store.mark_reminded(
                str(session["session_id"]), str(booking["number"]), str(session["start_date"])
            )
            reminded += 1
    return {"reminded": reminded}
