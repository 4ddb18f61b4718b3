"""A retry after a lost answer: the same Idempotency-Key and body return the first receipt, even though
the first request already claimed the upload the body names; a different body under that key is 409."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import desk_time
import pytest
from component.test_uploads import upload
from unit import docfactory

from desk_local.seed import DEMO
from desk_local.stack import LocalDesk


def _pdf(desk: LocalDesk, purpose: str) -> str:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose=purpose)
    assert status["status"] == "accepted"
    return upload_id


def _ticket(desk: LocalDesk) -> tuple[str, dict[str, Any]]:
    return "/tickets", {
        "kind": "complaint",
        "subject": "Lampiran tidak terbaca",
        "message": "Mohon dicek.",
        "name": "Ani",
        "email": "ani.retry@example.go.id",
        "attachment_upload_ids": [_pdf(desk, "attachment")],
    }


def _registration(desk: LocalDesk) -> tuple[str, dict[str, Any]]:
    return "/registrations", {
        "applicant_type": "buyer",
        "name": "Rudi Ulang",
        "email": "rudi.retry@disdik.jakarta.go.id",
        "phone": "021 555 0199",
        "position": "Pejabat Pengadaan",
        "institution": "Dinas Pendidikan DKI Jakarta",
        "lpse_id": DEMO["lpse_id"],
        "letter_upload_id": _pdf(desk, "sk_letter"),
    }


def _payment(desk: LocalDesk) -> tuple[str, dict[str, Any]]:
    upload_id, status = upload(desk, docfactory.png(), content_type="image/png", purpose="payment_proof")
    assert status["status"] == "accepted"
    return "/payment-proofs", {
        "transaction_id": DEMO["transaction_id"],
        "role": "provider",
        "amount": "12500000.00",
        "paid_at": desk_time.wib(desk_time.now() - timedelta(hours=1)),
        "email": "keuangan.retry@example.co.id",
        "upload_id": upload_id,
    }


def _training(desk: LocalDesk) -> tuple[str, dict[str, Any]]:
    from workflow.test_training import FORM

    return "/training-requests", {
        **FORM,
        "email": "ani.retry@disdik.bandung.go.id",
        "preferred_start": desk_time.working_day(n=10).isoformat(),
        "letter_upload_id": _pdf(desk, "training_letter"),
    }


@pytest.mark.parametrize("form", [_ticket, _registration, _payment, _training], ids=lambda f: f.__name__[1:])
def test_a_retry_with_the_same_key_gets_the_first_receipt(
    desk: LocalDesk, form: Callable[[LocalDesk], tuple[str, dict[str, Any]]]
) -> None:
    path, body = form(desk)
    key = {"Idempotency-Key": f"retry-{path}"}
    first = desk.http("POST", path, json_body=body, headers=key)
    assert first.status == 201, first.text
    again = desk.http("POST", path, json_body=body, headers=key)
    assert again.status == 201, again.text
    assert again.json()["number"] == first.json()["number"]
    assert again.json()["access_code"] == first.json()["access_code"]
    other = desk.http("POST", path, json_body={**body, "email": "lain@example.go.id"}, headers=key)
    assert other.status == 409, other.text
    # Without the key, the claimed upload is still refused for a second request.
    fresh = desk.http("POST", path, json_body={**body, "email": "lain@example.go.id"})
    assert fresh.status in (409, 422), fresh.text
