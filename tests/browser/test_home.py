"""The home page lists the services and switches language from the one message catalogue."""

from __future__ import annotations

from typing import Any

from browser.helpers import screenshot


def test_home_lists_every_service_and_switches_to_english(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Layanan e-Purchasing"
    for href in ("/complaint", "/registration", "/training", "/payment", "/status"):
        assert page.locator(f'main a[href="{href}"]').count() == 1
    screenshot(page, "home")
    page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "e-Purchasing services"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    assert page.locator("h1").inner_text() == "e-Purchasing services"
