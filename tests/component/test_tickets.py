"""The first vertical slice: a web-form complaint stored, acknowledged by mail, and shown to its sender."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desk.requests.ratelimit import ACKS_PER_CLIENT_PER_HOUR
from desk_local.stack import LocalDesk

VIEWER = "CloudFront-Viewer-Address"

FORM = {
    "kind": "complaint",
    "subject": "Tidak bisa masuk ke e-Purchasing",
    "message": "Akun PPK kami terkunci sejak kemarin.",
    "name": "Ani Wulandari",
    "email": "Ani Wulandari <ANI@Pemkot-Bogor.go.id>",
    "institution": "Pemerintah Kota Bogor",
}


def _post(desk: LocalDesk, form: dict[str, Any], **headers: str) -> Any:
    return desk.http("POST", "/tickets", json_body=form, headers=headers)


def test_a_complaint_is_numbered_acknowledged_and_visible_to_its_sender(desk: LocalDesk) -> None:
    response = _post(desk, {**FORM, "subject": "Akun terkunci (1)"})
    assert response.status == 201
    receipt = response.json()
    assert re.fullmatch(r"EP-\d{4}-\d{6}", receipt["number"])
    assert len(receipt["access_code"]) >= 12
    assert receipt["status"] == "submitted"
    assert receipt["due_at"].endswith("Z")

    mail = next(m for m in desk.outbox() if receipt["number"] in m["subject"])
    assert mail["to"] == ["ANI@pemkot-bogor.go.id"]
    assert mail["subject"].startswith(f"[{receipt['number']}]")
    assert receipt["access_code"] in mail["text"]
    assert mail["headers"]["Auto-Submitted"] == "auto-generated"
    assert mail["headers"]["X-Auto-Response-Suppress"] == "All"
    (link,) = [u for u in mail["links"] if "/status?" in u]
    query = parse_qs(urlsplit(link).query)
    assert query == {"number": [receipt["number"]], "code": [receipt["access_code"]]}

    status = desk.http("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}")
    assert status.status == 200
    body = status.json()
    assert body["number"] == receipt["number"]
    assert body["type"] == "complaint"
    assert body["status"] == "submitted"
    assert body["due_at"] == receipt["due_at"]
    assert [event["kind"] for event in body["timeline"]] == ["created"]
    assert "Ani" not in status.text  # the status page carries no personal data


def test_a_wrong_code_and_a_wrong_number_give_the_same_404(desk: LocalDesk) -> None:
    receipt = _post(desk, {**FORM, "subject": "Akun terkunci (2)"}).json()
    wrong_code = desk.http("GET", f"/tickets/{receipt['number']}?code=AAAAAAAAAAAAAAA")
    wrong_number = desk.http("GET", f"/tickets/EP-1999-000001?code={receipt['access_code']}")
    no_code = desk.http("GET", f"/tickets/{receipt['number']}")
    assert wrong_code.status == wrong_number.status == no_code.status == 404
    assert wrong_code.json() == wrong_number.json() == no_code.json()


def test_every_bad_field_is_named(desk: LocalDesk) -> None:
    response = _post(
        desk,
        {
            "kind": "praise",
            "subject": "  ",
            "message": "",
            "name": "A",
            "email": "not-an-address",
            "phone": "12",
            "surprise": 1,
        },
    )
    assert response.status == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) == {"kind", "subject", "message", "email", "phone", "surprise"}


def test_the_same_key_with_another_body_is_a_409(desk: LocalDesk) -> None:
    assert _post(desk, {**FORM, "subject": "Akun terkunci (4)"}, **{"Idempotency-Key": "k-4"}).status == 201
    clash = _post(desk, {**FORM, "subject": "Sesuatu yang lain"}, **{"Idempotency-Key": "k-4"})
    assert clash.status == 409
    assert clash.json()["error"]["code"] == "idempotency_key_reused"


def test_a_form_is_no_relay_one_client_gets_a_limited_number_of_acknowledgements(desk: LocalDesk) -> None:
    # The client is the viewer address CloudFront passes; an IPv6 /64 counts as one client.
    sent = [
        _post(
            desk,
            {**FORM, "email": f"orang{i}@other.example.go.id", "subject": f"Banyak {i}"},
            **{VIEWER: f"[2001:db8:1:2::{i:x}]:443"},
        ).json()["number"]
        for i in range(ACKS_PER_CLIENT_PER_HOUR + 3)
    ]
    acknowledged = {n for n in sent if any(n in m["subject"] for m in desk.outbox())}
    assert len(acknowledged) == ACKS_PER_CLIENT_PER_HOUR


def test_wrong_codes_lock_out_the_guesser_not_the_requester(desk: LocalDesk) -> None:
    receipt = _post(desk, {**FORM, "email": "tebak@other.example.go.id", "subject": "Tebak kode"}).json()
    number, code = receipt["number"], receipt["access_code"]
    guesser = {VIEWER: "198.51.100.7:5555"}
    statuses = [
        desk.http("GET", f"/tickets/{number}?code=WRONGWRONG{i:05d}", headers=guesser).status
        for i in range(10)
    ]
    assert statuses == [404] * 10
    blocked = desk.http("GET", f"/tickets/{number}?code={code}", headers=guesser)
    assert blocked.status == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    # The requester, from anywhere else, still reads their request with the right code.
    assert (
        desk.http("GET", f"/tickets/{number}?code={code}", headers={VIEWER: "192.0.2.10:443"}).status == 200
    )
    assert desk.http("GET", f"/tickets/{number}?code={code}").status == 200


def test_the_public_lpse_list_shows_active_lpses_with_their_standard(desk: LocalDesk) -> None:
    response = desk.http("GET", "/lpse")
    assert response.status == 200
    by_id = {lpse["id"]: lpse for lpse in response.json()}
    assert by_id["lpse-prov-bali"]["time_zone"] == "Asia/Makassar"
    assert set(by_id["lpse-dki-jakarta"]) == {"id", "name", "province", "time_zone", "service_days"}


def test_field_problems_follow_the_language_asked_for(desk: LocalDesk) -> None:
    bad = {**FORM, "subject": "x" * 201, "kind": "praise"}
    indonesian = _post(desk, bad).json()["error"]["fields"]
    english = _post(desk, bad, **{"Accept-Language": "en"}).json()["error"]["fields"]
    assert indonesian["subject"] == "maksimal 200 karakter"
    assert english["subject"] == "at most 200 characters"
    assert english["kind"].startswith("must be one of")


def test_the_desks_own_refusals_are_in_english_when_asked(desk: LocalDesk) -> None:
    bad = {**FORM, "email": "bukan-email"}
    english = _post(desk, bad, **{"Accept-Language": "en"}).json()["error"]
    assert english["fields"]["email"] == "not a valid email address"
    assert _post(desk, bad).json()["error"]["fields"]["email"] == "bukan alamat email yang sah"
    english_only = {"Accept-Language": "en"}
    wrong = desk.http("GET", "/tickets/EP-2026-999999?code=AAAAAAAAAAAAAAA", headers=english_only)
    assert wrong.status == 404
    assert wrong.json()["error"]["message"] == "The number or the access code does not match."
