"""Mail to the support address: SES stored the raw message in S3, and this turns it into a request, a
reply to one, or a bounce noted on one.

The raw file is kept whatever happens; a message that cannot be understood still becomes a request,
flagged for staff with the raw file attached. SES delivers at least once, so the SES message id and
the mail's own Message-ID both guard against duplicates. Threading, strongest first: a Message-ID of
ours (signed) in In-Reply-To/References; the subject tag when the sender is the requester; otherwise a
new request (a forged tag from someone else never joins another person's request).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desk import keys
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.errors import Conflict
from desk.event_models import SesRecord
from desk.mail.automated import Automation, classify
from desk.mail.parse import ParsedMessage, parse_message
from desk.mail.send import number_from_message_id
from desk.requests import acknowledge, intake, lifecycle, work
from desk.requests.model import FINAL_STATUSES, Channel, RequestType
from desk.requests.store import RequestRepository, StoredRequest
from desk.settings import Settings

RAW_MAIL_PREFIX = "inbound-mail/"
NO_SUBJECT = "(tanpa subjek)"


@dataclass(frozen=True)
class Outcome:
    ses_message_id: str
    number: str | None
    acknowledged: bool
    repeated: bool
    reason: str | None = None
    kind: str = "new"  # new | reply | bounce


def fetch_raw(ses_message_id: str) -> bytes:
    """The message as SES stored it in the documents bucket."""
    from desk.data.files import documents

    return documents().read(RAW_MAIL_PREFIX + ses_message_id)


def _flagged(parsed: ParsedMessage, verdicts: dict[str, str]) -> str | None:
    if verdicts.get("virus") == "FAIL":
        return "virus"
    if verdicts.get("spam") == "FAIL":
        return "spam"
    if not parsed.understood:
        return "unreadable"
    return None


# What a subject's first word says a mail is (the service standard takes complaints, suggestions and
# input alike); anything else is a complaint, the desk's default.
_KINDS_BY_WORD = {
    "saran": RequestType.SUGGESTION,
    "suggestion": RequestType.SUGGESTION,
    "masukan": RequestType.INPUT,
    "input": RequestType.INPUT,
    "feedback": RequestType.INPUT,
    "pengaduan": RequestType.COMPLAINT,
    "aduan": RequestType.COMPLAINT,
    "keluhan": RequestType.COMPLAINT,
    "complaint": RequestType.COMPLAINT,
}
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|bls|balas|tr|aw|wg)\s*:\s*)+", re.IGNORECASE)
_KIND_WORD = re.compile(r"^\s*(?:\[\s*([A-Za-z]+)\s*\]|([A-Za-z]+)\s*[:\-])")
_CONVERSATIONS = frozenset({RequestType.COMPLAINT, RequestType.SUGGESTION, RequestType.INPUT})


def kind_from_subject(subject: str | None) -> RequestType:
    """``Saran: ...`` is a suggestion, ``Masukan: ...`` input; a complaint otherwise."""
    match = _KIND_WORD.match(_REPLY_PREFIX.sub("", subject or ""))
    if not match:
        return RequestType.COMPLAINT
    return _KINDS_BY_WORD.get((match.group(1) or match.group(2)).lower(), RequestType.COMPLAINT)


def to_new_request(
    parsed: ParsedMessage, *, raw_key: str, verdicts: dict[str, str], kind: RequestType | None = None
) -> intake.NewRequest:
    flag = _flagged(parsed, verdicts)
    requester: dict[str, Any] = {"email": parsed.from_address or "", "name": parsed.from_name or ""}
    kind = kind or kind_from_subject(parsed.subject)
    return intake.NewRequest(
        type=kind,
        channel=Channel.EMAIL,
        subject=(parsed.subject or NO_SUBJECT)[:200],
        body=parsed.text[:20_000] or parsed.full_text[:20_000],
        requester=requester,
        working_days=intake.working_days_for(kind),
        details={
            "raw_key": raw_key,
            "message_id": parsed.message_id,
            "verdicts": verdicts,
            "problems": list(parsed.problems)[:50],
            "flagged": flag,
            "attachments": [a.filename for a in parsed.attachments][:50],
        },
    )


def authenticated(verdicts: dict[str, str]) -> bool:
    """Whether SES vouches for the sender: DMARC passed, or (no DMARC failure and) SPF or DKIM passed.
    A From address alone is anyone's to write."""
    if verdicts.get("dmarc") == "PASS":
        return True
    return verdicts.get("dmarc") != "FAIL" and "PASS" in (verdicts.get("spf"), verdicts.get("dkim"))


def _thread(parsed: ParsedMessage, store: RequestRepository) -> tuple[StoredRequest | None, bool]:
    """The request a mail replies to, and whether the match is by one of our signed Message-IDs (which
    cannot be forged) rather than by the tag in the subject and the sender's address (which can)."""
    ring = keys.key_ring()
    for message_id in (*parsed.in_reply_to, *parsed.references):
        number = number_from_message_id(f"<{message_id.strip('<>')}>", ring)
        if number:
            stored = store.load(number)
            if stored is not None:
                return stored, True
    for tag in parsed.ticket_tags:
        stored = store.load(tag)
        if stored is None:
            continue
        requester = str((stored.identity or {}).get("email") or "").lower()
        participants = [str(p).lower() for p in stored.item.get("participants", [])]
        if parsed.from_address and parsed.from_address.lower() in (requester, *participants):
            return stored, False
    return None, False


def _delivery_keys(ses_message_id: str, parsed: ParsedMessage) -> list[str]:
    return [f"ses:{ses_message_id}"] + ([f"mid:{parsed.message_id}"] if parsed.message_id else [])


def _seen(keys_: list[str]) -> bool:
    """Whether a reply or bounce with one of these keys was handled before (an SES retry, or the same
    Message-ID by two routes). New requests are guarded by the intake's own idempotency records."""
    from desk.data.marks import repository as marks

    return marks().any_marked([schema.mail_seen(k) for k in keys_])


def _mark_seen(keys_: list[str], now: datetime) -> None:
    """Recorded only once the message was handled, so a failed attempt is retried rather than lost."""
    from desk.data.marks import repository as marks

    expires = int((now + timedelta(days=30)).timestamp())
    marks().mark([schema.mail_seen(key) for key in keys_], {"expires_at": expires})


def _store_attachments(parsed: ParsedMessage, number: str, now: datetime, source: str) -> list[str]:
    from desk.documents.uploads import store_from_mail

    return [
        store_from_mail(a.content, a.filename, a.content_type, number=number, now=now, source=source)
        for a in parsed.attachments[:20]
    ]


def _bounce(
    automation: Automation, *, ses_message_id: str, now: datetime, store: RequestRepository
) -> Outcome:
    """A bounce of mail we sent: noted on its request (the address is failing); never a request itself."""
    number = None
    if automation.bounced_message_id:
        number = number_from_message_id(f"<{automation.bounced_message_id.strip('<>')}>", keys.key_ring())
    if number:
        event = {
            "kind": "mail_bounced",
            "public": False,
            "data": {"failed_recipients": list(automation.failed_recipients)},
        }
        _note(number, event, {"requester_mail_failing": True}, now=now, store=store)
    return Outcome(ses_message_id, number, acknowledged=False, repeated=False, reason="bounce", kind="bounce")


def _note(
    number: str, event: dict[str, Any], fields: dict[str, Any], *, now: datetime, store: RequestRepository
) -> None:
    """An internal event (and fields) on a request, whatever its status; read again once if someone
    wrote meanwhile."""
    for _ in range(2):
        stored = store.load(number)
        if stored is None:
            return
        try:
            change = lifecycle.Change(stored.item["status"], [event], fields)
            work.commit(stored, change, actor="system", now=now, store=store)
            return
        except Conflict:
            continue


def _reply(
    stored: StoredRequest,
    parsed: ParsedMessage,
    *,
    ses_message_id: str,
    now: datetime,
    store: RequestRepository,
) -> Outcome:
    number = stored.item["number"]
    documents = _store_attachments(parsed, number, now, f"mail:{ses_message_id}")
    text = parsed.text or parsed.full_text or "(pesan tanpa isi)"
    change = lifecycle.requester_message(
        stored.item, text=text[:20_000], working_days=work.working_days(stored.item)
    )
    change.events[0]["data"] |= {"channel": "email", "message_id": parsed.message_id, "documents": documents}
    fields = {"documents": [*stored.item.get("documents", []), *documents]} if documents else {}
    work.commit(
        stored,
        lifecycle.Change(change.status, change.events, fields),
        actor="requester",
        now=now,
        store=store,
    )
    return Outcome(ses_message_id, number, acknowledged=False, repeated=False, reason=None, kind="reply")


def _follow_registration(
    ended: StoredRequest,
    parsed: ParsedMessage,
    *,
    ses_message_id: str,
    now: datetime,
    store: RequestRepository,
) -> Outcome:
    """A reply to a rejected user-ID request (a corrected SK, most often) goes to the request that follows
    it, or starts one for the applicant to confirm; it never becomes a complaint."""
    from desk import registrations

    live = registrations.live_follower(ended, store)
    if live is not None:
        return _reply(live, parsed, ses_message_id=ses_message_id, now=now, store=store)
    receipt, acknowledged = registrations.follow_rejected(
        ended,
        mail_documents=lambda number: _store_attachments(parsed, number, now, f"mail:{ses_message_id}"),
        now=now,
        store=store,
    )
    followed = {"kind": "followed", "public": False, "data": {"by": receipt.number, "channel": "email"}}
    _note(ended.item["number"], followed, {"followed_by": receipt.number}, now=now, store=store)
    return Outcome(ses_message_id, receipt.number, acknowledged=acknowledged, repeated=False, reason=None)


def receive(record: SesRecord, *, settings: Settings, now: datetime, store: RequestRepository) -> Outcome:
    ses_message_id = record.ses.mail.messageId
    verdicts = record.ses.receipt.verdicts()
    raw = fetch_raw(ses_message_id)
    parsed = parse_message(raw)
    # SES's envelope sender: empty or MAILER-DAEMON marks a bounce even when the headers do not.
    automation = classify(
        parsed, {"return-path": record.ses.mail.source or "<>"}, own_addresses=[settings.support_address]
    )
    delivery = _delivery_keys(ses_message_id, parsed)
    if _seen(delivery):
        return Outcome(ses_message_id, None, acknowledged=False, repeated=True, reason="duplicate")
    if automation.bounce:
        outcome = _bounce(automation, ses_message_id=ses_message_id, now=now, store=store)
        _mark_seen(delivery, now)
        return outcome
    stored, signed = _thread(parsed, store) if not _flagged(parsed, verdicts) else (None, False)
    # A tag and a From address thread only mail SES vouches for; a forged one must not speak on someone
    # else's request: it becomes a new request that follows it, marked unverified for staff.
    trusted = signed or authenticated(verdicts)
    if stored is not None and trusted and stored.item["status"] not in FINAL_STATUSES:
        outcome = _reply(stored, parsed, ses_message_id=ses_message_id, now=now, store=store)
        _mark_seen(delivery, now)
        return outcome
    refused_user_id = stored is not None and (stored.item["type"], stored.item["status"]) == (
        RequestType.REGISTRATION,
        "rejected",
    )
    if stored is not None and trusted and refused_user_id:
        outcome = _follow_registration(stored, parsed, ses_message_id=ses_message_id, now=now, store=store)
        _mark_seen(delivery, now)
        return outcome
    # A reply to an ended complaint, suggestion or input goes on as one of its kind.
    earlier = RequestType(stored.item["type"]) if stored is not None else None
    kind = earlier if earlier in _CONVERSATIONS and trusted else None
    new = to_new_request(parsed, raw_key=RAW_MAIL_PREFIX + ses_message_id, verdicts=verdicts, kind=kind)
    if stored is not None:  # a reply to a closed request, or unvouched mail, opens a new one that follows
        new.details["follows"] = stored.item["number"]  # type: ignore[index]
        if not trusted:
            new.details["unverified_sender"] = True  # type: ignore[index]
    receipt = intake.submit(
        new, now=now, store=store, idempotency_keys=tuple(delivery), calendar=current_calendar()
    )
    if stored is not None and not receipt.repeated:  # the ended request points at what followed it
        followed = {"kind": "followed", "public": False, "data": {"by": receipt.number, "channel": "email"}}
        _note(stored.item["number"], followed, {"followed_by": receipt.number}, now=now, store=store)
    if not receipt.repeated and parsed.attachments:
        documents = _store_attachments(parsed, receipt.number, now, f"mail:{ses_message_id}")
        fresh = work.load(receipt.number, store)
        work.commit(
            fresh,
            lifecycle.Change(fresh.item["status"], [], {"documents": documents}),
            actor="system",
            now=now,
            store=store,
        )
    quiet = (
        automation.automated
        or bool((new.details or {}).get("flagged"))
        or not parsed.from_address
        or receipt.repeated
    )
    # A sender is a client of its own: the per-address limit of acknowledge() is the one that counts.
    acknowledged = not quiet and acknowledge.acknowledge(
        new, receipt, settings=settings, store=store, now=now, client=""
    )
    return Outcome(
        ses_message_id,
        receipt.number,
        acknowledged=acknowledged,
        repeated=receipt.repeated,
        reason=automation.reason or (new.details or {}).get("flagged"),
    )
