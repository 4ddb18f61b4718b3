"""The browser tier: Debian's Chromium, driven by Playwright, against the desk a newcomer runs with
``make run`` (``python -m desk_local`` in its own process, on free ports).

Screenshots of the main pages land in ``artifacts/screenshots/`` for review."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, Site
from desk_time import pinned_start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    port, smtp_port = _free_port(), _free_port()
    log = tmp_path_factory.mktemp("desk") / "desk.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("layers/shared", "local", "tools")),
    }
    pinned = pinned_start()
    command = [sys.executable, "-m", "desk_local", "--port", str(port), "--smtp-port", str(smtp_port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command + (["--now", pinned.isoformat()] if pinned else []),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    info = None
    while info is None:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the local desk did not start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_local/info", timeout=2) as response:
                info = json.loads(response.read())
        except OSError:
            time.sleep(0.3)
    yield Site(url, info)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/ensure-chromium)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser: Any, site: Site, viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh page (no cookies or storage from another test) that fails the test on a JavaScript error
    or on anything the site's Content-Security-Policy blocks."""
    context = browser.new_context(base_url=site.url, viewport=viewport, locale="id-ID")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    # The pages are served under the site's Content-Security-Policy (as CloudFront serves them): anything
    # the policy blocks is a defect, not a warning.
    tab.on(
        "console",
        lambda message: problems.append(message.text)
        if message.type == "error" and "Content Security Policy" in message.text
        else None,
    )
    yield tab
    context.close()
    assert not problems, f"JavaScript errors or blocked content on the page: {problems}"


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A phone-sized page, as most requesters use the forms."""
    yield from _page(browser, site, {"width": 390, "height": 844})


@pytest.fixture
def wide_page(browser: Any, site: Site) -> Iterator[Any]:
    """A desktop-sized page, as staff use the console."""
    yield from _page(browser, site, {"width": 1280, "height": 900})
