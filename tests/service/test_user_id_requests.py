"""User-ID requests against the twins: one open request per applicant and LPSE, counted on the LPSE's
clock, the contract of a provider checked on the LPSE's day, the workflow's steps (the account provisioned
by the local fake, the approval and the refusal that free the applicant to apply again), and the corrected
letter mailed after a refusal that the applicant confirms; ``now`` given, no clock read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from pydantic import ValidationError
from twins.desk import ENVIRONMENT, Twins
from unit import docfactory

from desk import registrations
from desk.admin import contracts, lpse
from desk.data import schema
from desk.documents import uploads
from desk.documents.purposes import PDF, validate_upload_request
from desk.errors import Conflict, NotFound, RuleViolation
from desk.requests.store import StoredRequest
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB (10:00 WITA).
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "dit-katalog")
ARN = ENVIRONMENT["REGISTRATION_WORKFLOW_ARN"]
VERIFIER = "verifier-bali@lkpp.go.id"
CONTRACT = "KTR-LKPP/2025/0001"
BUYER: dict[str, Any] = {
    "applicant_type": "buyer",
    "name": "Rudi Hartono",
    "email": "rudi@disdik.bali.go.id",
    "phone": "0361 555 0101",
    "position": "Pejabat Pengadaan",
    "institution": "Dinas Pendidikan Provinsi Bali",
    "lpse_id": "lpse-bali",
}
PROVIDER: dict[str, Any] = {
    "applicant_type": "provider",
    "name": "Sinta",
    "email": "sinta@sumbermakmur.co.id",
    "phone": "0812 1111 2222",
    "position": "Direktur",
    "company": "PT Sumber Makmur Sejahtera",
    "npwp": "01.234.567.8-901.000",
    "contract_number": CONTRACT,
    "lpse_id": "lpse-bali",
}


@pytest.fixture(autouse=True)
def seeded(twins: Twins, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(ENVIRONMENT, "LOCAL_FAKE_PROVISIONING", "1")
    twins.files.signed_at = NOW
    earlier = NOW - timedelta(days=30)
    for lpse_id, name, province, zone, days in (
        ("lpse-bali", "LPSE Provinsi Bali", "Bali", "WITA", 3),
        ("lpse-dki", "LPSE Provinsi DKI Jakarta", "DKI Jakarta", "WIB", 5),
    ):
        lpse.create_lpse(
            {"id": lpse_id, "name": name, "province": province, "time_zone": zone, "service_days": days},
            user=ADMIN,
            now=earlier,
        )
    for number, valid_to in ((CONTRACT, "2030-12-31"), ("KTR-LKPP/2021/0042", "2026-12-03")):
        contracts.create_contract(
            {
                "number": number,
                "provider_name": "PT Sumber Makmur Sejahtera",
                "npwp": "0123456789012345",
                "valid_from": "2021-01-01",
                "valid_to": valid_to,
            },
            user=ADMIN,
            now=earlier,
        )
    yield


def _letter(twins: Twins, purpose: str = "sk_letter", content: bytes | None = None) -> str:
    """A letter as the browser posts it and the check finds it."""
    content = content or docfactory.pdf_letter()
    spec = validate_upload_request(purpose, "surat.pdf", PDF, len(content))
    upload_id = str(uploads.request_upload(spec, now=NOW)["upload_id"])
    twins.files.write(f"quarantine/{upload_id}", content, content_type=PDF)
    uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)
    return upload_id


def _form(twins: Twins, fields: dict[str, Any], **changes: Any) -> registrations.RegistrationForm:
    purpose = "company_letter" if fields["applicant_type"] == "provider" else "sk_letter"
    body = {**fields, **changes}
    body.setdefault("letter_upload_id", _letter(twins, purpose))
    return registrations.RegistrationForm.model_validate(body)


def _apply(
    twins: Twins,
    fields: dict[str, Any] = BUYER,
    *,
    now: datetime = NOW,
    key: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    return registrations.submit(_form(twins, fields, **changes), now=now, idempotency_key=key)


def _stored(twins: Twins, number: str) -> StoredRequest:
    stored = twins.requests.load(number)
    assert stored is not None
    return stored


def _mails(twins: Twins) -> list[dict[str, Any]]:
    read = [message_from_bytes(sent.raw, policy=policy.default) for sent in twins.mailer.sent]
    return [
        {"to": str(m["To"]), "subject": str(m["Subject"]), "text": m.get_body(("plain",)).get_content()}  # type: ignore[union-attr]
        for m in read
    ]


def _approved(number: str, now: datetime = NOW) -> dict[str, Any]:
    account = registrations.step("provision", {"number": number}, now=now)
    payload = {"number": number, "account": account, "verification": {"decided_by": VERIFIER}}
    return registrations.step("approved", payload, now=now)


def _rejected(number: str, reason: str = "SK belum ditandatangani") -> dict[str, Any]:
    payload = {"number": number, "verification": {"decided_by": VERIFIER, "fields": {"reason": reason}}}
    return registrations.step("rejected", payload, now=NOW)


# --- the application ----------------------------------------------------------------------------------


def test_a_request_goes_to_its_lpse_on_its_clock_and_its_workflow_starts_once(twins: Twins) -> None:
    receipt = _apply(twins)
    number = receipt["number"]
    # 3 working days of LPSE Bali from Thursday: Friday, Monday, Tuesday, until 23:59:59 WITA.
    assert receipt["due_at"] == "2026-12-08T15:59:59Z"
    stored = _stored(twins, number)
    assert (stored.item["type"], stored.item["unit"], stored.item["sla"]["tz"]) == (
        "registration",
        "lpse-bali",
        "Asia/Makassar",
    )
    assert stored.item["details"] == {"applicant_type": "buyer", "lpse_id": "lpse-bali"}
    assert stored.identity is not None and stored.identity["institution"] == BUYER["institution"]
    assert "letter_upload_id" not in stored.identity
    assert uploads.load(stored.item["documents"][0])["attached_to"] == number  # type: ignore[index]
    assert twins.workflows.executions == {
        number: (
            ARN,
            {
                "number": number,
                "subject": "Permohonan user ID buyer di LPSE Provinsi Bali",
                "unit": "lpse-bali",
                "working_days": 3,
                "received_at": "2026-12-03T02:00:00Z",
                "tz": "Asia/Makassar",
                "scopes": ["Bali", "lpse-bali"],
            },
        )
    }
    (ack,) = _mails(twins)
    assert ack["to"] == BUYER["email"] and receipt["access_code"] in ack["text"]
    # Acknowledged before the workflow writes: the acknowledgement is the second event.
    assert [e["kind"] for e in stored.events] == ["created", "mail_sent"]


def test_one_open_request_per_applicant_and_lpse(twins: Twins) -> None:
    first = _apply(twins)
    with pytest.raises(Conflict) as refused:
        _apply(twins, email=BUYER["email"].upper())
    assert refused.value.code == "registration_open" and refused.value.fields == {"number": first["number"]}
    assert first["number"] in refused.value.message
    elsewhere = _apply(twins, lpse_id="lpse-dki")
    colleague = _apply(twins, email="ani@disdik.bali.go.id")
    assert len({first["number"], elsewhere["number"], colleague["number"]}) == 3
    assert len(twins.workflows.executions) == 3


def test_a_retry_with_its_key_answers_the_first_and_restarts_a_workflow_that_never_started(
    twins: Twins,
) -> None:
    letter = _letter(twins)
    first = _apply(twins, key="kunci-1", letter_upload_id=letter)
    again = _apply(twins, key="kunci-1", letter_upload_id=letter, now=NOW + timedelta(minutes=2))
    assert again == first
    assert len(_mails(twins)) == 1
    # The first attempt stored the request but Step Functions refused the start: a retry starts it, on the
    # request's own clock.
    twins.workflows.executions.clear()
    _apply(twins, key="kunci-1", letter_upload_id=letter, now=NOW + timedelta(minutes=3))
    assert twins.workflows.executions[first["number"]][1]["received_at"] == "2026-12-03T02:00:00Z"


def test_an_lpse_not_in_the_list_is_refused_naming_the_field(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as refused:
        _apply(twins, lpse_id="lpse-atlantis")
    assert set(refused.value.fields) == {"lpse_id"}
    assert twins.workflows.executions == {}


def test_a_provider_needs_a_contract_valid_on_the_lpses_day(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as unknown:
        _apply(twins, PROVIDER, contract_number="KTR-TIDAK-ADA/2026/9")
    assert unknown.value.code == "contract_unknown"
    # The old contract ends on 3 December: still valid at 23:30 WIB, when Bali is already on the 4th.
    late_evening = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)
    with pytest.raises(RuleViolation) as expired:
        _apply(twins, PROVIDER, contract_number="KTR-LKPP/2021/0042", now=late_evening)
    assert expired.value.code == "contract_expired" and set(expired.value.fields) == {"contract_number"}
    assert _apply(twins, PROVIDER, contract_number="KTR-LKPP/2021/0042", now=NOW)["status"] == "submitted"


def test_a_provider_sends_a_company_letter_not_an_sk(twins: Twins) -> None:
    with pytest.raises(RuleViolation) as refused:
        _apply(twins, PROVIDER, letter_upload_id=_letter(twins, "sk_letter"))
    assert refused.value.code == "upload_unusable"
    assert "surat perusahaan" in refused.value.fields["letter_upload_id"]
    rejected = _letter(twins, content=docfactory.pdf_with_javascript())
    with pytest.raises(RuleViolation) as bad:
        _apply(twins, letter_upload_id=rejected)
    assert "ditolak" in bad.value.fields["letter_upload_id"]


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({**BUYER, "institution": None}, "institution"),
        ({**PROVIDER, "npwp": None}, "npwp"),
        ({**PROVIDER, "contract_number": None}, "contract_number"),
        ({**BUYER, "letter_upload_id": None}, "letter_upload_id"),
    ],
)
def test_what_each_applicant_type_must_send(fields: dict[str, Any], missing: str) -> None:
    body = {"letter_upload_id": "unggahan-0001", **fields}
    with pytest.raises(ValidationError, match=f"{missing}: wajib diisi"):
        registrations.RegistrationForm.model_validate(body)


# --- the workflow's steps -----------------------------------------------------------------------------


def test_the_verification_step_is_recorded_and_the_request_is_in_progress(twins: Twins) -> None:
    number = _apply(twins)["number"]
    assert registrations.step("set_step", {"number": number, "step": "verification"}, now=NOW) == {
        "step": "verification"
    }
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("in_progress", "verification")
    assert stored.events[-1]["kind"] == "step"


def test_the_local_fake_provisions_an_account_its_link_activates_once(twins: Twins) -> None:
    number = _apply(twins)["number"]
    account = registrations.step("provision", {"number": number}, now=NOW)
    assert account["user_id"] == f"lpse-bali-{number[-6:]}"
    site, token = account["activation_url"].split("/_local/activate/")
    assert site == "https://layanan.lkpp.go.id"
    assert twins.accounts.activate(token) == {
        "user_id": account["user_id"],
        "number": number,
        "created_at": "2026-12-03T02:00:00Z",
    }


def test_without_a_provisioning_endpoint_the_step_fails_and_nothing_is_recorded(
    twins: Twins, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.provisioning import ProvisioningFailed

    number = _apply(twins)["number"]
    monkeypatch.delitem(ENVIRONMENT, "LOCAL_FAKE_PROVISIONING")
    with pytest.raises(ProvisioningFailed):
        registrations.step("provision", {"number": number}, now=NOW)
    assert twins.accounts.accounts == {}


def test_an_approval_closes_the_request_mails_the_user_id_and_frees_the_applicant(twins: Twins) -> None:
    number = _apply(twins)["number"]
    assert _approved(number) == {"status": "closed"}
    stored = _stored(twins, number)
    assert (stored.item["status"], stored.item["step"]) == ("closed", "done")
    verified = next(e for e in stored.events if e["kind"] == "verified")
    assert verified["data"]["by"] == VERIFIER
    (mail,) = [m for m in _mails(twins) if "User ID" in m["text"]]
    assert mail["to"] == BUYER["email"] and f"lpse-bali-{number[-6:]}" in mail["text"]
    assert "/_local/activate/" in mail["text"] and "kata sandi:" not in mail["text"].lower()
    assert twins.requests.held(schema.open_registration("lpse-bali", BUYER["email"])) is None
    assert _apply(twins)["number"] != number


def test_a_refusal_gives_the_reason_invites_a_corrected_letter_and_frees_the_applicant(
    twins: Twins,
) -> None:
    number = _apply(twins)["number"]
    assert _rejected(number) == {"status": "rejected"}
    assert _stored(twins, number).item["status"] == "rejected"
    (mail,) = [m for m in _mails(twins) if "belum dapat disetujui" in m["text"]]
    assert mail["to"] == BUYER["email"]
    assert "SK belum ditandatangani" in mail["text"] and "Balas surel ini" in mail["text"]
    assert _apply(twins)["number"] != number


def test_an_unknown_action_is_refused(twins: Twins) -> None:
    number = _apply(twins)["number"]
    with pytest.raises(ValueError, match="unknown action"):
        registrations.step("archive", {"number": number}, now=NOW)


# --- a corrected letter mailed after a refusal ------------------------------------------------------------


def _mailed_letter(twins: Twins, number: str, content: bytes) -> list[str]:
    """What the email door does with the reply's attachment: stored with the request, checked later."""
    upload_id = uploads.store_from_mail(content, "SK-perbaikan.pdf", PDF, number=number, now=NOW, source="m")
    return [upload_id]


def _checked(twins: Twins, upload_id: str) -> None:
    uploads.check_arrival(twins.files.bucket, f"quarantine/{upload_id}", now=NOW)


def _followed(twins: Twins, *, with_letter: bool = True) -> tuple[str, Any]:
    ended = _apply(twins)["number"]
    _rejected(ended)
    receipt, acknowledged = registrations.follow_rejected(
        _stored(twins, ended),
        mail_documents=lambda number: (
            _mailed_letter(twins, number, docfactory.pdf_letter()) if with_letter else []
        ),
        now=NOW + timedelta(hours=1),
        store=twins.requests,
    )
    assert acknowledged
    return ended, receipt


def test_a_corrected_letter_starts_a_request_that_waits_for_the_applicant(twins: Twins) -> None:
    ended, receipt = _followed(twins)
    stored = _stored(twins, receipt.number)
    assert (stored.item["channel"], stored.item["status"], stored.item["unit"]) == (
        "email",
        "waiting_requester",
        "lpse-bali",
    )
    assert stored.item["details"] == {
        "applicant_type": "buyer",
        "lpse_id": "lpse-bali",
        "follows": ended,
        "awaiting_confirmation": True,
    }
    # On the LPSE's clock: its zone and its service standard of 3 working days.
    assert stored.item["sla"]["tz"] == "Asia/Makassar" and stored.events[0]["data"]["working_days"] == 3
    assert uploads.load(stored.item["documents"][0])["attached_to"] == receipt.number  # type: ignore[index]
    ack = next(m for m in _mails(twins) if receipt.number in m["subject"])
    assert ack["to"] == BUYER["email"] and f"melanjutkan {ended}" in ack["text"]
    # Not yet the applicant's open request there, and no workflow until confirmed.
    assert twins.requests.held(schema.open_registration("lpse-bali", BUYER["email"])) is None
    assert receipt.number not in twins.workflows.executions


def test_the_applicant_confirms_once_the_mailed_letter_passed_the_checks(twins: Twins) -> None:
    ended, receipt = _followed(twins)
    later = NOW + timedelta(hours=2)
    with pytest.raises(NotFound):
        registrations.confirm(receipt.number, "kode-salah", client="c", now=later)
    with pytest.raises(Conflict) as pending:
        registrations.confirm(receipt.number, receipt.access_code, client="c", now=later)
    assert pending.value.code == "documents_pending"
    _checked(twins, _stored(twins, receipt.number).item["documents"][0])
    answer = registrations.confirm(receipt.number, receipt.access_code, client="c", now=later)
    assert answer == {"number": receipt.number, "status": "in_progress"}
    stored = _stored(twins, receipt.number)
    assert "awaiting_confirmation" not in stored.item["details"]
    assert [e["kind"] for e in stored.events][-2:] == ["resumed", "confirmed"]
    held = twins.requests.held(schema.open_registration("lpse-bali", BUYER["email"]))
    assert held is not None and held["number"] == receipt.number
    arn, started = twins.workflows.executions[receipt.number]
    assert arn == ARN and (started["unit"], started["working_days"], started["tz"]) == (
        "lpse-bali",
        3,
        "Asia/Makassar",
    )
    # A further mail about the refused request now goes to the confirmed one.
    follower = registrations.live_follower(_stored(twins, ended), twins.requests)
    assert follower is not None and follower.item["number"] == receipt.number
    with pytest.raises(Conflict) as again:
        registrations.confirm(receipt.number, receipt.access_code, client="c", now=later)
    assert again.value.code == "nothing_to_confirm"


def test_a_mail_without_a_usable_letter_cannot_be_confirmed(twins: Twins) -> None:
    _, receipt = _followed(twins, with_letter=False)
    with pytest.raises(RuleViolation) as refused:
        registrations.confirm(receipt.number, receipt.access_code, client="c", now=NOW + timedelta(hours=2))
    assert refused.value.code == "letter_missing" and set(refused.value.fields) == {"documents"}
    assert _stored(twins, receipt.number).item["status"] == "waiting_requester"


def test_a_confirmation_while_another_request_is_open_there_is_refused(twins: Twins) -> None:
    _, receipt = _followed(twins)
    _checked(twins, _stored(twins, receipt.number).item["documents"][0])
    meanwhile = _apply(twins, now=NOW + timedelta(hours=2))  # the applicant used the form meanwhile
    with pytest.raises(Conflict) as refused:
        registrations.confirm(receipt.number, receipt.access_code, client="c", now=NOW + timedelta(hours=3))
    assert refused.value.code == "registration_open"
    assert _stored(twins, receipt.number).item["status"] == "waiting_requester"
    held = twins.requests.held(schema.open_registration("lpse-bali", BUYER["email"]))
    assert held is not None and held["number"] == meanwhile["number"]
    assert receipt.number not in twins.workflows.executions
