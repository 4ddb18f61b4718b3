"""What the use cases need of request storage: a request with its identity and log
(:class:`StoredRequest`), the refusals a write can meet, and :class:`RequestRepository`. DynamoDB's
implementation is ``desk.data.requests``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from desk.errors import Conflict


@dataclass
class StoredRequest:
    item: dict[str, Any]
    identity: dict[str, Any] | None
    events: list[dict[str, Any]] = field(default_factory=list)


class IdempotencyClash(Exception):
    """Another submission holds one of the idempotency records."""


class ClaimClash(Conflict):
    """One of the extra conditional writes (claiming an upload) was refused: another request took it."""

    code = "upload_already_used"

    def __init__(self) -> None:
        super().__init__("Unggahan ini baru saja dipakai untuk permohonan lain.")


class RequestRepository(Protocol):
    """Requests, their identity and log, counters and idempotency records: what the use cases need of
    storage. ``desk.data.requests.RequestStore`` is DynamoDB's; the tests hold an in-memory twin to the same
    behaviour suite."""

    def next_sequence(self, name: str) -> int: ...

    def idempotency_records(self, keys: list[str]) -> list[dict[str, Any]]: ...

    def create(
        self,
        item: dict[str, Any],
        identity: dict[str, Any] | None,
        events: list[dict[str, Any]],
        idempotency: list[dict[str, Any]],
        now_epoch: int,
        extra: list[dict[str, Any]] | None = None,
    ) -> None: ...

    def load(self, number: str) -> StoredRequest | None: ...

    def commit(
        self,
        item: dict[str, Any],
        expected_version: int,
        fields: dict[str, Any],
        events: list[dict[str, Any]],
        extra: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]: ...

    def append_event(self, number: str, expected_version: int, event: dict[str, Any]) -> None: ...
