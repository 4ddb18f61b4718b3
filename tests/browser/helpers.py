"""What the browser tests share: the running desk's address and helpers, screenshots, files.

The desk runs in its own process with its own clock (``--now`` from ``DESK_TEST_NOW``, moved forward by
``POST /_local/clock``): every date a browser test sends or expects counts from that clock
(``Site.now()``, ``Site.today()``), never from this process's clock or the machine's."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desk_time import JAKARTA

from desk import clock
from desk.documents.purposes import PUBLIC_PURPOSES, STAFF_PURPOSES

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("DESK_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A transaction of a test's own is dated as the seeded ones are: some weeks before the desk's today.
TRANSACTION_AGE = timedelta(days=20)


@dataclass
class Site:
    """The running local desk: its address and its ``/_local/`` helpers."""

    url: str
    info: dict[str, Any]
    # The desk's day (WIB) when it seeded its reference data: it seeds before it serves, so the day it
    # first answers is that day. Seeded dates (contracts, transactions) count from it.
    seeded_on: date = field(init=False)

    def __post_init__(self) -> None:
        self.seeded_on = self.today()

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else None

    def now(self) -> datetime:
        """The desk's time (``GET /_local/clock``), which its pages and rules run on."""
        status, body = self.call("GET", "/_local/clock")
        assert status == 200, body
        return clock.parse_iso(str(body["now"]))

    def today(self) -> date:
        """The desk's date at LKPP (WIB)."""
        return self.now().astimezone(JAKARTA).date()

    def token(self, username: str) -> str:
        status, body = self.call("POST", "/_local/login", {"username": username})
        assert status == 200, body
        return str(body["id_token"])

    def new_transaction(self, name: str, amount: str = "12500000.00", day: date | None = None) -> str:
        """A transaction of this test's own (one proof per transaction and role: tests must not share),
        dated ``day`` (default: ``TRANSACTION_AGE`` before the desk's today)."""
        transaction_id = f"EPURCH-TEST-{name.upper()}"
        day = day or self.today() - TRANSACTION_AGE
        csv = (
            "id,buyer_institution,buyer_email,provider,provider_email,amount,date\n"
            f"{transaction_id},Dinas Pendidikan Kota Bogor,pengadaan@disdik.example.go.id,PT Sumber Makmur,"
            f"penjualan@sumbermakmur.example.co.id,{amount},{day.isoformat()}\n"
        )
        status, answer = self.call(
            "POST", "/staff/admin/transactions", {"csv": csv}, token=self.token("admin")
        )
        assert status in (200, 201) and not answer.get("rejected"), answer
        return transaction_id

    def upload(
        self, purpose: str, content: bytes | None = None, content_type: str = "application/pdf"
    ) -> str:
        """A checked upload, posted as the public pages post it (presigned POST, then the check)."""
        import requests
        from unit import docfactory

        from flows import until

        content = content or docfactory.pdf_letter()
        body = {
            "purpose": purpose,
            "filename": f"{purpose}.pdf",
            "content_type": content_type,
            "size": len(content),
        }
        # The staff's purposes go through the staff's door, signed in.
        staff = purpose in STAFF_PURPOSES - PUBLIC_PURPOSES
        door, token = ("/staff/uploads", self.token("secretary")) if staff else ("/uploads", None)
        status, grant = self.call("POST", door, body, token=token)
        assert status == 201, grant
        sent = requests.post(
            grant["url"], data=grant["fields"], files={"file": ("x", content, content_type)}, timeout=10
        )
        assert sent.status_code in (200, 204), sent.text
        checked = until(
            lambda: (s := self.call("GET", f"/uploads/{grant['upload_id']}")[1])["status"] != "pending" and s,
            what="the file check",
        )
        assert checked["status"] == "accepted", checked
        return str(grant["upload_id"])

    def outbox(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "/_local/outbox")[1])

    def mail_to(self, address: str, subject_part: str = "", timeout: float = 30) -> dict[str, Any]:
        """The newest mail to ``address`` whose subject holds ``subject_part`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for mail in self.outbox():
                if address in mail["to"] and subject_part in mail["subject"]:
                    return mail
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} with {subject_part!r}")
            time.sleep(0.3)


def local_input(moment: datetime) -> str:
    """An instant as a datetime-local field in WIB takes it (``YYYY-MM-DDTHH:MM``)."""
    return moment.astimezone(JAKARTA).strftime("%Y-%m-%dT%H:%M")


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page for review (kept as a CI artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def pdf_file(name: str = "surat.pdf") -> dict[str, Any]:
    """A real, clean one-page PDF as Playwright's set_input_files takes it."""
    from unit import docfactory

    return {"name": name, "mimeType": "application/pdf", "buffer": docfactory.pdf_letter()}


def sign_in(page: Any, username: str) -> None:
    """Into the staff console through its local sign-in list; back when the view's heading has focus."""
    page.goto("/staff/")
    page.locator(f'button[data-username="{username}"]').click()
    page.locator("#console-user").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
