"""The letter chain, run by moto's interpreter with the handlers in-process, from the Secretary's stamp to
the phone confirmation: two Subdits in parallel with a return, the other dispositions, refused and late
decisions, tasks that fail, and a calendar change while a Subdit's clock runs. One working day of waiting
lasts one second here, so reminders and escalations fire within seconds."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import desk_time
import pytest
from botocore.exceptions import ClientError
from component.test_uploads import upload
from unit import docfactory

from desk_local.stack import LocalDesk
from flows import history_length, reminded_and_escalated, until

SECRETARY = "secretary@staff.desk.local"
DIRECTOR = "director@staff.desk.local"
SUBDIT1 = "subdit1@staff.desk.local"  # head of subdit-sistem
SUBDIT2 = "subdit2@staff.desk.local"  # head of subdit-layanan
SENDER = "tu@pemkot-bogor.example.go.id"

DISPOSITION = "Disposisi surat masuk"
ANSWER = "Jawaban Subdit atas disposisi"
SIGNATURE = "Tanda tangan surat jawaban"
DISPATCH = "Pengiriman surat jawaban"
CONFIRMATION = "Konfirmasi penerimaan lewat telepon"


@pytest.fixture(scope="module")
def desk() -> Iterator[LocalDesk]:
    with LocalDesk(working_day_seconds=1.0, wait_scale=0) as running:
        running.seed()
        yield running
        _stop_letters(running)


def _stop_letters(desk: LocalDesk) -> None:
    """Letters left mid-chain would keep waking up (sped-up timers) after this desk is gone, and call the
    next module's functions, which have the same names: stop them with the desk."""
    sfn = desk.client("stepfunctions")
    machine = desk.ref("LetterWorkflow")
    quiet = logging.getLogger("moto.stepfunctions")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # moto logs a stopped Map's unwinding as errors
    try:
        for execution in sfn.list_executions(stateMachineArn=machine, statusFilter="RUNNING")["executions"]:
            with contextlib.suppress(ClientError, AttributeError):  # moto: one may be ending meanwhile
                sfn.stop_execution(executionArn=execution["executionArn"])
        time.sleep(0.5)
    finally:
        quiet.setLevel(level)


@pytest.fixture(scope="module")
def tokens(desk: LocalDesk) -> dict[str, str]:
    names = ("secretary", "director", "subdit1", "subdit2", "admin", "helpdesk")
    return {name: desk.login(name) for name in names}


# --- helpers --------------------------------------------------------------------------------------------


def _upload(desk: LocalDesk, purpose: str, content: bytes | None = None) -> str:
    """A checked upload, as a browser would post it to the presigned form."""
    upload_id, status = upload(desk, content or docfactory.pdf_letter(), purpose=purpose)
    assert status["status"] == "accepted", status
    return upload_id


def _register(desk: LocalDesk, token: str, **fields: Any) -> Any:
    body = {
        "sender_name": "Kepala Bagian Pengadaan",
        "sender_institution": "Pemerintah Kota Bogor",
        "sender_email": SENDER,
        "sender_phone": "0251 832 1075",
        "letter_number": "027/123/PBJ",
        "letter_date": desk_time.days_ago(3).isoformat(),
        "subject": "Permohonan penjelasan katalog elektronik",
        "kind": "permohonan",
        "received_at": (desk_time.now() - timedelta(minutes=30)).isoformat(),
        **fields,
    }
    if "scan_upload_id" not in body:
        body["scan_upload_id"] = _upload(desk, "letter_scan")
    return desk.http("POST", "/staff/letters", token=token, json_body=body)


def _letter(desk: LocalDesk, tokens: dict[str, str], **fields: Any) -> dict[str, Any]:
    answer = _register(desk, tokens["secretary"], **fields)
    assert answer.status == 201, answer.text
    return dict(answer.json())


def _asks(desk: LocalDesk, to: str, number: str, title: str, kind: str = "mohon keputusan") -> list[Any]:
    return [
        m
        for m in desk.outbox()
        if to in m["to"] and number in m["subject"] and title in m["subject"] and kind in m["subject"].lower()
    ]


def _link(desk: LocalDesk, to: str, number: str, title: str, seen: tuple[str, ...] = ()) -> str:
    """The newest signed link of a step mailed to ``to`` that is not one of ``seen``."""

    def fresh() -> str | None:
        for mail in _asks(desk, to, number, title):
            for url in mail["links"]:
                if "/approvals/" in url and url not in seen:
                    return str(url)
        return None

    return str(until(fresh, what=f"for {title} to {to}"))


def _post_link(desk: LocalDesk, link: str, **fields: str) -> Any:
    parts = urlsplit(link)
    form = {k: v[0] for k, v in parse_qs(parts.query).items()} | fields
    return desk.http(
        "POST",
        parts.path,
        body=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def _tasks(desk: LocalDesk, token: str, number: str, step: str) -> list[dict[str, Any]]:
    items = desk.http("GET", "/staff/tasks", token=token).json()["items"]
    return [t for t in items if t["number"] == number and t["step"] == step]


def _task(desk: LocalDesk, token: str, number: str, step: str, subject: str = "") -> dict[str, Any]:
    return dict(
        until(
            lambda: next((t for t in _tasks(desk, token, number, step) if subject in t["subject"]), None),
            what=f"for the task {step}",
        )
    )


def _decide(desk: LocalDesk, token: str, task_id: str, **body: Any) -> Any:
    return desk.http("POST", f"/staff/tasks/{task_id}/decision", token=token, json_body=body)


def _ticket(desk: LocalDesk, token: str, number: str) -> dict[str, Any]:
    answer = desk.http("GET", f"/staff/tickets/{number}", token=token)
    assert answer.status == 200, answer.text
    return dict(answer.json())


def _kinds(ticket: dict[str, Any]) -> list[str]:
    return [e["kind"] for e in ticket["timeline"]]


def _execution(desk: LocalDesk, number: str) -> str:
    return desk.ref("LetterWorkflow").replace(":stateMachine:", ":execution:") + f":{number}"


def _status(desk: LocalDesk, number: str) -> str:
    sfn = desk.client("stepfunctions")
    return str(sfn.describe_execution(executionArn=_execution(desk, number))["status"])


def _finished(desk: LocalDesk, number: str) -> dict[str, Any]:
    sfn = desk.client("stepfunctions")
    arn = _execution(desk, number)
    return dict(
        until(lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d, 60)
    )


def _history(desk: LocalDesk, number: str) -> list[dict[str, Any]]:
    sfn = desk.client("stepfunctions")
    return list(sfn.get_execution_history(executionArn=_execution(desk, number), maxResults=1000)["events"])


def _flagged(desk: LocalDesk, number: str) -> bool:
    item = desk.client("dynamodb").get_item(
        TableName=desk.ref("DeskTable"), Key={"pk": {"S": f"REQ#{number}"}, "sk": {"S": "REQ"}}
    )["Item"]
    return item.get("needs_attention") == {"BOOL": True}


def _disposed(desk: LocalDesk, number: str, *subdits: str) -> None:
    link = _link(desk, DIRECTOR, number, DISPOSITION)
    decided = _post_link(
        desk,
        link,
        decision="dispose",
        subdits=",".join(subdits),
        instruction="siapkan_jawaban",
        notes="Segera",
    )
    assert decided.status == 200, decided.text


def _sha(desk: LocalDesk, upload_id: str) -> str:
    return str(desk.http("GET", f"/uploads/{upload_id}").json()["sha256"])


# --- the chain ------------------------------------------------------------------------------------------


def test_a_letter_from_the_stamp_to_the_phone_confirmation(desk: LocalDesk, tokens: dict[str, str]) -> None:
    scan = _upload(desk, "letter_scan")
    registered = _letter(desk, tokens, scan_upload_id=scan)
    number, code = registered["number"], registered["access_code"]
    assert re.fullmatch(r"AG-\d{4}-\d{6}", registered["agenda_number"])
    ticket = _ticket(desk, tokens["secretary"], number)
    assert (ticket["type"], ticket["channel"], ticket["unit"]) == ("letter", "letter", "dit-katalog")
    assert ticket["status"] == "in_progress" and ticket["step"] == "disposition"
    assert ticket["details"]["agenda_number"] == registered["agenda_number"]
    assert [d["upload_id"] for d in ticket["documents"]] == [scan]
    assert until(lambda: [m for m in desk.outbox() if SENDER in m["to"] and number in m["subject"]])

    # The Director disposes to both Subdits from the mailed link.
    _disposed(desk, number, "subdit-sistem", "subdit-layanan")
    sistem = _link(desk, SUBDIT1, number, ANSWER)
    layanan = _link(desk, SUBDIT2, number, ANSWER)
    assert _ticket(desk, tokens["secretary"], number)["step"] == "subdit_answer"

    # Each Subdit's clock: 10 working days from its own receipt of the disposition.
    answers = _ticket(desk, tokens["secretary"], number)["details"]["answers"]
    first_task = _task(desk, tokens["subdit2"], number, "letter:subdit_answer")
    received = answers["subdit-layanan"]["received_at"]
    expected = desk.http(
        "GET", f"/staff/calendar/deadline?from={received}&working_days=10", token=tokens["subdit2"]
    ).json()
    assert first_task["due_at"] == expected["due_at"]

    assert (
        _post_link(
            desk,
            sistem,
            decision="submit_draft",
            draft_upload_id=_upload(desk, "draft_answer"),
            summary="Draf jawaban tentang sistem katalog",
        ).status
        == 200
    )
    first_draft = _upload(desk, "draft_answer")
    assert (
        _post_link(
            desk,
            layanan,
            decision="submit_draft",
            draft_upload_id=first_draft,
            summary="Draf jawaban tentang layanan",
        ).status
        == 200
    )

    # The Director signs one (with the signed scan) and returns the other, signed in to the console.
    to_sign = _task(desk, tokens["director"], number, "letter:signature", "Subdit Sistem Katalog")
    to_return = _task(desk, tokens["director"], number, "letter:signature", "Subdit Layanan Katalog")
    signed_scan = _upload(desk, "signed_letter")
    done = _decide(
        desk, tokens["director"], to_sign["task_id"], decision="sign", signed_upload_id=signed_scan
    )
    assert done.status == 200, done.text
    returned = _decide(
        desk, tokens["director"], to_return["task_id"], decision="return", notes="Lengkapi dasar hukumnya"
    )
    assert returned.status == 200, returned.text

    # Back to Subdit Layanan: a new link, the Director's notes, and the same deadline as before.
    again = _link(desk, SUBDIT2, number, ANSWER, seen=(layanan,))
    second_task = _task(desk, tokens["subdit2"], number, "letter:subdit_answer", "Lengkapi dasar hukumnya")
    assert second_task["task_id"] != first_task["task_id"]
    assert second_task["due_at"] == first_task["due_at"]
    assert _ticket(desk, tokens["secretary"], number)["step"] == "subdit_answer"
    final_draft = _upload(desk, "draft_answer")
    assert (
        _post_link(
            desk,
            again,
            decision="submit_draft",
            draft_upload_id=final_draft,
            summary="Draf jawaban dengan dasar hukum",
        ).status
        == 200
    )
    resigned = _task(desk, tokens["director"], number, "letter:signature", "Subdit Layanan Katalog")
    assert _decide(desk, tokens["director"], resigned["task_id"], decision="sign").status == 200

    # The Secretary dispatches from her own link (not the Director's), by fax.
    dispatch = _link(desk, SECRETARY, number, DISPATCH)
    assert not _asks(desk, DIRECTOR, number, DISPATCH)
    assert _ticket(desk, tokens["secretary"], number)["step"] == "dispatch"
    sent = _post_link(
        desk,
        dispatch,
        decision="fax",
        fax_number="0251-8321075",
        sent_at=desk_time.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M"),
    )
    assert sent.status == 200, sent.text
    copy = until(lambda: [m for m in desk.outbox() if SENDER in m["to"] and "Salinan" in m["subject"]])[0]
    assert "lampirkan" in copy["text"]

    # The phone call closes it.
    confirm = _task(desk, tokens["secretary"], number, "letter:confirmation")
    assert _ticket(desk, tokens["secretary"], number)["step"] == "confirmation"
    closed = _decide(desk, tokens["secretary"], confirm["task_id"], decision="confirmed", notes="Diterima TU")
    assert closed.status == 200, closed.text
    assert _finished(desk, number)["status"] == "SUCCEEDED"

    # The whole trail, for staff.
    ticket = _ticket(desk, tokens["secretary"], number)
    assert ticket["status"] == "closed" and "step" not in ticket
    kinds = _kinds(ticket)
    for kind in (
        "created",
        "registered",
        "disposed",
        "subdit_received",
        "subdit_answered",
        "answer_returned",
        "answer_signed",
        "dispatched",
        "answered",
        "receipt_confirmed",
        "closed",
    ):
        assert kind in kinds, kind
    assert kinds.count("subdit_answered") == 3 and kinds.count("answer_signed") == 2
    assert kinds.index("answer_returned") < kinds.index("dispatched") < kinds.index("closed")
    signatures = {e["data"]["unit"]: e["data"] for e in ticket["timeline"] if e["kind"] == "answer_signed"}
    assert signatures["subdit-sistem"]["sha256"] == _sha(desk, signed_scan)
    assert signatures["subdit-layanan"]["sha256"] == _sha(desk, final_draft)  # the draft, signed as is
    numbers = [s["outgoing_number"] for s in signatures.values()]
    assert all(re.fullmatch(r"SKL-\d{4}-\d{6}", n) for n in numbers) and len(set(numbers)) == 2
    assert all(s["by"] == DIRECTOR and s["at"] for s in signatures.values())
    returns = [e for e in ticket["timeline"] if e["kind"] == "answer_returned"]
    assert [(r["data"]["unit"], r["data"]["notes"], int(r["data"]["round"])) for r in returns] == [
        ("subdit-layanan", "Lengkapi dasar hukumnya", 1)
    ]
    assert {scan, first_draft, final_draft, signed_scan} <= {d["upload_id"] for d in ticket["documents"]}

    # ... and in public form for the sender.
    public = desk.http("GET", f"/tickets/{number}?code={code}")
    assert public.status == 200
    view = public.json()
    assert view["status"] == "closed" and view["type"] == "letter"
    # The sender may download the signed answers, never the scan or the drafts.
    assert {d["purpose"] for d in view["documents"]} == {"signed_letter"}
    assert {d["upload_id"] for d in view["documents"]} >= {signed_scan}
    draft = desk.http("GET", f"/tickets/{number}/documents/{first_draft}?code={code}")
    assert draft.status == 404
    texts = " ".join(e.get("text", "") for e in view["timeline"])
    for phrase in ("nomor agenda", "didisposisikan", "ditandatangani", "faks", "dikonfirmasi", *numbers):
        assert phrase in texts, phrase
    assert "staff.desk.local" not in public.text and "Lengkapi dasar hukumnya" not in public.text


def test_for_information_closes_the_letter_with_its_reason(desk: LocalDesk, tokens: dict[str, str]) -> None:
    registered = _letter(desk, tokens)
    number = registered["number"]
    task = _task(desk, tokens["director"], number, "letter:disposition")
    decided = _decide(
        desk, tokens["director"], task["task_id"], decision="for_information", notes="Sudah dijawab Deputi."
    )
    assert decided.status == 200, decided.text
    assert _finished(desk, number)["status"] == "SUCCEEDED"
    ticket = _ticket(desk, tokens["secretary"], number)
    assert ticket["status"] == "closed" and "step" not in ticket
    closed = [e for e in ticket["timeline"] if e["kind"] == "closed"]
    assert [e["text"] for e in closed] == ["Sudah dijawab Deputi."]
    assert "subdit_received" not in _kinds(ticket)
    public = desk.http("GET", f"/tickets/{number}?code={registered['access_code']}").json()
    assert public["status"] == "closed" and "Sudah dijawab Deputi." in [
        e.get("text") for e in public["timeline"]
    ]
    assert not [m for m in desk.outbox() if number in m["subject"] and ANSWER in m["subject"]]


def test_answered_directly_by_the_directorate_then_sent_by_courier(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    # No email from this sender: nothing to copy the answer to.
    number = _letter(desk, tokens, sender_email=None)["number"]
    task = _task(desk, tokens["director"], number, "letter:disposition")
    assert _decide(desk, tokens["director"], task["task_id"], decision="answer_directly").status == 200
    # The directorate drafts its own answer: asked of its head, listed in his tasks.
    draft_task = _task(desk, tokens["director"], number, "letter:subdit_answer")
    assert draft_task["unit"] == "dit-katalog"
    draft = _upload(desk, "draft_answer")
    drafted = _decide(
        desk,
        tokens["director"],
        draft_task["task_id"],
        decision="submit_draft",
        draft_upload_id=draft,
        summary="Jawaban langsung Direktur",
    )
    assert drafted.status == 200, drafted.text
    signature = _task(desk, tokens["director"], number, "letter:signature")
    assert _decide(desk, tokens["director"], signature["task_id"], decision="sign").status == 200
    dispatch = _task(desk, tokens["secretary"], number, "letter:dispatch")
    missing = _decide(desk, tokens["secretary"], dispatch["task_id"], decision="courier", courier="JNE")
    assert missing.status == 400 and "tracking_number" in missing.json()["error"]["fields"]
    sent = _decide(
        desk,
        tokens["secretary"],
        dispatch["task_id"],
        decision="courier",
        courier="JNE",
        tracking_number="JNE0012345",
    )
    assert sent.status == 200, sent.text
    confirm = _task(desk, tokens["secretary"], number, "letter:confirmation")
    assert (
        _decide(
            desk, tokens["secretary"], confirm["task_id"], decision="unreachable", notes="Tiga kali ditelepon"
        ).status
        == 200
    )
    assert _finished(desk, number)["status"] == "SUCCEEDED"
    ticket = _ticket(desk, tokens["secretary"], number)
    texts = [e.get("text", "") for e in ticket["timeline"]]
    assert "Surat dijawab langsung oleh Direktorat." in texts
    assert any("JNE0012345" in t for t in texts)
    assert "receipt_unconfirmed" in _kinds(ticket) and ticket["status"] == "closed"
    assert not [m for m in desk.outbox() if number in m["subject"] and "Salinan" in m["subject"]]


def test_decisions_the_chain_refuses(desk: LocalDesk, tokens: dict[str, str]) -> None:
    number = _letter(desk, tokens)["number"]
    _disposed(desk, number, "subdit-sistem")
    subdit_link = _link(desk, SUBDIT1, number, ANSWER)
    # The Subdit's own link cannot carry another step's decision.
    assert _post_link(desk, subdit_link, decision="sign").status == 400
    assert (
        _post_link(
            desk,
            subdit_link,
            decision="submit_draft",
            draft_upload_id=_upload(desk, "draft_answer"),
            summary="Draf",
        ).status
        == 200
    )
    signature = _task(desk, tokens["director"], number, "letter:signature")
    # A Subdit cannot decide the Director's step: not from the console, not with its link on that task.
    refused = _decide(desk, tokens["subdit1"], signature["task_id"], decision="sign")
    assert refused.status == 404  # someone else's task, answered as a missing one
    parts = urlsplit(subdit_link)
    foreign = parts.path.rsplit("/", 1)[0] + f"/{signature['task_id']}~0?{parts.query}"
    assert desk.http("GET", foreign).status == 403
    assert _post_link(desk, "http://x" + foreign, decision="sign").status == 403
    # The Director's own link shows the step but the signature needs the console (sign-in).
    director_link = _link(desk, DIRECTOR, number, SIGNATURE)
    by_link = _post_link(desk, director_link, decision="sign")
    assert by_link.status == 403 and "konsol" in by_link.text
    # A return needs notes.
    bare = _decide(desk, tokens["director"], signature["task_id"], decision="return")
    assert bare.status == 400 and "notes" in bare.json()["error"]["fields"]
    assert _status(desk, number) == "RUNNING"
    assert "answer_signed" not in _kinds(_ticket(desk, tokens["secretary"], number))
    signed = _decide(desk, tokens["director"], signature["task_id"], decision="sign")
    assert signed.status == 200, signed.text
    _task(desk, tokens["secretary"], number, "letter:dispatch")


def test_a_disposition_to_an_unknown_subdit_is_refused_by_the_decision(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _letter(desk, tokens)["number"]
    task = _task(desk, tokens["director"], number, "letter:disposition")
    refused = _decide(
        desk,
        tokens["director"],
        task["task_id"],
        decision="dispose",
        subdits=["subdit-sistem", "subdit-tidak-ada"],
        instruction="tindak_lanjuti",
    )
    assert refused.status == 400 and "subdits" in refused.json()["error"]["fields"]


def test_the_workflow_refuses_a_disposition_to_a_unit_that_is_not_a_subdit(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _letter(desk, tokens)["number"]
    task = _task(desk, tokens["director"], number, "letter:disposition")
    decision = {
        "task_id": "t-unknown",
        "decision": "dispose",
        "decided_by": DIRECTOR,
        "decided_at": "x",
        "fields": {
            "decision": "dispose",
            "subdits": ["helpdesk", "subdit-x"],
            "instruction": "koordinasikan",
        },
    }
    invoked = desk.functions.invoke(
        "LetterStepsFunction", {"action": "dispose", "number": number, "decision": decision}
    )
    assert invoked.error is None, invoked.error
    assert invoked.result == {"route": "again", "units": []}
    ticket = _ticket(desk, tokens["secretary"], number)
    refused = [e for e in ticket["timeline"] if e["kind"] == "disposition_refused"]
    assert refused and refused[0]["data"]["unknown"] == ["helpdesk", "subdit-x"]
    assert ticket["step"] == "disposition" and "disposition" not in ticket["details"]
    # Recorded once: the same decision again changes nothing.
    again = desk.functions.invoke(
        "LetterStepsFunction", {"action": "dispose", "number": number, "decision": decision}
    )
    assert again.result == {"route": "again", "units": []}
    assert _kinds(_ticket(desk, tokens["secretary"], number)).count("disposition_refused") == 1
    assert _tasks(desk, tokens["director"], number, "letter:disposition")[0]["task_id"] == task["task_id"]


def test_a_subdit_that_answers_after_its_deadline_is_recorded_late_and_the_chain_goes_on(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _letter(desk, tokens)["number"]
    _disposed(desk, number, "subdit-sistem")
    link = _link(desk, SUBDIT1, number, ANSWER)
    # Reminder before the breach, then escalation up to the Director (the Subdit's head is the one asked).
    until(lambda: _asks(desk, SUBDIT1, number, ANSWER, "pengingat"), 40, "for the reminder")
    until(lambda: _asks(desk, DIRECTOR, number, ANSWER, "eskalasi"), 40, "for the escalation")
    assert not _asks(desk, SUBDIT1, number, ANSWER, "eskalasi")
    assert _status(desk, number) == "RUNNING"  # a breach is recorded, not fatal
    late = _post_link(
        desk,
        link,
        decision="submit_draft",
        draft_upload_id=_upload(desk, "draft_answer"),
        summary="Draf terlambat",
    )
    assert late.status == 200 and "terlambat" in late.text
    _task(desk, tokens["director"], number, "letter:signature")
    ticket = _ticket(desk, tokens["secretary"], number)
    answered = [e for e in ticket["timeline"] if e["kind"] == "subdit_answered"]
    assert (
        answered[0]["data"]["late"] is True and ticket["details"]["answers"]["subdit-sistem"]["late"] is True
    )
    assert ticket["step"] == "signature"


def test_a_task_that_fails_twice_then_succeeds_is_retried(
    desk: LocalDesk, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.letters import workflow

    number = _letter(desk, tokens)["number"]
    real = workflow.ACTIONS["open_answer"]
    calls = {"n": 0}

    def flaky(payload: Any, *, now: datetime) -> Any:
        if payload["number"] == number:
            calls["n"] += 1
            if calls["n"] <= 2:
                raise ConnectionError("DynamoDB is unreachable")
        return real(payload, now=now)

    monkeypatch.setitem(workflow.ACTIONS, "open_answer", flaky)
    _disposed(desk, number, "subdit-layanan")
    _link(desk, SUBDIT2, number, ANSWER)
    assert calls["n"] == 3
    failures = [e for e in _history(desk, number) if e["type"] == "TaskFailed"]
    assert [json.loads(e["taskFailedEventDetails"]["cause"])["errorType"] for e in failures] == [
        "ConnectionError",
        "ConnectionError",
    ]
    assert not _flagged(desk, number)
    assert "task_failed" not in _kinds(_ticket(desk, tokens["secretary"], number))


def test_a_task_that_keeps_failing_flags_the_letter_alerts_the_secretary_and_resumes_when_fixed(
    desk: LocalDesk, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.letters import workflow

    number = _letter(desk, tokens)["number"]
    real = workflow.ACTIONS["open_answer"]

    def broken(payload: Any, *, now: datetime) -> Any:
        if payload["number"] == number:
            raise ConnectionError("DynamoDB is down")
        return real(payload, now=now)

    monkeypatch.setitem(workflow.ACTIONS, "open_answer", broken)
    _disposed(desk, number, "subdit-sistem")
    alert = until(
        lambda: [
            m
            for m in desk.outbox()
            if SECRETARY in m["to"] and f"Gangguan pada surat {number}" in m["subject"]
        ],
        40,
        "for the alert",
    )[0]
    assert "dicoba lagi" in alert["text"]
    assert _flagged(desk, number)
    ticket = _ticket(desk, tokens["secretary"], number)
    failed = [e for e in ticket["timeline"] if e["kind"] == "task_failed"]
    assert failed[0]["data"]["state"] == "Open" and failed[0]["data"]["unit"] == "subdit-sistem"
    assert _status(desk, number) == "RUNNING"  # not lost: paused, and tried again
    monkeypatch.setitem(workflow.ACTIONS, "open_answer", real)
    _link(desk, SUBDIT1, number, ANSWER)
    assert _ticket(desk, tokens["secretary"], number)["step"] == "subdit_answer"


def test_a_calendar_change_moves_a_running_subdit_deadline(desk: LocalDesk, tokens: dict[str, str]) -> None:
    number = _letter(desk, tokens)["number"]
    _disposed(desk, number, "subdit-layanan")
    _link(desk, SUBDIT2, number, ANSWER)
    before = _task(desk, tokens["subdit2"], number, "letter:subdit_answer")
    received = _ticket(desk, tokens["secretary"], number)["details"]["answers"]["subdit-layanan"][
        "received_at"
    ]

    def due(days: int) -> str:
        answer = desk.http(
            "GET", f"/staff/calendar/deadline?from={received}&working_days={days}", token=tokens["admin"]
        )
        return str(answer.json()["due_at"])

    assert before["due_at"] == due(10)
    # The first counted day becomes a day off (an amended SKB), while the Subdit's clock runs.
    day_one = (datetime.fromisoformat(due(1).replace("Z", "+00:00")) + timedelta(hours=7)).date().isoformat()
    added = desk.http(
        "POST",
        "/staff/calendar/overrides",
        token=tokens["admin"],
        json_body={
            "date": day_one,
            "working": False,
            "reason": "Cuti bersama tambahan",
            "reference": "SKB perubahan",
        },
    )
    assert added.status == 201, added.text
    try:
        moved = due(10)
        assert moved > before["due_at"]
        # Warm functions read the calendar again within a minute; this one now.
        desk.functions.get("AskPersonFunction").runtime.clear()
        after = until(
            lambda: next(
                (
                    t
                    for t in _tasks(desk, tokens["subdit2"], number, "letter:subdit_answer")
                    if t["due_at"] == moved
                ),
                None,
            ),
            40,
            "for the deadline to move",
        )
        assert after["task_id"] == before["task_id"]
    finally:
        desk.http("DELETE", f"/staff/calendar/overrides/{day_one}?scope=national", token=tokens["admin"])


def test_a_draft_that_cannot_be_used_is_refused_and_the_subdit_asked_again(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    scan = _upload(desk, "letter_scan")
    number = _letter(desk, tokens, scan_upload_id=scan)["number"]
    _disposed(desk, number, "subdit-sistem")
    first = _link(desk, SUBDIT1, number, ANSWER)
    # The letter's own scan is no draft answer.
    wrong = _post_link(desk, first, decision="submit_draft", draft_upload_id=scan, summary="Salah berkas")
    assert wrong.status == 200  # the decision's shape is right; the chain checks the document
    second = _link(desk, SUBDIT1, number, ANSWER, seen=(first,))
    ticket = _ticket(desk, tokens["secretary"], number)
    refused = [e for e in ticket["timeline"] if e["kind"] == "draft_refused"]
    assert len(refused) == 1 and "draf jawaban" in refused[0]["data"]["reason"]
    assert "subdit_answered" not in _kinds(ticket) and ticket["step"] == "subdit_answer"
    assert not _flagged(desk, number)
    assert (
        _post_link(
            desk,
            second,
            decision="submit_draft",
            draft_upload_id=_upload(desk, "draft_answer"),
            summary="Draf yang benar",
        ).status
        == 200
    )
    _task(desk, tokens["director"], number, "letter:signature")


# Every ask of a letter (five: disposition, answer, signature, dispatch, confirmation) runs to its reminder
# and escalation before it is decided: five asks within ONE_ASK_HISTORY_BUDGET (60) each, and the chain's
# own steps (287 events measured in all). Step Functions fails an execution at 25,000.
LETTER_HISTORY_BUDGET = 5 * 60 + 60


def test_every_ask_of_a_letter_reminds_then_escalates_and_the_history_stays_in_budget(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    number = _letter(desk, tokens)["number"]
    reminded_and_escalated(desk, number, "letter:disposition")
    _disposed(desk, number, "subdit-sistem")

    reminded_and_escalated(desk, number, "letter:subdit_answer")
    # Nobody is escalated to about their own task: the Director, asked to dispose, hears nothing more;
    # the Subdit head asked to answer is passed over for the Director, once.
    assert not _asks(desk, DIRECTOR, number, DISPOSITION, kind="eskalasi")
    assert not _asks(desk, SUBDIT1, number, ANSWER, kind="eskalasi")
    assert len(_asks(desk, DIRECTOR, number, ANSWER, kind="eskalasi")) == 1
    answer = _link(desk, SUBDIT1, number, ANSWER)
    draft = _upload(desk, "draft_answer")
    assert (
        _post_link(desk, answer, decision="submit_draft", draft_upload_id=draft, summary="Draf").status == 200
    )

    reminded_and_escalated(desk, number, "letter:signature")
    to_sign = _task(desk, tokens["director"], number, "letter:signature")
    assert _decide(desk, tokens["director"], to_sign["task_id"], decision="sign").status == 200

    reminded_and_escalated(desk, number, "letter:dispatch")
    sent_at = desk_time.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    dispatch = _link(desk, SECRETARY, number, DISPATCH)
    assert (
        _post_link(desk, dispatch, decision="fax", fax_number="0251-8321075", sent_at=sent_at).status == 200
    )

    reminded_and_escalated(desk, number, "letter:confirmation")
    confirm = _task(desk, tokens["secretary"], number, "letter:confirmation")
    assert _decide(desk, tokens["secretary"], confirm["task_id"], decision="confirmed").status == 200
    assert _finished(desk, number)["status"] == "SUCCEEDED"
    assert history_length(desk, _execution(desk, number)) <= LETTER_HISTORY_BUDGET
