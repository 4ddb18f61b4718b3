"""An anonymous complainant's identity reaches no staff member's screen but the admin's: the request
page, the queue and the task list are read as each seeded role sees them, rendered."""

from __future__ import annotations

import re
from typing import Any

from browser.helpers import Site, sign_in

from desk_local.seed import STAFF

NAME = "Laras Pelapor"
EMAIL = "laras.pelapor@whistle.example.go.id"
PHONE = "0813 2468 1357"


def _anonymous_request(site: Site) -> str:
    status, receipt = site.call(
        "POST",
        "/tickets",
        {
            "kind": "complaint",
            "subject": "Dugaan pengaturan pemenang",
            "message": "Ada pengaturan pemenang di paket katalog.",
            "name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "anonymous": True,
        },
    )
    assert status == 201, receipt
    number = str(receipt["number"])
    signed = f"Bukti menyusul. Salam, {NAME} ({PHONE}, {EMAIL})"
    status, _ = site.call(
        "POST", f"/tickets/{number}/messages?code={receipt['access_code']}", {"text": signed}
    )
    assert status == 201
    return number


def _rendered(page: Any, hash_: str) -> str:
    page.goto(f"/staff/#{hash_}")
    page.wait_for_function("() => !document.querySelector('[data-loading]')")
    page.wait_for_load_state("networkidle")
    return str(page.content()) + "\n" + str(page.inner_text("body"))


def _leaks(text: str) -> list[str]:
    digits = re.sub(r"\D", "", PHONE)
    found = [v for v in (EMAIL, NAME) if v.lower() in text.lower()]
    if digits in re.sub(r"[\s.\-()]", "", text):
        found.append(PHONE)
    return found


def test_no_role_but_the_admin_sees_an_anonymous_complainant_in_the_console(
    wide_page: Any, site: Site
) -> None:
    number = _anonymous_request(site)
    page = wide_page
    for user in STAFF:
        sign_in(page, user.username)
        screens = {view: _rendered(page, view) for view in (f"request/{number}", "queue", "tasks")}
        leaked = {view: _leaks(text) for view, text in screens.items() if _leaks(text)}
        if user.role == "admin":
            assert NAME in screens[f"request/{number}"]  # the admin may know who it is
        else:
            assert not leaked, f"{user.username} sees {leaked}"
        page.context.clear_cookies()
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
