"""What one letter costs in Step Functions, read from its execution history on the embedded local desk:
state transitions (what Standard workflows bill), history events (an execution keeps at most 25,000) and
the largest state payload (a state passes on at most 256 KB).

Two letters, each driven from the staff console as fast as the desk answers:

- the happy path: disposed to one Subdit, answered, signed, sent by fax, confirmed (target ≤ 30
  transitions), on a desk waiting in real time, so no reminder fires;
- one return and one escalation: the Subdit answers only after its reminder and its escalation (one
  working day of waiting lasts a second there), the Director returns the first draft, signs the second
  (target ≤ 60 transitions).

Figures are printed, never asserted. Run: ``python -m bench bench_letters``.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

TARGETS = {"happy_path": 30, "one_return_and_one_escalation": 60}


def _until(predicate: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError("the letter did not move on")


def _upload(desk: Any, purpose: str) -> str:
    from bench.bench_documents import make_scanned_pdf
    from bench.calls import uploaded

    return uploaded(desk, make_scanned_pdf(1, 64, 64), "application/pdf", purpose)


class _Letter:
    def __init__(self, desk: Any, tokens: dict[str, str]) -> None:
        self.desk, self.tokens = desk, tokens
        now = datetime.now(UTC)
        registered = desk.http(
            "POST",
            "/staff/letters",
            token=tokens["secretary"],
            json_body={
                "sender_name": "Sekretaris",
                "sender_institution": "Pemerintah Kota Bogor",
                "letter_number": f"027/{now.timestamp():.0f}/PBJ",
                "letter_date": (now - timedelta(days=2)).date().isoformat(),
                "subject": "Permohonan penjelasan katalog",
                "kind": "permohonan",
                "received_at": (now - timedelta(minutes=10)).isoformat(),
                "scan_upload_id": _upload(desk, "letter_scan"),
            },
        ).json()
        self.number = str(registered["number"])

    def task(self, who: str, step: str) -> str:
        def found() -> str | None:
            items = self.desk.http("GET", "/staff/tasks", token=self.tokens[who]).json()["items"]
            return next(
                (t["task_id"] for t in items if t["number"] == self.number and t["step"] == step), None
            )

        return str(_until(found))

    def decide(self, who: str, step: str, **body: Any) -> None:
        task = self.task(who, step)
        answer = self.desk.http(
            "POST", f"/staff/tasks/{task}/decision", token=self.tokens[who], json_body=body
        )
        if answer.status != 200:
            raise RuntimeError(answer.text)

    def answer(self) -> None:
        self.decide(
            "subdit1",
            "letter:subdit_answer",
            decision="submit_draft",
            draft_upload_id=_upload(self.desk, "draft_answer"),
            summary="Draf jawaban",
        )

    def finish(self) -> None:
        self.decide("director", "letter:signature", decision="sign")
        self.decide(
            "secretary",
            "letter:dispatch",
            decision="fax",
            fax_number="0251-8321075",
            sent_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        )
        self.decide("secretary", "letter:confirmation", decision="confirmed")

    def figures(self) -> dict[str, Any]:
        sfn = self.desk.client("stepfunctions")
        arn = self.desk.ref("LetterWorkflow").replace(":stateMachine:", ":execution:") + f":{self.number}"
        status = _until(lambda: (s := sfn.describe_execution(executionArn=arn)["status"]) != "RUNNING" and s)
        events: list[dict[str, Any]] = []
        query: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
        while True:
            page = sfn.get_execution_history(**query)
            events += page["events"]
            if not page.get("nextToken"):
                break
            query["nextToken"] = page["nextToken"]
        # the state payload is what a state passes on: the input/output carried in the history's details
        payloads = [
            len(str(detail.get(key, "")).encode())
            for e in events
            for detail in e.values()
            if isinstance(detail, dict)
            for key in ("input", "output")
        ]
        return {
            "status": status,
            "state_transitions": sum(1 for e in events if e["type"].endswith("StateEntered")),
            "history_events": len(events),
            "largest_state_payload_bytes": max(payloads),
        }


def _dispose(letter: _Letter) -> None:
    letter.decide(
        "director",
        "letter:disposition",
        decision="dispose",
        subdits=["subdit-sistem"],
        instruction="siapkan_jawaban",
        notes="Segera",
    )


def _happy_path(desk: Any, tokens: dict[str, str]) -> dict[str, Any]:
    letter = _Letter(desk, tokens)
    _dispose(letter)
    letter.answer()
    letter.finish()
    return letter.figures()


def _return_and_escalation(desk: Any, tokens: dict[str, str]) -> dict[str, Any]:
    letter = _Letter(desk, tokens)
    _dispose(letter)
    _until(
        lambda: [
            m
            for m in desk.outbox()
            if letter.number in m["subject"]
            and "Jawaban Subdit" in m["subject"]
            and "eskalasi" in m["subject"]
        ]
    )
    letter.answer()
    letter.decide("director", "letter:signature", decision="return", notes="Lengkapi dasar hukumnya")
    letter.answer()
    letter.finish()
    return letter.figures()


def _tokens(desk: Any) -> dict[str, str]:
    return {name: desk.login(name) for name in ("secretary", "director", "subdit1")}


def run() -> dict[str, Any]:
    from desk_local.stack import LocalDesk

    results: dict[str, Any] = {"targets_state_transitions": TARGETS}
    with LocalDesk(working_day_seconds=0.0, wait_scale=0) as desk:
        desk.seed()
        results["happy_path"] = _happy_path(desk, _tokens(desk))
    with LocalDesk(working_day_seconds=1.0, wait_scale=0) as desk:
        desk.seed()
        results["one_return_and_one_escalation"] = _return_and_escalation(desk, _tokens(desk))
    return results


if __name__ == "__main__":
    import logging

    logging.disable(logging.INFO)
    print(json.dumps(run(), indent=2))
