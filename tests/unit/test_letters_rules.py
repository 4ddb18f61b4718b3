"""The letter chain's pure rules: numbers, stamps, which step a letter is at, pauses after failures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desk.letters import rules
from desk.letters.checks import check_disposition

NOW = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)  # Tuesday 10:00 WIB


def test_numbers_have_their_own_shapes_and_refuse_what_does_not_fit() -> None:
    assert rules.agenda_number(2026, 123) == "AG-2026-000123"
    assert rules.outgoing_number(2026, 7) == "SKL-2026-000007"
    assert rules.agenda_number(2026, 1_000_000) == "AG-2026-1000000"  # a seventh digit, not a refusal
    for bad in (0, -1):
        with pytest.raises(ValueError, match="not a number the desk gives out"):
            rules.outgoing_number(2026, bad)


def test_the_year_of_a_number_is_the_year_in_wib() -> None:
    assert rules.wib_year(datetime(2025, 12, 31, 16, 59, tzinfo=UTC)) == 2025  # 23:59 WIB
    assert rules.wib_year(datetime(2025, 12, 31, 17, 0, tzinfo=UTC)) == 2026  # 00:00 WIB


def test_a_stamp_may_not_be_in_the_future_beyond_a_small_skew() -> None:
    assert rules.received_problems(NOW + timedelta(minutes=4), date(2026, 3, 16), NOW) == {}
    assert (
        "masa depan"
        in rules.received_problems(NOW + timedelta(minutes=6), date(2026, 3, 16), NOW)["received_at"]
    )


def test_a_stamp_may_not_precede_the_letters_date_in_wib() -> None:
    late_evening = datetime(2026, 3, 16, 17, 30, tzinfo=UTC)  # 00:30 WIB on the 17th
    assert rules.received_problems(late_evening, date(2026, 3, 17), NOW) == {}
    evening = datetime(2026, 3, 16, 16, 30, tzinfo=UTC)  # 23:30 WIB on the 16th
    assert "tanggal surat" in rules.received_problems(evening, date(2026, 3, 17), NOW)["received_at"]


def test_only_known_subdits_take_a_disposition() -> None:
    kinds = {"subdit-a": "subdit", "helpdesk": "desk", "dit": "directorate"}
    assert rules.unknown_subdits(["subdit-a"], kinds) == []
    assert rules.unknown_subdits(["subdit-a", "helpdesk", "dit", "x"], kinds) == ["helpdesk", "dit", "x"]


def test_the_check_for_the_decision_passes_what_is_not_a_disposition_to_subdits() -> None:
    check_disposition({"decision": "for_information", "subdits": ["x"]})  # no unit is read


@pytest.mark.parametrize(
    ("details", "step"),
    [
        ({}, "disposition"),
        ({"disposition": {"units": ["a", "b"]}}, "subdit_answer"),
        ({"disposition": {"units": ["a", "b"]}, "answers": {"a": {"status": "signing"}}}, "subdit_answer"),
        (
            {
                "disposition": {"units": ["a", "b"]},
                "answers": {"a": {"status": "signed"}, "b": {"status": "signing"}},
            },
            "signature",
        ),
        (
            {
                "disposition": {"units": ["a", "b"]},
                "answers": {"a": {"status": "signed"}, "b": {"status": "answering"}},
            },
            "subdit_answer",
        ),
        ({"disposition": {"units": ["a"]}, "answers": {"a": {"status": "signed"}}}, "dispatch"),
    ],
)
def test_the_least_advanced_answer_decides_the_letters_step(details: dict[str, object], step: str) -> None:
    assert rules.current_step(details) == step


def test_the_letters_own_deadline_is_every_hop_up_to_dispatch() -> None:
    assert rules.chain_working_days(10) == 2 + 10 + 2 + 1


def test_pauses_after_failures_grow_to_a_day_and_shrink_in_the_demonstration_mode() -> None:
    assert [rules.trouble_pause_seconds(n, 0) for n in range(1, 8)] == [
        60,
        240,
        960,
        3840,
        15360,
        61440,
        86400,
    ]
    assert rules.trouble_pause_seconds(30, 0) == 86400
    assert rules.trouble_pause_seconds(7, 10.0) == 10  # a day of waiting lasts ten seconds
    assert rules.trouble_pause_seconds(1, 10.0) == 1  # never less than a second


def test_what_the_subdit_and_the_director_are_shown() -> None:
    subject = rules.answer_subject(
        "Permohonan data",
        "Subdit Sistem",
        instruction="siapkan_jawaban",
        notes="Segera",
        returned_notes="Tambahkan dasar hukum",
    )
    assert subject == (
        "Permohonan data — Subdit Sistem; dikembalikan Direktur: Tambahkan dasar hukum; "
        "instruksi: siapkan jawaban; catatan: Segera"
    )
    assert len(rules.answer_subject("x", "y", instruction=None, notes="n" * 3000)) == 500
    assert (
        rules.signature_subject("Permohonan data", "Subdit Sistem")
        == "Permohonan data — jawaban Subdit Sistem"
    )


def test_what_the_sender_reads() -> None:
    assert (
        rules.dispatched_text({"decision": "fax", "fax_number": "021"})
        == "Surat jawaban telah dikirim lewat faks."
    )
    courier = rules.dispatched_text({"decision": "courier", "courier": "Pos", "tracking_number": "P1"})
    assert courier == "Surat jawaban telah dikirim lewat kurir Pos (nomor resi P1)."
    assert "dikonfirmasi" in rules.confirmation_text("confirmed")
    assert "tidak dapat dihubungi" in rules.confirmation_text("unreachable")
    assert rules.disposed_text(["a", "b"], {"a": "Subdit A"}, directly=False) == (
        "Surat didisposisikan Direktur kepada Subdit A, b."
    )


def test_a_failing_state_is_named_for_the_secretary() -> None:
    assert rules.state_label("Open") == "penerusan disposisi ke Subdit"
    assert rules.state_label("SignatureStuck") == "permintaan tanda tangan"
    assert rules.state_label("Unknown") == "Unknown"
