"""The requester's status page and the pages behind signed approval links, on a phone-sized screen:
a request made through the API read back, a wrong code, information added from the page, and a
verifier deciding from the link in the mail, then the same link again and a tampered one."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from browser.helpers import Site, pdf_file, screenshot

VERIFIER = "verifier-jakarta@staff.desk.local"


def _until(check: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting {what}")
        time.sleep(0.4)


def _complaint(site: Site, subject: str) -> dict[str, Any]:
    status, receipt = site.call(
        "POST",
        "/tickets",
        {
            "kind": "complaint",
            "subject": subject,
            "message": "Akun saya terkunci.",
            "name": "Ani",
            "email": "ani@example.go.id",
        },
    )
    assert status == 201, receipt
    return dict(receipt)


def _status_path(receipt: dict[str, Any], code: str | None = None) -> str:
    return "/status?" + urlencode({"number": receipt["number"], "code": code or receipt["access_code"]})


def _open_status(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#result:not([hidden]), #problem:not([hidden])")


def _registration(site: Site) -> dict[str, Any]:
    status, receipt = site.call(
        "POST",
        "/registrations",
        {
            "applicant_type": "buyer",
            "name": "Rudi Hartono",
            "email": f"rudi.{time.time_ns()}@disdik.jakarta.go.id",
            "phone": "021 555 0101",
            "position": "Pejabat Pengadaan",
            "institution": "Dinas Pendidikan DKI Jakarta",
            "lpse_id": site.info["demo"]["lpse_id"],
            "letter_upload_id": site.upload("sk_letter"),
        },
    )
    assert status == 201, receipt
    return dict(receipt)


def _approval_link(site: Site, number: str) -> str:
    mail = site.mail_to(VERIFIER, number, timeout=60)
    assert "mohon keputusan" in mail["subject"].lower(), mail["subject"]
    return str(next(u for u in mail["links"] if "/approvals/" in u))


def test_the_status_page_reads_a_request_made_through_the_api(page: Any, site: Site) -> None:
    receipt = _complaint(site, "Tidak bisa masuk e-Purchasing")
    _open_status(page, _status_path(receipt))
    assert page.locator("#r-number").inner_text() == receipt["number"]
    assert page.locator("#r-type").inner_text() == "Pengaduan"
    assert page.locator("#r-status").inner_text() == "Diterima"
    assert page.locator("#r-due").inner_text().strip() not in ("", "-")
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == 1 and "Permintaan diterima" in timeline.first.inner_text()
    assert page.get_by_text("Belum ada balasan.").is_visible()
    assert page.get_by_label("Pesan").is_visible()
    assert page.locator("#lookup").is_hidden()
    screenshot(page, "status")

    page.get_by_role("button", name="English").click()
    assert page.locator("#r-status").inner_text() == "Received"
    assert "Request received" in page.locator("ol.timeline").inner_text()


def test_a_wrong_code_says_not_found_and_the_form_finds_it(page: Any, site: Site) -> None:
    receipt = _complaint(site, "Kode salah")
    _open_status(page, _status_path(receipt, code="SALAH" + receipt["access_code"][5:]))
    alert = page.get_by_role("alert")
    assert "Permintaan tidak ditemukan" in alert.inner_text()
    assert page.locator("#result").is_hidden()
    assert page.get_by_label("Nomor permintaan").input_value() == receipt["number"]
    screenshot(page, "status-not-found")

    page.get_by_label("Kode akses").fill(receipt["access_code"])
    page.get_by_role("button", name="Lihat status").click()
    page.locator("#result").wait_for(state="visible")
    assert page.locator("#r-number").inner_text() == receipt["number"]
    assert page.locator("#problem").is_hidden()
    assert f"code={receipt['access_code']}" in page.url  # the address can be kept as a bookmark


def test_the_form_without_a_link_asks_for_both(page: Any, site: Site) -> None:
    page.goto("/status")
    page.get_by_role("button", name="Lihat status").click()
    assert page.locator("#number-error").inner_text() == "wajib diisi"
    assert page.locator("#code-error").inner_text() == "wajib diisi"
    assert page.get_by_label("Nomor permintaan").get_attribute("aria-invalid") == "true"


def test_too_many_wrong_codes_say_so(page: Any, site: Site) -> None:
    receipt = _complaint(site, "Terlalu banyak percobaan")
    for attempt in range(10):
        status, _ = site.call("GET", f"/tickets/{receipt['number']}?code=SALAH{attempt:02d}XXXXXXX")
        assert status == 404
    _open_status(page, _status_path(receipt))
    assert "Terlalu banyak percobaan" in page.get_by_role("alert").inner_text()
    assert page.locator("#result").is_hidden()


def test_information_added_from_the_page_shows_in_the_history(page: Any, site: Site) -> None:
    receipt = _complaint(site, "Tambah informasi")
    _open_status(page, _status_path(receipt))
    page.get_by_role("button", name="Kirim informasi").click()
    assert page.locator("#text-error").inner_text() == "wajib diisi"
    page.get_by_label("Pesan").fill("Nomor paket saya EPURCH-2026-000101.")
    page.get_by_role("button", name="Kirim informasi").click()
    page.locator("#add-sent").wait_for(state="visible")
    timeline = page.locator("ol.timeline")
    assert "Anda menambahkan informasi" in timeline.inner_text()
    assert "Nomor paket saya EPURCH-2026-000101." in timeline.inner_text()
    assert page.get_by_label("Pesan").input_value() == ""
    status, answer = site.call("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}")
    assert status == 200 and answer["timeline"][-1]["kind"] == "requester_wrote"

    # A file goes with the next message: uploaded, checked, then attached to the request.
    page.get_by_label("Pesan").fill("Berikut tangkapan layarnya.")
    page.locator("#attachment").set_input_files(pdf_file("tangkapan-layar.pdf"))
    page.get_by_role("button", name="Kirim informasi").click()
    token = site.token("helpdesk")

    def documents() -> list[str]:
        staff = site.call("GET", f"/staff/tickets/{receipt['number']}", token=token)[1]
        return [d["filename"] for d in staff["documents"]]

    _until(documents, "the file on the request", timeout=120)
    assert documents() == ["tangkapan-layar.pdf"]
    page.locator("ol.timeline", has_text="Berikut tangkapan layarnya.").wait_for()


def test_a_verifier_decides_from_the_signed_link_and_the_request_moves_on(page: Any, site: Site) -> None:
    receipt = _registration(site)
    link = _approval_link(site, receipt["number"])
    path = urlsplit(link).path + "?" + urlsplit(link).query

    shown = page.goto(path)
    assert shown.status == 200
    assert page.locator("h1").inner_text() == "Verifikasi permohonan user ID"
    main = page.locator("main").inner_text()
    for fact in (
        receipt["number"],
        "Rudi Hartono, Dinas Pendidikan DKI Jakarta",
        "Batas waktu",
        "Surat tugas / SK",
    ):
        assert fact in main
    document = page.get_by_role("link", name="sk_letter.pdf")
    href = document.get_attribute("href")
    assert href and requests.get(href, timeout=30).content.startswith(b"%PDF")
    assert page.get_by_role("radio", name="Setujui").is_visible()
    assert page.locator("script").count() == 0
    screenshot(page, "approval-form")

    # A browser set to English gets the page in English.
    english = page.context.browser.new_context(
        base_url=site.url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    try:
        tab = english.new_page()
        tab.goto(path)
        assert tab.locator("h1").inner_text() == "User ID request verification"
        assert tab.get_by_role("radio", name="Approve").is_visible()
        assert tab.evaluate("document.documentElement.lang") == "en"
    finally:
        english.close()

    # Rejecting without a reason is refused beside the field; nothing is decided.
    page.get_by_role("radio", name="Tolak").check()
    page.get_by_role("button", name="Catat keputusan").click()
    assert "Keputusan belum lengkap" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Alasan").get_attribute("aria-invalid") == "true"

    page.get_by_role("radio", name="Setujui").check()
    page.get_by_role("button", name="Catat keputusan").click()
    assert page.locator("h1").inner_text() == "Keputusan tercatat"
    assert "Keputusan Anda tercatat: Setujui." in page.locator("main").inner_text()
    screenshot(page, "approval-recorded")

    def moved() -> bool:
        status, answer = site.call("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}")
        return status == 200 and answer.get("step") != "verification" and answer["status"] != "submitted"

    _until(moved, "for the registration to move past verification")
    _open_status(page, _status_path(receipt))
    assert page.locator("#r-type").inner_text() == "Permintaan user ID"
    assert "Diverifikasi" in page.locator("ol.timeline").inner_text()
    assert page.locator("#r-status").inner_text() in ("Selesai", "Sedang diproses", "Sudah dijawab")

    again = page.goto(path)
    assert again.status == 409
    assert page.locator("h1").inner_text() == "Sudah diputuskan"
    said = page.locator("main").inner_text()
    assert VERIFIER in said and re.search(r"\d{4} pukul \d\d\.\d\d", said) and "Setujui" in said
    screenshot(page, "approval-decided")

    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    tampered = urlsplit(link).path + "?" + urlencode({**query, "sig": query["sig"][:-3] + "AAA"})
    refused = page.goto(tampered)
    assert refused.status == 403
    assert page.locator("h1").inner_text() == "Tautan tidak sah"
    assert page.get_by_role("link", name="Buka konsol petugas").is_visible()
    screenshot(page, "approval-invalid")


def test_the_status_page_lists_the_requests_documents_to_download(page: Any, site: Site) -> None:
    receipt = _registration(site)
    _open_status(page, _status_path(receipt))
    link = page.locator("#document-list a")
    link.wait_for()
    assert "Surat tugas / SK" in page.locator("#document-list").inner_text()
    href = link.get_attribute("href")
    assert href and f"/tickets/{receipt['number']}/documents/" in href
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")


def _mail_in(site: Site, raw: bytes, sender: str) -> None:
    import smtplib

    host, _, port = str(site.info["smtp"]).rpartition(":")
    with smtplib.SMTP(host, int(port), timeout=30) as smtp:
        smtp.sendmail(sender, ["layanan@epurchasing.example.go.id"], raw)


def test_a_request_prepared_from_a_mailed_letter_is_confirmed_from_the_status_page(
    page: Any, site: Site
) -> None:
    from email import policy
    from email.message import EmailMessage
    from email.utils import make_msgid

    from unit import docfactory

    receipt = _registration(site)
    link = urlsplit(_approval_link(site, receipt["number"]))
    form = {k: v[0] for k, v in parse_qs(link.query).items()} | {
        "decision": "reject",
        "reason": "SK kedaluwarsa",
    }
    refused = requests.post(site.url + link.path, data=form, timeout=30)
    assert refused.status_code == 200, refused.text
    refusal = _until(
        lambda: next(
            (m for m in site.outbox() if receipt["number"] in m["subject"] and "kedaluwarsa" in m["text"]),
            None,
        ),
        "for the refusal mail",
    )
    applicant = refusal["to"][0]
    reply = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))  # long Message-IDs on one line
    reply["From"], reply["To"] = applicant, "layanan@epurchasing.example.go.id"
    reply["Subject"], reply["Message-ID"] = "Re: " + refusal["subject"], make_msgid(domain="disdik.go.id")
    reply["In-Reply-To"] = refusal["message_id"]
    reply.set_content("Terlampir SK yang sudah diperbarui.")
    reply.add_attachment(
        docfactory.pdf_letter(), maintype="application", subtype="pdf", filename="SK-baru.pdf"
    )
    _mail_in(site, reply.as_bytes(), applicant)

    ack = _until(
        lambda: next(
            (
                m
                for m in site.outbox()
                if applicant in m["to"] and f"melanjutkan {receipt['number']}" in m["text"]
            ),
            None,
        ),
        "for the prepared request's acknowledgement",
    )
    status_link = next(u for u in ack["links"] if "/status?" in u)
    asked = {k: v[0] for k, v in parse_qs(urlsplit(status_link).query).items()}
    _until(  # the mailed letter is checked before it can be shown or confirmed
        lambda: site.call("GET", f"/tickets/{asked['number']}?code={asked['code']}")[1]["documents"],
        "for the mailed letter to pass the checks",
    )
    _open_status(page, urlsplit(status_link).path + "?" + urlsplit(status_link).query)
    confirm = page.locator("#confirm")
    assert confirm.is_visible() and "Menunggu" in page.locator("#r-status").inner_text()
    assert "SK-baru.pdf" in page.locator("#document-list").inner_text()
    screenshot(page, "status-confirm")
    page.get_by_role("button", name="Konfirmasi dan mulai verifikasi").click()
    _until(lambda: "Sedang diproses" in page.locator("#r-status").inner_text(), "for the confirmation")
    assert page.locator("#confirm").is_hidden()
    assert "Anda mengonfirmasi permohonan" in page.locator("ol.timeline").inner_text()
