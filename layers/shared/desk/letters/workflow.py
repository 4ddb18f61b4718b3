"""The letter workflow's own Lambda tasks (statemachines/letter.asl.json): each records one hop of the
chain on the request (events in its log, ``details``, ``step``, status).

Step Functions may run a task twice (a retry after a timeout), so every task is idempotent: a decision is
recorded once, keyed by its task id. Parallel Subdits write the same request, so a write that lost the
race is read again and redone. A document the decision names is checked and attached here; one that
cannot be used raises :class:`UnusableDocument`, which the state machine catches by name to ask again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NoReturn

from desk import clock
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.errors import DeskError
from desk.letters import numbers, rules
from desk.requests import work
from desk.requests.lifecycle import Change
from desk.requests.model import Status
from desk.requests.store import StoredRequest

MAX_ATTACHED_BYTES = 7 * 1024 * 1024  # SES takes 10 MB raw; base64 adds a third
SYSTEM = "system"


class UnusableDocument(DeskError):
    """The upload a decision names cannot be used (unknown, not checked, rejected, of another request).
    The state machine catches it by this class name and asks the person again."""

    code = "unusable_document"


Build = work.Build


# --- plumbing -----------------------------------------------------------------------------------------


def _event(kind: str, *, public: bool, text: str = "", **data: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "kind": kind,
        "public": public,
        "data": {k: v for k, v in data.items() if v is not None},
    }
    if text:
        event["text"] = text
    return event


def _apply(number: str, build: Build, *, actor: str, now: datetime) -> dict[str, Any]:
    return work.apply(number, build, actor=actor, now=now, store=requests_repository())


def _recorded(stored: StoredRequest, task_id: str) -> dict[str, Any] | None:
    """The event that already recorded this decision, if a previous run of the task wrote it."""
    for event in stored.events:
        if (event.get("data") or {}).get("task_id") == task_id:
            return event
    return None


def _details(stored: StoredRequest) -> dict[str, Any]:
    return dict(stored.item.get("details") or {})


def _answers(details: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {unit: dict(entry) for unit, entry in (details.get("answers") or {}).items()}


def _status(stored: StoredRequest) -> str:
    return str(stored.item["status"])


def _unit_name(unit_id: str) -> str:
    from desk.admin.units import get_unit

    unit = get_unit(unit_id)
    return unit.name if unit is not None else unit_id


def _decision(payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any], str, str, bool]:
    decision = payload["decision"]
    return (
        str(decision["task_id"]),
        str(decision["decision"]),
        dict(decision.get("fields") or {}),
        str(decision.get("decided_by") or ""),
        str(decision.get("decided_at") or ""),
        bool(decision.get("late")),
    )


def _attach(upload_id: str, purpose: str, number: str, now: datetime) -> dict[str, Any]:
    """Check the upload and claim it for this request (again harmlessly on a rerun); its record."""
    from desk.data.uploads import repository as upload_records
    from desk.documents import uploads

    record = uploads.load(upload_id)
    if record is not None and record.get("attached_to") == number and record.get("purpose") == purpose:
        return record
    try:
        uploads.usable_uploads([upload_id], purposes={purpose}, now=now, field="upload")
    except DeskError as error:
        raise UnusableDocument(
            f"Unggahan {upload_id} tidak dapat dipakai: {error.fields.get('upload', error.message)}."
        ) from None
    if not upload_records().attach(upload_id, number, clock.iso(now)):
        raise UnusableDocument(f"Unggahan {upload_id} baru saja dipakai untuk permintaan lain.")
    return uploads.load(upload_id) or {}


def _refuse(number: str, kind: str, task_id: str, reason: str, now: datetime, **data: Any) -> NoReturn:
    """Log why a decision's document was refused (once), then raise for the state machine."""

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        if _recorded(stored, task_id):
            return None, {}
        event = _event(kind, public=False, reason=reason, task_id=task_id, **data)
        return Change(_status(stored), [event]), {}

    _apply(number, build, actor=SYSTEM, now=now)
    raise UnusableDocument(reason)


# --- the tasks ----------------------------------------------------------------------------------------


def dispose(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Director's disposition: to Subdits, answered by the directorate itself, or for information
    (closed with the reason). A disposition naming a unit that is not a Subdit is logged and asked again."""
    from desk.admin.units import get_unit

    number = payload["number"]
    task_id, choice, fields, by, at, late = _decision(payload)
    chosen = list(dict.fromkeys(fields.get("subdits") or []))
    found = {unit: get_unit(unit) for unit in chosen}
    kinds = {unit: known.kind for unit, known in found.items() if known is not None}
    names = {unit: _unit_name(unit) for unit in chosen}

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        done = _recorded(stored, task_id)
        if done is not None:
            data = done.get("data") or {}
            return None, {"route": data.get("route", "again"), "units": list(data.get("units") or [])}
        details = _details(stored)
        common: dict[str, Any] = {"task_id": task_id, "by": by, "decision": choice, "late": late}
        if choice == "for_information":
            reason = fields.get("notes") or rules.FOR_INFORMATION_REASON
            details["disposition"] = {"decision": choice, "units": [], "notes": reason, "by": by, "at": at}
            events = [
                _event("disposed", public=False, route="closed", units=[], notes=reason, **common),
                _event("closed", public=True, text=reason, by=by),
            ]
            change = Change(Status.CLOSED, events, {"details": details, "step": ""})
            return change, {"route": "closed", "units": []}
        units = [rules.LETTER_UNIT] if choice == "answer_directly" else chosen
        unknown = [] if choice == "answer_directly" else rules.unknown_subdits(chosen, kinds)
        if unknown:
            event = _event("disposition_refused", public=False, route="again", unknown=unknown, **common)
            return Change(_status(stored), [event]), {"route": "again", "units": []}
        details["disposition"] = {
            "decision": choice,
            "units": units,
            "instruction": fields.get("instruction"),
            "notes": fields.get("notes", ""),
            "by": by,
            "at": at,
        }
        details["answers"] = {}
        text = rules.disposed_text(units, names, directly=choice == "answer_directly")
        event = _event(
            "disposed",
            public=True,
            text=text,
            route="answer",
            units=units,
            instruction=fields.get("instruction"),
            notes=fields.get("notes") or None,
            **common,
        )
        change = Change(Status.IN_PROGRESS, [event], {"details": details, "step": "subdit_answer"})
        return change, {"route": "answer", "units": units}

    return _apply(number, build, actor=by or SYSTEM, now=now)


def _answer_view(stored: StoredRequest, unit: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """What the Subdit's ask and the Director's ask show and count from."""
    from desk.admin.units import head_of

    details = _details(stored)
    disposition = details.get("disposition") or {}
    name = _unit_name(unit)
    subject = str(stored.item.get("subject", ""))
    return {
        "unit": unit,
        "started_at": entry["received_at"],
        "working_days": int(entry["working_days"]),
        "subject": rules.answer_subject(
            subject,
            name,
            instruction=disposition.get("instruction"),
            notes=str(disposition.get("notes") or ""),
            returned_notes=str(entry.get("returned_notes") or ""),
        ),
        "signature_subject": rules.signature_subject(subject, name),
        # The directorate answering itself: asked of its head by name, so it shows in their task list.
        "person": (head_of(unit) or "") if unit == rules.LETTER_UNIT else "",
    }


def open_answer(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """A Subdit receives the disposition: its own clock starts now, once (a rerun keeps the first)."""
    from desk.admin.policies import policy_for

    number, unit = payload["number"], payload["unit"]
    working_days = policy_for("letter").working_days

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        details = _details(stored)
        answers = _answers(details)
        entry = answers.get(unit)
        if entry and entry.get("received_at"):
            return None, _answer_view(stored, unit, entry)
        entry = {
            "status": rules.ANSWERING,
            "received_at": clock.iso(now),
            "working_days": working_days,
            "returns": 0,
        }
        answers[unit] = entry
        details["answers"] = answers
        event = _event(
            "subdit_received",
            public=False,
            unit=unit,
            received_at=entry["received_at"],
            working_days=working_days,
        )
        change = Change(_status(stored), [event], {"details": details, "step": rules.current_step(details)})
        return change, _answer_view(stored, unit, entry)

    return _apply(number, build, actor=SYSTEM, now=now)


def answered(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Subdit's draft answer and summary, recorded late when past its deadline (the chain goes on)."""
    number, unit = payload["number"], payload["unit"]
    task_id, _, fields, by, at, late = _decision(payload)
    upload_id = str(fields.get("draft_upload_id", ""))
    stored = work.load(number, requests_repository())
    done = _recorded(stored, task_id)
    if done is not None:
        if done["kind"] == "draft_refused":
            raise UnusableDocument(str((done.get("data") or {}).get("reason", "")))
        return {}
    try:
        record = _attach(upload_id, "draft_answer", number, now)
    except UnusableDocument as error:
        _refuse(number, "draft_refused", task_id, error.message, now, unit=unit, by=by)
    summary = str(fields.get("summary", ""))

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        if _recorded(stored, task_id):
            return None, {}
        details = _details(stored)
        answers = _answers(details)
        entry = answers.get(unit) or {}
        entry |= {
            "status": rules.SIGNING,
            "draft_upload_id": upload_id,
            "summary": summary,
            "answered_by": by,
            "answered_at": at,
            "late": bool(entry.get("late")) or late,
        }
        answers[unit] = entry
        details["answers"] = answers
        documents = list(stored.item.get("documents") or [])
        if upload_id not in documents:
            documents.append(upload_id)
        event = _event(
            "subdit_answered",
            public=False,
            text="Terlambat dari batas waktu Subdit." if late else "",
            unit=unit,
            summary=summary,
            draft_upload_id=upload_id,
            sha256=record.get("sha256"),
            by=by,
            late=late,
            task_id=task_id,
        )
        fields_ = {"details": details, "documents": documents, "step": rules.current_step(details)}
        return Change(_status(stored), [event], fields_), {}

    return _apply(number, build, actor=by or SYSTEM, now=now)


def sign(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Director signs one answer: who, when, the SHA-256 of the signed document (the uploaded signed
    letter, else the draft as submitted) and a new outgoing letter number."""
    number, unit = payload["number"], payload["unit"]
    task_id, _, fields, by, at, late = _decision(payload)
    stored = work.load(number, requests_repository())
    done = _recorded(stored, task_id)
    if done is not None:
        if done["kind"] == "signature_refused":
            raise UnusableDocument(str((done.get("data") or {}).get("reason", "")))
        return {"outgoing_number": (done.get("data") or {}).get("outgoing_number")}
    entry = _answers(_details(stored)).get(unit) or {}
    signed_upload = fields.get("signed_upload_id")
    if signed_upload:
        try:
            record = _attach(str(signed_upload), "signed_letter", number, now)
        except UnusableDocument as error:
            _refuse(number, "signature_refused", task_id, error.message, now, unit=unit, by=by)
    else:
        from desk.documents import uploads

        record = uploads.load(str(entry.get("draft_upload_id", ""))) or {}
    document = str(record.get("upload_id") or entry.get("draft_upload_id") or "")
    outgoing = numbers.next_outgoing_number(now)  # taken once: a lost race does not take another

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        again = _recorded(stored, task_id)
        if again is not None:
            return None, {"outgoing_number": (again.get("data") or {}).get("outgoing_number")}
        details = _details(stored)
        answers = _answers(details)
        current = answers.get(unit) or {}
        current |= {
            "status": rules.SIGNED,
            "signed_by": by,
            "signed_at": at,
            "signed_upload_id": document,
            "sha256": record.get("sha256"),
            "outgoing_number": outgoing,
        }
        answers[unit] = current
        details["answers"] = answers
        details["outgoing_numbers"] = [*(details.get("outgoing_numbers") or []), outgoing]
        documents = list(stored.item.get("documents") or [])
        if document and document not in documents:
            documents.append(document)
        event = _event(
            "answer_signed",
            public=True,
            text=f"Surat jawaban telah ditandatangani Direktur dengan nomor {outgoing}.",
            unit=unit,
            by=by,
            at=at,
            sha256=record.get("sha256"),
            document=document,
            outgoing_number=outgoing,
            late=late,
            task_id=task_id,
        )
        fields_ = {"details": details, "documents": documents, "step": rules.current_step(details)}
        return Change(_status(stored), [event], fields_), {"outgoing_number": outgoing}

    return _apply(number, build, actor=by or SYSTEM, now=now)


def return_answer(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Director returns an answer with notes: back to that Subdit, whose deadline still counts from
    its first receipt. Each return is in the log."""
    number, unit = payload["number"], payload["unit"]
    task_id, _, fields, by, at, late = _decision(payload)
    notes = str(fields.get("notes", ""))

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        details = _details(stored)
        answers = _answers(details)
        entry = answers.get(unit) or {}
        if _recorded(stored, task_id):
            return None, _answer_view(stored, unit, entry)
        entry |= {
            "status": rules.ANSWERING,
            "returns": int(entry.get("returns") or 0) + 1,
            "returned_notes": notes,
        }
        answers[unit] = entry
        details["answers"] = answers
        event = _event(
            "answer_returned",
            public=False,
            text=notes,
            unit=unit,
            notes=notes,
            by=by,
            at=at,
            round=entry["returns"],
            late=late,
            task_id=task_id,
        )
        change = Change(_status(stored), [event], {"details": details, "step": rules.current_step(details)})
        return change, _answer_view(stored, unit, entry)

    return _apply(number, build, actor=by or SYSTEM, now=now)


def dispatched(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Secretary sent the signed answer (fax or courier): the letter is answered. When the sender
    gave an email, a copy of the signed answer goes there too (once)."""
    number = payload["number"]
    task_id, choice, fields, by, at, late = _decision(payload)

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        if _recorded(stored, task_id):
            return None, {}
        details = _details(stored)
        details["dispatch"] = {
            "how": choice,
            **{k: v for k, v in fields.items() if k != "decision"},
            "by": by,
        }
        events = [
            _event(
                "dispatched",
                public=True,
                text=rules.dispatched_text(fields),
                how=choice,
                fax_number=fields.get("fax_number"),
                sent_at=fields.get("sent_at"),
                courier=fields.get("courier"),
                tracking_number=fields.get("tracking_number"),
                by=by,
                at=at,
                late=late,
                task_id=task_id,
            ),
            _event("answered", public=False, by=by),  # the letter's own clock stops here
        ]
        return Change(Status.ANSWERED, events, {"details": details, "step": "confirmation"}), {}

    _apply(number, build, actor=by or SYSTEM, now=now)
    _mail_copy(number, now)
    return {}


def close(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """Phone confirmation (confirmed or unreachable) ends the chain: the letter is closed."""
    number = payload["number"]
    task_id, choice, fields, by, at, late = _decision(payload)

    def build(stored: StoredRequest) -> tuple[Change | None, dict[str, Any]]:
        if _recorded(stored, task_id):
            return None, {}
        details = _details(stored)
        details["confirmation"] = {"result": choice, "notes": fields.get("notes", ""), "by": by, "at": at}
        events = [
            _event(
                "receipt_confirmed" if choice == "confirmed" else "receipt_unconfirmed",
                public=True,
                text=rules.confirmation_text(choice),
                notes=fields.get("notes") or None,
                by=by,
                at=at,
                late=late,
                task_id=task_id,
            ),
            _event("closed", public=True, text="Surat selesai ditangani.", by=by),
        ]
        return Change(Status.CLOSED, events, {"details": details, "step": ""}), {}

    return _apply(number, build, actor=by or SYSTEM, now=now)


# --- mail ---------------------------------------------------------------------------------------------


def _mail_copy(number: str, now: datetime) -> None:
    """Email the sender a copy of the signed answer(s), attached when small enough; recorded in the log
    either way, and sent once (a rerun finds the record)."""
    from desk import keys
    from desk.data.files import documents as document_files
    from desk.documents import uploads
    from desk.mail import send
    from desk.settings import get_settings

    store = requests_repository()
    stored = work.load(number, store)
    address = (stored.identity or {}).get("email")
    if not address or any((e.get("data") or {}).get("purpose") == "signed_answer" for e in stored.events):
        return
    details = _details(stored)
    answers = _answers(details)
    settings = get_settings()
    outgoing = ", ".join(str(a.get("outgoing_number")) for a in answers.values() if a.get("outgoing_number"))
    documents = [uploads.load(str(a.get("signed_upload_id", ""))) for a in answers.values()]
    records = [d for d in documents if d and d.get("status") == "accepted" and d.get("object_key")]
    attach = sum(int(r.get("size") or 0) for r in records) <= MAX_ATTACHED_BYTES
    how = "faks" if (details.get("dispatch") or {}).get("how") == "fax" else "kurir"
    lines = [
        f"Surat Anda nomor {details.get('letter_number')} perihal {stored.item.get('subject', '')} telah "
        f"kami jawab dengan surat nomor {outgoing}.",
        f"Surat aslinya dikirim lewat {how}.",
        "Salinannya kami lampirkan." if attach and records else "Salinannya dapat dilihat di halaman status.",
        f"Nomor permintaan: {number}",
    ]
    mail = send.OutgoingMail(
        to=(str(address),),
        subject="Salinan surat jawaban",
        text="\n".join(lines) + "\n",
        html="".join(f"<p>{_escape(line)}</p>" for line in lines),
        number=number,
        automatic=False,
    )
    ring = keys.key_ring()
    domain = settings.support_address.rsplit("@", 1)[-1]
    message_id = send.new_message_id(number, ring, domain)
    message = send.build_message(mail, sender=settings.support_address, message_id=message_id, date=now)
    if attach:
        for record in records:
            body = document_files().read(str(record["object_key"]))
            maintype, _, subtype = str(record.get("content_type", "application/pdf")).partition("/")
            message.add_attachment(body, maintype=maintype, subtype=subtype, filename=str(record["filename"]))
    prepared = send.Prepared(message_id, settings.support_address, mail.to, message.as_bytes())
    try:
        send.deliver(prepared)
        event = _event(
            "mail_sent", public=False, to=[address], message_id=message_id, purpose="signed_answer"
        )
    except Exception as error:  # noqa: BLE001 - the dispatch stands; staff see the failure in the log
        event = _event(
            "mail_failed", public=False, to=[address], purpose="signed_answer", error=type(error).__name__
        )
    _apply(number, lambda s: (Change(_status(s), [event]), {}), actor=SYSTEM, now=now)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def trouble(payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """A task gave up after its retries: flag the request, log it, alert the Secretary, and say how long
    to pause before the task runs again (``final``: the chain cannot go on; staff take it from here)."""
    from desk.approvals import flow
    from desk.settings import get_settings

    number = payload["number"]
    state = str(payload.get("state", ""))
    unit = str(payload.get("unit") or "")
    final = bool(payload.get("final"))
    error = payload.get("error") or {}
    from desk.data.counters import repository as counters

    attempts = counters().add(
        schema.letter_trouble(number, state, unit), name="attempts", fields={"last_at": clock.iso(now)}
    )
    seconds = rules.trouble_pause_seconds(attempts, get_settings().working_day_seconds)
    label = rules.state_label(state)
    what = f"{label} ({unit})" if unit else label
    reason = f"Langkah surat {what} gagal: {error.get('Error', 'kesalahan')}."
    flow.flag(number, reason, now=now)
    event = _event(
        "task_failed",
        public=False,
        text=reason,
        state=state,
        unit=unit or None,
        error=str(error.get("Error", ""))[:200],
        attempts=attempts,
        retry_in_seconds=None if final else seconds,
    )
    _apply(number, lambda s: (Change(_status(s), [event]), {}), actor=SYSTEM, now=now)
    try:
        _alert_secretary(number, what, str(error.get("Error", "")), final=final, seconds=seconds, now=now)
    except Exception:  # noqa: BLE001 - the flag stands and staff see it; the mail is a courtesy
        from desk.observability import logger

        logger().exception("the Secretary could not be alerted", extra={"number": number})
    return {"seconds": seconds, "attempts": attempts}


def _alert_secretary(number: str, what: str, error: str, *, final: bool, seconds: int, now: datetime) -> None:
    from desk import keys
    from desk.admin.units import head_of
    from desk.mail import send
    from desk.settings import get_settings

    stored = work.load(number, requests_repository())
    secretary = _details(stored).get("registered_by") or head_of(rules.LETTER_UNIT)
    if not secretary:
        return
    then = (
        "Rantai surat ini berhenti; tangani surat ini dari konsol petugas."
        if final
        else f"Langkah ini akan dicoba lagi otomatis dalam {max(1, seconds // 60)} menit."
    )
    lines = [
        f"Langkah {what} untuk surat {number} gagal dijalankan ({error or 'kesalahan'}).",
        "Surat tetap tersimpan dan ditandai untuk ditangani petugas.",
        then,
    ]
    mail = send.OutgoingMail(
        to=(str(secretary),),
        subject=f"Gangguan pada surat {number}",
        text="\n".join(lines) + "\n",
        html="".join(f"<p>{_escape(line)}</p>" for line in lines),
        number=number,
    )
    settings = get_settings()
    send.send(mail, sender=settings.support_address, ring=keys.key_ring(), date=now)


ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "dispose": dispose,
    "open_answer": open_answer,
    "answered": answered,
    "sign": sign,
    "return": return_answer,
    "dispatched": dispatched,
    "close": close,
    "trouble": trouble,
}


def run(action: str, payload: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    try:
        task = ACTIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return task(payload, now=now)
