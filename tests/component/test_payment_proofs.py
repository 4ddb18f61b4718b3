"""Proofs of payment through the emulated API Gateway and the schedule: taken, refused a second time,
verified or rejected by staff, the status codes of a bad proof, and buyers reminded weekly. The matching,
the flags and a rejected proof's follower run on twins in tests/service/test_payments.py."""

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


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"paid_at": IN_TWO_DAYS}, "paid_at"),
    ],
)
def test_bad_proofs_name_the_field(desk: LocalDesk, overrides: dict[str, str], field: str) -> None:
    if overrides.get("paid_at") == IN_TWO_DAYS:  # counted when the test runs, on the desk's clock
        overrides = {"paid_at": desk_time.wib(desk_time.now() + timedelta(days=2))}
    response = _proof(desk, docfactory.png(7, 7), transaction_id="EPURCH-2026-000104", **overrides)
    # a time in the future is well formed and refused by the rule; the others are not the form's shape
    assert response.status == (422 if field == "paid_at" else 400)
    assert field in response.json()["error"]["fields"]


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
