"""Use cases of the public doors: submit a request, read its status."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from desk import clock, ids
from desk.calendar import WorkingCalendar
from desk.data import schema
from desk.errors import Conflict, NotFound
from desk.requests import sla
from desk.requests.forms import TicketForm
from desk.requests.model import FINAL_STATUSES, Channel, RequestType, Status
from desk.requests.store import Claim, IdempotencyClash, RequestRepository, StoredRequest

IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)
REPEAT_WINDOW = timedelta(minutes=10)  # the same body from the same sender within it is the same request
DEFAULT_UNIT = "helpdesk"


@dataclass(frozen=True)
class Receipt:
    number: str
    access_code: str
    status: str
    due_at: str | None
    repeated: bool = False

    def public(self) -> dict[str, Any]:
        body: dict[str, Any] = {"number": self.number, "access_code": self.access_code, "status": self.status}
        if self.due_at is not None:
            body["due_at"] = self.due_at
        return body


@dataclass(frozen=True)
class NewRequest:
    """Everything a door knows about a new request; the intake turns it into stored items."""

    type: RequestType
    channel: Channel
    subject: str
    body: str
    requester: dict[str, Any]
    unit: str = DEFAULT_UNIT
    anonymous: bool = False
    confidential: bool = False
    details: dict[str, Any] | None = None
    language: str = "id"
    documents: tuple[str, ...] = ()  # upload ids attached at creation
    # The answer's deadline: working days (None: no deadline), in the unit's zone and regional days.
    working_days: int | None = 5
    tz: str = "Asia/Jakarta"
    scopes: tuple[str, ...] = ()
    received_at: datetime | None = None  # when it differs from now (a letter stamped earlier)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _idempotency_record(key: str, fingerprint: str, receipt: Receipt, expires: datetime) -> dict[str, Any]:
    return {
        **schema.idempotency(key),
        "fingerprint": fingerprint,
        "result": receipt.public(),
        "expires_at": int(expires.timestamp()),
    }


def _receipt_from(record: dict[str, Any]) -> Receipt:
    result = record["result"]
    return Receipt(
        number=result["number"],
        access_code=result["access_code"],
        status=result["status"],
        due_at=result.get("due_at"),
        repeated=True,
    )


def start_workflow(state_machine_arn: str, number: str, new: NewRequest, *, received_at: str) -> None:
    """Start the request's workflow with what every workflow reads first. One execution per request,
    named after it: a start that finds it already there (running or ended) leaves it as it is."""
    from desk.data.workflows import engine

    engine().start_once(
        state_machine_arn,
        number,
        {
            "number": number,
            "subject": new.subject,
            "unit": new.unit,
            "working_days": new.working_days,
            "received_at": received_at,
            "tz": new.tz,
            "scopes": list(new.scopes),
        },
    )


def ensure_workflow(
    state_machine_arn: str, receipt: Receipt, new: NewRequest, *, store: RequestRepository, now: datetime
) -> None:
    """The request's workflow, started: at once for a new request, and again for a repeat of it (a retry
    after a first attempt stored the request but could not start its workflow, Step Functions throttled),
    from when the request was made."""
    if not receipt.repeated:
        start_workflow(state_machine_arn, receipt.number, new, received_at=clock.iso(now))
        return
    stored = store.load(receipt.number)
    if stored is None or stored.item.get("status") in FINAL_STATUSES:
        return
    start_workflow(state_machine_arn, receipt.number, new, received_at=str(stored.item["created_at"]))


def keyed_number(
    idempotency_keys: tuple[str, ...], *, store: RequestRepository, now: datetime
) -> Callable[[], str | None]:
    """The request an Idempotency-Key already made, if any (whether the body matches is :func:`submit`'s
    to judge). Read once, and only when asked: a check asks only when a retry may be in front of it (an
    upload already claimed, an open request already there), so a first attempt costs no read."""

    @cache
    def number() -> str | None:
        epoch = int(now.timestamp())
        records = store.idempotency_records([f"key#{_digest(key)}" for key in idempotency_keys if key])
        for record in records:
            if int(record.get("expires_at", 0)) >= epoch:
                return str(record["result"]["number"])
        return None

    return number


def submit(
    new: NewRequest,
    *,
    now: datetime,
    store: RequestRepository,
    idempotency_keys: tuple[str, ...] = (),
    calendar: WorkingCalendar,
    claims: Sequence[Claim] = (),
) -> Receipt:
    """Store a new request (one transaction); a repeat returns the first receipt instead.

    ``claims`` are what the request's transaction also claims (its uploads, a slot, a guard); a
    refused one raises :class:`ClaimClash` and nothing is stored."""
    fingerprint = _digest(
        {
            "type": new.type,
            "subject": new.subject,
            "body": new.body,
            "who": new.requester,
            "docs": new.documents,
        }
    )
    sender = str(new.requester.get("email") or new.requester.get("phone") or "")
    keys: list[tuple[str, datetime]] = [(f"repeat#{_digest([sender, fingerprint])}", now + REPEAT_WINDOW)]
    keys[:0] = [(f"key#{_digest(key)}", now + IDEMPOTENCY_KEY_LIFETIME) for key in idempotency_keys if key]
    epoch = int(now.timestamp())

    def earlier() -> Receipt | None:
        for record in store.idempotency_records([k for k, _ in keys]):
            if int(record.get("expires_at", 0)) < epoch:
                continue
            if record["pk"].startswith(schema.CLIENT_KEY_PREFIX) and record["fingerprint"] != fingerprint:
                raise Conflict(
                    "Idempotency-Key ini sudah dipakai untuk isi yang berbeda.",
                    code="idempotency_key_reused",
                    fields={"Idempotency-Key": "sudah dipakai untuk isi lain"},
                )
            return _receipt_from(record)
        return None

    found = earlier()
    if found is not None:
        return found

    year = now.astimezone(clock_zone()).year
    number = ids.format_number(year, store.next_sequence(f"request#{year}"))
    code = ids.new_access_code()
    created = clock.iso(now)
    first_event = {
        **schema.event(number, 1),
        "at": created,
        "kind": "created",
        "public": True,
        "actor": "requester",
        "data": {
            "channel": str(new.channel),
            "received_at": clock.iso(new.received_at or now),
            "working_days": new.working_days,
            "tz": new.tz,
            "scopes": list(new.scopes),
        },
    }
    sla_clock = sla.replay([first_event], calendar)
    due_iso = clock.iso(sla_clock.due_at) if sla_clock else None
    receipt = Receipt(number=number, access_code=code, status=Status.SUBMITTED, due_at=due_iso)
    item: dict[str, Any] = {
        **schema.request(number),
        "number": number,
        "type": str(new.type),
        "channel": str(new.channel),
        "status": str(Status.SUBMITTED),
        "subject": new.subject,
        "body": new.body,
        "unit": new.unit,
        "assignee": "",
        "anonymous": new.anonymous,
        "confidential": new.confidential,
        "language": new.language,
        "access_code_hash": ids.hash_access_code(code),
        "created_at": created,
        "version": 1,
        "sla": sla_clock.snapshot() if sla_clock else None,
    }
    if new.details:
        item["details"] = new.details
    if new.documents:
        item["documents"] = list(new.documents)
    if not new.anonymous:
        item["requester_name"] = new.requester.get("name", "")
    else:
        from desk.requests import privacy

        hidden = privacy.redact(new.subject, privacy.identity_values(new.requester))
        if hidden != new.subject:
            item["subject_redacted"] = hidden
    identity = {**schema.identity(number), **new.requester}
    records = [_idempotency_record(key, fingerprint, receipt, expires) for key, expires in keys]
    try:
        store.create(item, identity, [first_event], records, epoch, claims)
    except IdempotencyClash:
        # A twin submission won the race: answer with its receipt (this number is skipped, never reused).
        found = earlier()
        if found is None:
            raise
        return found
    from desk.observability import logger, note_request

    note_request(number)
    logger().info(
        "request created",
        extra={"number": number, "type": str(new.type), "channel": str(new.channel), "unit": new.unit},
    )
    return receipt


def clock_zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Jakarta")  # numbers carry the year in WIB (contract)


def ticket_request(form: TicketForm) -> NewRequest:
    requester = {"name": form.name, "email": form.email}
    if form.phone:
        requester["phone"] = form.phone
    if form.institution:
        requester["institution"] = form.institution
    type_ = RequestType(form.kind)
    return NewRequest(
        type=type_,
        working_days=working_days_for(type_),
        channel=Channel.WEB,
        subject=form.subject,
        body=form.message,
        requester=requester,
        anonymous=form.anonymous,
        confidential=form.confidential,
        details={"category": form.category} if form.category else None,
        documents=tuple(form.attachment_upload_ids),
    )


def working_days_for(type_: RequestType) -> int:
    from desk.admin.policies import policy_for  # reference data: read only where a request is made

    return policy_for(str(type_)).working_days


def authorised(
    number: str, code: str, store: RequestRepository, *, client: str = "", now: datetime
) -> StoredRequest:
    """The request, for its requester; a wrong number and a wrong code give the same answer, and
    repeated wrong codes are refused for a while (per number and per client)."""
    from desk.requests import ratelimit

    not_found = NotFound("Nomor atau kode akses tidak cocok.", code="request_not_found")
    if not ids.is_number(number) or not code:
        raise not_found
    ratelimit.check(number, client, now)
    stored = store.load(number)
    if stored is None or not ids.access_code_matches(code, stored.item.get("access_code_hash", "")):
        ratelimit.record_failure(number, client, now)
        raise not_found
    return stored


def public_status(
    number: str, code: str, *, store: RequestRepository, client: str, now: datetime
) -> dict[str, Any]:
    """What the requester may see: the public timeline and replies, no personal data."""
    stored = authorised(number, code, store, client=client, now=now)
    item = stored.item
    timeline = [
        {"at": e["at"], "kind": e["kind"], **({"text": e["text"]} if e.get("text") else {})}
        for e in sorted(stored.events, key=lambda e: e["sk"])
        if e.get("public")
    ]
    # The desk's answers: replies, and the answer, refusal or dispatch a step ended with (a training
    # request's reply letter is an "answered" event, a letter's answer its dispatch).
    replies = [
        {"at": e["at"], "text": e.get("text", ""), "from": e.get("from", "staff"), "kind": e["kind"]}
        for e in sorted(stored.events, key=lambda e: e["sk"])
        if e.get("public") and (e["kind"] == "replied" or (e["kind"] in ANSWER_KINDS and e.get("text")))
    ]
    answer: dict[str, Any] = {
        "number": item["number"],
        "type": item["type"],
        "status": item["status"],
        "created_at": item["created_at"],
        "due_at": (item.get("sla") or {}).get("due_at"),
        "tz": (item.get("sla") or {}).get("tz") or "Asia/Jakarta",  # the zone the page shows dates in
        "timeline": timeline,
        "replies": replies,
        "documents": requester_documents(item, stored.events),
    }
    if item.get("step"):
        answer["step"] = item["step"]
    if (item.get("details") or {}).get("awaiting_confirmation") and item[
        "status"
    ] == Status.WAITING_REQUESTER:
        answer["awaiting_confirmation"] = True
    return answer


ANSWER_KINDS = frozenset({"answered", "rejected", "dispatched"})
# What the requester may download: what they sent, and what the desk wrote to them; a letter's signed
# answer once it has been dispatched. Scans, drafts and other staff papers stay inside.
REQUESTER_PURPOSES = frozenset(
    {"sk_letter", "company_letter", "training_letter", "payment_proof", "attachment", "reply_letter"}
)


def requester_documents(item: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from desk.documents import uploads

    purposes = set(REQUESTER_PURPOSES)
    if any(e.get("kind") == "dispatched" for e in events):
        purposes.add("signed_letter")
    found = []
    for upload_id in item.get("documents", []):
        record = uploads.load(str(upload_id))
        if record and record.get("purpose") in purposes and record.get("status") == "accepted":
            found.append(
                {k: record.get(k) for k in ("upload_id", "purpose", "filename", "content_type", "size")}
            )
    return found


def requester_document(
    number: str, code: str, upload_id: str, *, store: RequestRepository, client: str, now: datetime
) -> str:
    """A short-lived download link for a document of the requester's own request."""
    from desk.documents import uploads

    stored = authorised(number, code, store, client=client, now=now)
    shown = {d["upload_id"] for d in requester_documents(stored.item, stored.events)}
    record = uploads.load(upload_id) if upload_id in shown else None
    if record is None or record.get("attached_to") != number:
        raise NotFound("Dokumen tidak ditemukan.", code="document_not_found")
    return uploads.download_url(record)
