"""Transaction import figures: rows imported per second for a generated 10,000-row CSV through the real
handler on the embedded local desk, and the AWS calls each row costs (counted at botocore's client inside
the function), for a first import and for re-importing the same file.

    PYTHONPATH=layers/shared:local python bench/bench_admin.py

Prints figures; never asserts on them. moto answers in-process and one DynamoDB request at a time, so the
rate is the handler's and moto's work, not DynamoDB's; the calls per row carry over to AWS as they are.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROWS = 10_000
HEADER = "id,buyer_institution,buyer_email,provider,provider_email,amount,date"


def generate(rows: int = ROWS) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"BENCH-{i:06d},Dinas {i % 300} Kota Contoh,ppk{i % 300}@dinas.example.go.id,"
            f"PT Penyedia {i % 50},sales{i % 50}@penyedia.example.co.id,"
            f"{(i * 7919) % 90_000_000 + 10_000}.00,2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _timed_import(desk: Any, token: str, body: bytes) -> dict[str, Any]:
    from bench.calls import counted_calls

    with counted_calls() as counter:
        started = time.perf_counter()
        response = desk.http(
            "POST", "/staff/admin/transactions", token=token, body=body, headers={"Content-Type": "text/csv"}
        )
        seconds = time.perf_counter() - started
    report = response.json() if response.status == 200 else {"error": response.text[:300]}
    calls = sum(counter.values())
    return {
        "status": response.status,
        "seconds": round(seconds, 2),
        "rows_per_second": round(ROWS / seconds),
        "share_of_gateway_29s": round(seconds / 29, 2),  # API Gateway ends a call at 29 seconds
        "calls": calls,
        "calls_per_row": round(calls / ROWS, 4),
        "by_operation": dict(sorted(counter.items())),
        "created": report.get("created"),
        "unchanged": report.get("unchanged"),
    }


def run() -> dict[str, Any]:
    from desk_local.stack import LocalDesk

    body = generate()
    with LocalDesk() as desk:
        desk.seed()
        token = desk.login("admin")
        desk.http("GET", "/staff/admin/whoami", token=token)  # cold start, not counted
        first = _timed_import(desk, token, body)
        again = _timed_import(desk, token, body)
    return {"rows": ROWS, "csv_bytes": len(body), "first_import": first, "same_file_again": again}


if __name__ == "__main__":
    for path in (ROOT, ROOT / "layers" / "shared", ROOT / "local"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    print(json.dumps(run(), indent=2))
