"""The calendar through the staff API: the year's days off, admin overrides with versions, deadlines."""

from __future__ import annotations

from typing import Any

import pytest
from desk_time import PinClock

from desk_local.stack import LocalDesk


def _get(desk: LocalDesk, token: str, path: str) -> Any:
    return desk.http("GET", path, token=token)


def test_any_staff_reads_the_year_with_both_kinds_of_day_off(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    response = _get(desk, tokens["subdit1"], "/staff/calendar?year=2026")
    assert response.status == 200
    body = response.json()
    assert body["year"] == 2026
    kinds = {d["date"]: d["kind"] for d in body["non_working"] if d["scope"] == "national"}
    assert kinds["2026-08-17"] == "libur_nasional"
    assert kinds["2026-03-23"] == "cuti_bersama"
    assert kinds["2026-12-24"] == "cuti_bersama"


def test_staff_calendar_needs_a_sign_in(desk: LocalDesk) -> None:
    assert desk.http("GET", "/staff/calendar?year=2026").status == 401


def test_the_deadline_endpoint_applies_the_counting_rule(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    # domain-rules.md: received Tue 2026-03-17, 10 working days -> end of Wed 2026-04-08 (WIB)
    pinned_clock("2026-03-02T09:00:00+07:00")
    response = _get(
        desk, tokens["helpdesk"], "/staff/calendar/deadline?from=2026-03-17T10:00:00%2B07:00&working_days=10"
    )
    assert response.status == 200, response.text
    assert response.json()["due_at"] == "2026-04-08T16:59:59Z"
    witA = _get(
        desk,
        tokens["helpdesk"],
        "/staff/calendar/deadline?from=2025-03-26T09:00:00%2B08:00&working_days=10&tz=WITA",
    )
    assert witA.json()["due_at"] == "2025-04-21T15:59:59Z"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=yesterday&working_days=3", "from"),
        ("from=2026-03-17T10:00:00%2B07:00&working_days=0", "working_days"),
        ("from=2026-03-17T10:00:00%2B07:00&working_days=3&tz=Europe/Paris", "tz"),
        ("from=2026-03-17T10:00:00&working_days=3", "from"),
    ],
)
def test_bad_deadline_questions_name_the_field(
    desk: LocalDesk,
    tokens: dict[str, str],
    query: str,
    field: str,
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    response = _get(desk, tokens["helpdesk"], f"/staff/calendar/deadline?{query}")
    assert response.status == 400
    assert field in response.json()["error"]["fields"]


def test_an_admin_override_moves_deadlines_and_bumps_the_version(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    admin = tokens["admin"]
    question = "/staff/calendar/deadline?from=2026-06-02T09:00:00%2B07:00&working_days=1"
    before = _get(desk, admin, question).json()
    assert before["due_at"] == "2026-06-03T16:59:59Z"
    added = desk.http(
        "POST",
        "/staff/calendar/overrides",
        token=admin,
        json_body={
            "date": "2026-06-03",
            "working": False,
            "reason": "Cuti bersama tambahan (contoh)",
            "reference": "SKB 3 Menteri perubahan",
            "scope": "national",
        },
    )
    assert added.status == 201, added.text
    assert added.json()["version"] == before["calendar_version"] + 1
    after = _get(desk, admin, question).json()
    assert after["due_at"] == "2026-06-04T16:59:59Z"
    assert after["calendar_version"] == added.json()["version"]
    year = _get(desk, admin, "/staff/calendar?year=2026").json()
    assert {
        "date": "2026-06-03",
        "name": "Cuti bersama tambahan (contoh)",
        "kind": "override",
        "scope": "national",
    } in year["non_working"]
    (override,) = [o for o in year["overrides"] if o["date"] == "2026-06-03"]
    assert override["created_by"] and override["reference"] == "SKB 3 Menteri perubahan"

    again = desk.http(
        "POST",
        "/staff/calendar/overrides",
        token=admin,
        json_body={"date": "2026-06-03", "working": True, "reason": "Ganti", "scope": "national"},
    )
    assert again.status == 409

    removed = desk.http("DELETE", "/staff/calendar/overrides/2026-06-03?scope=national", token=admin)
    assert removed.status == 200
    assert removed.json()["version"] == added.json()["version"] + 1
    assert _get(desk, admin, question).json()["due_at"] == "2026-06-03T16:59:59Z"
    assert (
        desk.http("DELETE", "/staff/calendar/overrides/2026-06-03?scope=national", token=admin).status == 404
    )


def test_a_province_day_off_moves_only_that_provinces_deadlines(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    admin = tokens["admin"]
    added = desk.http(
        "POST",
        "/staff/calendar/overrides",
        token=admin,
        json_body={
            "date": "2026-07-07",
            "working": False,
            "reason": "Hari jadi provinsi (contoh)",
            "scope": "Bali",
        },
    )
    assert added.status == 201, added.text
    base = "/staff/calendar/deadline?from=2026-07-06T09:00:00%2B08:00&working_days=1&tz=WITA"
    assert _get(desk, admin, base).json()["due_at"] == "2026-07-07T15:59:59Z"
    assert _get(desk, admin, base + "&scope=Bali").json()["due_at"] == "2026-07-08T15:59:59Z"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"date": "2026-13-01", "working": False, "reason": "Salah", "scope": "national"}, 400, "date"),
        ({"date": "2026-07-08", "working": False, "reason": "Salah", "scope": "Atlantis"}, 400, "scope"),
        ({"date": "2026-07-11", "working": True, "reason": "Sabtu kerja", "scope": "national"}, 422, None),
        ({"date": "2026-07-08", "working": False, "scope": "national"}, 400, "reason"),
    ],
)
def test_bad_overrides_are_refused_clearly(
    desk: LocalDesk,
    tokens: dict[str, str],
    body: dict[str, Any],
    status: int,
    field: str | None,
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    response = desk.http("POST", "/staff/calendar/overrides", token=tokens["admin"], json_body=body)
    assert response.status == status, response.text
    if field:
        assert field in response.json()["error"]["fields"]


def test_only_admins_change_the_calendar(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    pinned_clock("2026-03-02T09:00:00+07:00")
    body = {"date": "2026-07-09", "working": False, "reason": "Coba", "scope": "national"}
    for who in ("helpdesk", "director", "secretary"):
        assert desk.http("POST", "/staff/calendar/overrides", token=tokens[who], json_body=body).status == 403
    assert desk.http("DELETE", "/staff/calendar/overrides/2026-07-09", token=tokens["helpdesk"]).status == 403


def test_a_year_with_no_skb_yet_says_what_is_only_estimated(desk: LocalDesk, tokens: dict[str, str]) -> None:
    from desk.calendar import official

    helpdesk = tokens["helpdesk"]
    ahead = max(official.WITHOUT_SKB_YEARS)
    body = _get(desk, helpdesk, f"/staff/calendar?year={ahead}").json()
    assert body["estimated"] == {"cuti_bersama": True, "islamic_dates": True}
    assert not [d for d in body["non_working"] if d["kind"] == "cuti_bersama"]
    assert f"{ahead}-08-17" in {d["date"] for d in body["non_working"]}  # projected national holidays
    fixed = _get(desk, helpdesk, "/staff/calendar?year=2026").json()
    assert fixed["estimated"] == {"cuti_bersama": False, "islamic_dates": False}
    beyond = _get(desk, helpdesk, f"/staff/calendar?year={official.LAST_YEAR + 1}")
    assert beyond.status == 400 and "year" in beyond.json()["error"]["fields"]
