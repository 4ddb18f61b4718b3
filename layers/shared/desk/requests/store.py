"""What the use cases need of request storage: a request with its identity and log
(:class:`StoredRequest`), the refusals a write can meet, and :class:`RequestRepository`. DynamoDB's
implementation is ``desk.data.requests``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    """One of the request's claims was refused: another request took it (an upload, most often)."""

    code = "upload_already_used"

    def __init__(self) -> None:
        super().__init__("Unggahan ini baru saja dipakai untuk permohonan lain.")


@dataclass(frozen=True)
class QueuePage:
    """Which queue (a unit's, or a person's when ``assignee`` is given), filtered by ``status``, from
    ``cursor``."""

    unit: str = ""
    assignee: str = ""
    status: str | None = None
    cursor: str | None = None
    limit: int = 50


# --- claims: what a request's own transaction also writes, each refused whole with it -----------------


@dataclass(frozen=True)
class AttachUpload:
    """Make a checked upload the request's: refused unless it is accepted, nobody's yet and still within
    its attach window at ``at``."""

    upload_id: str
    at: str


@dataclass(frozen=True)
class Hold:
    """Hold ``key`` for the request (the held item names its number): refused while another request holds
    it, unless that one is ``taking_over_from`` (a rejected request the new one replaces)."""

    key: Mapping[str, str]
    fields: Mapping[str, Any] = field(default_factory=dict)
    taking_over_from: str | None = None


@dataclass(frozen=True)
class Note:
    """An item written with the request whoever wrote it before: a lookup, not a claim."""

    key: Mapping[str, str]
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    """Free a key the request held, in the transaction that ends the reason it was held."""

    key: Mapping[str, str]


Claim = AttachUpload | Hold | Note | Release


def attach_uploads(upload_ids: Sequence[str], *, at: str) -> list[Claim]:
    return [AttachUpload(upload_id, at) for upload_id in upload_ids]


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
        claims: Sequence[Claim] = (),
    ) -> None:
        """Everything in one transaction; a clash of idempotency records is :class:`IdempotencyClash`, a
        refused claim :class:`ClaimClash`."""
        ...

    def load(self, number: str) -> StoredRequest | None: ...

    def commit(
        self,
        item: dict[str, Any],
        expected_version: int,
        fields: dict[str, Any],
        events: list[dict[str, Any]],
        claims: Sequence[Claim] = (),
    ) -> dict[str, Any]:
        """Set ``fields`` and append ``events`` unless someone wrote since ``expected_version``
        (``Conflict`` edit_conflict); a refused claim is :class:`ClaimClash`."""
        ...

    def append_event(self, number: str, expected_version: int, event: dict[str, Any]) -> None: ...

    def held(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        """The item a :class:`Hold` or :class:`Note` wrote at ``key`` (its ``number`` and fields), if any."""
        ...

    def meetings_booked(self, officer: str, first: str, last: str) -> set[str]:
        """The half hours (their starts) between ``first`` and ``last`` that walk-ins hold with
        ``officer``."""
        ...

    def flag(self, number: str, reason: str) -> None:
        """Mark the request for staff attention; no version is taken (a flag is not an edit)."""
        ...

    def open_work(self) -> list[dict[str, Any]]:
        """Every open request (its queue projection: number, status, SLA snapshot), soonest deadline
        first."""
        ...

    def queue(self, page: QueuePage) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a unit's or a person's open requests, soonest deadline first, and the next page's
        cursor (signed, valid for this list only)."""
        ...
