"""A request is read in its own zone (domain-rules.md §1): a user-ID request to the Bali LPSE
(Asia/Makassar) has its deadline in WITA in the acknowledgement, in the verifier's task mail and in what
the status page and the console are answered; a request to LKPP stays in WIB."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from component.test_uploads import upload
from unit import docfactory

from desk import clock
from desk_local.stack import LocalDesk
from flows import until

BALI = {
    "applicant_type": "buyer",
    "name": "Made Suartana",
    "email": "made@bappeda.baliprov.go.id",
    "phone": "0361 222 333",
    "position": "Pejabat Pengadaan",
    "institution": "Bappeda Provinsi Bali",
    "lpse_id": "lpse-prov-bali",
}
COMPLAINT = {
    "kind": "complaint",
    "subject": "Katalog tidak bisa dibuka",
    "message": "Halaman katalog lokal kosong sejak pagi.",
    "name": "Ani Wulandari",
    "email": "ani@pemkot-bogor.go.id",
}


def _acknowledgement(desk: LocalDesk, number: str) -> dict[str, Any]:
    return next(m for m in desk.outbox() if number in m["subject"] and "telah kami terima" in m["subject"])


def _end_of_day(due_at: str, tz: str, zone_label: str) -> re.Pattern[str]:
    """The deadline as people read it, down to the day of the month it falls on in that zone."""
    local = clock.parse_iso(due_at).astimezone(ZoneInfo(tz))
    return re.compile(rf"\w+, {local.day} \w+ {local.year} pukul 23\.59 {zone_label}\b")


def test_a_bali_request_reads_its_deadline_in_wita(desk: LocalDesk, tokens: dict[str, str]) -> None:
    letter, checked = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    assert checked["status"] == "accepted"
    response = desk.http("POST", "/registrations", json_body={**BALI, "letter_upload_id": letter})
    assert response.status == 201, response.text
    receipt = response.json()
    number, due = receipt["number"], receipt["due_at"]
    wita = _end_of_day(due, "Asia/Makassar", "WITA")

    acknowledgement = _acknowledgement(desk, number)["text"]
    assert wita.search(acknowledgement), acknowledgement
    assert "WIB" not in acknowledgement

    status = desk.http("GET", f"/tickets/{number}?code={receipt['access_code']}").json()
    assert status["tz"] == "Asia/Makassar" and status["due_at"] == due
    view = desk.http("GET", f"/staff/tickets/{number}", token=tokens["verifier-bali"]).json()
    assert view["tz"] == "Asia/Makassar"

    # The verifier's task runs on the same working days in the same zone: its deadline reads alike.
    ask = until(
        lambda: [m for m in desk.outbox() if number in m["subject"] and ": mohon keputusan" in m["subject"]],
        what="for the verifier's task mail",
    )[0]
    line = next(line for line in ask["text"].splitlines() if line.startswith("Batas waktu: "))
    assert wita.search(line), line

    # The queue row and the task list carry the zone their deadlines are shown in.
    verifier = tokens["verifier-bali"]
    queue = desk.http("GET", f"/staff/queue?unit={BALI['lpse_id']}", token=verifier).json()["items"]
    assert next(i for i in queue if i["number"] == number)["sla"]["tz"] == "Asia/Makassar"
    task = until(
        lambda: [
            t
            for t in desk.http("GET", "/staff/tasks", token=verifier).json()["items"]
            if t["number"] == number
        ],
        what="for the verifier's task",
    )[0]
    assert task["tz"] == "Asia/Makassar" and task["due_at"] == due


def test_a_complaint_to_lkpp_stays_in_wib(desk: LocalDesk, tokens: dict[str, str]) -> None:
    response = desk.http("POST", "/tickets", json_body=COMPLAINT)
    assert response.status == 201, response.text
    receipt = response.json()
    number = receipt["number"]

    acknowledgement = _acknowledgement(desk, number)["text"]
    assert _end_of_day(receipt["due_at"], "Asia/Jakarta", "WIB").search(acknowledgement), acknowledgement
    status = desk.http("GET", f"/tickets/{number}?code={receipt['access_code']}").json()
    assert status["tz"] == "Asia/Jakarta"
    view = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert view["tz"] == "Asia/Jakarta"
