"""Speed and memory of reading inbound email (``desk.mail.parse_message`` and ``classify``).

- corpus: every message in ``tests/data/mail`` parsed and classified, repeated for at least a second;
  messages per second. For comparison, the stdlib parser alone over the same corpus with ``compat32``
  (what ``parse_message`` builds on) and with ``policy.default`` plus ``get_body()`` (the messages it
  raises on are counted);
- a generated 25 MB message (text part and one base64 attachment): time and ``tracemalloc`` peak of one
  ``parse_message`` call, and that peak as a multiple of the raw size;
- import time of ``desk.mail.parse`` in a fresh interpreter, and whether the TNEF library came with it.

Figures are reported, never asserted.

Run: ``PYTHONPATH=layers/shared .venv/bin/python bench/bench_mail.py``
"""

from __future__ import annotations

import base64
import email
import json
import subprocess
import sys
import time
import tracemalloc
from email import policy
from pathlib import Path
from typing import Any

from desk.mail.automated import classify
from desk.mail.parse import parse_message

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "mail"
MB = 1024 * 1024
MIN_SECONDS = 1.0
OWN = ("layanan@eproc.lkpp.go.id",)


def corpus() -> list[bytes]:
    return [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]


def make_message(total_size: int) -> bytes:
    """A message of about ``total_size`` bytes: a short text part and one base64 attachment."""
    content_size = (total_size - 2048) * 3 // 4 * 76 // 78  # base64 lines of 76 characters and CRLF
    block = bytes((i * 131 + 17) % 256 for i in range(65536))
    content = (block * (content_size // len(block) + 1))[:content_size]
    head = (
        b"From: Penyedia <dokumen@penyedia.co.id>\r\nTo: layanan@eproc.lkpp.go.id\r\n"
        b"Subject: Dokumen 25 MB\r\nMessage-ID: <bench-25mb@penyedia.co.id>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTerlampir dokumen.\r\n"
        b"--B\r\nContent-Type: application/zip\r\n"
        b'Content-Disposition: attachment; filename="dokumen.zip"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head + base64.encodebytes(content).replace(b"\n", b"\r\n") + b"--B--\r\n"


def _rate(messages: list[bytes], one: Any) -> tuple[float, int]:
    """Messages per second for ``one(raw)`` over ``messages``, and how many raised."""
    done = rounds = failed = 0
    start = time.perf_counter()
    while True:
        rounds += 1
        for raw in messages:
            try:
                one(raw)
            except Exception:  # noqa: BLE001 - counted, the comparison is about the stdlib raising
                failed += 1
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            return done / elapsed, failed // rounds


def _ours(raw: bytes) -> None:
    classify(parse_message(raw), own_addresses=OWN)


def _stdlib_compat32(raw: bytes) -> None:
    email.message_from_bytes(raw, policy=policy.compat32)


def _stdlib_default(raw: bytes) -> None:
    msg = email.message_from_bytes(raw, policy=policy.default)
    for name in ("from", "to", "cc", "subject", "date", "message-id"):
        msg.get(name)
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is not None:
        body.get_content()


def _import_time() -> dict[str, Any]:
    code = (
        "import sys, time; t = time.perf_counter(); import desk.mail.parse, desk.mail.automated; "
        "print(round((time.perf_counter() - t) * 1000, 1), 'tnefparse' in sys.modules)"
    )
    env = {"PYTHONPATH": str(ROOT / "layers" / "shared"), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) != 2:
        return {"error": out.stderr.strip()[-200:]}
    return {"import_ms": float(parts[0]), "tnef_library_loaded": parts[1] == "True"}


def run() -> dict[str, Any]:
    messages = corpus()
    ours, ours_failed = _rate(messages, _ours)
    compat, _ = _rate(messages, _stdlib_compat32)
    default, default_failed = _rate(messages, _stdlib_default)

    raw = make_message(25 * MB)
    tracemalloc.start()
    start = time.perf_counter()
    parsed = parse_message(raw)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "corpus": {
            "messages": len(messages),
            "parse_and_classify_per_second": round(ours),
            "raised": ours_failed,
            "stdlib_compat32_parse_only_per_second": round(compat),
            "stdlib_policy_default_with_get_body_per_second": round(default),
            "stdlib_policy_default_messages_raising": default_failed,
        },
        "message_25mb": {
            "raw_bytes": len(raw),
            "seconds": round(elapsed, 3),
            "peak_memory_mb": round(peak / MB, 1),
            "peak_over_raw": round(peak / len(raw), 1),
            "attachment_bytes": sum(a.size for a in parsed.attachments),
            "problems": list(parsed.problems),
        },
        "cold_import": _import_time(),
    }


def _print(report: dict[str, Any]) -> None:
    c, m = report["corpus"], report["message_25mb"]
    print(
        f"mail corpus: {c['messages']} messages, "
        f"{c['parse_and_classify_per_second']}/s parsed and classified "
        f"(stdlib alone: compat32 {c['stdlib_compat32_parse_only_per_second']}/s, policy.default "
        f"{c['stdlib_policy_default_with_get_body_per_second']}/s with "
        f"{c['stdlib_policy_default_messages_raising']} raising)"
    )
    print(
        f"25 MB message: {m['seconds']} s, peak {m['peak_memory_mb']} MB ({m['peak_over_raw']}x the raw size)"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    _print(run())
