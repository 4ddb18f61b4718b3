"""AWS API calls each user action makes inside the functions, counted at botocore's client, and the warm
handler time, on the embedded local desk; plus the state transitions and the largest state payload of
one ask with a reminder and an escalation."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from desk import runtime

SUPPORT = "layanan@epurchasing.example.go.id"


@contextmanager
def counted_calls() -> Iterator[Counter[str]]:
    """Count the API calls made by function code (inside an activated runtime) while the block runs."""
    from botocore.client import BaseClient

    counter: Counter[str] = Counter()
    original = BaseClient._make_api_call
    lock = threading.Lock()

    def counting(self: Any, operation_name: str, api_params: Any) -> Any:
        if runtime._active.get() is not None:
            with lock:
                counter[f"{self.meta.service_model.service_name}:{operation_name}"] += 1
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = counting  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def measure(action: Callable[[int], Any], repeats: int = 20) -> dict[str, Any]:
    """Calls per action (from one warm run) and the median warm time over ``repeats`` runs."""
    action(0)  # cold start and caches, not counted
    with counted_calls() as counter:
        action(1)
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        action(i + 2)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "calls": sum(counter.values()),
        "by_operation": dict(counter),
        "warm_median_ms": round(statistics.median(times), 2),
    }


def _mail(sender: str, subject: str, **headers: str) -> bytes:
    from email import policy

    message = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    message["From"], message["To"], message["Subject"] = sender, SUPPORT, subject
    message["Message-ID"] = make_msgid(domain="bench.example")
    for name, value in headers.items():
        message[name] = value
    message.set_content("Mohon bantuan.")
    return message.as_bytes()


def _ask_figures(desk: Any) -> dict[str, Any]:
    """One ask with a reminder and an escalation (one working day of waiting = 1 s), decided by link."""
    from asl import single_ask_machine

    text = single_ask_machine(
        "Verify",
        step="registration:verification",
        unit="lpse-dki-jakarta",
        working_days=3,
        ask_function_arn=desk.functions.get("AskPersonFunction").arn,
    )
    sfn = desk.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="bench-ask", definition=text, roleArn="arn:aws:iam::123456789012:role/bench"
    )["stateMachineArn"]
    receipt = desk.http(
        "POST",
        "/tickets",
        json_body={
            "kind": "input",
            "subject": "Bench ask",
            "message": "x",
            "name": "A",
            "email": "a@bench.example",
        },
    ).json()
    run = sfn.start_execution(
        stateMachineArn=machine,
        name="bench-ask-1",
        input=json.dumps({"number": receipt["number"], "subject": "Bench ask"}),
    )

    def mails(kind: str) -> list[dict[str, Any]]:
        return [
            m
            for m in desk.outbox()
            if receipt["number"] in m["subject"] and f": {kind}" in m["subject"].lower()
        ]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not mails("eskalasi"):
        time.sleep(0.05)
    link = next(u for u in mails("mohon keputusan")[0]["links"] if "/approvals/" in u)
    parts = urlsplit(link)
    form = {k: v[0] for k, v in parse_qs(parts.query).items()}
    with counted_calls() as get_calls:
        desk.http("GET", f"{parts.path}?{parts.query}")
    with counted_calls() as post_calls:
        desk.http(
            "POST",
            parts.path,
            body=urlencode({**form, "decision": "approve"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    while sfn.describe_execution(executionArn=run["executionArn"])["status"] == "RUNNING":
        time.sleep(0.05)
    events = sfn.get_execution_history(executionArn=run["executionArn"])["events"]
    # the state payload is what a state passes on: the input/output carried in the history's details
    payloads = [
        len(str(detail.get(key, "")).encode())
        for e in events
        for detail in e.values()
        if isinstance(detail, dict)
        for key in ("input", "output")
    ]
    return {
        "link_get_calls": dict(get_calls),
        "link_post_calls": dict(post_calls),
        "state_transitions": sum(1 for e in events if e["type"].endswith("StateEntered")),
        "history_events": len(events),
        "largest_state_payload_bytes": max(payloads),
    }


def uploaded(desk: Any, content: bytes, content_type: str, purpose: str) -> str:
    """A checked upload through its door: the staff's purposes signed in (as the secretary)."""
    import requests

    from desk.documents.purposes import PUBLIC_PURPOSES

    staff = purpose not in PUBLIC_PURPOSES
    post = desk.http(
        "POST",
        "/staff/uploads" if staff else "/uploads",
        json_body={
            "purpose": purpose,
            "filename": "berkas",
            "content_type": content_type,
            "size": len(content),
        },
        token=desk.login("secretary") if staff else None,
    ).json()
    requests.post(post["url"], data=post["fields"], files={"file": ("x", content, content_type)}, timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if desk.http("GET", f"/uploads/{post['upload_id']}").json()["status"] != "pending":
            break
        time.sleep(0.02)
    return str(post["upload_id"])


def _registration_and_payment_figures(desk: Any) -> dict[str, Any]:
    """Calls per user-ID request and per payment proof; transitions of the approve path."""
    sys_path_tests()
    from unit import docfactory

    letter = uploaded(desk, docfactory.pdf_letter(), "application/pdf", "sk_letter")
    form = {
        "applicant_type": "buyer",
        "name": "Bench",
        "email": "bench@pemda.go.id",
        "phone": "021 555 0101",
        "position": "PPK",
        "institution": "Dinas Bench",
        "lpse_id": "lpse-dki-jakarta",
        "letter_upload_id": letter,
    }
    with counted_calls() as registration_calls:
        receipt = desk.http("POST", "/registrations", json_body=form).json()
    sfn = desk.client("stepfunctions")
    execution = (
        desk.ref("RegistrationWorkflow").replace(":stateMachine:", ":execution:") + f":{receipt['number']}"
    )
    deadline = time.monotonic() + 30
    link = None
    while time.monotonic() < deadline and link is None:
        link = next(
            (
                u
                for m in desk.outbox()
                if receipt["number"] in m["subject"]
                for u in m["links"]
                if "/approvals/" in u
            ),
            None,
        )
        time.sleep(0.05)
    assert link is not None
    parts = urlsplit(link)
    fields = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"decision": "approve"}
    desk.http(
        "POST",
        parts.path,
        body=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
        time.sleep(0.05)
    events = sfn.get_execution_history(executionArn=execution)["events"]
    proof = uploaded(desk, docfactory.png(9, 9), "image/png", "payment_proof")
    with counted_calls() as proof_calls:
        desk.http(
            "POST",
            "/payment-proofs",
            json_body={
                "transaction_id": "EPURCH-2026-000101",
                "role": "buyer",
                "amount": "12500000.00",
                "paid_at": "2026-01-16T10:00:00+07:00",
                "email": "pengadaan@disdik.example.go.id",
                "upload_id": proof,
            },
        )
    return {
        "registration_calls": sum(registration_calls.values()),
        "registration_by_operation": dict(registration_calls),
        "registration_approve_path_state_transitions": sum(
            1 for e in events if e["type"].endswith("StateEntered")
        ),
        "payment_proof_calls": sum(proof_calls.values()),
        "payment_proof_by_operation": dict(proof_calls),
    }


def sys_path_tests() -> None:
    """The test factories build the sample files (a PDF letter, a PNG)."""
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1] / "tests")
    if tests not in sys.path:
        sys.path.append(tests)


def run() -> dict[str, Any]:
    from desk_local.stack import LocalDesk

    results: dict[str, Any] = {}
    with LocalDesk(working_day_seconds=1.0, wait_scale=0) as desk:
        desk.seed()
        token = desk.login("helpdesk")

        def create(i: int) -> Any:
            form = {
                "kind": "complaint",
                "subject": f"Bench {i}",
                "message": "Akun terkunci.",
                "name": "Ani",
                "email": "ani@example.go.id",
            }
            response = desk.http("POST", "/tickets", json_body=form)
            assert response.status == 201, response.text
            return response.json()

        receipt = create(-1)
        results["create_ticket"] = measure(create)
        results["read_status"] = measure(
            lambda i: desk.http("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}")
        )
        results["staff_queue_page"] = measure(lambda i: desk.http("GET", "/staff/queue", token=token))
        results["request_upload"] = measure(
            lambda i: desk.http(
                "POST",
                "/uploads",
                json_body={
                    "purpose": "attachment",
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "size": 1000,
                },
            )
        )
        results["mail_new_request"] = measure(
            lambda i: desk.deliver_mail(_mail(f"bench{i}@pemda.go.id", f"Bench mail {i}"), "x@y", [SUPPORT]),
            repeats=10,
        )
        first = desk.outbox()[0]
        results["mail_threaded_reply"] = measure(
            lambda i: desk.deliver_mail(
                _mail(first["to"][0], f"Re: {i}", **{"In-Reply-To": first["message_id"]}), "x@y", [SUPPORT]
            ),
            repeats=10,
        )
        results["ask_with_reminder_and_escalation"] = _ask_figures(desk)
        results["registration_and_payment_proof"] = _registration_and_payment_figures(desk)
    return results
