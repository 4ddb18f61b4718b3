"""Proofs of payment against the twins: matched against the imported transactions and flagged (never
refused) when they disagree, one per transaction and role, a rejected one followed by a new one, and the
weekly reminder to buyers without a standing proof; ``now`` given, no clock read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from pydantic import ValidationError
from twins.desk import Twins
from unit import docfactory

from desk.admin import transactions
from desk.data import schema
from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import Conflict, InvalidInput, RuleViolation
from desk.payments import PaymentProofForm, remind_buyers, submit
from desk.requests import work
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "dit-katalog")
HELPDESK = StaffUser("rina", "rina@lkpp.go.id", frozenset({"helpdesk"}), "helpdesk")
BUYER = "pengadaan@disdik.go.id"
PNG = "image/png"
# Imported transactions: two of mid-November, one of this week (not yet due a proof), one from May
# (outside the reminders' look-back of 180 days).
TRANSACTIONS = (
    "id,buyer_institution,buyer_email,provider,amount,date\n"
    f"EPURCH-2026-000101,Dinas Pendidikan,{BUYER},PT Sumber Makmur,12500000,2026-11-16\n"
    "EPURCH-2026-000102,Dinas Kesehatan,ulp@diskes.go.id,PT Sumber Makmur,4750000,2026-11-18\n"
    "EPURCH-2026-000103,Dinas Baru,baru@dinas.go.id,PT Sumber Makmur,1000000,2026-12-01\n"
    "EPURCH-2026-000104,Dinas Lama,lama@dinas.go.id,PT Sumber Makmur,1000000,2026-05-04\n"
)


@pytest.fixture(autouse=True)
def imported(twins: Twins) -> None:
    twins.files.signed_at = NOW  # the presigned posts' expiry counts from here, not the machine's clock
    transactions.import_transactions(TRANSACTIONS, user=ADMIN, now=NOW - timedelta(days=1))


def _upload(twins: Twins, content: bytes, *, purpose: str = "payment_proof", content_type: str = PNG) -> str:
    """An upload as the browser posts it and the check finds it."""
    spec = validate_upload_request(purpose, "bukti.png", content_type, len(content))
    upload_id = str(uploads.request_upload(spec, now=NOW)["upload_id"])
    twins.files.write(f"quarantine/{upload_id}", content, content_type=content_type)
    uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)
    return upload_id


def _form(upload_id: str, **changes: Any) -> PaymentProofForm:
    fields: dict[str, Any] = {
        "transaction_id": "epurch-2026-000101",
        "role": "buyer",
        "amount": "12500000.00",
        "paid_at": "2026-12-02T14:30:00+07:00",
        "email": BUYER,
        "upload_id": upload_id,
        **changes,
    }
    return PaymentProofForm.model_validate(fields)


def _submit(twins: Twins, content: bytes | None = None, **changes: Any) -> dict[str, Any]:
    upload_id = changes.pop("upload_id", None) or _upload(twins, content or docfactory.png())
    return submit(_form(upload_id, **changes), now=NOW, idempotency_key=None)


def _mails(twins: Twins) -> list[dict[str, Any]]:
    read = [message_from_bytes(sent.raw, policy=policy.default) for sent in twins.mailer.sent]
    return [
        {"to": str(m["To"]), "subject": str(m["Subject"]), "text": m.get_body(("plain",)).get_content()}  # type: ignore[union-attr]
        for m in read
    ]


def _details(twins: Twins, number: str) -> dict[str, Any]:
    stored = twins.requests.load(number)
    assert stored is not None
    return dict(stored.item["details"])


# --- a proof --------------------------------------------------------------------------------------------


def test_a_matching_proof_is_a_request_without_flags_holding_its_transaction_and_acknowledged(
    twins: Twins,
) -> None:
    upload_id = _upload(twins, docfactory.png())
    receipt = submit(_form(upload_id), now=NOW, idempotency_key=None)
    assert receipt["flags"] == [] and receipt["status"] == "submitted"
    assert receipt["due_at"] == "2026-12-10T16:59:59Z"  # checked within 5 working days
    stored = twins.requests.load(receipt["number"])
    assert stored is not None
    assert (stored.item["type"], stored.item["unit"]) == ("payment_proof", "helpdesk")
    assert stored.item["subject"] == "Bukti pembayaran EPURCH-2026-000101 (buyer)"
    details = stored.item["details"]
    assert (details["transaction_id"], details["amount"], details["paid_at"]) == (
        "EPURCH-2026-000101",
        "12500000.00",
        "2026-12-02T07:30:00Z",
    )
    assert "follows" not in details and details["sha256"] == uploads.load(upload_id)["sha256"]  # type: ignore[index]
    assert stored.item["documents"] == [upload_id]
    assert uploads.load(upload_id)["attached_to"] == receipt["number"]  # type: ignore[index]
    held = twins.requests.held(schema.payment_proof("EPURCH-2026-000101", "buyer"))
    assert held is not None and held["number"] == receipt["number"]
    (ack,) = _mails(twins)
    assert ack["to"] == BUYER and receipt["number"] in ack["subject"]
    assert receipt["access_code"] in ack["text"]


def test_a_second_proof_for_the_same_transaction_and_role_is_refused_naming_the_first(twins: Twins) -> None:
    first = _submit(twins)
    with pytest.raises(Conflict) as refused:
        _submit(twins, docfactory.png(2, 2))
    assert refused.value.code == "proof_exists" and refused.value.fields == {"number": first["number"]}
    # The provider's proof of the same transaction is its own.
    provider = _submit(twins, docfactory.png(3, 3), role="provider", email="jual@sumbermakmur.co.id")
    assert provider["number"] != first["number"] and provider["flags"] == []


def test_a_retry_with_its_idempotency_key_answers_the_first_receipt(twins: Twins) -> None:
    upload_id = _upload(twins, docfactory.png())
    first = submit(_form(upload_id), now=NOW, idempotency_key="kunci-1")
    again = submit(_form(upload_id), now=NOW + timedelta(minutes=1), idempotency_key="kunci-1")
    assert (again["number"], again["access_code"]) == (first["number"], first["access_code"])
    assert len(_mails(twins)) == 1


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"amount": "12000000"}, "jumlah berbeda dengan data transaksi (Rp 12500000.00)"),
        ({"paid_at": "2026-11-15T10:00:00+07:00"}, "dibayar sebelum tanggal transaksi (2026-11-16)"),
        ({"transaction_id": "EPURCH-2099-999999"}, "transaksi belum ada di data impor"),
    ],
)
def test_a_proof_that_disagrees_with_the_import_is_taken_and_flagged(
    twins: Twins, changes: dict[str, str], flag: str
) -> None:
    receipt = _submit(twins, **changes)
    assert receipt["flags"] == [flag]
    assert _details(twins, receipt["number"])["flags"] == [flag]


def test_a_proof_paid_on_the_transactions_day_in_wib_is_not_early(twins: Twins) -> None:
    # 00:30 WIB on 16 November is still 15 November in UTC.
    assert _submit(twins, paid_at="2026-11-15T17:30:00Z")["flags"] == []


def test_the_same_file_for_another_transaction_is_flagged_naming_the_proof_that_used_it_last(
    twins: Twins,
) -> None:
    content = docfactory.png(5, 5)
    _submit(twins, content)
    # The same file for the other role of the same transaction is no duplicate.
    provider = _submit(twins, content, role="provider", email="jual@sumbermakmur.co.id")
    assert provider["flags"] == []
    again = _submit(twins, content, transaction_id="EPURCH-2026-000102", amount="4750000")
    assert again["flags"] == [
        f"berkas yang sama dipakai untuk transaksi EPURCH-2026-000101 ({provider['number']})"
    ]


def test_a_rejected_proof_is_followed_by_a_new_one_and_then_the_new_one_stands(twins: Twins) -> None:
    first = _submit(twins)
    work.act(first["number"], "reject", {"reason": "Nominal tidak terbaca"}, user=HELPDESK, now=NOW)
    told = [m for m in _mails(twins) if first["number"] in m["subject"] and "Nominal" in m["text"]]
    assert told and "bukti pembayaran yang baru" in told[0]["text"]
    second = _submit(twins, docfactory.png(2, 2))
    assert _details(twins, second["number"])["follows"] == first["number"]
    held = twins.requests.held(schema.payment_proof("EPURCH-2026-000101", "buyer"))
    assert held is not None and held["number"] == second["number"]
    with pytest.raises(Conflict) as third:
        _submit(twins, docfactory.png(3, 3))
    assert third.value.fields == {"number": second["number"]}


# --- what is refused --------------------------------------------------------------------------------


def test_a_time_of_payment_in_the_future_is_refused_and_five_minutes_ahead_is_not(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as refused:
        _submit(twins, paid_at="2026-12-03T09:06:00+07:00")
    assert set(refused.value.fields) == {"paid_at"}
    assert _submit(twins, paid_at="2026-12-03T09:05:00+07:00")["flags"] == []


def test_a_time_of_payment_without_its_zone_is_refused(twins: Twins) -> None:
    with pytest.raises(InvalidInput) as refused:
        _submit(twins, paid_at="2026-12-02T14:30:00")
    assert set(refused.value.fields) == {"paid_at"}
    assert twins.requests.held(schema.payment_proof("EPURCH-2026-000101", "buyer")) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"role": "broker"}, "role"),
        ({"email": "bukan-alamat"}, "email"),
        ({"transaction_id": "EP 101"}, "transaction_id"),
    ],
)
def test_a_form_out_of_shape_names_its_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _form("unggahan-0001", **changes)
    assert [error["loc"][0] for error in refused.value.errors()] == [field]


def test_a_proof_needs_an_accepted_upload_made_for_a_proof(twins: Twins) -> None:
    letter = _upload(twins, docfactory.pdf_letter(), purpose="sk_letter", content_type=PDF)
    with pytest.raises(RuleViolation) as wrong_purpose:
        _submit(twins, upload_id=letter)
    assert "bukti pembayaran" in wrong_purpose.value.fields["upload_id"]
    rejected = _upload(twins, docfactory.pdf_with_javascript(), content_type=PDF)
    with pytest.raises(RuleViolation) as refused:
        _submit(twins, upload_id=rejected)
    assert refused.value.code == "upload_unusable" and "ditolak" in refused.value.fields["upload_id"]
    assert twins.requests.held(schema.payment_proof("EPURCH-2026-000101", "buyer")) is None


# --- the weekly reminder --------------------------------------------------------------------------------


def test_buyers_without_a_proof_are_reminded_once_a_week(twins: Twins) -> None:
    _submit(twins)  # 000101 has its proof
    assert remind_buyers(now=NOW, days_after=5) == {"reminded": ["EPURCH-2026-000102"]}
    (reminder,) = [m for m in _mails(twins) if "Pengingat" in m["subject"]]
    assert reminder["to"] == "ulp@diskes.go.id" and "EPURCH-2026-000102" in reminder["subject"]
    assert "https://layanan.lkpp.go.id" in reminder["text"]
    # Later the same ISO week: not again; the next week: again.
    assert remind_buyers(now=NOW + timedelta(days=1), days_after=5) == {"reminded": []}
    next_week = NOW + timedelta(days=4)
    assert remind_buyers(now=next_week, days_after=5)["reminded"] == ["EPURCH-2026-000102"]


def test_a_transaction_is_reminded_only_after_its_working_days(twins: Twins) -> None:
    # 000103 (Tuesday 1 December) is due a proof by the end of its 5th working day, Tuesday 8 December.
    assert "EPURCH-2026-000103" not in remind_buyers(now=NOW, days_after=5)["reminded"]
    tuesday = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
    assert "EPURCH-2026-000103" not in remind_buyers(now=tuesday, days_after=5)["reminded"]
    wednesday = tuesday + timedelta(days=1)
    assert "EPURCH-2026-000103" in remind_buyers(now=wednesday, days_after=5)["reminded"]


def test_a_transaction_older_than_the_look_back_is_left_alone(twins: Twins) -> None:
    assert "EPURCH-2026-000104" not in remind_buyers(now=NOW, days_after=5)["reminded"]
    assert "EPURCH-2026-000104" in remind_buyers(now=NOW, days_after=5, lookback_days=365)["reminded"]


def test_a_buyer_whose_only_proof_was_rejected_is_reminded_again(twins: Twins) -> None:
    first = _submit(twins)
    assert "EPURCH-2026-000101" not in remind_buyers(now=NOW, days_after=5)["reminded"]
    work.act(first["number"], "reject", {"reason": "Nominal tidak terbaca"}, user=HELPDESK, now=NOW)
    later = NOW + timedelta(hours=1)
    assert "EPURCH-2026-000101" in remind_buyers(now=later, days_after=5)["reminded"]


def test_a_providers_proof_does_not_spare_the_buyer(twins: Twins) -> None:
    _submit(twins, role="provider", email="jual@sumbermakmur.co.id")
    assert "EPURCH-2026-000101" in remind_buyers(now=NOW, days_after=5)["reminded"]
