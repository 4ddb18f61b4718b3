"""Pages read a request's instants in its own zone: a user-ID request to the Bali LPSE shows its deadline
in WITA on the status page and in the console, in both languages, as its acknowledgement says it."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from browser.helpers import Site, sign_in

from desk import clock


def _bali_registration(site: Site) -> dict[str, Any]:
    status, receipt = site.call(
        "POST",
        "/registrations",
        {
            "applicant_type": "buyer",
            "name": "Made Suartana",
            "email": f"made.{time.time_ns()}@bappeda.baliprov.go.id",
            "phone": "0361 222 333",
            "position": "Pejabat Pengadaan",
            "institution": "Bappeda Provinsi Bali",
            "lpse_id": "lpse-prov-bali",
            "letter_upload_id": site.upload("sk_letter"),
        },
    )
    assert status == 201, receipt
    return dict(receipt)


def _day_in_bali(receipt: dict[str, Any]) -> int:
    """The day of the month the deadline falls on in Bali (the desk's answer, not this machine's clock)."""
    return clock.parse_iso(receipt["due_at"]).astimezone(ZoneInfo("Asia/Makassar")).day


def test_the_status_page_shows_a_bali_deadline_in_wita(page: Any, site: Site) -> None:
    receipt = _bali_registration(site)
    page.goto("/status?" + urlencode({"number": receipt["number"], "code": receipt["access_code"]}))
    page.locator("#result").wait_for(state="visible")
    due = page.locator("#r-due").inner_text()
    assert due.endswith("pukul 23.59 WITA") and f", {_day_in_bali(receipt)} " in due, due
    assert page.locator("#r-created").inner_text().endswith("WITA")
    assert page.locator("ol.timeline time").first.inner_text().endswith("WITA")

    page.get_by_role("button", name="English").click()
    due = page.locator("#r-due").inner_text()
    assert due.endswith("at 23:59 WITA") and f", {_day_in_bali(receipt)} " in due, due


def test_the_console_shows_a_bali_deadline_in_wita(wide_page: Any, site: Site) -> None:
    receipt = _bali_registration(site)
    page = wide_page
    sign_in(page, "verifier-bali")
    page.goto(f"/staff/#request/{receipt['number']}")
    due = page.locator("dl.data dt", has_text="Tenggat").locator("xpath=following-sibling::dd[1]")
    due.wait_for()
    assert due.inner_text().endswith("pukul 23.59 WITA"), due.inner_text()
    assert page.locator("ol.timeline .meta").first.inner_text().split(" · ")[0].endswith("WITA")

    # The queue and the verifier's own task list read the same deadline in WITA.
    page.goto("/staff/#queue")
    row = page.locator("tr", has=page.get_by_role("link", name=receipt["number"]))
    row.wait_for()
    assert "pukul 23.59 WITA" in row.inner_text(), row.inner_text()
    page.goto("/staff/#tasks")
    task = page.locator(f'li.task[data-number="{receipt["number"]}"]')
    task.wait_for()
    assert "pukul 23.59 WITA" in task.inner_text(), task.inner_text()
