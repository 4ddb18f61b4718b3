"""The letter numbers the desk issues, each from its own yearly counter in the table (``COUNTER#...``).

A number is taken before the write that uses it, so a write that fails leaves a gap; a number is never
issued twice.
"""

from __future__ import annotations

from datetime import datetime

from desk.data.requests import repository as requests_repository
from desk.letters import rules


def next_agenda_number(received_at: datetime) -> str:
    """The next nomor agenda of the incoming-letter book of the stamp's year (WIB)."""
    year = rules.wib_year(received_at)
    return rules.agenda_number(year, requests_repository().next_sequence(f"agenda#{year}"))


def next_outgoing_number(now: datetime) -> str:
    """The next outgoing letter number of the year (WIB): one sequence for every letter the desk sends
    (letter answers, training replies)."""
    year = rules.wib_year(now)
    return rules.outgoing_number(year, requests_repository().next_sequence(f"outgoing#{year}"))
