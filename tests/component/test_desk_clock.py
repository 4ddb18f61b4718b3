"""A desk started on a pinned instant lives on that day: numbers, deadlines and seeded data follow the
desk's clock, AWS keeps real time, and the clock is put back when the desk stops."""

from __future__ import annotations

from datetime import timedelta

import desk_time
from component.test_tickets import FORM
from desk_time import PinClock

from desk import clock
from desk_local.stack import LocalDesk
from desk_local.template import Translated


def test_a_desk_started_on_a_saturday_in_2031_numbers_counts_and_seeds_from_it(
    translated: Translated, pinned_clock: PinClock
) -> None:
    saturday = pinned_clock("2031-03-15T10:00:00+07:00")
    before = clock.offset()
    with LocalDesk(translated, now=saturday) as desk:
        desk.seed()
        started = clock.now()
        assert timedelta(0) <= started - saturday < timedelta(minutes=5)

        answer = desk.http("POST", "/tickets", json_body={**FORM, "subject": "Dikirim hari Sabtu"})
        assert answer.status == 201, answer.text
        receipt = answer.json()
        assert receipt["number"].startswith("EP-2031-")
        # Received on a Saturday: counting starts on the next working day, five of them, end of the day.
        expected = desk_time.national().add_working_days(saturday, 5, "Asia/Jakarta")
        assert receipt["due_at"] == clock.iso(expected)
        assert expected.astimezone(desk_time.JAKARTA).date() > desk_time.working_day(saturday.date(), 4)

        seeded = desk.http(
            "GET", "/staff/admin/transactions/EPURCH-2026-000101", token=desk.login("admin")
        ).json()
        assert seeded["date"] == (saturday.date() - timedelta(days=20)).isoformat()
    assert clock.offset() == before  # the desk put the clock back as it stopped
