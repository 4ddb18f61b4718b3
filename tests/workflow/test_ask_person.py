"""The one "ask a person" step, run by moto's interpreter with the handlers in-process: a signed link
mailed once, a reminder and an escalation on working-day timers (sped up), a decision by link or from
the staff task list, and the faults a link meets (scanners, tampering, replays, races, mail failures)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from asl import single_ask_machine
from desk_local.stack import LocalDesk
from flows import create_ask_machine, history_length, reminded_and_escalated, until

STEP = "registration:verification"
# One ask with its reminder and escalation, decided late: three rounds of plan, wait on the token and
# checkpoint (about 18 events each: entered, scheduled, started, succeeded, exited per task, and the
# choices), 53 measured. A "deadline moved" loop adds a round every second and blows through it at once.
ONE_ASK_HISTORY_BUDGET = 60
VERIFIER = "verifier-jakarta@staff.desk.local"


@pytest.fixture(scope="module")
def desk() -> Iterator[LocalDesk]:
    # One working day of waiting lasts one second: a reminder and an escalation within seconds.
    with LocalDesk(working_day_seconds=1.0, wait_scale=0) as running:
        running.seed()
        yield running


@pytest.fixture(scope="module")
def tokens(desk: LocalDesk) -> dict[str, str]:
    return {name: desk.login(name) for name in ("verifier-jakarta", "verifier-bali", "helpdesk")}


@pytest.fixture(scope="module")
def machine(desk: LocalDesk) -> str:
    return create_ask_machine(desk, "ask-under-test", STEP)


def _start(desk: LocalDesk, machine: str, name: str) -> tuple[str, str]:
    receipt = desk.http(
        "POST",
        "/tickets",
        json_body={
            "kind": "input",
            "subject": f"Uji {name}",
            "message": "x",
            "name": "A",
            "email": "a@pemda.go.id",
        },
    ).json()
    execution = desk.client("stepfunctions").start_execution(
        stateMachineArn=machine,
        name=name,
        input=json.dumps({"number": receipt["number"], "subject": f"Uji {name}"}),
    )
    return receipt["number"], execution["executionArn"]


def _mails(desk: LocalDesk, number: str, kind: str) -> list[dict[str, Any]]:
    """The ask, reminder or escalation mails of a request (subject: "<step title>: <kind>...")."""
    return [m for m in desk.outbox() if number in m["subject"] and f": {kind}" in m["subject"].lower()]


def _link(desk: LocalDesk, number: str) -> str:
    mail = until(lambda: _mails(desk, number, "mohon keputusan anda"))[0]
    return str(next(u for u in mail["links"] if "/approvals/" in u))


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def _post(desk: LocalDesk, link: str, **fields: str) -> Any:
    parts = urlsplit(link)
    form = {k: v[0] for k, v in parse_qs(parts.query).items()} | fields
    return desk.http(
        "POST",
        parts.path,
        body=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def _finished(desk: LocalDesk, execution: str) -> dict[str, Any]:
    sfn = desk.client("stepfunctions")
    return until(lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d)


def test_ask_remind_escalate_then_decide_late_by_link(desk: LocalDesk, machine: str) -> None:
    number, execution = _start(desk, machine, "late-by-link")
    link = _link(desk, number)
    assert "token" not in link.lower()
    until(lambda: _mails(desk, number, "pengingat"))
    reminded_and_escalated(desk, number, STEP)
    # The verifier asked is the LPSE's head: nobody stands above, and nobody is escalated to about their
    # own task.
    assert not _mails(desk, number, "eskalasi")
    assert len(_mails(desk, number, "mohon keputusan anda")) == 1, [m["subject"] for m in desk.outbox()]
    reminder = _mails(desk, number, "pengingat")[0]
    assert link in reminder["links"]  # reminders re-send the same link

    # A mail scanner fetches the link: the page shows, nothing is decided.
    assert desk.http("HEAD", _path(link)).status == 200
    page = desk.http("GET", _path(link))
    assert page.status == 200 and "Verifikasi permohonan user ID" in page.text and "<form" in page.text
    assert "<script" not in page.text
    assert desk.client("stepfunctions").describe_execution(executionArn=execution)["status"] == "RUNNING"

    decided = _post(desk, link, decision="approve")
    assert decided.status == 200, decided.text
    assert "terlambat" in decided.text  # a late decision is still a decision, recorded as late
    result = _finished(desk, execution)
    assert result["status"] == "SUCCEEDED"
    assert history_length(desk, execution) <= ONE_ASK_HISTORY_BUDGET
    decision = json.loads(result["output"])["decision"]
    assert (
        decision["decision"] == "approve" and decision["decided_by"] == VERIFIER and decision["late"] is True
    )

    again = _post(desk, link, decision="reject", reason="Coba lagi")
    assert again.status == 409 and VERIFIER in again.text
    staff = desk.http("GET", f"/staff/tickets/{number}", token=desk.login("admin"))
    assert staff.status == 200


def test_a_decision_from_the_staff_task_list(desk: LocalDesk, machine: str, tokens: dict[str, str]) -> None:
    number, execution = _start(desk, machine, "from-console")
    _link(desk, number)
    listed = desk.http("GET", "/staff/tasks", token=tokens["verifier-jakarta"]).json()["items"]
    task = next(t for t in listed if t["number"] == number)
    assert task["step"] == STEP
    assert not [
        t
        for t in desk.http("GET", "/staff/tasks", token=tokens["verifier-bali"]).json()["items"]
        if t["number"] == number
    ]
    path = f"/staff/tasks/{task['task_id']}/decision"
    # Someone else's task is answered as a missing one: its id tells them nothing.
    assert (
        desk.http("POST", path, token=tokens["verifier-bali"], json_body={"decision": "approve"}).status
        == 404
    )
    missing = desk.http("POST", path, token=tokens["verifier-jakarta"], json_body={"decision": "reject"})
    assert missing.status == 400 and "reason" in missing.json()["error"]["fields"]
    done = desk.http(
        "POST",
        path,
        token=tokens["verifier-jakarta"],
        json_body={"decision": "reject", "reason": "SK tidak terbaca"},
    )
    assert done.status == 200, done.text
    output = json.loads(_finished(desk, execution)["output"])["decision"]
    assert output["fields"] == {"decision": "reject", "reason": "SK tidak terbaca"}
    assert (
        desk.http("POST", path, token=tokens["verifier-jakarta"], json_body={"decision": "approve"}).status
        == 409
    )


def test_tampered_foreign_and_expired_links_change_nothing(desk: LocalDesk, machine: str) -> None:
    number, execution = _start(desk, machine, "tampered")
    link = _link(desk, number)
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    tampered = f"{parts.path}?{urlencode({**query, 'sig': query['sig'][:-2] + 'xx'})}"
    assert desk.http("GET", tampered).status == 403
    wrong_kid = f"{parts.path}?{urlencode({**query, 'kid': 'k9'})}"
    assert desk.http("GET", wrong_kid).status == 403
    longer = f"{parts.path}?{urlencode({**query, 'exp': str(int(query['exp']) + 86400)})}"
    assert desk.http("GET", longer).status == 403  # a forged expiry breaks the signature
    other_recipient = parts.path.replace("~0", "~1") + "?" + parts.query
    assert desk.http("GET", other_recipient).status == 403

    from desk import runtime
    from desk.approvals import links
    from desk.keys import key_ring

    with runtime.activated(desk.functions.get("ApprovalsFunction").runtime):
        link_id = links.parse_link_id(parts.path.rsplit("/", 1)[1])
        expired = links.signed_url("http://x", link_id, int(time.time()) - 60, key_ring())
    assert desk.http("GET", _path(expired)).status == 410
    wrong_step = _post(desk, link, decision="sign")  # a decision of another step's row
    assert wrong_step.status == 400
    assert desk.client("stepfunctions").describe_execution(executionArn=execution)["status"] == "RUNNING"
    assert _post(desk, link, decision="approve").status == 200
    assert _finished(desk, execution)["status"] == "SUCCEEDED"


def test_two_posts_at_the_same_moment_exactly_one_wins(desk: LocalDesk, machine: str) -> None:
    number, execution = _start(desk, machine, "race")
    link = _link(desk, number)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda _: _post(desk, link, decision="approve").status, range(4)))
    assert statuses == [200, 409, 409, 409]
    assert _finished(desk, execution)["status"] == "SUCCEEDED"


def test_a_mail_that_fails_twice_then_succeeds_is_retried(
    desk: LocalDesk, machine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.mail import send

    calls = {"n": 0}
    real = send.deliver

    def flaky(prepared: Any) -> None:
        if "mohon keputusan" in prepared.raw.decode(errors="ignore").lower() and calls["n"] < 2:
            calls["n"] += 1
            raise ConnectionError("SES is unreachable")
        real(prepared)

    monkeypatch.setattr(send, "deliver", flaky)
    number, execution = _start(desk, machine, "flaky-mail")
    link = _link(desk, number)
    assert calls["n"] == 2
    assert _post(desk, link, decision="approve").status == 200
    assert _finished(desk, execution)["status"] == "SUCCEEDED"


def test_a_mail_that_always_fails_flags_the_request_and_staff_still_decide(
    desk: LocalDesk, machine: str, monkeypatch: pytest.MonkeyPatch, tokens: dict[str, str]
) -> None:
    from desk.mail import send

    def down(prepared: Any) -> None:
        raise ConnectionError("SES is down")

    monkeypatch.setattr(send, "deliver", down)
    number, execution = _start(desk, machine, "mail-down")
    flagged = until(
        lambda: desk.client("dynamodb")
        .get_item(TableName=desk.ref("DeskTable"), Key={"pk": {"S": f"REQ#{number}"}, "sk": {"S": "REQ"}})[
            "Item"
        ]
        .get("needs_attention")
    )
    assert flagged == {"BOOL": True}
    assert desk.client("stepfunctions").describe_execution(executionArn=execution)["status"] == "RUNNING"
    monkeypatch.undo()
    task = until(
        lambda: next(
            (
                t
                for t in desk.http("GET", "/staff/tasks", token=tokens["verifier-jakarta"]).json()["items"]
                if t["number"] == number
            ),
            None,
        )
    )
    decided = desk.http(
        "POST",
        f"/staff/tasks/{task['task_id']}/decision",
        token=tokens["verifier-jakarta"],
        json_body={"decision": "approve"},
    )
    assert decided.status == 200
    assert _finished(desk, execution)["status"] == "SUCCEEDED"


def test_the_signature_step_asks_for_a_sign_in_instead_of_deciding_by_link(desk: LocalDesk) -> None:
    text = single_ask_machine(
        "Sign",
        step="letter:signature",
        unit="dit-katalog",
        working_days=2,
        ask_function_arn=desk.functions.get("AskPersonFunction").arn,
    )
    sfn = desk.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="sign-under-test", definition=text, roleArn="arn:aws:iam::123456789012:role/x"
    )["stateMachineArn"]
    number, execution = _start(desk, machine, "signature")
    link = _link(desk, number)
    page = desk.http("GET", _path(link))
    assert page.status == 200 and "<form" not in page.text and "konsol petugas" in page.text
    refused = _post(desk, link, decision="sign")
    assert refused.status == 403
    director = desk.login("director")
    task = next(
        t for t in desk.http("GET", "/staff/tasks", token=director).json()["items"] if t["number"] == number
    )
    signed = desk.http(
        "POST", f"/staff/tasks/{task['task_id']}/decision", token=director, json_body={"decision": "sign"}
    )
    assert signed.status == 200
    assert json.loads(_finished(desk, execution)["output"])["decision"]["decided_via"] == "console"


def _input_request(desk: LocalDesk, subject: str) -> dict[str, Any]:
    form = {"kind": "input", "subject": subject, "message": "x", "name": "A", "email": "a@pemda.go.id"}
    return desk.http("POST", "/tickets", json_body=form).json()  # type: ignore[no-any-return]


def _first_plan(number: str, **entry: str) -> dict[str, Any]:
    """The first plan of an ask, as the state machine sends it (``entry``: its state entry, if any)."""
    ask = {"step": STEP, "number": number, "subject": "x", "unit": "lpse-dki-jakarta", "working_days": 5}
    return {
        "action": "plan",
        "task_id": "",
        "mail": False,
        "flags": 0,
        **entry,
        "ask": {**ask, "execution": number},
    }


def test_a_deadline_moved_by_the_calendar_moves_the_next_checkpoint(desk: LocalDesk) -> None:
    from datetime import date, timedelta

    receipt = _input_request(desk, "Tenggat bergeser")
    ask_fn = "AskPersonFunction"
    planned = desk.functions.invoke(ask_fn, _first_plan(receipt["number"]))
    assert planned.error is None, planned.error
    task_id = planned.result["task_id"]
    from desk import runtime
    from desk.approvals import tasks

    with runtime.activated(desk.functions.get(ask_fn).runtime):
        due = date.fromisoformat(tasks.require(task_id)["due_at"][:10])
    day = due - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    admin = desk.login("admin")
    assert (
        desk.http(
            "POST",
            "/staff/calendar/overrides",
            token=admin,
            json_body={
                "date": day.isoformat(),
                "working": False,
                "reason": "Libur daerah (uji)",
                "scope": "national",
            },
        ).status
        == 201
    )
    try:
        from desk.calendar_store import current_calendar

        with runtime.activated(desk.functions.get(ask_fn).runtime):
            current_calendar(fresh=True)
        checked = desk.functions.invoke(ask_fn, {"action": "checkpoint", "task_id": task_id})
        assert checked.error is None, checked.error
        assert checked.result == {"expired": False, "acted": None}  # nothing sent: the moment moved
        with runtime.activated(desk.functions.get(ask_fn).runtime):
            assert (
                date.fromisoformat(tasks.require(task_id)["due_at"][:10]) == due
            )  # recorded at the next plan
        replanned = desk.functions.invoke(
            ask_fn, {"action": "plan", "task_id": task_id, "mail": False, "flags": 0, "ask": {}}
        )
        with runtime.activated(desk.functions.get(ask_fn).runtime):
            assert date.fromisoformat(tasks.require(task_id)["due_at"][:10]) > due
        assert replanned.result["checkpoint"] == "reminder"
    finally:
        desk.http("DELETE", f"/staff/calendar/overrides/{day.isoformat()}?scope=national", token=admin)


def test_a_retried_first_plan_finds_the_task_it_opened_instead_of_opening_another(desk: LocalDesk) -> None:
    # Step Functions retries a Lambda task whose answer it did not get: the same state entry, again.
    receipt = _input_request(desk, "Dicoba lagi")
    # Step Functions gives the state's EnteredTime; any fixed text stands for one entry here.
    entry = _first_plan(receipt["number"], opened="entered-first", state="VerifyPlan")
    first = desk.functions.invoke("AskPersonFunction", entry)
    again = desk.functions.invoke("AskPersonFunction", entry)
    assert first.error is None and again.error is None, (first.error, again.error)
    assert again.result["task_id"] == first.result["task_id"]
    another_entry = desk.functions.invoke("AskPersonFunction", {**entry, "opened": "entered-later"})
    assert another_entry.result["task_id"] != first.result["task_id"]  # a new entry is a new ask
    table = desk.ref("DeskTable")
    opened = desk.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :audit)",
        ExpressionAttributeValues={":pk": {"S": f"REQ#{receipt['number']}"}, ":audit": {"S": "AUDIT#"}},
    )["Items"]
    assert sum(1 for item in opened if item["kind"]["S"] == "task_opened") == 2
