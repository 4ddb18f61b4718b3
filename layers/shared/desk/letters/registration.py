"""``POST /staff/letters``: the Secretary registers a stamped letter and its chain starts.

The scan's upload is the registration's identity: sending the same registration again (a timeout, a
double click) answers with the first one and makes sure its workflow runs, so a letter is never
registered twice nor left without its chain.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

from desk import clock, runtime
from desk.calendar_store import current_calendar
from desk.data.requests import repository as requests_repository
from desk.data.workflows import engine as workflow_engine
from desk.dates import human_date
from desk.errors import RuleViolation
from desk.fields import Email, Line, Phone
from desk.letters import numbers, rules
from desk.requests import acknowledge, intake, work
from desk.requests.lifecycle import Change
from desk.requests.model import Channel, RequestType, Status
from desk.requests.store import RequestRepository, StoredRequest, attach_uploads
from desk.settings import get_settings
from desk.staff import StaffUser

WORKFLOW_ARN = "LETTER_WORKFLOW_ARN"

Address = Annotated[str, StringConstraints(max_length=500, strip_whitespace=True)]
LetterNumber = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class LetterForm(BaseModel):
    """The contract's fields for a stamped incoming letter."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sender_name: Line
    sender_institution: Line
    sender_email: Email | None = None
    sender_phone: Phone | None = None
    sender_fax: Phone | None = None
    sender_address: Address | None = None
    letter_number: LetterNumber
    letter_date: date
    subject: Line
    kind: rules.LetterKind
    received_at: AwareDatetime
    scan_upload_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


def register(form: LetterForm, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    from desk.admin.policies import policy_for
    from desk.documents import uploads

    user.require("secretary")
    problems = rules.received_problems(form.received_at, form.letter_date, now)
    if problems:
        raise RuleViolation("Waktu terima surat tidak sah.", fields=problems)
    store = requests_repository()
    earlier = _registered_with(form, store)
    if earlier is not None:
        number = earlier.item["number"]
        return {"number": number, "agenda_number": _start_chain(number, store, now)}
    uploads.usable_uploads([form.scan_upload_id], purposes={"letter_scan"}, now=now, field="scan_upload_id")
    agenda = numbers.next_agenda_number(form.received_at)
    new = intake.NewRequest(
        type=RequestType.LETTER,
        channel=Channel.LETTER,
        subject=form.subject,
        body=(
            f"Surat {form.sender_institution} nomor {form.letter_number} tanggal "
            f"{human_date(form.letter_date, weekday=False)}: {form.subject}"
        ),
        requester=_sender(form),
        unit=rules.LETTER_UNIT,
        details={
            "agenda_number": agenda,
            "letter_number": form.letter_number,
            "letter_date": form.letter_date.isoformat(),
            "kind": form.kind,
            "received_at": clock.iso(form.received_at),
            "scan_upload_id": form.scan_upload_id,
            "registered_by": user.email,
        },
        documents=(form.scan_upload_id,),
        working_days=rules.chain_working_days(policy_for(str(RequestType.LETTER)).working_days),
        received_at=form.received_at,
    )
    receipt = intake.submit(
        new,
        now=now,
        store=store,
        calendar=current_calendar(),
        claims=attach_uploads([form.scan_upload_id], at=clock.iso(now)),
    )
    if new.requester.get("email"):
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now)
    answer = {"number": receipt.number, "agenda_number": _start_chain(receipt.number, store, now)}
    if not receipt.repeated:  # a twin submission gets the first one's number; its code was shown there
        answer["access_code"] = receipt.access_code
    return answer


def _sender(form: LetterForm) -> dict[str, Any]:
    sender: dict[str, Any] = {"name": form.sender_name, "institution": form.sender_institution}
    for name in ("email", "phone", "fax", "address"):
        value = getattr(form, f"sender_{name}")
        if value:
            sender[name] = value
    return sender


def _registered_with(form: LetterForm, store: RequestRepository) -> StoredRequest | None:
    """This same letter, registered before with this scan (same letter number), if it was; another
    letter naming an attached scan is refused by the upload check instead."""
    from desk.documents import uploads

    record = uploads.load(form.scan_upload_id)
    number = (record or {}).get("attached_to")
    if not number:
        return None
    stored = store.load(str(number))
    if stored is None or stored.item.get("type") != RequestType.LETTER:
        return None
    details = stored.item.get("details") or {}
    if (details.get("scan_upload_id"), details.get("letter_number")) != (
        form.scan_upload_id,
        form.letter_number,
    ):
        return None
    return stored


def _start_chain(number: str, store: RequestRepository, now: datetime) -> str:
    """Mark the letter registered (step ``disposition``) and start its one execution, named after it;
    its nomor agenda. Both are safe to repeat: the event is written once, the execution's name is unique."""
    stored = work.load(number, store)
    if not any(e.get("kind") == "registered" for e in stored.events):
        details = stored.item.get("details") or {}
        event = {
            "kind": "registered",
            "public": True,
            "text": f"Surat diterima dan dicatat dengan nomor agenda {details.get('agenda_number')}.",
            "data": {
                "agenda_number": details.get("agenda_number"),
                "received_at": details.get("received_at"),
                "letter_number": details.get("letter_number"),
                "by": details.get("registered_by"),
            },
        }
        change = Change(Status.IN_PROGRESS, [event], {"step": "disposition"})
        work.commit(stored, change, actor=str(details.get("registered_by") or "system"), now=now, store=store)
    details = stored.item.get("details") or {}
    execution_input = {
        "number": number,
        "subject": stored.item.get("subject", ""),
        "secretary": details.get("registered_by", ""),
    }
    workflow_engine().start_once(_workflow_arn(), number, execution_input)
    return str(details.get("agenda_number", ""))


def _workflow_arn() -> str:
    arn = runtime.current().environ.get(WORKFLOW_ARN, "")
    if not arn:
        raise RuntimeError(f"{WORKFLOW_ARN} is not set")
    return str(arn)
