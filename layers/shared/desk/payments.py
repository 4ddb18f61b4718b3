"""Proofs of payment, one per e-Purchasing transaction and role (buyer or provider).

Matched against the imported transactions when known: an amount or date that disagrees, an unknown
transaction, or a file (by SHA-256) already used for another transaction are flagged for staff, never
refused. A second proof for the same transaction and role is refused (409) and points to the first,
unless staff rejected the first: then the new proof follows it. Staff `verify` or `reject` a proof (the
uploader is told). Buyers whose imported transactions have no standing proof (none, or only a rejected
one) some working days after the transaction get a weekly reminder.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from desk import clock, keys
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.dates import human_datetime
from desk.documents import uploads
from desk.errors import Conflict, InvalidInput, RuleViolation
from desk.fields import RUPIAH_SCHEMA, Email
from desk.mail import send
from desk.requests import acknowledge, intake
from desk.requests.model import Channel, RequestType
from desk.requests.store import Hold, Note, RequestRepository, attach_uploads
from desk.settings import get_settings

LKPP_ZONE = "Asia/Jakarta"


class PaymentProofForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    transaction_id: Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")]
    role: Literal["buyer", "provider"]
    amount: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2), WithJsonSchema(RUPIAH_SCHEMA)]
    paid_at: datetime
    email: Email
    upload_id: Annotated[str, Field(min_length=8, max_length=64)]


def _rejected(store: RequestRepository, number: str) -> bool:
    stored = store.load(number)
    return stored is not None and stored.item.get("status") == "rejected"


def _findings(form: PaymentProofForm, sha256: str, store: RequestRepository) -> list[str]:
    from desk.admin.transactions import get_transaction

    found: list[str] = []
    known = get_transaction(form.transaction_id)
    if known is None:
        found.append("transaksi belum ada di data impor")
    else:
        if Decimal(known["amount"]) != form.amount:
            found.append(f"jumlah berbeda dengan data transaksi (Rp {known['amount']})")
        if known["date"] > form.paid_at.astimezone(zone(LKPP_ZONE)).date().isoformat():
            found.append(f"dibayar sebelum tanggal transaksi ({known['date']})")
    if sha256:
        twin = store.held(schema.proof_file(sha256))
        if twin and twin.get("transaction_id") != form.transaction_id.upper():
            found.append(
                f"berkas yang sama dipakai untuk transaksi {twin['transaction_id']} ({twin['number']})"
            )
    return found


def submit(
    form: PaymentProofForm, *, now: datetime, idempotency_key: str | None, client: str = ""
) -> dict[str, Any]:
    if form.paid_at.tzinfo is None:
        raise InvalidInput(
            "Waktu bayar perlu zona waktunya.", fields={"paid_at": "sertakan offset, mis. +07:00"}
        )
    if form.paid_at > now + timedelta(minutes=5):
        raise RuleViolation("Waktu bayar tidak boleh di masa depan.", fields={"paid_at": "di masa depan"})
    store = requests_repository()
    keys = (f"proof:{idempotency_key}",) if idempotency_key else ()
    replay_of = intake.keyed_number(keys, store=store, now=now)
    attached = uploads.usable_uploads(
        [form.upload_id], purposes={"payment_proof"}, now=now, field="upload_id", replay_of=replay_of
    )
    record = uploads.load(form.upload_id) or {}
    sha256 = str(record.get("sha256") or "")
    existing = store.held(schema.payment_proof(form.transaction_id, form.role))
    follows = ""
    if existing and existing["number"] != replay_of():
        if not _rejected(store, str(existing["number"])):
            raise Conflict(
                f"Bukti pembayaran transaksi ini untuk peran {form.role} sudah ada: {existing['number']}.",
                code="proof_exists",
                fields={"number": str(existing["number"])},
            )
        follows = str(existing["number"])  # the rejected proof this one replaces
    findings = _findings(form, sha256, store)
    transaction = form.transaction_id.upper()
    new = intake.NewRequest(
        type=RequestType.PAYMENT_PROOF,
        channel=Channel.WEB,
        subject=f"Bukti pembayaran {transaction} ({form.role})",
        body=f"Rp {form.amount} dibayar {human_datetime(form.paid_at, LKPP_ZONE)}",
        requester={"email": form.email},
        unit="helpdesk",
        working_days=intake.working_days_for(RequestType.PAYMENT_PROOF),
        details={
            "transaction_id": transaction,
            "role": form.role,
            "amount": str(form.amount),
            "paid_at": clock.iso(form.paid_at),
            "sha256": sha256,
            "flags": findings,
            **({"follows": follows} if follows else {}),
        },
        documents=tuple(attached),
    )

    # The transaction's proof for this role is taken only while free, or still held by the rejected proof
    # seen above; the file's fingerprint names the latest proof that used it.
    claims = [
        *attach_uploads(attached, at=clock.iso(now)),
        Hold(schema.payment_proof(transaction, form.role), taking_over_from=follows or None),
        *([Note(schema.proof_file(sha256), {"transaction_id": transaction})] if sha256 else []),
    ]
    receipt = intake.submit(
        new,
        now=now,
        store=store,
        idempotency_keys=keys,
        calendar=current_calendar(),
        claims=claims,
    )
    acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now, client=client)
    return receipt.public() | {"flags": findings}


def remind_buyers(*, now: datetime, days_after: int, lookback_days: int = 180) -> dict[str, Any]:
    """Buyers whose transactions have no proof ``days_after`` working days after the transaction, once a
    week each (the reminder item expires after a week)."""
    from desk.admin.transactions import transactions_dated

    calendar = current_calendar().scoped()
    today = now.astimezone(zone(LKPP_ZONE)).date()
    from desk.data.marks import repository as marks

    store = requests_repository()
    sent: list[str] = []
    for txn in transactions_dated(today - timedelta(days=lookback_days), today):
        happened = datetime.combine(date.fromisoformat(txn["date"]), datetime.min.time(), zone(LKPP_ZONE))
        if calendar.add_working_days(happened, days_after, LKPP_ZONE) > now or not txn.get("buyer_email"):
            continue
        proof = store.held(schema.payment_proof(txn["id"], "buyer"))
        if proof and not _rejected(store, str(proof["number"])):
            continue
        week = today.isocalendar()
        reminder = schema.proof_reminder(str(txn["id"]), week.year, week.week)
        if not marks().first(reminder, {"expires_at": int((now + timedelta(days=8)).timestamp())}):
            continue  # reminded this week already
        text = (
            f"Transaksi e-Purchasing {txn['id']} tanggal {txn['date']} (Rp {txn['amount']}) belum memiliki "
            f"bukti pembayaran. Mohon unggah bukti pembayarannya di {get_settings().site_url}."
        )
        mail = send.OutgoingMail(
            to=(txn["buyer_email"],),
            subject=f"Pengingat bukti pembayaran {txn['id']}",
            text=text,
            html=f"<p>{text}</p>",
        )
        send.send(mail, sender=get_settings().support_address, ring=keys.key_ring(), date=now)
        sent.append(txn["id"])
    return {"reminded": sent}
