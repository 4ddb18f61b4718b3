"""Signed links, the decision table, and when the ask step wakes up (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.approvals import links, plan
from desk.approvals.steps import STEPS, validate_decision
from desk.calendar import Override, WorkingCalendar
from desk.errors import Forbidden, Gone, InvalidInput
from desk.signing import KeyRing, SigningKey

OLD, NEW = SigningKey("k1", b"o" * 40), SigningKey("k2", b"n" * 40)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
LINK = links.LinkId("A" * 22, 0)


def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_a_link_verifies_across_a_key_rotation_and_refuses_tampering() -> None:
    expires = int((NOW + timedelta(days=30)).timestamp())
    url = links.signed_url("https://api.example", LINK, expires, KeyRing(current=OLD))
    assert url.startswith(f"https://api.example/approvals/{LINK}?")
    q = _query(url)
    links.check(LINK, q["exp"], q["kid"], q["sig"], KeyRing(current=NEW, previous=OLD), NOW)  # rotated: fine
    with pytest.raises(Forbidden):
        links.check(LINK, q["exp"], q["kid"], q["sig"], KeyRing(current=NEW), NOW)  # rotated twice
    with pytest.raises(Forbidden):
        links.check(links.LinkId("A" * 22, 1), q["exp"], q["kid"], q["sig"], KeyRing(current=OLD), NOW)
    with pytest.raises(Forbidden):
        links.check(LINK, str(expires + 1), q["kid"], q["sig"], KeyRing(current=OLD), NOW)
    with pytest.raises(Gone):
        links.check(LINK, q["exp"], q["kid"], q["sig"], KeyRing(current=OLD), NOW + timedelta(days=31))
    with pytest.raises(Forbidden):
        links.parse_link_id("short~0")


@pytest.mark.parametrize(
    ("step", "fields", "field"),
    [
        ("letter:signature", {"decision": "return"}, "notes"),
        ("letter:disposition", {"decision": "dispose"}, "subdits"),
        ("letter:dispatch", {"decision": "courier", "courier": "JNE"}, "tracking_number"),
        ("registration:verification", {"decision": "reject"}, "reason"),
        ("training:reply", {"decision": "decline"}, "reason"),
        ("training:reply", {"decision": "accept"}, "session_id"),
        ("registration:verification", {"decision": "sign"}, "decision"),
        ("registration:verification", {"decision": "approve", "role": "admin"}, "role"),
    ],
)
def test_each_row_of_the_decision_table_names_what_is_missing(
    step: str, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_decision(step, fields)
    assert field in raised.value.fields


def test_good_decisions_pass_and_the_signature_needs_a_sign_in() -> None:
    assert validate_decision("letter:signature", {"decision": "return", "notes": "Perbaiki paragraf 2"})[
        "notes"
    ]
    assert validate_decision(
        "letter:disposition",
        {"decision": "dispose", "subdits": ["subdit-sistem"], "instruction": "siapkan_jawaban"},
    )["subdits"] == ["subdit-sistem"]
    assert STEPS["letter:signature"].sign_in_required
    assert not STEPS["registration:verification"].sign_in_required


CAL = WorkingCalendar.from_official()


def test_checkpoints_come_in_order_reminder_deadline_expiry() -> None:
    scoped = CAL.scoped()
    start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
    counting = scoped.counting_start(start, "Asia/Jakarta")
    due = scoped.add_working_days(start, 5, "Asia/Jakarta")
    expires = scoped.add_working_days(start, 30, "Asia/Jakarta")
    first = plan.next_checkpoint(
        scoped,
        counting_from=counting,
        due=due,
        link_expires=expires,
        reminded=False,
        escalated=False,
        fraction=0.7,
        tz="Asia/Jakarta",
    )
    assert first.kind == "reminder"
    # 70% of 5 working days (to 23:59:59) from Tue 00:00 is Fri 12:00 less 0.7 s; inside office hours, to
    # the whole second it is stored in
    assert first.moment == datetime(2026, 3, 6, 4, 59, 59, tzinfo=UTC)
    second = plan.next_checkpoint(
        scoped,
        counting_from=counting,
        due=due,
        link_expires=expires,
        reminded=True,
        escalated=False,
        fraction=0.7,
        tz="Asia/Jakarta",
    )
    assert (second.kind, second.moment) == ("deadline", due)
    third = plan.next_checkpoint(
        scoped,
        counting_from=counting,
        due=due,
        link_expires=expires,
        reminded=True,
        escalated=True,
        fraction=0.7,
        tz="Asia/Jakarta",
    )
    assert (third.kind, third.moment) == ("expiry", expires)


def test_a_reminder_outside_office_hours_waits_for_the_next_opening() -> None:
    scoped = CAL.scoped()
    counting = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Tue 00:00 WIB
    due = datetime(2026, 3, 4, 16, 59, 59, tzinfo=UTC)  # end of Wed: 70% is Wed 09:35:59.2 WIB, in hours
    assert plan.reminder_moment(scoped, counting, due, 0.7, "Asia/Jakarta") == datetime(
        2026, 3, 4, 2, 35, 59, tzinfo=UTC
    )  # whole seconds (the exact point is 02:35:59.2)
    two_days_of_three = datetime(2026, 3, 5, 16, 59, 59, tzinfo=UTC)  # 70% of 3 days: Thu 02:23 WIB, night
    moment = plan.reminder_moment(scoped, counting, two_days_of_three, 0.7, "Asia/Jakarta")
    assert moment == datetime(2026, 3, 5, 0, 30, tzinfo=UTC)  # Thu 07:30 WIB


def test_a_reminder_whose_next_opening_is_past_the_deadline_comes_that_morning() -> None:
    scoped = CAL.scoped()
    counting = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Tue 00:00 WIB
    due = datetime(2026, 3, 3, 16, 59, 59, tzinfo=UTC)  # end of Tue: 70% is 16:48 WIB, after closing
    moment = plan.reminder_moment(scoped, counting, due, 0.7, "Asia/Jakarta")
    assert moment == datetime(2026, 3, 3, 0, 30, tzinfo=UTC)  # Tue 07:30 WIB, not Wed after the deadline
    checkpoint = plan.next_checkpoint(
        scoped,
        counting_from=counting,
        due=due,
        link_expires=due + timedelta(days=40),
        reminded=False,
        escalated=False,
        fraction=0.7,
        tz="Asia/Jakarta",
    )
    assert (checkpoint.kind, checkpoint.moment) == ("reminder", moment)


@pytest.mark.parametrize("tz", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
@pytest.mark.parametrize("days", range(1, 11))
def test_a_reminder_moment_is_stored_as_it_was_computed(tz: str, days: int) -> None:
    """The moment read back from its stored form equals the one planned: no "deadline moved" loop."""
    from desk import clock

    scoped = CAL.scoped()
    for received in (
        datetime(2026, 12, 3, 2, 0, 0, 300_000, tzinfo=UTC),
        datetime(2026, 12, 5, 3, 7, 9, 999_999, tzinfo=UTC),
    ):
        counting = scoped.counting_start(received, tz)
        due = scoped.add_working_days(received, days, tz)
        moment = plan.reminder_moment(scoped, counting, due, 0.7, tz)
        assert clock.parse_iso(clock.iso(moment)) == moment and received < moment < due
        fresh = plan.Checkpoint("reminder", moment)
        assert not plan.moved("reminder", clock.parse_iso(clock.iso(moment)), fresh)


def test_a_calendar_change_moves_the_next_checkpoint() -> None:
    start = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    before = CAL.scoped()
    after = WorkingCalendar.from_official(
        overrides=[
            Override(
                date=datetime(2026, 6, 2).date(),
                working=False,
                scope="national",
                reason="contoh",
                reference="",
            )
        ],
        version=1,
    ).scoped()
    due_before = before.add_working_days(start, 3, "Asia/Jakarta")
    due_after = after.add_working_days(start, 3, "Asia/Jakarta")
    assert due_after > due_before
    kwargs = {
        "link_expires": due_after + timedelta(days=60),
        "reminded": True,
        "escalated": False,
        "fraction": 0.7,
        "tz": "Asia/Jakarta",
    }
    assert (
        plan.next_checkpoint(
            after, counting_from=after.counting_start(start, "Asia/Jakarta"), due=due_after, **kwargs
        ).moment
        > plan.next_checkpoint(
            before, counting_from=before.counting_start(start, "Asia/Jakarta"), due=due_before, **kwargs
        ).moment
    )


def test_waits_in_real_time_and_in_the_demonstration_speed() -> None:
    scoped = CAL.scoped()
    checkpoint = plan.Checkpoint("deadline", datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    since = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    real = plan.wait_seconds(
        scoped, checkpoint, now=since, since=since, tz="Asia/Jakarta", working_day_seconds=0
    )
    assert real == 4 * 86400
    fast = plan.wait_seconds(
        scoped, checkpoint, now=since, since=since, tz="Asia/Jakarta", working_day_seconds=10
    )
    assert fast == 40
    past = plan.wait_seconds(
        scoped,
        checkpoint,
        now=checkpoint.moment + timedelta(hours=1),
        since=since,
        tz="Asia/Jakarta",
        working_day_seconds=0,
    )
    assert past == 1


def test_a_decision_read_back_from_the_table_goes_out_as_plain_json() -> None:
    import json
    from decimal import Decimal

    from desk.approvals.flow import decision_output

    task = {
        "task_id": "t",
        "decision": "accept",
        "fields": {"decision": "accept", "capacity": Decimal("20"), "fee": Decimal("150000.50")},
        "late": False,
    }
    assert json.loads(decision_output(task))["fields"] == {
        "decision": "accept",
        "capacity": 20,
        "fee": 150000.5,
    }


def test_a_training_fee_past_any_training_is_refused_before_it_reaches_storage() -> None:
    from desk.approvals.steps import validate_decision
    from desk.errors import InvalidInput

    decision = {
        "decision": "accept",
        "start_date": "2027-01-05",
        "place": "LKPP",
        "capacity": 30,
        "fee": 1e40,
    }
    with pytest.raises(InvalidInput) as refused:
        validate_decision("training:reply", decision)
    assert "fee" in (refused.value.fields or {})
