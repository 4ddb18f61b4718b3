"""``make run`` as a newcomer uses it: a desk that has served requests and runs a workflow stops on
SIGTERM and frees its ports; a second desk on ports still taken says so and stops at once."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from browser.helpers import Site

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 10.0  # seconds: the desk promises 5 (3 of grace, then it exits); the rest is a slow machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bindable(port: int) -> bool:
    """Whether the next desk can listen there (as its servers do, past connections in TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _start(port: int, smtp_port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("layers/shared", "local", "tools")),
    }
    command = [sys.executable, "-m", "desk_local", "--port", str(port), "--smtp-port", str(smtp_port)]
    with log.open("wb") as out:
        return subprocess.Popen(
            [*command, "--working-day-seconds", "5"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _info(url: str, process: subprocess.Popen[bytes], log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the local desk did not start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_local/info", timeout=2) as response:
                return json.loads(response.read())  # type: ignore[no-any-return]
        except OSError:
            time.sleep(0.3)


def test_a_desk_running_a_workflow_stops_on_sigterm_and_frees_its_ports(tmp_path: Path) -> None:
    port, smtp_port = _free_port(), _free_port()
    first = _start(port, smtp_port, tmp_path / "first.log")
    try:
        site = Site(
            f"http://127.0.0.1:{port}", _info(f"http://127.0.0.1:{port}", first, tmp_path / "first.log")
        )
        letter = site.upload("sk_letter")
        status, receipt = site.call(
            "POST",
            "/registrations",
            {
                "applicant_type": "buyer",
                "name": "Rudi Hartono",
                "email": "rudi.berhenti@disdik.jakarta.go.id",
                "phone": "021 555 0101",
                "position": "Pejabat Pengadaan",
                "institution": "Dinas Pendidikan DKI Jakarta",
                "lpse_id": site.info["demo"]["lpse_id"],
                "letter_upload_id": letter,
            },
        )
        assert status == 201, receipt
        site.mail_to("verifier-jakarta@staff.desk.local", receipt["number"], timeout=60)  # the ask waits

        # A second desk on the same ports is told at once, before it builds anything.
        second = _start(port, smtp_port, tmp_path / "second.log")
        assert second.wait(timeout=30) == 2
        assert "is taken" in (tmp_path / "second.log").read_text()

        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=STOP_WITHIN) == 0
        assert "stopped" in (tmp_path / "first.log").read_text()
        assert _bindable(port) and _bindable(smtp_port)
    finally:
        if first.poll() is None:
            first.kill()
