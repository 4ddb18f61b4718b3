"""Requests worked by staff through the API: queues, the request page, replies, actions and the SLA
clock, the requester's messages, phone calls and walk-ins, under the role-and-unit rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import desk_time
import pytest

from desk import clock
from desk_local.stack import LocalDesk

FORM = {
    "kind": "complaint",
    "message": "Akun PPK kami terkunci.",
    "name": "Ani Wulandari",
    "email": "ani@pemkot-bogor.go.id",
    "phone": "0812 3456 7890",
}


def _new(desk: LocalDesk, subject: str, **extra: Any) -> dict[str, Any]:
    response = desk.http("POST", "/tickets", json_body={**FORM, "subject": subject, **extra})
    assert response.status == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _act(desk: LocalDesk, token: str, number: str, **body: Any) -> Any:
    return desk.http("POST", f"/staff/tickets/{number}/actions", token=token, json_body=body)


def test_the_requester_adds_a_file_with_a_message_and_staff_see_it(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    from component.test_uploads import upload
    from unit import docfactory

    receipt = _new(desk, "Bukti tambahan")
    number, code = receipt["number"], receipt["access_code"]
    upload_id, status = upload(desk, docfactory.pdf_letter())
    assert status["status"] == "accepted"
    path = f"/tickets/{number}/messages?code={code}"
    added = desk.http(
        "POST", path, json_body={"text": "Ini tangkapan layarnya.", "attachment_upload_ids": [upload_id]}
    )
    assert added.status == 201, added.text
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert [d["upload_id"] for d in page["documents"]] == [upload_id]
    # The same file cannot join a second message, nor one refused for another purpose.
    again = desk.http("POST", path, json_body={"text": "Lagi.", "attachment_upload_ids": [upload_id]})
    assert again.status == 422 and "attachment_upload_ids.0" in again.json()["error"]["fields"], again.text
    letter, _ = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    wrong = desk.http("POST", path, json_body={"text": "Surat.", "attachment_upload_ids": [letter]})
    assert wrong.status == 422, wrong.text
    public = desk.http("GET", f"/tickets/{number}?code={code}").json()
    assert sum(1 for e in public["timeline"] if e.get("kind") == "requester_wrote") == 1


def test_the_helpdesk_queue_lists_open_work_soonest_first(desk: LocalDesk, tokens: dict[str, str]) -> None:
    first = _new(desk, "Antrean 1")
    second = _new(desk, "Antrean 2")
    page = desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["helpdesk"])
    assert page.status == 200
    numbers = [i["number"] for i in page.json()["items"]]
    assert first["number"] in numbers and second["number"] in numbers
    dues = [i["sla"]["due_at"] for i in page.json()["items"]]
    assert dues == sorted(dues)
    item = next(i for i in page.json()["items"] if i["number"] == first["number"])
    assert item["sla"]["state"] in ("on_time", "at_risk")
    assert item["status"] == "submitted"


def test_the_queue_pages_with_a_cursor(desk: LocalDesk, tokens: dict[str, str]) -> None:
    for i in range(3):
        _new(desk, f"Halaman {i}")
    seen: list[str] = []
    cursor = ""
    from desk.requests import work

    original = work.QUEUE_PAGE
    work.QUEUE_PAGE = 2
    try:
        for _ in range(50):
            page = desk.http("GET", f"/staff/queue?unit=helpdesk{cursor}", token=tokens["helpdesk"]).json()
            seen += [i["number"] for i in page["items"]]
            if not page["next_cursor"]:
                break
            cursor = f"&cursor={page['next_cursor']}"
    finally:
        work.QUEUE_PAGE = original
    assert len(seen) == len(set(seen)) >= 3
    bad = desk.http("GET", "/staff/queue?unit=helpdesk&cursor=%%%", token=tokens["helpdesk"])
    assert bad.status == 400
    # A cursor is signed for its own list: carried to another list, it is refused before DynamoDB sees it.
    elsewhere = desk.http("GET", f"/staff/queue?assignee=me{cursor}", token=tokens["helpdesk"])
    assert cursor and elsewhere.status == 400 and "cursor" in elsewhere.json()["error"]["fields"]


def test_a_subdit_cannot_open_another_units_queue_or_request(desk: LocalDesk, tokens: dict[str, str]) -> None:
    receipt = _new(desk, "Milik helpdesk")
    assert desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["subdit1"]).status == 403
    assert desk.http("GET", f"/staff/tickets/{receipt['number']}", token=tokens["subdit1"]).status == 403
    assert _act(desk, tokens["subdit1"], receipt["number"], action="assign", assignee="x@y.id").status == 403
    assert desk.http("GET", f"/staff/tickets/{receipt['number']}", token=tokens["director"]).status == 200


def test_staff_work_a_request_to_closure_and_the_requester_sees_it(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    receipt = _new(desk, "Sampai selesai")
    number, helpdesk = receipt["number"], tokens["helpdesk"]
    assert (
        _act(desk, helpdesk, number, action="assign", assignee="helpdesk@staff.desk.local").json()["status"]
        == "in_progress"
    )
    held = _act(desk, helpdesk, number, action="hold", reason="Mohon kirim tangkapan layar galatnya.")
    assert held.json()["status"] == "waiting_requester"
    assert held.json()["sla"]["state"] == "paused"
    mail = next(m for m in desk.outbox() if number in m["subject"] and "informasi tambahan" in m["subject"])
    assert "tangkapan layar" in mail["text"]

    message = desk.http(
        "POST",
        f"/tickets/{number}/messages?code={receipt['access_code']}",
        json_body={"text": "Galatnya: akun terkunci setelah 3 kali salah."},
    )
    assert message.status == 201 and message.json()["status"] == "in_progress"
    wrong = desk.http("POST", f"/tickets/{number}/messages?code=AAAAAAAAAAAAAAA", json_body={"text": "x"})
    assert wrong.status == 404

    internal = desk.http(
        "POST",
        f"/staff/tickets/{number}/replies",
        token=helpdesk,
        json_body={"text": "Cek log SPSE dulu.", "internal": True},
    )
    assert internal.status == 201
    answer = desk.http(
        "POST",
        f"/staff/tickets/{number}/replies",
        token=helpdesk,
        json_body={"text": "Akun sudah kami buka kembali.", "status": "answered"},
    )
    assert answer.json()["status"] == "answered" and answer.json()["sla"]["state"] == "met"
    assert any(number in m["subject"] and "Akun sudah kami buka" in m["text"] for m in desk.outbox())
    assert _act(desk, helpdesk, number, action="close").json()["status"] == "closed"
    assert (
        desk.http(
            "POST", f"/staff/tickets/{number}/replies", token=helpdesk, json_body={"text": "Lagi."}
        ).status
        == 409
    )

    public = desk.http("GET", f"/tickets/{number}?code={receipt['access_code']}").json()
    kinds = [e["kind"] for e in public["timeline"]]
    assert kinds[:2] == ["created", "held"] and "closed" in kinds
    assert "note" not in kinds and "Cek log SPSE" not in str(public)
    assert [r["text"] for r in public["replies"]] == ["Akun sudah kami buka kembali."]

    page = desk.http("GET", f"/staff/tickets/{number}", token=helpdesk).json()
    assert page["requester"]["email"] == "ani@pemkot-bogor.go.id"
    assert "note" in [e["kind"] for e in page["timeline"]]
    assert page["status"] == "closed"
    open_numbers = [i["number"] for i in desk.http("GET", "/staff/queue", token=helpdesk).json()["items"]]
    assert number not in open_numbers


def test_illegal_actions_are_409_with_a_reason(desk: LocalDesk, tokens: dict[str, str]) -> None:
    number = _new(desk, "Aksi salah")["number"]
    resume = _act(desk, tokens["helpdesk"], number, action="resume")
    assert resume.status == 409 and resume.json()["error"]["message"]
    close = _act(desk, tokens["helpdesk"], number, action="close")
    assert close.status == 400 and "reason" in close.json()["error"]["fields"]
    unknown = _act(desk, tokens["helpdesk"], number, action="teleport")
    assert unknown.status == 400
    assert _act(desk, tokens["helpdesk"], "EP-2026-999999", action="resume").status == 404


def test_an_anonymous_requesters_address_name_and_phone_reach_no_staff_json_but_the_admins(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    from component.test_uploads import upload
    from unit import docfactory

    # The subject names the complainant; so do a signature and the name of an attached file.
    receipt = _new(desk, "Laporan Ani Wulandari", anonymous=True, email="pelapor.anonim@pemkot-bogor.go.id")
    number = receipt["number"]
    attached, checked = upload(desk, docfactory.pdf_letter(), filename="Ani_Wulandari_bukti.pdf")
    assert checked["status"] == "accepted"
    signed = "Terima kasih. Salam, Ani Wulandari (0812 3456 7890, pelapor.anonim@pemkot-bogor.go.id)"
    assert (
        desk.http(
            "POST",
            f"/tickets/{number}/messages?code={receipt['access_code']}",
            json_body={"text": signed, "attachment_upload_ids": [attached]},
        ).status
        == 201
    )
    secrets = ("pelapor.anonim@pemkot-bogor.go.id", "ani wulandari", "ani_wulandari", "0812 3456 7890")
    admin_view = desk.http("GET", f"/staff/tickets/{number}", token=tokens["admin"]).text.lower()
    assert all(secret in admin_view for secret in secrets)  # the admin may see who it is
    for username, token in tokens.items():
        if username == "admin":
            continue
        for path in (f"/staff/tickets/{number}", "/staff/queue", "/staff/tasks", "/staff/queue?assignee=me"):
            answer = desk.http("GET", path, token=token)
            text = answer.text.lower()
            leaked = [secret for secret in secrets if secret in text]
            assert not leaked, f"{username} reads {leaked} at {path}"
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    mail = next(e for e in page["timeline"] if e["kind"] == "mail_sent")
    assert mail["data"]["to"] == "[identitas disembunyikan]"
    wrote = next(e for e in page["timeline"] if e["kind"] == "requester_wrote")
    assert wrote["text"].startswith("Terima kasih. Salam, [identitas disembunyikan]")
    assert page["subject"] == "Laporan [identitas disembunyikan]"
    (document,) = page["documents"]
    assert (
        document["filename"] == "[identitas disembunyikan]_bukti.pdf" and "Wulandari" not in document["url"]
    )


def test_twenty_concurrent_creations_get_twenty_numbers(desk: LocalDesk) -> None:
    def create(i: int) -> str:
        return str(_new(desk, f"Bersamaan {i}")["number"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(create, range(20)))
    assert len(set(numbers)) == 20


def test_a_phone_call_is_logged_and_can_be_closed_on_the_call(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    call = {
        "caller_name": "Budi",
        "phone": "+62 21 555 0101",
        "email": "budi@pemprov-jatim.go.id",
        "kind": "complaint",
        "category": "akses",
        "summary": "Tidak bisa login ke e-Purchasing.",
        "resolved_on_call": True,
    }
    response = desk.http("POST", "/staff/calls", token=tokens["helpdesk"], json_body=call)
    assert response.status == 201, response.text
    assert response.json()["status"] == "closed"
    assert any(response.json()["number"] in m["subject"] for m in desk.outbox())
    assert desk.http("POST", "/staff/calls", token=tokens["reception"], json_body=call).status == 403
    bad = desk.http("POST", "/staff/calls", token=tokens["helpdesk"], json_body={**call, "phone": "12"})
    assert bad.status == 400 and "phone" in bad.json()["error"]["fields"]


def test_a_walk_in_is_forwarded_and_booked_without_double_booking(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    day = desk_time.working_day(n=2)  # a working day to come, whatever today is
    form = {
        "visitor_name": "Sari",
        "email": "sari@kemenkes.go.id",
        "topic": "Konsultasi katalog",
        "notes": "Ingin tahu cara tayang produk.",
        "unit": "subdit-sistem",
        "preferred_date": day.isoformat(),
    }
    first = desk.http("POST", "/staff/walk-ins", token=tokens["reception"], json_body=form)
    assert first.status == 201, first.text
    second = desk.http(
        "POST", "/staff/walk-ins", token=tokens["reception"], json_body={**form, "visitor_name": "Tono"}
    )
    one, two = first.json()["meeting"], second.json()["meeting"]
    assert one["officer"] == two["officer"]
    assert one["start"] != two["start"] and one["end"] <= two["start"]
    assert one["start"] == clock.iso(desk_time.at(day, 7, 30))  # the first slot of a working day
    receipt = first.json()["receipt_html"]
    assert first.json()["number"] in receipt and "<svg" in receipt
    assert desk.http("GET", f"/staff/tickets/{first.json()['number']}", token=tokens["subdit1"]).status == 200
    assert desk.http("POST", "/staff/walk-ins", token=tokens["helpdesk"], json_body=form).status == 403
    unknown = desk.http(
        "POST", "/staff/walk-ins", token=tokens["reception"], json_body={**form, "unit": "nowhere"}
    )
    assert unknown.status == 400 and "unit" in unknown.json()["error"]["fields"]


WALK_IN = {
    "visitor_name": "Rudi Hartono",
    "institution": "Dinas PUPR Kota Depok",
    "email": "rudi@depok.go.id",
    "topic": "Konsultasi etalase",
    "notes": "Ingin tahu cara membandingkan harga di etalase.",
    "unit": "subdit-sistem",
}


def _walk_in(desk: LocalDesk, tokens: dict[str, str], **changes: Any) -> Any:
    return desk.http("POST", "/staff/walk-ins", token=tokens["reception"], json_body={**WALK_IN, **changes})


def _stored(desk: LocalDesk, pk_prefix: str, **equal: str) -> list[dict[str, Any]]:
    """Items of the desk's table whose ``pk`` starts with ``pk_prefix`` and whose attributes equal
    ``equal``: what a walk-in really wrote, whatever the API answered."""
    from desk import aws, runtime

    with runtime.activated(desk.functions.get("StaffApiFunction").runtime):
        table = aws.table()
        scan: dict[str, Any] = {}
        found: list[dict[str, Any]] = []
        while True:
            page = table.scan(**scan)
            found += [
                item
                for item in page.get("Items", [])
                if str(item["pk"]).startswith(pk_prefix) and all(item.get(k) == v for k, v in equal.items())
            ]
            if "LastEvaluatedKey" not in page:
                return found
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _mails_to(desk: LocalDesk, address: str) -> list[dict[str, Any]]:
    return [m for m in desk.outbox() if address in m["to"]]


def test_two_walk_ins_racing_for_the_last_free_slot_book_it_once(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    from desk import aws, runtime
    from desk.requests.doors import CLOSES, OPENS, SEARCH_WORKING_DAYS, SLOT

    officer, first = "subdit2@staff.desk.local", desk_time.working_day(n=20)
    days = [first] + [desk_time.working_day(first, n) for n in range(1, SEARCH_WORKING_DAYS)]
    halves = []
    for day in days:
        moment = desk_time.at(day, OPENS.hour, OPENS.minute)
        while moment < desk_time.at(day, CLOSES.hour, CLOSES.minute):
            halves.append(moment)
            moment += SLOT
    last = halves.pop()  # the last half hour of the window's last day stays free
    # Other visitors' meetings fill the officer's whole search window but that one half hour (written
    # straight to the table: a walk-in per slot would take minutes on moto).
    with (
        runtime.activated(desk.functions.get("StaffApiFunction").runtime),
        aws.table().batch_writer() as batch,
    ):
        for n, half in enumerate(halves):
            batch.put_item(Item={"pk": f"MEETING#{officer}", "sk": clock.iso(half), "number": f"lain-{n}"})

    topic = "Jadwal terakhir"
    racers = ["ayu@kemenkeu.go.id", "bagus@kemenkeu.go.id"]
    form = {"unit": "subdit-layanan", "officer": officer, "preferred_date": first.isoformat(), "topic": topic}

    def race(address: str) -> Any:
        return _walk_in(desk, tokens, **form, visitor_name=address.split("@")[0], email=address)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(race, racers))
    assert sorted(a.status for a in answers) == [201, 409], [a.text for a in answers]
    won = next(a for a in answers if a.status == 201)
    lost = next(a for a in answers if a is not won)
    assert lost.json()["error"]["code"] == "no_free_slot"
    assert won.json()["meeting"]["start"] == clock.iso(last)
    (created,) = _stored(desk, "REQ#", subject=topic)  # the refused walk-in left no request behind
    assert created["number"] == won.json()["number"]
    (booking,) = _stored(desk, f"MEETING#{officer}", sk=clock.iso(last))
    assert booking["number"] == won.json()["number"]
    assert _mails_to(desk, racers[answers.index(lost)]) == []  # no access code for nothing


def test_the_walk_in_visitor_sees_the_meeting_time_on_the_status_page_and_in_a_mail(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    from desk.dates import human_datetime

    day, visitor = desk_time.working_day(n=4), "rudi.status@depok.go.id"
    answer = _walk_in(desk, tokens, visitor_name="Rudi Status", email=visitor, preferred_date=day.isoformat())
    assert answer.status == 201, answer.text
    body = answer.json()
    when = human_datetime(clock.parse_iso(body["meeting"]["start"]), "Asia/Jakarta")
    status = desk.http("GET", f"/tickets/{body['number']}?code={body['access_code']}")
    assert status.status == 200, status.text
    texts = [e.get("text", "") for e in status.json()["timeline"] if e["kind"] == "meeting_booked"]
    assert texts == [f"Pertemuan dengan Agus Subdit Sistem pada {when}."]
    assert any(when in m["text"] for m in _mails_to(desk, visitor))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "\u202eAni\u0000"}, None),
        ({"message": "<script>alert(1)</script>"}, None),
        ({"message": "x" * 20_001}, "message"),
        ({"email": "Ani <ani@bücher.example>"}, None),
        ({"anonymous": "maybe"}, "anonymous"),
    ],
)
def test_awkward_form_input(desk: LocalDesk, body: dict[str, Any], field: str | None) -> None:
    response = desk.http("POST", "/tickets", json_body={**FORM, "subject": f"Aneh {sorted(body)}", **body})
    if field is None:
        assert response.status == 201, response.text
    else:
        assert response.status == 400 and field in response.json()["error"]["fields"]


def test_a_forged_role_in_the_body_changes_nothing(desk: LocalDesk, tokens: dict[str, str]) -> None:
    number = _new(desk, "Peran palsu")["number"]
    body = {"action": "close", "reason": "x", "role": "admin"}
    path = f"/staff/tickets/{number}/actions"
    # Another unit's Subdit is refused before the body is read; the helpdesk, who may work it, hears that
    # the field is unknown: either way nothing happens.
    forged = desk.http("POST", path, token=tokens["subdit2"], json_body=body)
    assert (forged.status, forged.json()["error"]["code"]) == (403, "other_unit")
    unknown = desk.http("POST", path, token=tokens["helpdesk"], json_body=body)
    assert unknown.status == 400 and "role" in unknown.json()["error"]["fields"]
    staff_view = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert staff_view["status"] == "submitted"


def test_the_stored_sla_equals_a_replay_of_the_log(desk: LocalDesk, tokens: dict[str, str]) -> None:
    from desk import runtime
    from desk.calendar_store import current_calendar
    from desk.data.requests import repository as requests_repository
    from desk.requests import sla

    number = _new(desk, "Replay")["number"]
    for body in (
        {"action": "hold", "reason": "Menunggu SK"},
        {"action": "resume"},
        {"action": "extend", "working_days": 2, "reason": "Data LPSE"},
    ):
        assert _act(desk, tokens["helpdesk"], number, **body).status == 200
    with runtime.activated(desk.functions.get("StaffApiFunction").runtime):
        stored = requests_repository().load(number)
        assert stored is not None
        replayed = sla.replay(sorted(stored.events, key=lambda e: e["sk"]), current_calendar())
    assert replayed is not None and replayed.snapshot() == stored.item["sla"]


def test_a_calendar_change_moves_open_deadlines_and_tells_the_assignee(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    receipt = _new(desk, "Kalender berubah")
    number = receipt["number"]
    _act(desk, tokens["helpdesk"], number, action="assign", assignee="helpdesk@staff.desk.local")
    answered = _new(desk, "Kalender berubah, sudah dijawab")["number"]  # its deadline binds nobody now
    _act(desk, tokens["helpdesk"], answered, action="assign", assignee="helpdesk@staff.desk.local")
    reply = {"text": "Sudah kami selesaikan.", "status": "answered"}
    path = f"/staff/tickets/{answered}/replies"
    assert desk.http("POST", path, token=tokens["helpdesk"], json_body=reply).json()["status"] == "answered"
    due_day = receipt["due_at"][:10]
    from datetime import date, timedelta

    # a working day inside the request's window becomes a day off (before Christmas the day before the
    # due day may be a weekend or a holiday: look back to a working one)
    day = date.fromisoformat(due_day) - timedelta(days=1)
    while not desk_time.national().is_working_day(day):
        day -= timedelta(days=1)
    added = desk.http(
        "POST",
        "/staff/calendar/overrides",
        token=tokens["admin"],
        json_body={
            "date": day.isoformat(),
            "working": False,
            "reason": "Cuti bersama tambahan (uji)",
            "scope": "national",
        },
    )
    assert added.status == 201, added.text
    (run,) = [s.rule for s in desk.schedules() if s.rule.startswith("SlaSweep")]
    (invocation,) = desk.fire_schedule(run)
    assert invocation.error is None, invocation.error
    moved = {m["number"]: m for m in invocation.result["moved"]}
    assert number in moved and moved[number]["to"] > moved[number]["from"]
    page = desk.http("GET", f"/staff/tickets/{number}", token=tokens["helpdesk"]).json()
    assert page["sla"]["due_at"] == moved[number]["to"]
    assert any(
        m["to"] == ["helpdesk@staff.desk.local"]
        and "Tenggat berubah" in m["subject"]
        and number in m["subject"]
        for m in desk.outbox()
    )
    assert not [m for m in desk.outbox() if "Tenggat berubah" in m["subject"] and answered in m["subject"]]
    desk.http("DELETE", f"/staff/calendar/overrides/{day.isoformat()}?scope=national", token=tokens["admin"])
