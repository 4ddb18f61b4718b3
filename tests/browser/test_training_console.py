"""The training organiser's sessions in the staff console: a session created and listed, the API's field
errors beside the form's fields, the participants of a request accepted into a session (with the request
they came from), attendance for day 1 saved in one go, rescheduling and cancelling behind a confirmation,
and a menu that only the organiser sees.

Attendance is recorded on the session's day or later, while a session must start after today: the
attendance test moves the desk's clock forward to the first day (``/_local/clock``). The desk's clock
never goes back, so every test counts its days from the desk's clock as it finds it (``Site.today()``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import desk_time
from browser.helpers import Site, screenshot, sign_in

from flows import until

# --- helpers --------------------------------------------------------------------------------------------


def _working_day_after(site: Site, days: int, start: date | None = None) -> date:
    """The ``days``-th working day after ``start`` (default: the desk's today)."""
    return desk_time.working_day(after=start or site.today(), n=days)


def _weekday_holiday(site: Site) -> date:
    """A Monday-to-Friday day ahead of the desk's today that is not a working day (a holiday or cuti
    bersama)."""
    day = site.today() + timedelta(days=2)
    while day.weekday() >= 5 or desk_time.national().is_working_day(day):
        day += timedelta(days=1)
    return day


def _heading_focused(page: Any) -> None:
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")


def _training_request(site: Site, tag: str, people: list[dict[str, str]]) -> str:
    status, created = site.call(
        "POST",
        "/training-requests",
        {
            "institution": "Dinas Pendidikan Kota Bandung",
            "contact_name": "Ani Wulandari",
            "email": f"ani.{tag}@disdik.bandung.go.id",
            "phone": "022 555 0101",
            "participants": people,
            "preferred_start": _working_day_after(site, 10).isoformat(),
            "letter_upload_id": site.upload("training_letter"),
        },
    )
    assert status == 201, created
    return str(created["number"])


def _accept(site: Site, number: str, session_id: str) -> None:
    """The organiser's reply: accepted into the session (as the tasks view sends it)."""
    token = site.token("training")

    def found() -> dict[str, Any] | None:
        items = site.call("GET", "/staff/tasks", token=token)[1]["items"]
        return next((t for t in items if t["number"] == number and t["step"] == "training:reply"), None)

    task = until(found, timeout=60, what=f"the training reply task of {number}")
    status, answer = site.call(
        "POST",
        f"/staff/tasks/{task['task_id']}/decision",
        {"decision": "accept", "session_id": session_id},
        token=token,
    )
    assert status == 200, answer

    def booked() -> bool:
        detail = _session(site, session_id)
        return any(b["number"] == number for b in detail["bookings"])

    until(booked, timeout=60, what=f"{number} booked into {session_id}")


def _new_session(site: Site, start: date, place: str, capacity: int = 20) -> str:
    status, created = site.call(
        "POST",
        "/staff/training/sessions",
        {"start_date": start.isoformat(), "place": place, "capacity": capacity},
        token=site.token("training"),
    )
    assert status == 201, created
    return str(created["session_id"])


def _session(site: Site, session_id: str) -> dict[str, Any]:
    status, body = site.call("GET", f"/staff/training/sessions/{session_id}", token=site.token("training"))
    assert status == 200, body
    return dict(body)


# --- tests ----------------------------------------------------------------------------------------------


def test_the_organiser_creates_a_session_and_sees_it_listed(wide_page: Any, site: Site) -> None:
    start = _working_day_after(site, 6)
    place = "Gedung LKPP Lantai 3, Ruang Pelatihan A"
    page = wide_page
    sign_in(page, "training")
    nav = page.locator("#console-nav")
    nav.get_by_role("link", name="Sesi pelatihan").click()
    page.get_by_role("heading", level=1, name="Sesi pelatihan").wait_for()
    _heading_focused(page)
    assert nav.locator('a[aria-current="page"]').inner_text() == "Sesi pelatihan"

    form = page.locator("#trn-new-form")
    form.get_by_label("Tanggal mulai").fill(start.isoformat())
    form.get_by_label("Tempat").fill(place)
    form.get_by_label("Kapasitas").fill("25")
    form.get_by_label("Biaya per peserta").fill("150000")
    form.get_by_role("button", name="Buat sesi").click()

    created = page.locator(".notice.ok", has_text="dibuat")
    created.wait_for()
    session_id = created.inner_text().split()[1].rstrip(":")
    assert session_id.startswith("TRN-")
    row = page.locator(f'table.sessions tr[data-session="{session_id}"]')
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert place in cells
    assert cells[2:5] == ["25", "0", "25"]  # capacity, seats taken, seats left
    assert "150.000" in cells[5]
    assert cells[6] == "Terjadwal"
    assert row.locator("th").get_attribute("scope") == "row"
    assert page.locator("table.sessions thead th[scope=col]").count() == 8

    listed = site.call("GET", "/staff/training/sessions", token=site.token("training"))[1]["items"]
    mine = next(s for s in listed if s["session_id"] == session_id)
    assert mine["start_date"] == start.isoformat()
    assert mine["end_date"] == _working_day_after(site, 1, start).isoformat()
    assert (mine["place"], mine["capacity"], mine["fee"]) == (place, 25, 150000)

    # The session's page: its two working days, no participants yet.
    row.get_by_role("link", name=session_id).click()
    page.get_by_role("heading", level=1, name=f"Sesi pelatihan {session_id}").wait_for()
    _heading_focused(page)
    assert page.locator(f'dd[data-day="{mine["start_date"]}"]').is_visible()
    assert page.locator(f'dd[data-day="{mine["end_date"]}"]').is_visible()
    page.get_by_text("Belum ada peserta.").wait_for()


def test_a_bad_session_form_shows_the_errors_beside_the_fields(wide_page: Any, site: Site) -> None:
    page = wide_page
    sign_in(page, "training")
    page.goto("/staff/#sessions")
    form = page.locator("#trn-new-form")
    form.wait_for()

    # Capacity 0 and a place too short: each error beside its field.
    form.get_by_label("Tanggal mulai").fill(_working_day_after(site, 6).isoformat())
    form.get_by_label("Tempat").fill("A")
    form.get_by_label("Kapasitas").fill("0")
    form.get_by_role("button", name="Buat sesi").click()
    capacity_error = form.locator("#capacity-error")
    capacity_error.wait_for(state="visible")
    until(lambda: capacity_error.inner_text().strip(), what="the capacity error")
    assert "1" in capacity_error.inner_text()
    assert form.locator("#trn-capacity").get_attribute("aria-invalid") == "true"
    assert "capacity-error" in (form.locator("#trn-capacity").get_attribute("aria-describedby") or "")
    assert form.locator("#place-error").inner_text().strip()
    assert form.locator(".form-error").is_visible()
    assert form.locator("#start_date-error").inner_text() == ""

    # A start on a weekday holiday: the calendar's reason beside the start date.
    holiday = _weekday_holiday(site)
    form.get_by_label("Tanggal mulai").fill(holiday.isoformat())
    form.get_by_label("Tempat").fill("Gedung LKPP, Jakarta")
    form.get_by_label("Kapasitas").fill("20")
    form.get_by_role("button", name="Buat sesi").click()
    start_error = form.locator("#start_date-error")
    until(lambda: start_error.inner_text().strip(), what="the start date error")
    assert "bukan hari kerja" in start_error.inner_text()
    assert form.locator("#trn-start-date").get_attribute("aria-invalid") == "true"
    assert form.locator("#capacity-error").inner_text() == ""
    assert page.evaluate("document.activeElement.id") == "trn-start-date"
    listed = site.call("GET", "/staff/training/sessions", token=site.token("training"))[1]["items"]
    assert not [s for s in listed if s["start_date"] == holiday.isoformat()]


def test_a_request_accepted_into_the_session_shows_its_participants(wide_page: Any, site: Site) -> None:
    session_id = _new_session(site, _working_day_after(site, 7), "Balai Diklat LKPP, Depok")
    people = [
        {"name": "Rina Kusuma", "email": "rina.kusuma@disdik.bandung.go.id", "position": "Pejabat Pengadaan"},
        {"name": "Dedi Santoso", "email": "dedi.santoso@disdik.bandung.go.id"},
    ]
    number = _training_request(site, "peserta", people)
    _accept(site, number, session_id)

    page = wide_page
    sign_in(page, "training")
    page.goto("/staff/#sessions")
    row = page.locator(f'table.sessions tr[data-session="{session_id}"]')
    row.wait_for()
    assert row.locator("td").all_inner_texts()[2:5] == ["20", "2", "18"]
    row.get_by_role("link", name=session_id).click()
    page.get_by_role("heading", level=1, name=f"Sesi pelatihan {session_id}").wait_for()
    page.get_by_role("heading", level=2, name="Peserta (2)").wait_for()

    table = page.locator("table.participants")
    assert table.locator("thead th[scope=col]").count() == 6
    for person in people:
        line = table.locator(f'tr[data-email="{person["email"]}"]')
        assert line.locator("th[scope=row]").inner_text().startswith(person["name"])
        assert line.get_by_role("link", name=number).get_attribute("href") == f"#request/{number}"
        assert "Dinas Pendidikan Kota Bandung" in line.inner_text()
        assert line.locator("td[data-day]").all_inner_texts() == ["Belum dicatat", "Belum dicatat"]
    assert "Pejabat Pengadaan" in table.locator(f'tr[data-email="{people[0]["email"]}"]').inner_text()

    # The request they came from, one click away.
    table.locator("tbody tr").first.get_by_role("link", name=number).click()
    page.get_by_role("heading", level=1, name=f"Permintaan {number}").wait_for()


def _move_clock(site: Site, moment: datetime) -> None:
    """The desk's clock forward to ``moment`` (it never goes back)."""
    status, body = site.call("POST", "/_local/clock", {"now": moment.isoformat()})
    assert status == 200, body
    assert site.now() >= moment, body


def test_attendance_for_day_one_is_saved(wide_page: Any, site: Site) -> None:
    # The desk's clock stays on the first day afterwards: the tests after this one count from it.
    page = wide_page
    start = _working_day_after(site, 3)
    session_id = _new_session(site, start, "Gedung LKPP, Jakarta", capacity=10)
    people = [
        {"name": "Sari Lestari", "email": "sari.lestari@dinas.example.go.id"},
        {"name": "Bayu Pratama", "email": "bayu.pratama@dinas.example.go.id"},
        {"name": "Wulan Sari", "email": "wulan.sari@dinas.example.go.id"},
    ]
    number = _training_request(site, "hadir", people)
    _accept(site, number, session_id)
    detail = _session(site, session_id)
    day_one, day_two = detail["start_date"], detail["end_date"]

    sign_in(page, "training")

    # Before the first day the desk refuses: the reason shows beside the day.
    page.goto(f"/staff/#sessions/{session_id}")
    form = page.locator("#trn-attendance-form")
    form.wait_for()
    assert form.locator("input[name=day]").count() == 2
    form.get_by_label("Hari 1", exact=False).check()
    form.get_by_role("button", name="Simpan kehadiran").click()
    day_error = form.locator("#day-error")
    until(lambda: day_error.inner_text().strip(), what="the day error")
    assert "pada hari itu" in day_error.inner_text()
    assert day_error.inner_text().count("pada hari itu") == 1  # one message for all participants

    # On the first day, 09:00 in Jakarta.
    _move_clock(site, desk_time.at(date.fromisoformat(day_one), 9))
    page.reload()
    form = page.locator("#trn-attendance-form")
    form.wait_for()
    form.locator(f'input[name=day][value="{day_one}"]').check()
    form.get_by_role("checkbox", name="Hadir Sari Lestari").check()
    form.get_by_role("checkbox", name="Hadir Wulan Sari").check()
    assert not form.get_by_role("checkbox", name="Hadir Bayu Pratama").is_checked()
    form.get_by_role("button", name="Simpan kehadiran").click()
    page.locator(".notice.ok", has_text="Kehadiran hari 1").wait_for()
    assert "2 dari 3 peserta hadir" in page.locator(".notice.ok").inner_text()
    _heading_focused(page)

    saved = _session(site, session_id)
    marks = {p["email"]: p["attendance"] for b in saved["bookings"] for p in b["participants"]}
    assert marks == {
        "sari.lestari@dinas.example.go.id": {day_one: True},
        "bayu.pratama@dinas.example.go.id": {day_one: False},
        "wulan.sari@dinas.example.go.id": {day_one: True},
    }
    table = page.locator("table.participants")
    sari = table.locator('tr[data-email="sari.lestari@dinas.example.go.id"]')
    assert sari.locator(f'td[data-day="{day_one}"]').inner_text() == "Hadir"
    assert sari.locator(f'td[data-day="{day_two}"]').inner_text() == "Belum dicatat"
    bayu = table.locator('tr[data-email="bayu.pratama@dinas.example.go.id"]')
    assert bayu.locator(f'td[data-day="{day_one}"]').inner_text() == "Tidak hadir"
    # The form shows what was recorded for the chosen day.
    form = page.locator("#trn-attendance-form")
    form.locator(f'input[name=day][value="{day_one}"]').check()
    assert form.get_by_role("checkbox", name="Hadir Sari Lestari").is_checked()
    assert not form.get_by_role("checkbox", name="Hadir Bayu Pratama").is_checked()
    screenshot(page, "console-training")


def test_a_session_is_rescheduled_and_cancelled_after_a_confirmation(wide_page: Any, site: Site) -> None:
    start = _working_day_after(site, 8)
    session_id = _new_session(site, start, "Gedung LKPP, Jakarta")
    person = {"name": "Tono Hadi", "email": "tono.hadi@dinas.example.go.id"}
    number = _training_request(site, "jadwal", [person])
    _accept(site, number, session_id)
    page = wide_page
    sign_in(page, "training")
    page.goto(f"/staff/#sessions/{session_id}")
    move = page.locator("#trn-reschedule-form")
    move.wait_for()

    # Dismissing the confirmation changes nothing.
    later = _working_day_after(site, 3, start)
    move.get_by_label("Tanggal mulai baru").fill(later.isoformat())
    move.get_by_label("Alasan").fill("Ruang dipakai rapat pimpinan")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    move.get_by_role("button", name="Jadwalkan ulang").click()
    until(lambda: asked, what="the confirmation")
    assert session_id in asked[0] and "email" in asked[0]
    assert _session(site, session_id)["start_date"] == start.isoformat()

    page.once("dialog", lambda dialog: dialog.accept())
    move.get_by_role("button", name="Jadwalkan ulang").click()
    page.locator(".notice.ok", has_text="dijadwalkan ulang").wait_for()
    moved = _session(site, session_id)
    assert moved["start_date"] == later.isoformat()
    assert [h["kind"] for h in moved["history"]] == ["created", "rescheduled"]
    page.locator('.timeline li[data-kind="rescheduled"]', has_text="Ruang dipakai rapat pimpinan").wait_for()
    site.mail_to("tono.hadi@dinas.example.go.id", "Perubahan jadwal")

    # Cancelling without a reason names the field; with one it asks first.
    stop = page.locator("#trn-cancel-form")
    stop.get_by_role("button", name="Batalkan sesi").click()
    assert stop.locator("#cancel_reason-error").inner_text() == "wajib diisi"
    stop.get_by_label("Alasan").fill("Narasumber berhalangan")
    page.once("dialog", lambda dialog: dialog.accept())
    stop.get_by_role("button", name="Batalkan sesi").click()
    page.locator(".notice.ok", has_text="Sesi dibatalkan").wait_for()
    assert _session(site, session_id)["status"] == "cancelled"
    assert page.locator("#trn-cancel-form").count() == 0
    assert page.locator("#trn-attendance-form").count() == 0
    page.get_by_text("Dibatalkan", exact=True).first.wait_for()


def test_only_the_organiser_sees_the_sessions(wide_page: Any) -> None:
    page = wide_page
    sign_in(page, "helpdesk")
    nav = page.locator("#console-nav")
    nav.get_by_role("link", name="Antrean").wait_for()
    assert nav.get_by_role("link", name="Sesi pelatihan").count() == 0
    page.goto("/staff/#sessions")
    page.get_by_role("heading", level=1, name="Sesi pelatihan").wait_for()
    page.get_by_text("Peran Anda tidak dapat membuka halaman ini.").wait_for()
    assert page.locator("#trn-new-form").count() == 0

    page.locator("#console-signout").click()
    page.get_by_role("heading", level=1, name="Masuk sebagai petugas").wait_for()
    sign_in(page, "training")
    assert page.locator("#console-nav").get_by_role("link", name="Sesi pelatihan").is_visible()
