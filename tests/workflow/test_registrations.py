"""User-ID requests through the LPSE: the letter, the contract check for providers, the verifier of that
LPSE deciding from a signed link or the console, the account provisioned and the activation link mailed,
and every refusal with a clear reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from component.test_uploads import upload
from unit import docfactory

from desk_local.seed import DEMO
from desk_local.server import LocalRoutes
from desk_local.stack import LocalDesk
from flows import until

BUYER = {
    "applicant_type": "buyer",
    "name": "Rudi Hartono",
    "email": "rudi@disdik.jakarta.go.id",
    "phone": "021 555 0101",
    "position": "Pejabat Pengadaan",
    "institution": "Dinas Pendidikan DKI Jakarta",
    "lpse_id": "lpse-dki-jakarta",
}
PROVIDER = {
    "applicant_type": "provider",
    "name": "Sinta",
    "email": "sinta@sumbermakmur.example.co.id",
    "phone": "0812 1111 2222",
    "position": "Direktur",
    "company": "PT Sumber Makmur Sejahtera",
    "npwp": "01.234.567.8-901.000",
    "contract_number": DEMO["valid_contract_number"],
    "lpse_id": "lpse-prov-bali",
}


@pytest.fixture(scope="module")
def desk() -> Iterator[LocalDesk]:
    with LocalDesk(working_day_seconds=5.0, wait_scale=0) as running:
        running.seed()
        yield running


def _letter(desk: LocalDesk, purpose: str = "sk_letter") -> str:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose=purpose)
    assert status["status"] == "accepted"
    return upload_id


def _apply(desk: LocalDesk, form: dict[str, Any], purpose: str = "sk_letter", **overrides: Any) -> Any:
    body = {**form, "letter_upload_id": _letter(desk, purpose), **overrides}
    return desk.http("POST", "/registrations", json_body=body)


def _link(desk: LocalDesk, number: str) -> str:
    mail = until(
        lambda: [
            m for m in desk.outbox() if number in m["subject"] and ": mohon keputusan" in m["subject"].lower()
        ]
    )[0]
    return str(next(u for u in mail["links"] if "/approvals/" in u))


def _post(desk: LocalDesk, link: str, language: str = "id", **fields: str) -> Any:
    parts = urlsplit(link)
    form = {k: v[0] for k, v in parse_qs(parts.query).items()} | fields
    return desk.http(
        "POST",
        parts.path,
        body=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": language},
    )


def test_a_buyer_gets_a_user_id_and_an_activation_link(desk: LocalDesk) -> None:
    response = _apply(desk, BUYER)
    assert response.status == 201, response.text
    receipt = response.json()
    assert receipt["due_at"].endswith("16:59:59Z")  # end of a working day in WIB (LPSE Jakarta: 3 days)
    ack = [
        m for m in desk.outbox() if receipt["number"] in m["subject"] and "telah kami terima" in m["subject"]
    ]
    assert ack and receipt["access_code"] in ack[0]["text"]
    again = _apply(desk, BUYER)
    assert again.status == 409 and receipt["number"] in again.json()["error"]["message"]

    link = _link(desk, receipt["number"])
    assert "verifier-jakarta" in next(m for m in desk.outbox() if link in m["links"])["to"][0]
    assert _post(desk, link, decision="approve").status == 200
    mail = until(
        lambda: [m for m in desk.outbox() if receipt["number"] in m["subject"] and "User ID" in m["text"]]
    )[0]
    assert mail["to"] == [BUYER["email"]]
    assert "kata sandi:" not in mail["text"].lower() and "password" not in mail["text"].lower()
    activation = next(u for u in mail["links"] if "/_local/activate/" in u)
    local = LocalRoutes(desk, "")
    from desk_local.gateway import HttpRequest

    first = local.handle(HttpRequest("GET", urlsplit(activation).path))
    assert first is not None and first.status == 200 and "aktif" in first.text
    second = local.handle(HttpRequest("GET", urlsplit(activation).path))
    assert second is not None and second.status == 410
    status = desk.http("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}").json()
    assert status["status"] == "closed"
    assert "verified" in [e["kind"] for e in status["timeline"]]
    assert _apply(desk, BUYER).status == 201  # closed: the same person may apply again


def test_a_refusal_without_its_reason_is_asked_for_in_the_pages_language(desk: LocalDesk) -> None:
    response = _apply(desk, {**BUYER, "email": "bahasa@disdik.jakarta.go.id"})
    assert response.status == 201, response.text
    link = _link(desk, response.json()["number"])
    english = _post(desk, link, language="en", decision="reject")
    assert english.status == 400
    assert "give the reason for the refusal" in english.text and '<html lang="en">' in english.text
    indonesian = _post(desk, link, decision="reject")
    assert indonesian.status == 400 and "tulis alasan penolakan" in indonesian.text


def test_a_provider_is_refused_by_the_verifier_with_a_reason(desk: LocalDesk) -> None:
    response = _apply(desk, PROVIDER, purpose="company_letter")
    assert response.status == 201, response.text
    number = response.json()["number"]
    bali = desk.login("verifier-bali")
    jakarta = desk.login("verifier-jakarta")
    _link(desk, number)
    task = until(
        lambda: next(
            (
                t
                for t in desk.http("GET", "/staff/tasks", token=bali).json()["items"]
                if t["number"] == number
            ),
            None,
        )
    )
    path = f"/staff/tasks/{task['task_id']}/decision"
    # Another LPSE's verifier is told no more than of a task that does not exist.
    assert desk.http("POST", path, token=jakarta, json_body={"decision": "approve"}).status == 404
    assert (
        desk.http(
            "POST",
            path,
            token=bali,
            json_body={"decision": "reject", "reason": "Surat tidak ditandatangani direktur"},
        ).status
        == 200
    )
    mail = until(
        lambda: [m for m in desk.outbox() if number in m["subject"] and "tidak ditandatangani" in m["text"]]
    )
    assert mail[0]["to"] == [PROVIDER["email"]] and "permohonan baru" in mail[0]["text"]


@pytest.mark.parametrize(
    ("form", "overrides", "status", "field"),
    [
        (PROVIDER, {"contract_number": "KTR-TIDAK-ADA/2026/9"}, 422, "contract_number"),
        (PROVIDER, {"contract_number": DEMO["expired_contract_number"]}, 422, "contract_number"),
        (PROVIDER, {"npwp": "01.234.567.8-901"}, 400, "npwp"),
        (BUYER, {"lpse_id": "lpse-atlantis"}, 422, "lpse_id"),
        (BUYER, {"letter_upload_id": None}, 400, "letter_upload_id"),
        (BUYER, {"institution": None}, 400, "institution"),
    ],
)
def test_bad_applications_are_refused_clearly(
    desk: LocalDesk, form: dict[str, Any], overrides: dict[str, Any], status: int, field: str
) -> None:
    purpose = "company_letter" if form is PROVIDER else "sk_letter"
    response = _apply(desk, {**form, "email": f"x{len(field)}{status}@pemda.go.id"}, purpose, **overrides)
    assert response.status == status, response.text
    assert field in response.json()["error"].get("fields", {}), response.text


def test_a_rejected_letter_cannot_be_used(desk: LocalDesk) -> None:
    bad, status = upload(desk, docfactory.pdf_with_javascript(), purpose="sk_letter")
    assert status["status"] == "rejected"
    response = desk.http(
        "POST", "/registrations", json_body={**BUYER, "email": "lain@pemda.go.id", "letter_upload_id": bad}
    )
    assert response.status == 422 and "letter_upload_id" in response.json()["error"]["fields"]


def test_a_provisioning_failure_is_retried_then_flagged_and_the_approval_kept(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk import provisioning

    def broken(registration: dict[str, Any], *, now: Any) -> Any:
        raise provisioning.ProvisioningFailed("the endpoint answered 503")

    monkeypatch.setattr(provisioning, "create_account", broken)
    receipt = _apply(desk, {**BUYER, "email": "gagal@pemda.go.id"}).json()
    assert _post(desk, _link(desk, receipt["number"]), decision="approve").status == 200
    table = desk.ref("DeskTable")
    item = until(
        lambda: (
            i := desk.client("dynamodb").get_item(
                TableName=table, Key={"pk": {"S": f"REQ#{receipt['number']}"}, "sk": {"S": "REQ"}}
            )["Item"]
        ).get("needs_attention")
        and i
    )
    assert "provision" in item["attention_reason"]["S"].lower()
    machine = desk.ref("RegistrationWorkflow")
    execution_arn = machine.replace(":stateMachine:", ":execution:") + f":{receipt['number']}"
    finished = until(
        lambda: (d := desk.client("stepfunctions").describe_execution(executionArn=execution_arn))["status"]
        != "RUNNING"
        and d
    )
    assert finished["status"] == "SUCCEEDED"  # the workflow did not die
    task_decided = [m for m in desk.outbox() if receipt["number"] in m["subject"] and "User ID" in m["text"]]
    assert task_decided == []  # no account, no activation mail


def _reply_mail(to_mail: dict[str, Any], sender: str, text: str, letter: bytes | None = None) -> bytes:
    from email.message import EmailMessage
    from email.utils import make_msgid

    message = EmailMessage()
    message["From"], message["To"] = sender, "layanan@epurchasing.example.go.id"
    message["Subject"] = "Re: " + to_mail["subject"]
    message["Message-ID"] = make_msgid(domain="disdik.jakarta.go.id")
    message["In-Reply-To"] = to_mail["message_id"]
    message.set_content(text)
    if letter is not None:
        message.add_attachment(letter, maintype="application", subtype="pdf", filename="SK-perbaikan.pdf")
    return message.as_bytes()


def _received(desk: LocalDesk, raw: bytes, sender: str) -> dict[str, Any]:
    before = len(desk.functions.history)
    desk.deliver_mail(raw, sender, ["layanan@epurchasing.example.go.id"])
    runs = [i for i in desk.functions.history[before:] if i.function.endswith("InboundEmailFunction")]
    assert runs and runs[-1].error is None, runs[-1].error if runs else "not invoked"
    return runs[-1].result["received"][0]  # type: ignore[no-any-return]


def test_a_corrected_letter_mailed_after_a_refusal_starts_a_request_the_applicant_confirms(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    applicant = {**BUYER, "email": "perbaikan@disdik.jakarta.go.id"}
    first = _apply(desk, applicant).json()
    assert (
        _post(desk, _link(desk, first["number"]), decision="reject", reason="SK belum ditandatangani").status
        == 200
    )
    refusal = until(
        lambda: [
            m for m in desk.outbox() if first["number"] in m["subject"] and "ditandatangani" in m["text"]
        ]
    )[0]
    assert "Balas surel ini" in refusal["text"]

    # A reply without the letter prepares the request; it cannot be confirmed without a usable letter.
    outcome = _received(desk, _reply_mail(refusal, applicant["email"], "Surat menyusul."), applicant["email"])
    number = outcome["number"]
    assert outcome["kind"] == "new" and number != first["number"]
    ack = until(
        lambda: [m for m in desk.outbox() if number in m["subject"] and "telah kami terima" in m["subject"]]
    )
    code = next(
        line.split(": ", 1)[1] for line in ack[0]["text"].splitlines() if line.startswith("Kode akses")
    )
    assert f"melanjutkan {first['number']}" in ack[0]["text"]
    status = desk.http("GET", f"/tickets/{number}?code={code}").json()
    assert status["type"] == "registration" and status["status"] == "waiting_requester"
    assert status["awaiting_confirmation"] is True
    refused = desk.http("POST", f"/tickets/{number}/confirm?code={code}")
    assert refused.status == 422 and "documents" in refused.json()["error"]["fields"], refused.text
    assert desk.http("POST", f"/tickets/{number}/confirm?code=salah-kode").status == 404

    # The corrected SK, mailed again in reply to the refusal, joins the prepared request, not a new one.
    again = _received(
        desk,
        _reply_mail(refusal, applicant["email"], "Terlampir SK perbaikan.", docfactory.pdf_letter()),
        applicant["email"],
    )
    assert again["kind"] == "reply" and again["number"] == number
    staff = desk.http("GET", f"/staff/tickets/{number}", token=tokens["verifier-jakarta"]).json()
    assert staff["details"]["follows"] == first["number"] and staff["status"] == "waiting_requester"
    until(lambda: all(d["status"] == "accepted" for d in staff_documents(desk, number, tokens)) or None)
    confirmed = desk.http("POST", f"/tickets/{number}/confirm?code={code}")
    assert confirmed.status == 200 and confirmed.json()["status"] == "in_progress", confirmed.text
    assert (
        desk.http("POST", f"/tickets/{number}/confirm?code={code}").json()["error"]["code"]
        == "nothing_to_confirm"
    )

    # The LPSE's verifier is asked about the new request, and approving it gives the user ID.
    assert _post(desk, _link(desk, number), decision="approve").status == 200
    until(lambda: [m for m in desk.outbox() if number in m["subject"] and "User ID" in m["text"]])
    old = desk.http("GET", f"/staff/tickets/{first['number']}", token=tokens["verifier-jakarta"]).json()
    assert [e["data"]["by"] for e in old["timeline"] if e["kind"] == "followed"] == [number]
    complaints = desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["helpdesk"]).json()["items"]
    assert not [i for i in complaints if "perbaikan" in i["subject"].lower()]


def staff_documents(desk: LocalDesk, number: str, tokens: dict[str, str]) -> list[dict[str, Any]]:
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["verifier-jakarta"]).json()
    return page["documents"] or [{"status": "pending"}]


def test_a_user_id_requests_life_reads_from_the_logs_by_its_number(desk: LocalDesk) -> None:
    from flows import log_lines

    services = ("public-api", "ask-person", "approvals", "registration-steps")
    warm = _apply(desk, {**BUYER, "email": "pemanasan@disdik.jakarta.go.id"}).json()  # every logger exists
    assert _post(desk, _link(desk, warm["number"]), decision="approve").status == 200
    until(lambda: [m for m in desk.outbox() if warm["number"] in m["subject"] and "User ID" in m["text"]])
    with log_lines(*services) as lines:
        number = _apply(desk, {**BUYER, "email": "jejak@disdik.jakarta.go.id"}).json()["number"]
        assert _post(desk, _link(desk, number), decision="approve").status == 200
        until(lambda: [m for m in desk.outbox() if number in m["subject"] and "User ID" in m["text"]])
    mine = [entry for entry in lines if entry.get("number") == number]
    assert {entry["service"] for entry in mine} == set(services)
    said = [entry["message"] for entry in mine]
    assert said[0] == "request created" and "task decided" in said
    changes = [(e["from_status"], e["to_status"]) for e in mine if e["message"] == "request changed"]
    assert changes[-1][1] == "closed", changes
