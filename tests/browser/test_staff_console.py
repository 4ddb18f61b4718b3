"""The staff console: local sign-in, the queue with its SLA badges, one request with a reply, the tasks
waiting for a person (a letter's disposition, Subdit draft and signature, a user-ID verification, a
training reply), a payment proof verified, role-aware navigation and sign-out."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import desk_time
from browser.helpers import TRANSACTION_AGE, Site, pdf_file, screenshot, sign_in
from unit import docfactory

from flows import until

RECORDED = re.compile(r"Keputusan untuk EP-\d{4}-\d{6} tercatat")


# --- helpers --------------------------------------------------------------------------------------------


def _sign_out(page: Any) -> None:
    page.locator("#console-signout").click()
    page.get_by_role("heading", level=1, name="Masuk sebagai petugas").wait_for()


def _task_for(site: Site, username: str, number: str, step: str) -> dict[str, Any]:
    token = site.token(username)

    def found() -> dict[str, Any] | None:
        items = site.call("GET", "/staff/tasks", token=token)[1]["items"]
        return next((t for t in items if t["number"] == number and t["step"] == step), None)

    return dict(until(found, timeout=60, what=f"the task {step} of {number} for {username}"))


def _open_task(page: Any, task: dict[str, Any]) -> Any:
    """The tasks view with the task's decision form open; the task's list item."""
    page.goto(f"/staff/#tasks/{task['task_id']}")
    item = page.locator(f'li.task[data-task="{task["task_id"]}"]')
    item.locator("#decision-form").wait_for()
    return item


def _decide(page: Any, item: Any) -> None:
    item.get_by_role("button", name="Simpan keputusan").click()
    page.locator(".notice.ok", has_text=RECORDED).wait_for()


def _ticket(site: Site, number: str, username: str = "admin") -> dict[str, Any]:
    status, body = site.call("GET", f"/staff/tickets/{number}", token=site.token(username))
    assert status == 200, body
    return dict(body)


def _working_day_after(site: Site, days: int) -> str:
    """The ``days``-th working day after the desk's today."""
    return desk_time.working_day(after=site.today(), n=days).isoformat()


# --- tests ----------------------------------------------------------------------------------------------


def test_helpdesk_sees_a_web_complaint_in_the_queue_and_replies_to_the_requester(
    wide_page: Any, site: Site
) -> None:
    requester = "ani.queue@example.go.id"
    status, created = site.call(
        "POST",
        "/tickets",
        {
            "kind": "complaint",
            "subject": "Tidak bisa masuk e-Purchasing",
            "message": "Akun saya terkunci sejak pagi.",
            "name": "Ani",
            "email": requester,
        },
    )
    assert status == 201, created
    number = created["number"]
    page = wide_page

    page.goto("/staff/")
    page.get_by_role("heading", level=1, name="Masuk sebagai petugas").wait_for()
    page.locator('button[data-username="helpdesk"]').wait_for()
    assert page.locator("button[data-username]").count() == len(site.info["staff"])
    assert page.get_by_label("Nama pengguna").is_visible()
    screenshot(page, "console-signin")

    page.locator('button[data-username="helpdesk"]').click()
    page.get_by_role("heading", level=1, name="Antrean").wait_for()
    assert "helpdesk@staff.desk.local Helpdesk · helpdesk" in page.locator("#console-user").inner_text()
    row = page.locator("table.queue tbody tr", has=page.get_by_role("link", name=number))
    badge = row.locator(".badge")
    assert badge.inner_text() == "Tepat waktu"
    assert "sla-on_time" in (badge.get_attribute("class") or "")
    assert "Tidak bisa masuk e-Purchasing" in row.inner_text()
    assert page.locator("table.queue thead th").count() == 10
    screenshot(page, "console-queue")

    row.get_by_role("link", name=number).click()
    heading = page.get_by_role("heading", level=1, name=f"Permintaan {number}")
    heading.wait_for()
    page.get_by_text("Akun saya terkunci sejak pagi.").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")

    page.get_by_label("Isi balasan").fill("Akun Anda sudah kami buka kembali. Silakan coba masuk lagi.")
    page.locator("#reply-form").get_by_role("button", name="Kirim").click()
    page.locator(".notice.ok", has_text="Tersimpan.").wait_for()
    page.locator("article.reply", has_text="Akun Anda sudah kami buka kembali").wait_for()
    assert page.locator('.timeline li[data-kind="replied"]').count() == 1
    screenshot(page, "console-request")

    mail = site.mail_to(requester, number)
    assert "Akun Anda sudah kami buka kembali" in mail["text"]


def test_on_a_phone_the_queue_reads_as_cards_without_sideways_scrolling(page: Any, site: Site) -> None:
    status, created = site.call(
        "POST",
        "/tickets",
        {
            "kind": "input",
            "subject": "Masukan dari ponsel",
            "message": "Tampilan katalog.",
            "name": "Ani",
            "email": "ani.phone@example.go.id",
        },
    )
    assert status == 201, created
    sign_in(page, "helpdesk")
    row = page.locator("table.queue tbody tr", has=page.get_by_role("link", name=created["number"]))
    row.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Each cell carries its column's name, which the card shows before the value.
    subject = row.locator('td[data-label="Perihal"]')
    assert subject.inner_text() == "Masukan dari ponsel"
    label = subject.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Perihal"'
    screenshot(page, "console-queue-phone")


def test_an_internal_note_stays_inside_and_a_bad_action_names_its_field(wide_page: Any, site: Site) -> None:
    requester = "budi.note@example.go.id"
    status, created = site.call(
        "POST",
        "/tickets",
        {
            "kind": "suggestion",
            "subject": "Saran tampilan",
            "message": "Huruf lebih besar.",
            "name": "Budi",
            "email": requester,
        },
    )
    assert status == 201, created
    number = created["number"]
    page = wide_page
    sign_in(page, "helpdesk")
    page.goto(f"/staff/#request/{number}")
    page.get_by_label("Isi balasan").fill("Diteruskan ke tim UI minggu depan.")
    page.get_by_label("Catatan internal (tidak dikirim ke pemohon)").check()
    page.locator("#reply-form").get_by_role("button", name="Kirim").click()
    page.locator("article.reply.internal", has_text="Diteruskan ke tim UI").wait_for()

    # Extend without a reason: the API's error lands beside the reason.
    form = page.locator("#action-form")
    form.get_by_label("Perpanjang").check()
    form.get_by_label("Tambahan hari kerja").fill("3")
    form.get_by_role("button", name="Jalankan tindakan").click()
    error = form.locator("#reason-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert form.locator("#act-reason").get_attribute("aria-invalid") == "true"
    assert not [m for m in site.outbox() if requester in m["to"] and "Diteruskan ke tim UI" in m["text"]]


def test_the_menu_follows_the_role_and_sign_out_returns_to_sign_in(wide_page: Any) -> None:
    page = wide_page
    sign_in(page, "helpdesk")
    page.evaluate(
        """() => Console.register("probe-admin", {title: "console.title", roles: ["admin"], nav: true,
             render: function (box) { box.innerHTML = "<h1>Probe</h1>"; }})"""
    )
    nav = page.locator("#console-nav")
    assert nav.get_by_role("link", name="Antrean").is_visible()
    assert nav.get_by_role("link", name="Menunggu saya").is_visible()
    assert nav.get_by_role("link", name="Kotak keluar lokal").get_attribute("href") == "/_local/outbox"
    assert nav.locator('a[href="#probe-admin"]').count() == 0
    # Views for other roles (the admin views among them) are not offered to the helpdesk.
    hidden = page.evaluate(
        """() => Object.keys(Console.views).filter(n => Console.views[n].roles
             && Console.views[n].roles.indexOf("helpdesk") < 0)"""
    )
    for name in hidden:
        assert nav.locator(f'a[href="#{name}"]').count() == 0
    page.goto("/staff/#probe-admin")
    page.get_by_text("Peran Anda tidak dapat membuka halaman ini.").wait_for()

    _sign_out(page)
    assert page.evaluate("sessionStorage.getItem('desk-staff-id-token')") is None
    assert page.locator("#console-nav").is_hidden()
    page.get_by_text("Anda sudah keluar.").wait_for()
    page.reload()
    page.get_by_role("heading", level=1, name="Masuk sebagai petugas").wait_for()

    # Signed in as admin, the same kind of view is offered.
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.locator("#console-user", has_text="Admin").wait_for()
    page.evaluate(
        """() => Console.register("probe-admin", {title: "console.title", roles: ["admin"], nav: true,
             render: function (box) { box.innerHTML = "<h1>Probe</h1>"; }})"""
    )
    assert page.locator('#console-nav a[href="#probe-admin"]').count() == 1


def test_an_expired_token_counts_as_signed_out(wide_page: Any) -> None:
    page = wide_page
    page.goto("/staff/")
    page.get_by_role("heading", level=1, name="Masuk sebagai petugas").wait_for()
    page.evaluate(
        """() => {
          const b64 = o => btoa(JSON.stringify(o)).replace(/=+$/, "");
          sessionStorage.setItem("desk-staff-id-token", b64({alg: "none"}) + "." +
            b64({exp: 1000, "cognito:groups": ["helpdesk"], "custom:unit": "helpdesk"}) + ".x");
        }"""
    )
    page.reload()
    page.get_by_text("Sesi Anda berakhir. Silakan masuk lagi.").wait_for()
    assert page.locator("#console-nav").is_hidden()


def test_a_letter_is_dispositioned_drafted_and_signed_from_the_tasks_view(wide_page: Any, site: Site) -> None:
    now = site.now()
    body = {
        "sender_name": "Kepala Bagian Pengadaan",
        "sender_institution": "Pemerintah Kota Bogor",
        "sender_email": "tu@pemkot-bogor.example.go.id",
        "letter_number": "027/991/PBJ",
        "letter_date": (site.today() - timedelta(days=3)).isoformat(),
        "subject": "Permohonan penjelasan katalog elektronik",
        "kind": "permohonan",
        "received_at": desk_time.wib(now - timedelta(minutes=30)),
        "scan_upload_id": site.upload("letter_scan"),
    }
    status, registered = site.call("POST", "/staff/letters", body, token=site.token("secretary"))
    assert status == 201, registered
    number = registered["number"]
    page = wide_page

    # The Director dispositions it to Subdit Sistem.
    task = _task_for(site, "director", number, "letter:disposition")
    sign_in(page, "director")
    page.get_by_role("link", name="Menunggu saya").click()
    page.get_by_role("heading", level=1, name="Menunggu saya").wait_for()
    item = page.locator(f'li.task[data-task="{task["task_id"]}"]')
    opener = item.get_by_role("link", name=re.compile("Keputusan"))
    # With one task its form opens by itself (once the units are read); with more, its link opens it.
    item.locator("#decision-form").or_(opener).first.wait_for()
    if item.locator("#decision-form").count() == 0:
        opener.click()
    item.locator("#decision-form").wait_for()
    item.get_by_label("Disposisikan ke Subdit").check()
    item.get_by_label("Subdit Sistem Katalog").check()
    item.get_by_label("Instruksi").select_option("siapkan_jawaban")
    item.get_by_label("Catatan (opsional)").fill("Mohon siapkan jawaban dalam 10 hari kerja.")
    screenshot(page, "console-tasks")
    _decide(page, item)
    assert until(lambda: _ticket(site, number).get("step") == "subdit_answer", what="the Subdit step")

    # Subdit Sistem answers with a draft: first without the file, which the form names beside it.
    draft = _task_for(site, "subdit1", number, "letter:subdit_answer")
    _sign_out(page)
    sign_in(page, "subdit1")
    item = _open_task(page, draft)
    item.get_by_label("Ringkasan jawaban").fill("Draf jawaban tentang sistem katalog")
    item.get_by_role("button", name="Simpan keputusan").click()
    error = item.locator("#draft_upload_id-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert item.get_by_label("Draf jawaban (PDF)").get_attribute("aria-invalid") == "true"
    item.get_by_label("Draf jawaban (PDF)").set_input_files(pdf_file("draf-jawaban.pdf"))
    _decide(page, item)

    # The Director signs it: a step only the console may decide.
    signature = _task_for(site, "director", number, "letter:signature")
    _sign_out(page)
    sign_in(page, "director")
    item = _open_task(page, signature)
    item.get_by_text("Langkah ini hanya dapat diputuskan setelah masuk ke konsol.").wait_for()
    item.get_by_label("Tanda tangani").check()
    item.get_by_label("Surat bertanda tangan (pindaian, opsional)").set_input_files(pdf_file("bertanda.pdf"))
    _decide(page, item)
    assert until(
        lambda: _ticket(site, number).get("step") == "dispatch", timeout=60, what="the dispatch step"
    )

    # The Secretary sends it by courier (the tracking number is asked for beside its field), then
    # confirms by phone that it arrived: the letter is closed.
    dispatch = _task_for(site, "secretary", number, "letter:dispatch")
    _sign_out(page)
    sign_in(page, "secretary")
    item = _open_task(page, dispatch)
    item.get_by_label("Dikirim lewat kurir").check()
    item.get_by_role("textbox", name="Kurir").fill("JNE")
    item.get_by_role("button", name="Simpan keputusan").click()
    item.locator("#tracking_number-error").filter(has_text=re.compile(r"\S")).wait_for()
    item.get_by_label("Nomor resi").fill("JNE-0099887766")
    _decide(page, item)
    confirmation = _task_for(site, "secretary", number, "letter:confirmation")
    item = _open_task(page, confirmation)
    item.get_by_label("Penerimaan dikonfirmasi").check()
    item.get_by_label("Catatan", exact=False).fill("Diterima oleh Bagian Umum, dikonfirmasi lewat telepon.")
    _decide(page, item)
    assert until(
        lambda: _ticket(site, number).get("status") == "closed", timeout=60, what="the closed letter"
    )


def test_an_lpse_verifier_approves_a_user_id_request(wide_page: Any, site: Site) -> None:
    status, created = site.call(
        "POST",
        "/registrations",
        {
            "applicant_type": "buyer",
            "name": "Rudi Hartono",
            "email": "rudi.console@disdik.jakarta.go.id",
            "phone": "021 555 0101",
            "position": "Pejabat Pengadaan",
            "institution": "Dinas Pendidikan DKI Jakarta",
            "lpse_id": "lpse-dki-jakarta",
            "letter_upload_id": site.upload("sk_letter"),
        },
    )
    assert status == 201, created
    number = created["number"]
    task = _task_for(site, "verifier-jakarta", number, "registration:verification")
    page = wide_page
    sign_in(page, "verifier-jakarta")
    item = _open_task(page, task)

    # Rejecting without a reason is refused beside the reason.
    item.get_by_label("Tolak").check()
    item.get_by_role("button", name="Simpan keputusan").click()
    error = item.locator("#reason-error")
    error.wait_for()
    assert error.inner_text().strip()

    item.get_by_label("Setujui").check()
    assert item.get_by_label("Alasan").is_hidden()
    _decide(page, item)
    assert until(lambda: _ticket(site, number).get("step") != "verification", timeout=60, what="the approval")


def test_the_training_organiser_accepts_a_training_request(wide_page: Any, site: Site) -> None:
    start = _working_day_after(site, 10)
    status, created = site.call(
        "POST",
        "/training-requests",
        {
            "institution": "Dinas Pendidikan Kota Bandung",
            "contact_name": "Ani Wulandari",
            "email": "ani.console@disdik.bandung.go.id",
            "phone": "022 555 0101",
            "participants": [{"name": "Peserta 1", "email": "peserta1@disdik.bandung.go.id"}],
            "preferred_start": start,
            "letter_upload_id": site.upload("training_letter"),
        },
    )
    assert status == 201, created
    number = created["number"]
    task = _task_for(site, "training", number, "training:reply")
    page = wide_page
    sign_in(page, "training")
    item = _open_task(page, task)
    item.get_by_label("Terima").check()
    item.get_by_label("Tanggal mulai sesi baru").fill(start)
    item.get_by_label("Tempat").fill("Gedung LKPP, Jakarta")
    item.get_by_label("Kapasitas").fill("30")
    _decide(page, item)
    assert until(lambda: _ticket(site, number).get("step") != "reply", timeout=60, what="the reply")


def test_the_helpdesk_verifies_a_payment_proof(wide_page: Any, site: Site) -> None:
    traded = site.today() - TRANSACTION_AGE
    status, created = site.call(
        "POST",
        "/payment-proofs",
        {
            "transaction_id": site.new_transaction("console-verify", day=traded),
            "role": "buyer",
            "amount": "12500000.00",
            "paid_at": desk_time.wib(desk_time.at(traded + timedelta(days=1), 10)),
            "email": "pengadaan@disdik.example.go.id",
            "upload_id": site.upload("payment_proof", docfactory.png(), "image/png"),
        },
    )
    assert status == 201, created
    number = created["number"]
    page = wide_page
    sign_in(page, "helpdesk")
    page.goto(f"/staff/#request/{number}")
    page.get_by_role("heading", level=1, name=f"Permintaan {number}").wait_for()
    page.locator("#verify-form").get_by_role("button", name="Verifikasi bukti pembayaran").click()
    page.locator(".notice.ok", has_text="Tersimpan.").wait_for()
    page.get_by_text("Permintaan ini sudah selesai; tidak ada tindakan lagi.").wait_for()
    assert page.locator('.timeline li[data-kind="verified"]').count() == 1
    assert _ticket(site, number)["status"] == "closed"
    site.mail_to("pengadaan@disdik.example.go.id", number)


def test_the_console_switches_to_english(wide_page: Any) -> None:
    page = wide_page
    sign_in(page, "subdit1")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=1, name="Queue").wait_for()
    assert page.locator("#console-nav").get_by_role("link", name="Waiting for me").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.get_by_role("heading", level=1, name="Antrean").wait_for()


def test_in_aws_the_console_signs_in_through_the_hosted_ui_with_pkce(wide_page: Any, site: Site) -> None:
    """Cognito's hosted UI stood in for by routes: the authorize request carries a S256 challenge of
    the verifier later sent to the token endpoint, and sign-out goes to the hosted logout."""
    page = wide_page
    # The hosted UI's domain is the one the site's Content-Security-Policy lets the page call.
    with urllib.request.urlopen(f"{site.url}/staff/") as response:
        policy = response.headers["Content-Security-Policy"]
    hosted = re.search(r"https://\S+\.amazoncognito\.com", policy)
    assert hosted, policy
    domain = hosted.group(0)
    redirect = f"{site.url}/staff/"
    config = {
        "api": "",
        "auth": {"mode": "cognito", "domain": domain, "client_id": "client-123", "redirect_uri": redirect},
    }
    token = site.token("verifier-bali")
    seen: dict[str, Any] = {}

    def back_to(url: str) -> str:
        return f"<!doctype html><script>location.replace({json.dumps(url)})</script>"

    def authorize(route: Any) -> None:
        seen["authorize"] = parse_qs(urlsplit(route.request.url).query)
        state = seen["authorize"]["state"][0]
        route.fulfill(content_type="text/html", body=back_to(f"{redirect}?code=the-code&state={state}"))

    def exchange(route: Any) -> None:
        seen["token"] = parse_qs(route.request.post_data or "")
        route.fulfill(
            json={"id_token": token, "token_type": "Bearer"}, headers={"Access-Control-Allow-Origin": "*"}
        )

    def logout(route: Any) -> None:
        seen["logout"] = parse_qs(urlsplit(route.request.url).query)
        route.fulfill(content_type="text/html", body=back_to(redirect))

    page.route("**/config.json", lambda route: route.fulfill(json=config))
    page.route(f"{domain}/oauth2/authorize?*", authorize)
    page.route(f"{domain}/oauth2/token", exchange)
    page.route(f"{domain}/logout?*", logout)

    page.goto("/staff/#tasks")
    page.get_by_text("Masuk dengan akun petugas LKPP Anda.").wait_for()
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", level=1, name="Menunggu saya").wait_for()
    assert "code=" not in page.url and page.url.endswith("/staff/#tasks")
    page.locator("#console-user", has_text="Verifikator LPSE").wait_for()

    asked = seen["authorize"]
    assert asked["response_type"] == ["code"] and asked["client_id"] == ["client-123"]
    assert asked["redirect_uri"] == [redirect] and asked["scope"] == ["openid email profile"]
    assert asked["code_challenge_method"] == ["S256"]
    sent = seen["token"]
    assert sent["grant_type"] == ["authorization_code"] and sent["code"] == ["the-code"]
    assert sent["client_id"] == ["client-123"] and sent["redirect_uri"] == [redirect]
    digest = hashlib.sha256(sent["code_verifier"][0].encode()).digest()
    assert base64.urlsafe_b64encode(digest).decode().rstrip("=") == asked["code_challenge"][0]

    page.locator("#console-signout").click()
    page.get_by_text("Masuk dengan akun petugas LKPP Anda.").wait_for()
    assert seen["logout"] == {"client_id": ["client-123"], "logout_uri": [redirect]}
    assert page.evaluate("sessionStorage.getItem('desk-staff-id-token')") is None


def test_a_request_is_transferred_to_a_unit_chosen_by_name(wide_page: Any, site: Site) -> None:
    status, created = site.call(
        "POST",
        "/tickets",
        {
            "kind": "complaint",
            "subject": "Katalog tidak tampil",
            "message": "Kosong.",
            "name": "Tono",
            "email": "pindah@example.go.id",
        },
    )
    assert status == 201, created
    number = created["number"]
    page = wide_page
    sign_in(page, "helpdesk")
    page.goto(f"/staff/#request/{number}")
    form = page.locator("#action-form")
    form.get_by_label("Pindahkan ke unit lain").check()
    form.get_by_label("Unit tujuan").select_option(label="Subdit Sistem Katalog")
    form.locator("#act-reason").fill("Soal tampilan katalog")
    form.get_by_role("button", name="Jalankan tindakan").click()
    page.locator("li[data-kind='transferred']", has_text="Subdit Sistem Katalog").wait_for()
    assert _ticket(site, number)["unit"] == "subdit-sistem"


def test_a_running_workflow_offers_notes_and_assignment_only(wide_page: Any, site: Site) -> None:
    status, created = site.call(
        "POST",
        "/registrations",
        {
            "applicant_type": "buyer",
            "name": "Sari Alur",
            "email": "sari.alur@disdik.jakarta.go.id",
            "phone": "021 555 0102",
            "position": "Pejabat Pengadaan",
            "institution": "Dinas Pendidikan DKI Jakarta",
            "lpse_id": "lpse-dki-jakarta",
            "letter_upload_id": site.upload("sk_letter"),
        },
    )
    assert status == 201, created
    page = wide_page
    sign_in(page, "helpdesk")
    page.goto(f"/staff/#request/{created['number']}")
    page.locator("#action-form").wait_for()
    choices = page.locator("#action-form input[name=action]")
    assert [choices.nth(i).get_attribute("value") for i in range(choices.count())] == ["assign"]
    internal = page.locator("#reply-internal")
    assert internal.is_checked() and internal.is_disabled()
    assert page.locator("#reply-status").count() == 0
