"""Training-request figures: state transitions (what Standard workflows bill) and history events of one
request on the happy path (request, the organiser accepts into a new session, reply letter mailed), on
the embedded local desk waiting in real time, so no reminder fires; and the reply-letter PDF's
generation time and size for 3 and for 500 participants (the cap per request).

    PYTHONPATH=layers/shared:local python bench/bench_training.py

Prints figures; never asserts on them.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _until(predicate: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError("the workflow did not get there in time")


def _workflow() -> dict[str, Any]:
    from bench.bench_letters import _upload
    from desk.calendar import WorkingCalendar
    from desk_local.stack import LocalDesk

    calendar = WorkingCalendar.from_official().scoped()
    today = datetime.now(UTC).date()
    start = today
    for _ in range(10):
        start = calendar.next_working_day(start)
    with LocalDesk() as desk:
        desk.seed()
        upload_id = _upload(desk, "training_letter")
        people = [{"name": f"Peserta {i}", "email": f"p{i}@dinas.example.go.id"} for i in range(3)]
        receipt = desk.http(
            "POST",
            "/training-requests",
            json_body={
                "institution": "Dinas Contoh",
                "contact_name": "Ani",
                "email": "ani@dinas.example.go.id",
                "phone": "021 555 0101",
                "participants": people,
                "preferred_start": start.isoformat(),
                "letter_upload_id": upload_id,
            },
        ).json()
        number = receipt["number"]
        token = desk.login("training")
        task = _until(
            lambda: next(
                (
                    t
                    for t in desk.http("GET", "/staff/tasks", token=token).json()["items"]
                    if t["number"] == number
                ),
                None,
            )
        )
        started = time.perf_counter()
        desk.http(
            "POST",
            f"/staff/tasks/{task['task_id']}/decision",
            token=token,
            json_body={
                "decision": "accept",
                "start_date": start.isoformat(),
                "place": "LKPP",
                "capacity": 30,
            },
        )
        sfn = desk.client("stepfunctions")
        arn = desk.ref("TrainingWorkflow").replace(":stateMachine:", ":execution:") + f":{number}"
        status = _until(lambda: (s := sfn.describe_execution(executionArn=arn)["status"]) != "RUNNING" and s)
        decided_to_done = time.perf_counter() - started
        events: list[dict[str, Any]] = []
        query: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
        while True:
            page = sfn.get_execution_history(**query)
            events += page["events"]
            if not page.get("nextToken"):
                break
            query["nextToken"] = page["nextToken"]
    return {
        "status": status,
        "state_transitions": sum(1 for e in events if e["type"].endswith("StateEntered")),
        "history_events": len(events),
        "decision_to_letter_mailed_seconds": round(decided_to_done, 2),
    }


def _pdf(participants: int, runs: int = 5) -> dict[str, Any]:
    from desk.training import letter

    reply = letter.ReplyLetter(
        outgoing_number="B-1/D.2/12/2026",
        date="2026-12-01",
        request_number="EP-2026-000001",
        institution="Dinas Contoh",
        contact_name="Ani",
        accepted=True,
        session={
            "session_id": "TRN-x",
            "start_date": "2026-12-23",
            "end_date": "2026-12-28",
            "place": "LKPP",
            "fee": 0,
        },
        participants=tuple(f"Peserta Pelatihan Nomor {i}" for i in range(participants)),
    )
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(letter.render(reply))
        times.append((time.perf_counter() - started) * 1000)
    return {"participants": participants, "median_ms": round(statistics.median(times), 1), "bytes": size}


def run() -> dict[str, Any]:
    from desk.training import letter

    started = time.perf_counter()
    letter.render(letter.ReplyLetter("B-0", "2026-12-01", "EP-2026-000000", "x", "x", False, reason="x"))
    first_ms = round((time.perf_counter() - started) * 1000, 1)  # includes importing fpdf2
    return {
        "happy_path": _workflow(),
        "reply_letter_pdf": {"first_render_ms_with_import": first_ms, "sizes": [_pdf(3), _pdf(500)]},
    }


if __name__ == "__main__":
    for path in (ROOT, ROOT / "layers" / "shared", ROOT / "local"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import contextlib
    import io
    import logging

    logging.disable(logging.WARNING)
    with contextlib.redirect_stdout(io.StringIO()):
        figures = run()
    print(json.dumps(figures, indent=2))
