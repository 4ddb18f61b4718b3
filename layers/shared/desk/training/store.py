"""What the training use cases need of storage: :class:`SessionRepository`. DynamoDB's is
``desk.data.sessions.SessionStore``; the tests hold an in-memory twin to the same behaviour suite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class SessionRepository(Protocol):
    def create(self, session: Mapping[str, Any]) -> None: ...

    def load(self, session_id: str) -> dict[str, Any] | None: ...

    def sessions(self) -> list[dict[str, Any]]: ...

    def bookings(self, session_id: str) -> list[dict[str, Any]]: ...

    def booking(self, session_id: str, number: str) -> dict[str, Any] | None: ...

    def take_seats(self, session_id: str, *, seats: int, capacity: int, booking: Mapping[str, Any]) -> bool:
        """Book ``seats`` in a scheduled session of ``capacity`` with its booking, in one write; False when
        the seats are gone, the session changed or the booking exists (nothing is written then)."""
        ...

    def create_with_booking(self, session: Mapping[str, Any], booking: Mapping[str, Any]) -> bool:
        """A new session with its first booking, in one write; False when either exists."""
        ...

    def change(
        self, session_id: str, fields: Mapping[str, Any], entry: Mapping[str, Any], version: int
    ) -> dict[str, Any]:
        """Set ``fields`` and append ``entry`` to the history if the session is still at ``version``
        (else ``Conflict``); the session as it is now."""
        ...

    def mark_reminded(self, session_id: str, number: str, start_date: str) -> None:
        """The booking was reminded of the session starting on ``start_date`` (once per start)."""
        ...

    def set_participants(
        self, session_id: str, number: str, participants: list[dict[str, Any]], *, by: str, version: int
    ) -> None:
        """A booking's participants (their attendance) if it is still at ``version``, else ``Conflict``."""
        ...
