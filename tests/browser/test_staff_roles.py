"""The console's doors and administration, role by role: the Secretary registers a letter with its scan,
the helpdesk logs a call, reception takes a walk-in and books a meeting, the administrator keeps the
calendar and the reference data; a non-admin gets neither the view nor the API."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import desk_time
from browser.helpers import Site, local_input, pdf_file, screenshot
from browser.helpers import sign_in as console_sign_in


def sign_in(page: Any, username: str, view: str) -> None:
    """Through the console's local sign-in list, then to ``#view``."""
    console_sign_in(page, username)
    page.goto(f"/staff/#{view}")
    page.locator(f".view-{view.split('/')[0]} h1").wait_for()


def working_day_ahead(site: Site, days_ahead: int) -> date:
    """The first working day at least ``days_ahead`` days after the desk's today."""
    return desk_time.working_day(after=site.today() + timedelta(days=days_ahead - 1))


def test_secretary_registers_a_letter_and_the_director_gets_a_task(wide_page: Any, site: Site) -> None:
    page = wide_page
    now = site.now()
    sign_in(page, "secretary", "letter")
    assert page.locator('#console-nav a[href="#letter"]').count() == 1
    form = page.locator("#letter-form")
    form.get_by_label("Nama pengirim").fill("Siti Rahma")
    form.get_by_label("Instansi pengirim").fill("Dinas Pendidikan Provinsi Jawa Barat")
    form.get_by_label("Email pengirim").fill("siti.rahma@disdik.example.go.id")
    form.get_by_label("Nomor surat").fill("027/1234/Disdik/2026")
    form.get_by_label("Tanggal surat").fill((site.today() - timedelta(days=3)).isoformat())
    form.get_by_label("Perihal").fill("Permohonan akun e-Purchasing untuk 12 sekolah")
    form.get_by_label("Jenis surat").select_option("permohonan")
    # Received now on the desk's clock (the field starts at the browser's now, which a desk pinned to
    # another day does not share).
    form.get_by_label("Diterima pada (WIB)").fill(local_input(now))
    form.get_by_label("Pindaian surat").set_input_files(pdf_file("surat-masuk.pdf"))
    form.get_by_role("button", name="Catat surat").click()

    result = page.locator("#letter-result")
    result.get_by_role("heading", name="Surat tercatat").wait_for()
    text = result.inner_text()
    number = re.search(r"EP-\d{4}-\d{6}", text)
    assert number, text
    assert re.search(r"AG-\d{4}-\d{6}", text), text
    link = result.locator(f'a[href="#request/{number.group(0)}"]')
    assert link.count() == 1
    screenshot(page, "console-letter")

    director = site.token("director")
    for _ in range(60):
        status, tasks = site.call("GET", "/staff/tasks", token=director)
        assert status == 200, tasks
        if any(number.group(0) in str(task) for task in tasks["items"]):
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError(f"no disposition task for {number.group(0)}: {tasks}")


def test_a_letter_with_bad_fields_shows_the_errors_beside_them(wide_page: Any, site: Site) -> None:
    page = wide_page
    sign_in(page, "secretary", "letter")
    form = page.locator("#letter-form")
    form.get_by_label("Instansi pengirim").fill("Dinas Kesehatan")
    form.get_by_label("Email pengirim").fill("bukan-email")
    form.get_by_label("Tanggal surat").fill((site.today() + timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Catat surat").click()

    page.locator("#sender_name-error").filter(has_text="wajib").wait_for()
    assert page.locator("#sender_email-error").inner_text() != ""
    assert page.locator("#letter_number-error").inner_text() != ""
    assert page.locator("#kind-error").inner_text() != ""
    assert page.locator("#scan_upload_id-error").inner_text() != ""
    assert page.locator("#sender_institution-error").inner_text() == ""
    assert form.get_by_label("Nama pengirim").get_attribute("aria-invalid") == "true"
    assert form.get_by_label("Nama pengirim").get_attribute("aria-describedby") == "sender_name-error"
    assert page.locator("#letter-form .form-error").is_visible()
    assert page.locator("#letter-result").is_hidden()


def test_helpdesk_logs_a_call_and_sees_its_number(wide_page: Any, site: Site) -> None:
    page = wide_page
    sign_in(page, "helpdesk", "call")
    form = page.locator("#call-form")
    form.get_by_label("Nama penelepon").fill("Agus Santoso")
    form.get_by_label("Nomor telepon").fill("0812-3456-7890")
    form.get_by_label("Email penelepon").fill("agus@pemkab.example.go.id")
    form.get_by_label("Instansi atau perusahaan").fill("Pemerintah Kabupaten Bogor")
    form.get_by_label("Jenis").select_option("complaint")
    form.get_by_label("Kategori").select_option("akses_akun")
    form.get_by_label("Ringkasan").fill("Tidak bisa masuk e-Purchasing\nAkun terkunci setelah salah sandi.")
    form.get_by_role("button", name="Catat panggilan").click()

    result = page.locator("#call-result")
    result.get_by_role("heading", name="Panggilan tercatat").wait_for()
    number = re.search(r"EP-\d{4}-\d{6}", result.inner_text())
    assert number
    screenshot(page, "console-call")
    status, ticket = site.call("GET", f"/staff/tickets/{number.group(0)}", token=site.token("helpdesk"))
    assert status == 200, ticket
    assert ticket["type"] == "call"

    # Switching language keeps the number just given out (it is shown only once).
    page.get_by_role("button", name="English").click()
    result.get_by_role("heading", name="Call logged").wait_for()
    assert number.group(0) in result.inner_text()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    result.get_by_role("heading", name="Panggilan tercatat").wait_for()

    result.get_by_role("button", name="Catat panggilan lain").click()
    form.get_by_label("Nama penelepon").fill("Wati")
    form.get_by_label("Nomor telepon").fill("021-555-0101")
    form.get_by_label("Kategori").select_option("lainnya")
    form.get_by_label("Ringkasan").fill("Menanyakan jadwal pelatihan")
    form.get_by_label("Selesai saat telepon").check()
    form.get_by_role("button", name="Catat panggilan").click()
    result.get_by_role("heading", name="Panggilan tercatat dan diselesaikan").wait_for()
    assert "Selesai" in result.inner_text()


def test_reception_takes_a_walk_in_and_books_a_meeting(wide_page: Any, site: Site) -> None:
    page = wide_page
    sign_in(page, "reception", "walk-in")
    form = page.locator("#walkin-form")
    form.get_by_label("Nama tamu").fill("Dewi Lestari")
    form.get_by_label("Instansi atau perusahaan").fill("CV Maju Bersama")
    form.get_by_label("Email", exact=True).fill("dewi@majubersama.example.co.id")
    form.get_by_label("Perihal").fill("Cara menayangkan produk di katalog")
    form.get_by_label("Uraian").fill("Penyedia baru ingin tahu langkah penayangan produk.")
    form.get_by_label("Unit tujuan").select_option("subdit-sistem")
    form.get_by_label("Tanggal yang diinginkan").fill(working_day_ahead(site, 7).isoformat())
    form.get_by_role("button", name="Teruskan dan pesan jadwal").click()

    result = page.locator("#walkin-result")
    result.get_by_role("heading", name="Konsultasi tercatat dan jadwal dipesan").wait_for()
    text = result.inner_text()
    assert re.search(r"EP-\d{4}-\d{6}", text), text
    assert "subdit1@staff.desk.local" in text
    assert "Jadwal temu" in text
    receipt = page.frame_locator("iframe.walkin-receipt")
    receipt.get_by_role("heading", name="Tanda terima konsultasi").wait_for()
    assert receipt.locator("svg").count() == 1
    assert result.get_by_role("button", name="Cetak tanda terima").is_visible()
    screenshot(page, "console-walk-in")


def test_admin_adds_a_calendar_override_sees_it_and_removes_it(wide_page: Any, site: Site) -> None:
    page = wide_page
    day = working_day_ahead(site, 45)
    sign_in(page, "admin", f"calendar/{day.year}")
    form = page.locator("#cal-override-form")
    form.get_by_label("Tanggal").fill(day.isoformat())
    form.get_by_label("Menjadi").select_option("false")
    form.get_by_label("Alasan").fill("Cuti bersama tambahan")
    form.get_by_label("Dasar hukum").fill(f"SKB 3 Menteri Nomor 2 Tahun {day.year}")
    form.get_by_role("button", name="Simpan pengecualian").click()

    row = page.locator(f'#cal-tables tr[data-date="{day.isoformat()}"][data-scope="national"]')
    row.wait_for()
    assert "Cuti bersama tambahan" in row.inner_text()
    assert "Cuti bersama tambahan" in page.locator("#cal-tables").inner_text()
    assert page.locator("#cal-message").inner_text().startswith("Pengecualian")

    deadline = page.locator("#cal-deadline-form")
    deadline.get_by_label("Jumlah hari kerja").fill("3")
    deadline.get_by_role("button", name="Hitung").click()
    deadline.locator(".due-at").wait_for()
    screenshot(page, "console-calendar")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Hapus").click()
    page.locator("#cal-message").filter(has_text="dihapus").wait_for()
    row.wait_for(state="detached")
    status, calendar = site.call("GET", f"/staff/calendar?year={day.year}", token=site.token("helpdesk"))
    assert status == 200
    assert all(o["date"] != day.isoformat() for o in calendar["overrides"])


def test_every_staff_member_reads_the_calendar_but_only_the_admin_changes_it(
    wide_page: Any, site: Site
) -> None:
    page = wide_page
    sign_in(page, "helpdesk", f"calendar/{site.today().year}")
    page.locator("#cal-tables table").first.wait_for()
    assert "Tahun Baru Masehi" in page.locator("#cal-tables").inner_text()
    assert page.locator("#cal-override-form").count() == 0
    assert page.locator("button.remove-override").count() == 0


def test_admin_creates_an_lpse_and_a_contract_and_imports_transactions(wide_page: Any, site: Site) -> None:
    page = wide_page
    today = site.today()
    sign_in(page, "admin", "reference/lpse")
    form = page.locator("#ref-form")
    form.get_by_label("Id LPSE").fill("lpse-prov-ntb")
    form.get_by_label("Nama (wajib)").fill("LPSE Provinsi Nusa Tenggara Barat")
    form.get_by_label("Provinsi").fill("Nusa Tenggara Barat")
    form.get_by_label("Zona waktu").select_option("Asia/Makassar")
    form.get_by_label("Standar layanan (hari kerja)").fill("4")
    form.get_by_role("button", name="Simpan").click()
    page.locator('#ref-list tr[data-key="lpse-prov-ntb"]').wait_for()
    page.locator("#ref-message", has_text="lpse-prov-ntb").wait_for()

    page.locator('.ref-tabs a[href="#reference/contracts"]').click()
    form = page.locator("#ref-form")
    form.get_by_label("Nomor kontrak").fill("KTR-LKPP/2026/0077")
    form.get_by_label("Nama penyedia").fill("PT Nusantara Digital")
    form.get_by_label("NPWP").fill("01.234.567.8-901.234")
    # In force from Jan 1 of the desk's year to the end of the next.
    form.get_by_label("Berlaku dari").fill(today.replace(month=1, day=1).isoformat())
    form.get_by_label("Berlaku sampai").fill(today.replace(year=today.year + 1, month=12, day=31).isoformat())
    form.get_by_role("button", name="Simpan").click()
    page.locator('#ref-list tr[data-key="KTR-LKPP/2026/0077"]').wait_for()

    # Editing it: the number stays, the provider's name changes.
    page.get_by_role("button", name="Ubah KTR-LKPP/2026/0077").click()
    assert form.get_by_label("Nomor kontrak").is_disabled()
    form.get_by_label("Nama penyedia").fill("PT Nusantara Digital Indonesia")
    form.get_by_role("button", name="Simpan perubahan").click()
    page.locator("#ref-message").filter(has_text="diperbarui").wait_for()
    contract = page.locator('#ref-list tr[data-key="KTR-LKPP/2026/0077"]')
    assert "PT Nusantara Digital Indonesia" in contract.inner_text()

    page.locator('.ref-tabs a[href="#reference/transactions"]').click()
    page.locator('#ref-list tr[data-key="EPURCH-2026-000101"]').wait_for()
    csv = (
        "id;buyer_institution;buyer_email;provider;amount;date\n"
        "EPURCH-2026-000901;Dinas PUPR Kota Bandung;ulp@pupr.example.go.id;PT Nusantara Digital;"
        f"1.500.000,00;{(today - timedelta(days=10)).isoformat()}\n"
        "EPURCH-2026-000902;Dinas Perhubungan;bukan-email;PT Nusantara Digital;2500000;31/02/2026\n"
    )
    page.get_by_label("Berkas CSV").set_input_files(
        {"name": "transaksi.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name="Impor").click()
    report = page.locator("#ref-report")
    report.get_by_role("heading", name="Laporan impor").wait_for()
    assert report.locator('dd[data-count="created"]').inner_text() == "1"
    assert report.locator('dd[data-count="rejected"]').inner_text() == "1"
    rejected = report.locator("tr.rejected-row")
    assert rejected.count() == 1
    assert "EPURCH-2026-000902" in rejected.inner_text()
    assert "buyer_email" in rejected.inner_text()
    assert rejected.locator("td").first.inner_text() == "3"
    page.locator('#ref-list tr[data-key="EPURCH-2026-000901"]').wait_for()
    screenshot(page, "console-reference")


def test_a_non_admin_gets_neither_the_reference_view_nor_the_api(wide_page: Any, site: Site) -> None:
    page = wide_page
    sign_in(page, "secretary", "letter")
    assert page.locator('#console-nav a[href="#reference"]').count() == 0
    assert page.locator('#console-nav a[href="#calendar"]').count() == 1
    page.goto("/staff/#reference/contracts")
    page.locator(".view-reference .notice.error").wait_for()
    assert page.locator("#ref-list").count() == 0
    token = site.token("secretary")
    for path in ("/staff/admin/units", "/staff/admin/contracts", "/staff/admin/transactions"):
        status, body = site.call("GET", path, token=token)
        assert status == 403, (path, body)
    day = desk_time.working_day(after=site.today(), n=10)
    override = {"date": day.isoformat(), "working": False, "reason": "Libur daerah"}
    status, body = site.call("POST", "/staff/calendar/overrides", override, token)
    assert status == 403, body
