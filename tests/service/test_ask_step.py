"""The "ask a person" step against the twins, as the state machines drive it: the task opened once per entry,
the signed link mailed once, a reminder before the deadline, an escalation at it up the unit tree, the
expiry that flags the request, a deadline moved by the calendar; and the decision by link or from the
staff console handed to the waiting workflow. ``now`` given, no clock read."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from twins import InMemoryTasks
from twins.desk import Twins

from desk import calendar_service, runtime
from desk.admin import units
from desk.approvals import decide, flow, links, tasks
from desk.calendar import WorkingCalendar
from desk.data import tasks as tasks_data
from desk.errors import Conflict, Gone, InvalidInput, NotFound
from desk.keys import key_ring
from desk.requests import intake
from desk.requests.model import Channel, RequestType
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
OPENED = "2026-12-03T02:00:00.000Z"  # when Step Functions entered the plan state
# Three working days counted from Friday 4 December: Friday, Monday, Tuesday; due Tuesday 8 December,
# 23:59:59 WIB. 70 % of them falls on Tuesday at 02:24, so the reminder waits for the office: 07:30 WIB.
DUE = "2026-12-08T16:59:59Z"
REMINDER = datetime(2026, 12, 8, 0, 30, tzinfo=UTC)
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")
DIRECTOR = "direktur@lkpp.go.id"
KASUBDIT = "kasubdit@lkpp.go.id"
ORGANISERS = ("pelatih-a@lkpp.go.id", "pelatih-b@lkpp.go.id")
BALI_HEAD = "kepala-bali@lkpp.go.id"


@pytest.fixture(autouse=True)
def unit_tree(twins: Twins) -> None:
    """Directorate (the Director) → Subdit Sistem (its head) → the training desk (no head, two organisers);
    LPSE Bali on its own, its head a verifier."""
    staff = [
        (DIRECTOR, "director", "direktorat"),
        (KASUBDIT, "subdit", "sistem"),
        ("analis@lkpp.go.id", "subdit", "sistem"),
        (ORGANISERS[1], "training", "pelatihan"),
        (ORGANISERS[0], "training", "pelatihan"),
        ("pensiun@lkpp.go.id", "training", "pelatihan"),
        ("pelatih-jatim@lkpp.go.id", "training", "lpse-jatim"),
        (BALI_HEAD, "lpse_verifier", "lpse-bali"),
        ("verifikator-bali@lkpp.go.id", "lpse_verifier", "lpse-bali"),
    ]
    for email, role, unit in staff:
        twins.directory.invite(email, name=email.split("@")[0], role=role, unit=unit)
    twins.directory.set_enabled("pensiun@lkpp.go.id", False)
    for unit_id, kind, parent, head in (
        ("direktorat", "directorate", "", DIRECTOR),
        ("sistem", "subdit", "direktorat", KASUBDIT),
        ("pelatihan", "desk", "sistem", ""),
        ("lpse-bali", "lpse", "", BALI_HEAD),
    ):
        units.create_unit(
            {"id": unit_id, "name": unit_id.title(), "kind": kind, "parent": parent, "head": head},
            user=ADMIN,
            now=NOW,
        )


def _request(twins: Twins) -> str:
    new = intake.NewRequest(
        type=RequestType.TRAINING,
        channel=Channel.WEB,
        subject="Pelatihan e-Purchasing",
        body="Dua puluh peserta.",
        requester={"name": "Ani", "email": "ani@pemda.go.id"},
    )
    return intake.submit(new, now=NOW, store=twins.requests, calendar=WorkingCalendar.from_official()).number


def _ask(
    number: str, step: str = "training:reply", unit: str = "pelatihan", **changes: Any
) -> dict[str, Any]:
    return {
        "step": step,
        "number": number,
        "subject": "Pelatihan e-Purchasing",
        "execution": "exec-1",
        "unit": unit,
        "working_days": 3,
        **changes,
    }


def _plan(
    ask: dict[str, Any], *, now: datetime = NOW, task_id: str = "", opened: str = OPENED
) -> dict[str, Any]:
    """The plan state's payload, as the state machine sends it."""
    payload = {
        "task_id": task_id,
        "mail": True,
        "flags": 0,
        "opened": opened,
        "state": "ReplyPlan",
        "ask": ask,
    }
    return flow.plan_next(payload, now=now)


def _opened(twins: Twins, **changes: Any) -> dict[str, Any]:
    return tasks.require(_plan(_ask(_request(twins), **changes))["task_id"])


def _held(
    twins: Twins, task: dict[str, Any], token: str = "token-1", *, now: datetime = NOW
) -> dict[str, Any]:
    """The wait state: the workflow waits on ``token`` and the step keeps it behind the task."""
    twins.workflows.waiting.add(token)
    return flow.hold_token({"task_id": task["task_id"], "token": token, "mail": True}, now=now)


def _mails(twins: Twins, lead: str) -> list[tuple[str, Any]]:
    """(recipient, message) of the step's mails whose subject says ``lead`` (ask, reminder, escalation)."""
    found = []
    for sent in twins.mailer.sent:
        message = message_from_bytes(sent.raw, policy=policy.default)
        if lead in str(message["Subject"]).lower():
            found += [(address, message) for address in sent.to]
    return found


def _link_in(message: Any) -> str:
    return re.findall(r"https://\S+/approvals/\S+", message.get_body(("plain",)).get_content())[0]


def _at_checkpoint(task_id: str) -> dict[str, Any]:
    """The wait timed out at the planned moment."""
    planned = tasks.require(task_id)["checkpoint"]
    return flow.checkpoint({"task_id": task_id}, now=datetime.fromisoformat(planned["moment"]))


def _audits(twins: Twins) -> list[str]:
    return [a["kind"] for a in twins.tasks.audits]


# --- opening the task ----------------------------------------------------------------------------------


def test_the_first_plan_opens_the_task_once_however_often_it_is_retried_and_waits_for_the_reminder(
    twins: Twins,
) -> None:
    ask = _ask(_request(twins))
    first = _plan(ask)
    retried = _plan(ask, now=NOW + timedelta(seconds=5))  # a Lambda retry of the same state entry
    assert retried["task_id"] == first["task_id"] and len(twins.tasks.items) == 1
    assert _audits(twins) == ["task_opened"]
    task = tasks.require(first["task_id"])
    assert (task["status"], task["role"], task["due_at"]) == ("open", "training", DUE)
    assert task["checkpoint"] == {"kind": "reminder", "moment": "2026-12-08T00:30:00Z"}
    assert first == {
        "task_id": task["task_id"],
        "checkpoint": "reminder",
        "seconds": int((REMINDER - NOW).total_seconds()),
        "mail": True,
        "flags": 0,
    }
    # The link lives 30 working days (Christmas with its cuti bersama, New Year's Day and Isra Mikraj
    # are off): Wednesday 20 January, 23:59:59 WIB.
    assert task["link_expires_at"] == "2027-01-20T16:59:59Z"
    later_entry = _plan(ask, opened="2026-12-10T02:00:00.000Z")  # the step asked again: a task of its own
    assert later_entry["task_id"] != first["task_id"] and len(twins.tasks.items) == 2


@pytest.mark.parametrize(
    ("changes", "asked"),
    [
        (
            {"person": "analis@lkpp.go.id", "step": "letter:subdit_answer", "unit": "sistem"},
            ["analis@lkpp.go.id"],
        ),
        ({"step": "registration:verification", "unit": "lpse-bali"}, [BALI_HEAD]),  # the unit's head
        ({}, list(ORGANISERS)),  # no head: the unit's enabled members in the step's role
    ],
)
def test_the_named_person_is_asked_else_the_units_head_else_its_people_in_the_steps_role(
    twins: Twins, changes: dict[str, Any], asked: list[str]
) -> None:
    assert _opened(twins, **changes)["recipients"] == asked


def test_an_ask_counts_from_when_its_step_began_or_keeps_the_fixed_deadline_it_was_given(
    twins: Twins,
) -> None:
    number = _request(twins)
    # A Subdit's answer counts from its own receipt (Monday 7 December): Tue, Wed, Thu -> Thursday 10th.
    received = _plan(_ask(number, started_at="2026-12-07T02:00:00Z"))
    assert tasks.require(received["task_id"])["due_at"] == "2026-12-10T16:59:59Z"
    fixed = _ask(number, working_days=None, due_at="2026-12-04T10:00:00Z")
    task = tasks.require(_plan(fixed, opened="2026-12-03T03:00:00.000Z")["task_id"])
    assert task["due_at"] == "2026-12-04T10:00:00Z"


# --- the link -----------------------------------------------------------------------------------------


def test_the_link_is_mailed_once_to_each_person_asked_and_the_token_stays_with_the_task(twins: Twins) -> None:
    task = _opened(twins)
    assert _held(twins, task, "token-1") == {"handed_over": False}
    assert _held(twins, task, "token-2", now=NOW + timedelta(hours=1)) == {"handed_over": False}
    asked = _mails(twins, "mohon keputusan")
    assert [address for address, _ in asked] == list(ORGANISERS)
    for index, (_, message) in enumerate(asked):
        link = _link_in(message)
        assert f"/approvals/{task['task_id']}~{index}?" in link and "token" not in link
        assert task["number"] in str(message["Subject"]) and "token" not in message.as_string()
    held = tasks.require(task["task_id"])
    assert held["token"] == "token-2" and held["mailed"] == [0, 1]
    assert _audits(twins).count("link_mailed") == 2


def test_a_wait_that_says_no_mail_mails_nothing(twins: Twins) -> None:
    task = _opened(twins)
    flow.hold_token({"task_id": task["task_id"], "token": "token-1", "mail": False}, now=NOW)
    assert twins.mailer.sent == [] and tasks.require(task["task_id"])["token"] == "token-1"


def test_a_decision_by_the_mailed_link_is_recorded_and_handed_to_the_waiting_workflow(twins: Twins) -> None:
    task = _opened(twins)
    _held(twins, task)
    (_, message), _ = _mails(twins, "mohon keputusan")
    parts = urlsplit(_link_in(message))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    link_id = links.parse_link_id(parts.path.rsplit("/", 1)[1])
    decided_at = NOW + timedelta(days=1)
    links.check(link_id, query["exp"], query["kid"], query["sig"], key_ring(), decided_at)
    asked = tasks.require(link_id.task_id)
    recorded = decide.decide(
        asked,
        {"decision": "decline", "reason": "Kuota penuh"},
        by=asked["recipients"][link_id.recipient],
        via="link",
        now=decided_at,
        meta={"ip": "203.0.113.9"},
    )
    assert (recorded["decided_by"], recorded["late"]) == (ORGANISERS[0], False)
    output = json.loads(twins.workflows.handed["token-1"])
    assert output == {
        "task_id": task["task_id"],
        "decision": "decline",
        "fields": {"decision": "decline", "reason": "Kuota penuh"},
        "decided_by": ORGANISERS[0],
        "decided_at": "2026-12-04T02:00:00Z",
        "decided_via": "link",
        "late": False,
    }
    assert tasks.require(task["task_id"])["status"] == "decided"
    assert twins.tasks.audits[-1]["data"]["ip"] == "203.0.113.9"
    # The link lives as long as the task's link does, not a second more.
    expiry = datetime.fromisoformat(asked["link_expires_at"])
    with pytest.raises(Gone):
        links.check(
            link_id, query["exp"], query["kid"], query["sig"], key_ring(), expiry + timedelta(seconds=1)
        )


def test_a_decision_recorded_while_no_token_waits_is_handed_over_by_the_next_wait(twins: Twins) -> None:
    task = _opened(twins)
    organiser = StaffUser("pelatih-a", ORGANISERS[0], frozenset({"training"}), "pelatihan")
    decide.decide_as_staff(
        task["task_id"], {"decision": "decline", "reason": "Kuota penuh"}, user=organiser, now=NOW
    )
    assert _held(twins, task, "token-late") == {"handed_over": True}
    assert json.loads(twins.workflows.handed["token-late"])["decided_via"] == "console"
    assert twins.mailer.sent == []  # nothing left to ask


class DecidedBetweenReadAndWrite(InMemoryTasks):
    """The task store, with a decision from the console landing between the wait's read and its write."""

    def update(self, task_id: str, values: dict[str, Any], **options: Any) -> None:
        if "token" in values and self.items[task_id]["status"] == "open":
            decision = {"decision": "accept", "fields": {}, "decided_by": ORGANISERS[1], "decided_at": OPENED}
            self.record_decision(task_id, {**decision, "decided_via": "console", "late": False})
        super().update(task_id, values, **options)


def test_a_wait_that_meets_a_decision_recorded_meanwhile_hands_it_over_instead_of_keeping_the_token(
    twins: Twins,
) -> None:
    racing = DecidedBetweenReadAndWrite()
    runtime.provide(tasks_data.repository, racing)
    task = _opened(twins)
    assert _held(twins, task, "token-1") == {"handed_over": True}
    assert json.loads(twins.workflows.handed["token-1"])["decided_by"] == ORGANISERS[1]
    assert "token" not in racing.items[task["task_id"]] and twins.mailer.sent == []


def test_a_decision_reads_the_token_again_so_one_stored_after_the_task_was_read_is_answered(
    twins: Twins,
) -> None:
    task = _opened(twins)
    read_before_the_wait = tasks.require(task["task_id"])
    _held(twins, task, "token-1")
    decide.decide(
        read_before_the_wait,
        {"decision": "decline", "reason": "x"},
        by=ORGANISERS[0],
        via="link",
        now=NOW,
        meta={},
    )
    assert "token-1" in twins.workflows.handed


# --- the checkpoints ----------------------------------------------------------------------------------


def test_a_reminder_then_an_escalation_to_the_first_head_above_then_the_expiry_flags_the_request(
    twins: Twins,
) -> None:
    task = _opened(twins)
    _held(twins, task)
    assert _at_checkpoint(task["task_id"]) == {"expired": False, "acted": "reminder"}
    reminded = _mails(twins, "pengingat")
    assert [address for address, _ in reminded] == list(ORGANISERS)
    assert _link_in(reminded[0][1]) == _link_in(_mails(twins, "mohon keputusan")[0][1])  # the same link

    replanned = _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    assert replanned["checkpoint"] == "deadline"
    assert replanned["seconds"] == int((datetime.fromisoformat(DUE) - REMINDER).total_seconds())
    assert _at_checkpoint(task["task_id"]) == {"expired": False, "acted": "deadline"}
    # The training desk has no head: its Subdit's head, and not the Director above him.
    (escalated,) = _mails(twins, "eskalasi")
    assert escalated[0] == KASUBDIT and f"{task['task_id']}~2?" in _link_in(escalated[1])
    held = tasks.require(task["task_id"])
    assert held["recipients"] == [*ORGANISERS, KASUBDIT] and held["escalated"] is True

    assert (
        _plan(_ask(task["number"]), task_id=task["task_id"], now=datetime.fromisoformat(DUE))["checkpoint"]
        == "expiry"
    )
    assert _at_checkpoint(task["task_id"]) == {"expired": True, "acted": "expiry"}
    assert tasks.require(task["task_id"])["status"] == "expired"
    stored = twins.requests.load(task["number"])
    assert stored is not None and stored.item["needs_attention"] is True
    assert "training:reply" in stored.item["attention_reason"]
    assert _audits(twins)[-3:] == ["escalated", "task_expired", "needs_attention"]
    assert (
        decide.staff_tasks(StaffUser("pelatih-a", ORGANISERS[0], frozenset({"training"}), "pelatihan")) == []
    )


def test_a_letter_escalates_up_the_tree_to_the_director_passing_over_a_head_who_was_asked(
    twins: Twins,
) -> None:
    task = _opened(twins, step="letter:subdit_answer", unit="sistem")
    assert task["recipients"] == [KASUBDIT]
    _held(twins, task)
    _at_checkpoint(task["task_id"])
    _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    _at_checkpoint(task["task_id"])
    assert [address for address, _ in _mails(twins, "eskalasi")] == [DIRECTOR]


def test_a_head_asked_with_nobody_above_is_told_of_nobody_and_the_task_still_counts_as_escalated(
    twins: Twins,
) -> None:
    task = _opened(twins, step="registration:verification", unit="lpse-bali")
    _held(twins, task)
    _at_checkpoint(task["task_id"])
    _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    assert _at_checkpoint(task["task_id"]) == {"expired": False, "acted": "deadline"}
    assert _mails(twins, "eskalasi") == [] and tasks.require(task["task_id"])["recipients"] == [BALI_HEAD]
    assert tasks.require(task["task_id"])["escalated"] is True


def test_a_day_off_added_meanwhile_moves_the_deadline_and_the_timer_only_plans_again(twins: Twins) -> None:
    task = _opened(twins)
    _held(twins, task)
    form = calendar_service.OverrideForm(
        date=date(2026, 12, 7), working=False, reason="Cuti bersama tambahan"
    )
    calendar_service.add_override(form, user=ADMIN, now=NOW, overrides=twins.calendar)
    assert flow.checkpoint({"task_id": task["task_id"]}, now=REMINDER) == {"expired": False, "acted": None}
    assert _mails(twins, "pengingat") == [] and _audits(twins)[-1] == "deadline_moved"
    replanned = _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    moved = tasks.require(task["task_id"])
    # Friday, Tuesday, Wednesday: due Wednesday 9 December; the reminder on its morning.
    assert moved["due_at"] == "2026-12-09T16:59:59Z"
    assert moved["checkpoint"] == {"kind": "reminder", "moment": "2026-12-09T00:30:00Z"}
    assert replanned["seconds"] == 24 * 3600


def test_a_timer_that_wakes_on_a_decided_task_does_nothing(twins: Twins) -> None:
    task = _opened(twins)
    _held(twins, task)
    decide.decide(
        task, {"decision": "decline", "reason": "x"}, by=ORGANISERS[0], via="link", now=NOW, meta={}
    )
    assert flow.checkpoint({"task_id": task["task_id"]}, now=REMINDER) == {"expired": False, "acted": None}
    assert _mails(twins, "pengingat") == []


def test_a_decision_after_the_escalation_is_late_even_at_the_deadline_itself(twins: Twins) -> None:
    task = _opened(twins)
    _held(twins, task)
    _at_checkpoint(task["task_id"])
    _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    _at_checkpoint(task["task_id"])
    recorded = decide.decide(
        tasks.require(task["task_id"]),
        {"decision": "decline", "reason": "x"},
        by=KASUBDIT,
        via="link",
        now=datetime.fromisoformat(DUE),
        meta={},
    )
    assert recorded["late"] is True


def test_flagging_marks_the_request_for_staff_and_asks_for_no_mail(twins: Twins) -> None:
    number = _request(twins)
    assert flow.flag(number, "Langkah training:reply gagal: SES.", now=NOW) == {
        "flagged": True,
        "mail": False,
    }
    stored = twins.requests.load(number)
    assert stored is not None
    assert (stored.item["needs_attention"], stored.item["attention_reason"]) == (
        True,
        "Langkah training:reply gagal: SES.",
    )
    assert twins.tasks.audits[-1]["kind"] == "needs_attention" and twins.tasks.audits[-1]["number"] == number


# --- from the staff console ---------------------------------------------------------------------------


def test_staff_decide_their_own_tasks_only_and_an_escalated_head_may_decide_too(twins: Twins) -> None:
    task = _opened(twins)
    elsewhere = StaffUser("pelatih-jatim", "pelatih-jatim@lkpp.go.id", frozenset({"training"}), "lpse-jatim")
    with pytest.raises(NotFound) as refused:  # someone else's task is answered as a missing one
        decide.decide_as_staff(
            task["task_id"], {"decision": "decline", "reason": "x"}, user=elsewhere, now=NOW
        )
    assert refused.value.code == "task_not_found" and tasks.require(task["task_id"])["status"] == "open"
    head = StaffUser("kasubdit", KASUBDIT, frozenset({"subdit"}), "sistem")
    assert not decide.may_decide(head, task)
    _held(twins, task)
    _at_checkpoint(task["task_id"])
    _plan(_ask(task["number"]), task_id=task["task_id"], now=REMINDER)
    _at_checkpoint(task["task_id"])
    escalated = tasks.require(task["task_id"])
    assert decide.may_decide(head, escalated)
    at = datetime.fromisoformat(DUE) + timedelta(hours=1)
    recorded = decide.decide_as_staff(
        task["task_id"], {"decision": "accept", "session_id": "s-1"}, user=head, now=at
    )
    assert (recorded["decided_by"], recorded["decided_via"], recorded["late"]) == (KASUBDIT, "console", True)
    organiser = StaffUser("pelatih-a", ORGANISERS[0], frozenset({"training"}), "pelatihan")
    with pytest.raises(Conflict) as second:
        decide.decide_as_staff(
            task["task_id"], {"decision": "decline", "reason": "x"}, user=organiser, now=at
        )
    assert second.value.code == "already_decided" and KASUBDIT in str(second.value)


def test_the_task_list_shows_the_units_people_and_the_person_named_each_task_once(twins: Twins) -> None:
    number = _request(twins)

    def planned(opened: str, **changes: Any) -> str:
        return str(_plan(_ask(number, **changes), opened=opened)["task_id"])

    for_the_desk = planned("2026-12-03T02:00:00.000Z")
    named_here = planned("2026-12-03T03:00:00.000Z", person=ORGANISERS[0])  # by the unit and by name
    letter = {"step": "letter:subdit_answer", "unit": "sistem"}
    named_elsewhere = planned("2026-12-03T04:00:00.000Z", person=ORGANISERS[0], **letter)
    for_someone_else = planned("2026-12-03T05:00:00.000Z", person="analis@lkpp.go.id", **letter)
    # Two roles: each role's list holds the tasks named to her, and she sees each once.
    organiser = StaffUser("pelatih-a", ORGANISERS[0], frozenset({"training", "reception"}), "pelatihan")
    listed = decide.staff_tasks(organiser)
    assert sorted(t["task_id"] for t in listed) == sorted([for_the_desk, named_here, named_elsewhere])
    head = StaffUser("kasubdit", KASUBDIT, frozenset({"subdit"}), "sistem")
    assert sorted(t["task_id"] for t in decide.staff_tasks(head)) == sorted(
        [named_elsewhere, for_someone_else]
    )
    # What the list shows of a task: never its token or recipients.
    assert set(listed[0]) == {
        "task_id",
        "number",
        "step",
        "role",
        "unit",
        "subject",
        "due_at",
        "status",
        "reminded",
        "escalated",
        "tz",
    }


def test_a_disposition_to_a_unit_that_is_not_a_subdit_is_refused_before_anything_is_recorded(
    twins: Twins,
) -> None:
    task = _opened(twins, step="letter:disposition", unit="direktorat", working_days=2)
    refused_fields = {
        "decision": "dispose",
        "subdits": ["sistem", "pelatihan"],
        "instruction": "tindak_lanjuti",
    }
    with pytest.raises(InvalidInput) as refused:
        decide.decide(task, refused_fields, by=DIRECTOR, via="link", now=NOW, meta={})
    problem = (refused.value.fields or {})["subdits"]
    assert problem.endswith(": pelatihan")  # the desk is named, the Subdit is not
    assert tasks.require(task["task_id"])["status"] == "open"
    good = {**refused_fields, "subdits": ["sistem"]}
    assert decide.decide(task, good, by=DIRECTOR, via="link", now=NOW, meta={})["fields"]["subdits"] == [
        "sistem"
    ]
