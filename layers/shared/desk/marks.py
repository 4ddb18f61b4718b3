"""What counting and remembering need of storage, apart from requests: :class:`Counters` (attempts in a
window, mail sent in an hour, a step's failures) and :class:`Marks` (a reminder sent this week, mail
already handled, when the sweep last ran). DynamoDB's are ``desk.data.counters`` and ``desk.data.marks``;
the tests hold in-memory twins to the same behaviour suite. Keys come from ``desk.data.schema``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Key = Mapping[str, str]


class Counters(Protocol):
    def add(self, key: Key, *, name: str = "count", fields: Mapping[str, Any] | None = None) -> int:
        """Add one to the counter ``name`` at ``key`` (setting ``fields`` beside it, an ``expires_at``
        among them) and return the new count."""
        ...

    def counts(self, keys: Sequence[Key], *, name: str = "count") -> list[int]:
        """The counts at ``keys``, in their order (0 where nothing was counted)."""
        ...


class Marks(Protocol):
    def first(self, key: Key, fields: Mapping[str, Any]) -> bool:
        """Mark ``key`` unless it is marked; True only for the one caller that marked it."""
        ...

    def any_marked(self, keys: Sequence[Key]) -> bool: ...

    def mark(self, keys: Sequence[Key], fields: Mapping[str, Any]) -> None:
        """Mark every key, whether marked before or not."""
        ...

    def swap(self, key: Key, fields: Mapping[str, Any]) -> dict[str, Any] | None:
        """Write ``fields`` at ``key`` and return what was there."""
        ...
