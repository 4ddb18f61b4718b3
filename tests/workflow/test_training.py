"""Training requests: the letter and participants, the organiser's reply (accept into a session, a new
session or decline with a reason), seats that two acceptances cannot both take, the reply letter PDF
mailed with its outgoing number, rescheduling and cancelling with everyone told, reminders and
attendance, and every refusal with a clear reason."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import desk_time
import pytest
from component.test_uploads import upload
from desk_time import PinClock
from unit import docfactory

from desk_local.stack import LocalDesk
from flows import until

CALENDAR = desk_time.national()


def _before_a_holiday() -> date:
    """A working day (well ahead) whose next weekday is a holiday or cuti bersama."""
    day = desk_time.working_day(desk_time.today(), 8)
    while True:
        following = day + timedelta(days=1)
        if (
            following.weekday() < 5
            and not CALENDAR.is_working_day(following)
            and CALENDAR.is_working_day(day)
        ):
            return day
        day = following


def _weekday_holiday() -> date:
    day = desk_time.today() + timedelta(days=2)
    while day.weekday() >= 5 or CALENDAR.is_working_day(day):
        day += timedelta(days=1)
    return day


def _people(n: int) -> list[dict[str, str]]:
    return [{"name": f"Peserta {i}", "email": f"peserta{i}@dinas.example.go.id"} for i in range(n)]


PEOPLE = _people(3)
FORM: dict[str, Any] = {
    "institution": "Dinas Pendidikan Kota Bandung",
    "contact_name": "Ani Wulandari",
    "email": "ani@disdik.bandung.go.id",
    "phone": "022 555 0101",
    "participants": PEOPLE,
}


@pytest.fixture(scope="module")
def desk() -> Iterator[LocalDesk]:
    # Real-time waits: nothing here depends on a reminder, and no timer fires while a test decides.
    with LocalDesk(working_day_seconds=0.0, wait_scale=0) as running:
        running.seed()
        yield running


def _letter(desk: LocalDesk) -> str:
    upload_id, status = upload(desk, docfactory.pdf_letter(), purpose="training_letter")
    assert status["status"] == "accepted"
    return upload_id


def _request(desk: LocalDesk, **overrides: Any) -> Any:
    body = {
        **FORM,
        "preferred_start": desk_time.working_day(desk_time.today(), 10).isoformat(),
        "letter_upload_id": _letter(desk),
        **overrides,
    }
    return desk.http("POST", "/training-requests", json_body=body)


def _task(desk: LocalDesk, number: str, token: str) -> dict[str, Any]:
    return dict(
        until(
            lambda: next(
                (
                    t
                    for t in desk.http("GET", "/staff/tasks", token=token).json()["items"]
                    if t["number"] == number
                ),
                None,
            )
        )
    )


def _decide(desk: LocalDesk, task: dict[str, Any], token: str, **fields: Any) -> Any:
    return desk.http("POST", f"/staff/tasks/{task['task_id']}/decision", token=token, json_body=fields)


def _reply_mail(desk: LocalDesk, number: str) -> dict[str, Any]:
    return dict(
        until(
            lambda: [m for m in desk.outbox() if number in m["subject"] and "Surat balasan" in m["subject"]]
        )[0]
    )


def _status(desk: LocalDesk, receipt: dict[str, Any]) -> dict[str, Any]:
    return dict(desk.http("GET", f"/tickets/{receipt['number']}?code={receipt['access_code']}").json())


def test_an_accepted_request_gets_a_session_and_a_reply_letter(desk: LocalDesk) -> None:
    response = _request(desk)
    assert response.status == 201, response.text
    receipt = response.json()
    assert receipt["due_at"].endswith("16:59:59Z")
    training = desk.login("training")
    task = _task(desk, receipt["number"], training)
    start = _before_a_holiday()
    decided = _decide(
        desk,
        task,
        training,
        decision="accept",
        start_date=start.isoformat(),
        place="Gedung LKPP, Jakarta",
        capacity=20,
        fee=0,
    )
    assert decided.status == 200, decided.text
    mail = _reply_mail(desk, receipt["number"])
    assert mail["to"] == [FORM["email"]]
    status = until(lambda: (s := _status(desk, receipt))["status"] == "answered" and s)
    assert "answered" in [e["kind"] for e in status["timeline"]]
    # The status page carries the answer and the reply letter, to download with the access code.
    assert [r["kind"] for r in status["replies"]] == ["answered"] and "Surat balasan" in status["replies"][0][
        "text"
    ]
    assert sorted(d["purpose"] for d in status["documents"]) == ["reply_letter", "training_letter"]
    reply_letter = next(d for d in status["documents"] if d["purpose"] == "reply_letter")
    path = f"/tickets/{receipt['number']}/documents/{reply_letter['upload_id']}?code={receipt['access_code']}"
    assert desk.http("GET", path).status == 302
    view = desk.http("GET", f"/staff/tickets/{receipt['number']}", token=training).json()
    letter = next(d for d in view["documents"] if d["purpose"] == "reply_letter")
    assert letter["content_type"] == "application/pdf" and int(letter["size"]) > 1000
    reply = view["details"]["reply"]
    assert reply["decision"] == "accept" and reply["outgoing_number"]
    sessions = desk.http("GET", "/staff/training/sessions", token=training).json()["items"]
    session = next(s for s in sessions if s["session_id"] == reply["session_id"])
    # A session starting the day before a holiday (or cuti bersama) ends after it.
    assert session["start_date"] == start.isoformat()
    assert (
        session["end_date"]
        == desk_time.working_day(start).isoformat()
        != (start + timedelta(days=1)).isoformat()
    )
    assert session["booked"] == 3 and session["seats_left"] == 17


def test_a_decline_needs_a_reason_and_the_letter_gives_it(desk: LocalDesk) -> None:
    receipt = _request(desk, email="budi@dinas.example.go.id").json()
    training = desk.login("training")
    task = _task(desk, receipt["number"], training)
    refused = _decide(desk, task, training, decision="decline")
    assert refused.status == 400 and "reason" in refused.json()["error"]["fields"]
    assert _decide(desk, task, training, decision="decline", reason="Kuota tahun ini penuh").status == 200
    mail = _reply_mail(desk, receipt["number"])
    assert "Kuota tahun ini penuh" in mail["text"]
    assert until(lambda: _status(desk, receipt)["status"] == "rejected")


def test_two_acceptances_for_the_last_seats_cannot_both_win(desk: LocalDesk) -> None:
    training = desk.login("training")
    created = desk.http(
        "POST",
        "/staff/training/sessions",
        token=training,
        json_body={
            "start_date": desk_time.working_day(desk_time.today(), 12).isoformat(),
            "place": "Daring: https://meet.example/lkpp",
            "capacity": 4,
            "fee": 150000,
        },
    )
    assert created.status == 201, created.text
    session_id = created.json()["session_id"]
    receipts = [_request(desk, email=f"racer{i}@dinas.example.go.id").json() for i in range(2)]
    tasks = [_task(desk, r["number"], training) for r in receipts]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(lambda t: _decide(desk, t, training, decision="accept", session_id=session_id), tasks)
        )
    assert [a.status for a in answers] == [200, 200]
    session = until(
        lambda: next(
            (
                s
                for s in desk.http("GET", "/staff/training/sessions", token=training).json()["items"]
                if s["session_id"] == session_id and s["booked"] == 3
            ),
            None,
        )
    )
    assert session["seats_left"] == 1  # one request of 3 won; 3 more would exceed the capacity of 4
    # The loser's organiser is asked again (a new task), with the refusal in the request's log.
    loser = until(
        lambda: next(
            (
                r
                for r in receipts
                if any(
                    e["kind"] == "session_refused"
                    for e in desk.http("GET", f"/staff/tickets/{r['number']}", token=training).json()[
                        "timeline"
                    ]
                )
            ),
            None,
        )
    )
    again = until(
        lambda: next(
            (
                t
                for t in desk.http("GET", "/staff/tasks", token=training).json()["items"]
                if t["number"] == loser["number"] and t["task_id"] not in {x["task_id"] for x in tasks}
            ),
            None,
        )
    )
    assert _decide(desk, again, training, decision="decline", reason="Sesi penuh").status == 200


# 400: not the form's shape; 422: well formed, refused by a rule (a holiday, a person listed twice).
@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"preferred_start": _weekday_holiday().isoformat()}, "preferred_start", 422),
        ({"participants": []}, "participants", 400),
        ({"participants": _people(501)}, "participants", 400),
        ({"participants": [{"name": "Tanpa Email"}]}, "participants.0.email", 400),
        ({"participants": [{"name": "Ani", "email": "bukan-email"}]}, "participants.0.email", 400),
        ({"participants": [{"name": "", "email": "ani@b.go.id"}]}, "participants.0.name", 400),
        (
            {"participants": [{"name": "Dua", "email": "a@b.go.id"}, {"name": "Kali", "email": "a@b.go.id"}]},
            "participants.1.email",
            422,
        ),
        ({"letter_upload_id": None}, "letter_upload_id", 400),
    ],
)
def test_bad_requests_are_refused_naming_the_field(
    desk: LocalDesk, overrides: dict[str, Any], field: str, status: int
) -> None:
    response = _request(desk, **overrides)
    assert response.status == status, response.text
    assert field in response.json()["error"].get("fields", {}), response.text


def test_ten_thousand_participants_are_refused_before_any_work(desk: LocalDesk) -> None:
    response = _request(desk, participants=_people(10_000))
    # Past the API's body limit (256 KB) already: refused as too large, with a message saying so.
    assert response.status == 413 and response.json()["error"]["code"] == "too_large"


def test_a_letter_that_failed_the_checks_cannot_be_used(desk: LocalDesk) -> None:
    bad, status = upload(desk, docfactory.pdf_with_javascript(), purpose="training_letter")
    assert status["status"] == "rejected"
    response = _request(desk, letter_upload_id=bad)
    assert response.status == 422 and "letter_upload_id" in response.json()["error"]["fields"]


def test_a_new_session_must_start_on_a_working_day(desk: LocalDesk) -> None:
    training = desk.login("training")
    body = {"start_date": _weekday_holiday().isoformat(), "place": "Gedung LKPP", "capacity": 10}
    response = desk.http("POST", "/staff/training/sessions", token=training, json_body=body)
    assert response.status == 400 and "start_date" in response.json()["error"]["fields"]
    helpdesk = desk.login("helpdesk")
    assert desk.http("GET", "/staff/training/sessions", token=helpdesk).status == 403


def test_reschedule_cancel_reminders_and_attendance(desk: LocalDesk, pinned_clock: PinClock) -> None:
    began = desk_time.now()
    training = desk.login("training")
    start = desk_time.working_day(desk_time.today(), 15)
    session_id = desk.http(
        "POST",
        "/staff/training/sessions",
        token=training,
        json_body={"start_date": start.isoformat(), "place": "Gedung LKPP", "capacity": 10},
    ).json()["session_id"]
    receipt = _request(desk, email="citra@dinas.example.go.id").json()
    task = _task(desk, receipt["number"], training)
    assert _decide(desk, task, training, decision="accept", session_id=session_id).status == 200
    _reply_mail(desk, receipt["number"])

    later = desk_time.working_day(start, 3)
    moved = desk.http(
        "POST",
        f"/staff/training/sessions/{session_id}/reschedule",
        token=training,
        json_body={"start_date": later.isoformat(), "reason": "Ruang dipakai rapat pimpinan"},
    )
    assert moved.status == 200, moved.text
    assert [h["kind"] for h in moved.json()["history"]] == ["created", "rescheduled"]
    told = [
        m for m in desk.outbox() if "Perubahan jadwal" in m["subject"] and receipt["number"] in m["subject"]
    ]
    assert told and set(told[0]["to"]) == {
        "citra@dinas.example.go.id",
        *(p["email"] for p in PEOPLE),
    }

    # Two working days before the first day, at the office's opening, the participants are reminded.
    remind_day = later
    for _ in range(2):
        remind_day = remind_day - timedelta(days=1)
        while not CALENDAR.is_working_day(remind_day):
            remind_day -= timedelta(days=1)
    pinned_clock(desk_time.at(remind_day, 8))
    rule = next(s.rule for s in desk.schedules() if "ParticipantReminders" in s.rule)
    (fired,) = desk.fire_schedule(rule)
    assert fired.error is None, fired.error
    assert fired.result["reminded"] >= 1
    (again,) = desk.fire_schedule(rule)
    assert again.result["reminded"] == 0  # once per booking

    # After the session: present both days → trained; one day only → not.
    session = desk.http("GET", f"/staff/training/sessions/{session_id}", token=training).json()
    days = [session["start_date"], session["end_date"]]
    end = date.fromisoformat(days[1])
    pinned_clock(desk_time.at(end, 16))
    people = [p["email"] for p in PEOPLE]
    records = [
        {
            "number": receipt["number"],
            "email": email,
            "day": day,
            "present": not (email == people[2] and day == days[1]),
        }
        for email in people
        for day in days
    ]
    marked = desk.http(
        "POST",
        f"/staff/training/sessions/{session_id}/attendance",
        token=training,
        json_body={"records": records},
    )
    assert marked.status == 200, marked.text
    assert sorted(p["email"] for p in marked.json()["trained"]) == sorted(people[:2])
    wrong = desk.http(
        "POST",
        f"/staff/training/sessions/{session_id}/attendance",
        token=training,
        json_body={
            "records": [
                {"number": receipt["number"], "email": "orang.lain@x.go.id", "day": days[0], "present": True}
            ]
        },
    )
    assert wrong.status == 400 and "records.0.email" in wrong.json()["error"]["fields"]

    pinned_clock(began)
    cancelled = desk.http(
        "POST",
        f"/staff/training/sessions/{session_id}/cancel",
        token=training,
        json_body={"reason": "Narasumber berhalangan"},
    )
    assert cancelled.status == 200 and cancelled.json()["status"] == "cancelled"
    assert [h["kind"] for h in cancelled.json()["history"]] == ["created", "rescheduled", "cancelled"]
    assert any("Pembatalan" in m["subject"] and receipt["number"] in m["subject"] for m in desk.outbox())
