"""The four public forms on a phone: each sends a real upload and ends on a receipt with the number, the
access code and a QR code to the status page; the API's errors land beside their fields; a refused file
stops the form before anything is sent; a double click or a retry makes no second request."""

from __future__ import annotations

import re
import urllib.parse
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import desk_time
from browser.helpers import TRANSACTION_AGE, Site, local_input, pdf_file, screenshot
from unit import docfactory

from desk import clock

PDF_HEADER = b"%PDF-"


def _address(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.go.id"


def _watch_posts(page: Any, path: str) -> list[str]:
    """Every POST the page sends to ``path`` (same origin), as it is sent."""
    seen: list[str] = []

    def note(request: Any) -> None:
        if request.method == "POST" and urllib.parse.urlsplit(request.url).path == path:
            seen.append(request.post_data or "")

    page.on("request", note)
    return seen


def _receipt(page: Any, site: Site) -> tuple[str, str]:
    """The number and access code the receipt shows, after checking its QR code and status link."""
    receipt = page.locator("section.receipt")
    receipt.wait_for()
    assert page.locator("form.desk-form").count() == 0
    number = receipt.locator(".receipt-number").inner_text().strip()
    code = receipt.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"EP-\d{4}-\d{6}", number), number
    assert len(code) >= 10, code
    status_url = f"{site.url}/status?number={urllib.parse.quote(number)}&code={urllib.parse.quote(code)}"
    assert receipt.locator("a.status-link").get_attribute("href") == status_url
    qr = receipt.locator(".qr img")
    qr.wait_for()  # the generator loads while the form is sent; the image shows once drawn
    assert number in (qr.get_attribute("alt") or "")
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.activeElement.id") == "receipt-title"
    return number, code


def _stored(site: Site, number: str, code: str) -> dict[str, Any]:
    status, body = site.call("GET", f"/tickets/{number}?code={urllib.parse.quote(code)}")
    assert status == 200, body
    assert body["number"] == number
    return dict(body)


def _mails_to(site: Site, address: str) -> list[dict[str, Any]]:
    return [mail for mail in site.outbox() if address in mail["to"]]


def _paid_after_the_transaction(site: Site, hour: int, minute: int = 0) -> datetime:
    """A payment a few days after a new transaction of the test's own (``TRANSACTION_AGE`` before the
    desk's today), so before the desk's now."""
    return desk_time.at(site.today() - TRANSACTION_AGE + timedelta(days=5), hour, minute)


def _fill_complaint(page: Any, email: str, subject: str = "Tidak bisa masuk e-Purchasing") -> None:
    page.goto("/complaint")
    page.locator("#subject").fill(subject)
    page.locator("#message").fill("Sejak kemarin akun saya terkunci setelah salah kata sandi tiga kali.")
    page.locator("#name").fill("Ani Pengadaan")
    page.locator("#email").fill(email)


def _working_day(site: Site) -> str:
    """A working day a few working days from the desk's now, as the desk's calendar counts them."""
    token = site.token("training")
    now = clock.iso(site.now())
    status, body = site.call(
        "GET", f"/staff/calendar/deadline?from={now}&working_days=3&tz=Asia/Jakarta", token=token
    )
    assert status == 200, body
    due = datetime.fromisoformat(body["due_at"].replace("Z", "+00:00"))
    return due.astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat()


def test_complaint_with_an_attachment_ends_on_a_printable_receipt(page: Any, site: Site) -> None:
    email = _address("ani")
    _fill_complaint(page, email)
    page.get_by_label("Saran: usul perbaikan").check()
    page.get_by_label("Pengaduan: ada kendala atau masalah").check()
    page.locator("#category").select_option("akses")
    page.locator("#attachment_upload_ids").set_input_files(pdf_file("tangkapan-layar.pdf"))
    page.get_by_label("Sembunyikan identitas saya").check()
    screenshot(page, "form-complaint")
    posts = _watch_posts(page, "/tickets")
    page.get_by_role("button", name="Kirim pesan").click()

    number, code = _receipt(page, site)
    assert len(posts) == 1
    body = posts[0].replace(" ", "")
    assert '"attachment_upload_ids":["' in body and '"anonymous":true' in body
    assert '"category":"akses"' in body
    assert page.locator(".receipt-due").count() == 1
    screenshot(page, "receipt")
    stored = _stored(site, number, code)
    assert stored["type"] == "complaint"
    assert site.mail_to(email, number)

    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Cetak tanda terima").click()
    assert page.evaluate("window.printed") is True


def test_registration_shows_errors_beside_fields_then_goes_through(page: Any, site: Site) -> None:
    demo = site.info["demo"]
    email = _address("penyedia")
    page.goto("/registration")
    assert page.locator("#company").is_hidden()
    page.get_by_label("Penyedia yang sudah berkontrak dengan LKPP").check()
    assert page.locator("#company").is_visible() and page.locator("#institution").is_hidden()
    assert page.locator('label[for="letter_upload_id"]').inner_text() == "Surat pengantar perusahaan"
    page.locator("#name").fill("Budi Santoso")
    page.locator("#position").fill("Direktur")
    page.locator("#email").fill(email)
    page.locator("#phone").fill("0812 3456 7890")
    page.locator("#company").fill("PT Sumber Makmur Sejahtera")
    page.locator("#npwp").fill("12.345")
    page.locator("#contract_number").fill(demo["expired_contract_number"])
    page.locator("#lpse_id").select_option(demo["lpse_id"])
    page.locator("#letter_upload_id").set_input_files(pdf_file("surat-pengantar.pdf"))
    screenshot(page, "form-registration")
    posts = _watch_posts(page, "/registrations")
    uploads = _watch_posts(page, "/uploads")
    submit = page.get_by_role("button", name="Kirim permintaan")

    # A bad NPWP: the API's 400 names the field, shown beside it and announced.
    submit.click()
    page.locator("#npwp-error").filter(has_text="15 atau 16").wait_for()
    assert page.locator("#npwp").get_attribute("aria-invalid") == "true"
    assert "npwp-hint" in (page.locator("#npwp").get_attribute("aria-describedby") or "")
    alert = page.locator(".form-error[role=alert]")
    assert alert.is_visible() and alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "npwp"
    screenshot(page, "form-errors")

    # An expired contract: a 422 from the rule, beside the contract number, naming the day it ended (the
    # seed ends it on Dec 31 three years before the desk's year).
    seeded = site.seeded_on
    ended = seeded.replace(year=seeded.year - 3, month=12, day=31).isoformat()
    page.locator("#npwp").fill("01.234.567.8-901.2345")
    submit.click()
    page.locator("#contract_number-error").filter(has_text=ended).wait_for()
    assert page.locator("#npwp-error").inner_text() == ""
    assert "berakhir" in alert.inner_text()

    # Corrected: the same upload is reused and the request goes through.
    page.locator("#contract_number").fill(demo["valid_contract_number"])
    submit.click()
    number, code = _receipt(page, site)
    assert len(posts) == 3 and len(uploads) == 1
    assert '"letter_upload_id"' in posts[-1] and '"company_letter"' in uploads[0]
    assert _stored(site, number, code)["type"] == "registration"


def test_registration_as_a_buyer_sends_the_sk_letter(page: Any, site: Site) -> None:
    page.goto("/registration")
    page.get_by_label(re.compile("Pejabat K/L/PD")).check()
    assert page.locator("#institution").is_visible() and page.locator("#company").is_hidden()
    page.locator("#name").fill("Siti Rahma")
    page.locator("#position").fill("Pejabat Pengadaan")
    page.locator("#email").fill(_address("pp"))
    page.locator("#phone").fill("021-5551234")
    page.locator("#institution").fill("Dinas Pendidikan Provinsi DKI Jakarta")
    page.locator("#lpse_id").select_option(site.info["demo"]["lpse_id"])
    page.locator("#letter_upload_id").set_input_files(pdf_file("sk-penunjukan.pdf"))
    uploads = _watch_posts(page, "/uploads")
    page.get_by_role("button", name="Kirim permintaan").click()
    number, code = _receipt(page, site)
    assert '"sk_letter"' in uploads[0]
    assert _stored(site, number, code)["type"] == "registration"


def test_training_request_with_participant_rows(page: Any, site: Site) -> None:
    page.goto("/training")
    page.locator("#institution").fill("Dinas Kesehatan Provinsi Bali")
    page.locator("#contact_name").fill("Made Wirawan")
    page.locator("#email").fill(_address("pelatihan"))
    page.locator("#phone").fill("0361 222 333")
    assert page.get_by_role("button", name="Hapus peserta 1").is_hidden()
    page.locator('[id="participants.0.name"]').fill("Putu Ayu")
    page.locator('[id="participants.0.email"]').fill("putu@diskes.example.go.id")
    add = page.get_by_role("button", name="Tambah peserta")
    add.click()
    assert page.evaluate("document.activeElement.id") == "participants.1.name"
    page.keyboard.type("Kadek Santi")
    page.locator('[id="participants.1.email"]').fill("kadek@diskes.example.go.id")
    page.locator('[id="participants.1.position"]').fill("PPK")
    add.click()
    page.locator('[id="participants.2.name"]').fill("Salah Tambah")
    page.get_by_role("button", name="Hapus peserta 3").click()
    assert page.locator(".participant").count() == 2
    page.locator("#preferred_start").fill(_working_day(site))
    page.locator("#letter_upload_id").set_input_files(pdf_file("surat-permohonan-pelatihan.pdf"))
    screenshot(page, "form-training")
    posts = _watch_posts(page, "/training-requests")
    page.get_by_role("button", name="Kirim permintaan").click()

    number, code = _receipt(page, site)
    assert '"position":"PPK"' in posts[0] and "Salah Tambah" not in posts[0]
    assert _stored(site, number, code)["type"] == "training"


def test_payment_proof_with_a_photo(page: Any, site: Site) -> None:
    page.goto("/payment")
    page.locator("#transaction_id").fill(site.new_transaction("form-photo"))
    page.get_by_label("Pembeli (K/L/PD)").check()
    page.locator("#amount").fill("Rp 12.500.000")
    paid_at = _paid_after_the_transaction(site, 10, 15)
    page.locator("#paid_at").fill(local_input(paid_at))
    page.locator("#email").fill(_address("bendahara"))
    photo = {"name": "bukti-transfer.png", "mimeType": "image/png", "buffer": docfactory.png(40, 40)}
    page.locator("#upload_id").set_input_files(photo)
    screenshot(page, "form-payment")
    posts = _watch_posts(page, "/payment-proofs")
    page.get_by_role("button", name="Kirim bukti pembayaran").click()

    number, code = _receipt(page, site)
    sent = posts[0].replace(" ", "")
    assert '"amount":"12500000"' in sent and f'"paid_at":"{desk_time.wib(paid_at)}"' in sent
    assert _stored(site, number, code)["type"] == "payment_proof"


def test_complaint_errors_a_missing_subject_and_a_bad_email(page: Any, site: Site) -> None:
    _fill_complaint(page, "bukan-email", subject="")
    posts = _watch_posts(page, "/tickets")
    submit = page.get_by_role("button", name="Kirim pesan")
    submit.click()
    # Plainly missing: caught on the page, nothing sent.
    assert page.locator("#subject-error").inner_text() == "wajib diisi"
    assert page.evaluate("document.activeElement.id") == "subject"
    assert posts == []

    page.locator("#subject").fill("Akun terkunci")
    submit.click()
    page.locator("#email-error").filter(has_text="email").wait_for()
    assert page.locator("#subject-error").inner_text() == ""
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.locator(".form-error").inner_text() == "Periksa isian yang ditandai."
    assert len(posts) == 1 and submit.is_enabled()


def test_a_png_renamed_to_pdf_is_refused_beside_the_field_and_nothing_is_sent(page: Any, site: Site) -> None:
    email = _address("palsu")
    _fill_complaint(page, email)
    renamed = {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": docfactory.png(20, 20)}
    assert not renamed["buffer"].startswith(PDF_HEADER)
    page.locator("#attachment_upload_ids").set_input_files(renamed)
    posts = _watch_posts(page, "/tickets")
    uploads = _watch_posts(page, "/uploads")
    page.get_by_role("button", name="Kirim pesan").click()

    error = page.locator("#attachment_upload_ids-error")
    error.filter(has_text="surat.pdf").wait_for(timeout=60_000)
    assert page.locator("#attachment_upload_ids").get_attribute("aria-invalid") == "true"
    assert page.locator("#attachment_upload_ids-state").inner_text() == "Berkas ditolak."
    assert "belum dikirim" in page.locator(".form-error").inner_text()
    assert len(uploads) == 1 and posts == []
    assert page.get_by_role("button", name="Kirim pesan").is_enabled()
    assert _mails_to(site, email) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_sent(page: Any, site: Site) -> None:
    page.goto("/payment")
    page.locator("#transaction_id").fill(site.new_transaction("form-too-large"))
    page.get_by_label("Penyedia").check()
    page.locator("#amount").fill("4750000")
    page.locator("#paid_at").fill(local_input(_paid_after_the_transaction(site, 9)))
    page.locator("#email").fill(_address("penjualan"))
    big = {"name": "bukti-besar.pdf", "mimeType": "application/pdf", "buffer": PDF_HEADER + b"0" * (6 << 20)}
    page.locator("#upload_id").set_input_files(big)
    posts = _watch_posts(page, "/payment-proofs")
    page.get_by_role("button", name="Kirim bukti pembayaran").click()

    page.locator("#upload_id-error").filter(has_text="5 MB").wait_for()
    assert "bukti-besar.pdf" in page.locator("#upload_id-error").inner_text()
    assert page.locator("#upload_id-progress").is_hidden()
    assert posts == []


def _lose_the_first_answer(page: Any) -> dict[str, Any]:
    """The first POST /tickets is stored by the desk, but its answer never reaches the page."""
    seen: dict[str, Any] = {}

    def handle(route: Any) -> None:
        if "answer" not in seen:
            seen["answer"] = route.fetch().json()
            seen["key"] = route.request.headers.get("idempotency-key")
            route.abort()
        else:
            seen["again"] = route.request.headers.get("idempotency-key")
            route.continue_()

    page.route("**/tickets", handle)
    return seen


def _double_click_then_retry(page: Any, site: Site, email: str) -> None:
    posts = _watch_posts(page, "/tickets")
    first = _lose_the_first_answer(page)
    submit = page.get_by_role("button", name="Kirim pesan")
    submit.dblclick()
    page.locator(".form-error").filter(has_text="Tidak dapat terhubung").wait_for()
    assert len(posts) == 1 and first["key"] and submit.is_enabled()

    submit.click()
    number, _ = _receipt(page, site)
    assert first["again"] == first["key"]
    assert number == first["answer"]["number"]
    assert len(posts) == 2
    site.mail_to(email, number)
    assert len(_mails_to(site, email)) == 1


def test_a_double_click_and_a_retry_after_a_lost_answer_make_one_request(page: Any, site: Site) -> None:
    email = _address("ganda")
    _fill_complaint(page, email)
    _double_click_then_retry(page, site, email)


def test_a_retry_after_a_lost_answer_with_an_attachment_gets_the_first_receipt(page: Any, site: Site) -> None:
    email = _address("ganda-lampiran")
    _fill_complaint(page, email)
    page.locator("#attachment_upload_ids").set_input_files(pdf_file("bukti.pdf"))
    _double_click_then_retry(page, site, email)


def test_a_suggestion_by_keyboard_alone_in_a_logical_order(page: Any, site: Site) -> None:
    page.goto("/complaint")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    # Each stop in order, and what is typed or pressed there.
    steps: list[tuple[str, str | None]] = [
        ("complaint", "ArrowDown"),  # the kind: arrows move within the radio group
        ("category", None),
        ("subject", "Usul menu riwayat pesanan"),
        ("message", "Mohon ada unduhan riwayat pesanan."),
        ("attachment_upload_ids", None),
        ("name", "Rudi"),
        ("email", _address("rudi")),
        ("phone", None),
        ("institution", None),
        ("anonymous", None),
        ("confidential", "Space"),
        ("submit", "Enter"),
    ]
    for expected, action in steps:
        page.keyboard.press("Tab")
        here = page.evaluate("(el => el.id || el.value || el.type)(document.activeElement)")
        assert here == expected
        if action in ("ArrowDown", "Space", "Enter"):
            page.keyboard.press(action)
        elif action:
            page.keyboard.type(action)
    number, code = _receipt(page, site)
    assert _stored(site, number, code)["type"] == "suggestion"

    page.get_by_role("button", name="English").click()
    assert page.locator("#receipt-title").inner_text() == "Receipt: we have received your request"
    assert page.locator(".receipt-number").inner_text() == number
    assert page.get_by_role("button", name="Print receipt").is_visible()
    assert f"request {number}" in (page.locator(".qr img").get_attribute("alt") or "")
