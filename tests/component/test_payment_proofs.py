"""Proofs of payment: one per transaction and role, matched against the imported transactions, flagged
(never refused) when they disagree, verified or rejected by staff, and buyers reminded weekly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import desk_time
import pytest
from component.test_uploads import upload
from unit import docfactory

from desk_local.stack import LocalDesk

IN_TWO_DAYS = "in two days"
TXN = "EPURCH-2026-000101"  # seeded: Rp 12.500.000,00, twenty days before the desk started


def _proof(desk: LocalDesk, content: bytes | None = None, **overrides: Any) -> Any:
    upload_id = overrides.pop("upload_id", None)
    if upload_id is None:
        upload_id, status = upload(
            desk, content or docfactory.png(), content_type="image/png", purpose="payment_proof"
        )
        assert status["status"] == "accepted"
    body = {
        "transaction_id": TXN,
        "role": "buyer",
        "amount": "12500000.00",
        "paid_at": desk_time.wib(desk_time.now() - timedelta(hours=1)),
        "email": "pengadaan@disdik.example.go.id",
        "upload_id": upload_id,
        **overrides,
    }
    return desk.http("POST", "/payment-proofs", json_body=body)


def test_a_matching_proof_is_taken_then_verified_and_the_uploader_told(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    response = _proof(desk)
    assert response.status == 201, response.text
    body = response.json()
    assert body["flags"] == [] and body["status"] == "submitted"
    assert any(body["number"] in m["subject"] and "telah kami terima" in m["subject"] for m in desk.outbox())
    again = _proof(desk, docfactory.png(2, 2))
    assert again.status == 409 and body["number"] in again.json()["error"]["message"]
    provider = _proof(
        desk, docfactory.png(3, 3), role="provider", email="penjualan@sumbermakmur.example.co.id"
    )
    assert provider.status == 201
    verified = desk.http(
        "POST",
        f"/staff/tickets/{body['number']}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "verify"},
    )
    assert verified.status == 200 and verified.json()["status"] == "closed"
    assert any(body["number"] in m["subject"] and "diverifikasi" in m["subject"] for m in desk.outbox())
    rejected = desk.http(
        "POST",
        f"/staff/tickets/{provider.json()['number']}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "reject", "reason": "Nominal tidak terbaca"},
    )
    assert rejected.json()["status"] == "rejected"


def test_disagreements_are_flagged_not_refused(desk: LocalDesk) -> None:
    content = docfactory.png(5, 5)
    first = _proof(desk, content, transaction_id="EPURCH-2026-000102", amount="1.00")
    assert first.status == 201
    assert any("jumlah berbeda" in f for f in first.json()["flags"])
    unknown = _proof(desk, docfactory.png(6, 6), transaction_id="EPURCH-2099-999999")
    assert any("belum ada" in f for f in unknown.json()["flags"])
    upload_id, _ = upload(desk, content, content_type="image/png", purpose="payment_proof")
    reused = _proof(desk, upload_id=upload_id, transaction_id="EPURCH-2026-000103")
    assert reused.status == 201
    assert any("berkas yang sama" in f for f in reused.json()["flags"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"paid_at": IN_TWO_DAYS}, "paid_at"),
        ({"role": "broker"}, "role"),
        ({"email": "bukan-alamat"}, "email"),
    ],
)
def test_bad_proofs_name_the_field(desk: LocalDesk, overrides: dict[str, str], field: str) -> None:
    if overrides.get("paid_at") == IN_TWO_DAYS:  # counted when the test runs, on the desk's clock
        overrides = {"paid_at": desk_time.wib(desk_time.now() + timedelta(days=2))}
    response = _proof(desk, docfactory.png(7, 7), transaction_id="EPURCH-2026-000104", **overrides)
    # a time in the future is well formed and refused by the rule; the others are not the form's shape
    assert response.status == (422 if field == "paid_at" else 400)
    assert field in response.json()["error"]["fields"]


def test_a_proof_needs_an_accepted_payment_proof_upload(desk: LocalDesk) -> None:
    letter_id, _ = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    wrong_purpose = _proof(desk, upload_id=letter_id, transaction_id="EPURCH-2026-000105")
    assert wrong_purpose.status == 422 and "upload_id" in wrong_purpose.json()["error"]["fields"]
    bad_id, status = upload(desk, docfactory.pdf_with_javascript(), purpose="payment_proof")
    assert status["status"] == "rejected"
    rejected = _proof(desk, upload_id=bad_id, transaction_id="EPURCH-2026-000105")
    assert rejected.status == 422


def test_buyers_without_a_proof_are_reminded_once_a_week(desk: LocalDesk, tokens: dict[str, str]) -> None:
    month_ago = desk_time.days_ago(30).isoformat()  # well past 5 working days, inside the lookback
    csv = (
        "id,buyer_institution,buyer_email,provider,amount,date\n"
        f"EPURCH-2026-000777,Dinas Uji,lupa@dinas.example.go.id,PT Uji,1000000,{month_ago}\n"
    )
    # The seeded transaction's buyer has sent a proof (here, or in the first test on this worker's desk).
    assert _proof(desk, docfactory.png(9, 9)).status in (201, 409)
    imported = desk.http("POST", "/staff/admin/transactions", token=tokens["admin"], json_body={"csv": csv})
    assert imported.status in (200, 201), imported.text
    rule = next(s.rule for s in desk.schedules() if "Payment" in s.rule)
    (first,) = desk.fire_schedule(rule)
    assert first.error is None, first.error
    reminded = set(first.result["reminded"])
    assert TXN not in reminded
    assert "EPURCH-2026-000777" in reminded
    assert any(
        m["to"] == ["lupa@dinas.example.go.id"] and "EPURCH-2026-000777" in m["subject"]
        for m in desk.outbox()
    )
    (second,) = desk.fire_schedule(rule)
    assert second.result["reminded"] == []  # not twice in one week


def test_a_rejected_proof_is_replaced_by_a_new_one_and_its_buyer_reminded_meanwhile(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    transaction = "EPURCH-2026-000555"
    csv = (
        "id,buyer_institution,buyer_email,provider,amount,date\n"
        f"{transaction},Dinas Ulang,ulang@dinas.example.go.id,PT Uji,2500000,{desk_time.days_ago(30)}\n"
    )
    assert (
        desk.http("POST", "/staff/admin/transactions", token=tokens["admin"], json_body={"csv": csv}).status
        == 200
    )
    buyer = {"transaction_id": transaction, "amount": "2500000.00", "email": "ulang@dinas.example.go.id"}
    first = _proof(desk, docfactory.png(11, 11), **buyer)
    assert first.status == 201, first.text
    number = first.json()["number"]
    rejected = desk.http(
        "POST",
        f"/staff/tickets/{number}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "reject", "reason": "Nominal tidak terbaca"},
    )
    assert rejected.status == 200 and rejected.json()["status"] == "rejected"
    told = [m for m in desk.outbox() if number in m["subject"] and "ulang@dinas.example.go.id" in m["to"]]
    assert any("bukti pembayaran yang baru" in m["text"] for m in told)

    # With only a rejected proof, the buyer is reminded again.
    rule = next(s.rule for s in desk.schedules() if "Payment" in s.rule)
    (fired,) = desk.fire_schedule(rule)
    assert transaction in fired.result["reminded"]

    second = _proof(desk, docfactory.png(12, 12), **buyer)
    assert second.status == 201, second.text
    follower = desk.http("GET", f"/staff/tickets/{second.json()['number']}", token=tokens["helpdesk"]).json()
    assert follower["details"]["follows"] == number
    third = _proof(desk, docfactory.png(13, 13), **buyer)  # the new proof stands: a third is refused
    assert third.status == 409 and second.json()["number"] in third.json()["error"]["message"]
