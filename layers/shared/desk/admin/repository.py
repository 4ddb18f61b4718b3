"""What the desk needs of reference data's storage (units, LPSEs, contracts, SLA policies, settings,
imported transactions): :class:`ReferenceRepository`, and the writes one change is made of. DynamoDB's
is ``desk.data.reference.ReferenceStore``; the tests hold an in-memory twin to the same behaviour suite.

Items are the stored records themselves: ``pk`` names the kind's partition (``desk.data.schema``),
``sk`` the item's key. Numbers read back as ``Decimal``, and a float is refused, as DynamoDB does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from desk.errors import Conflict, DeskError

MAX_WRITES = 100  # what one change may hold (DynamoDB's transaction limit)


@dataclass(frozen=True)
class Created:
    """A new item: the change is refused if its key is taken."""

    item: Mapping[str, Any]


@dataclass(frozen=True)
class Replaced:
    """An item written over the one read at ``version``: refused if anyone wrote it since, or it is gone.
    Seeded items carry no version: they are read as version 0."""

    item: Mapping[str, Any]
    version: int


@dataclass(frozen=True)
class Unchanged:
    """An item the change relies on, as it was read: nothing is written to it, and the change is refused
    if anyone wrote it since (two moves of units at once cannot build a loop between them)."""

    item: Mapping[str, Any]


@dataclass(frozen=True)
class Stored:
    """Written whatever was there: an audit entry, a setting kept whole."""

    item: Mapping[str, Any]


Write = Created | Replaced | Unchanged | Stored


def version_of(item: Mapping[str, Any] | None) -> int:
    return int((item or {}).get("version", 0))


def changed_meanwhile() -> Conflict:
    return Conflict(
        "Data ini baru saja diubah orang lain; muat ulang lalu ulangi perubahan Anda.",
        code="changed_meanwhile",
    )


class ReferenceReader(Protocol):
    """What the rest of the desk reads of reference data (through ``desk.reference``'s caches)."""

    def item(self, partition: str, key: str) -> dict[str, Any] | None:
        """One item as last written, or None."""
        ...

    def items(self, partition: str) -> list[dict[str, Any]]:
        """Every item of a small partition, by key."""
        ...


class ReferenceRepository(ReferenceReader, Protocol):
    def page(
        self, partition: str, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Up to ``limit`` items by key from where ``cursor`` left off, and the next page's cursor (None
        after the last). A cursor made up or taken from another partition is refused (400)."""
        ...

    def items_among(self, partition: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored items among ``keys`` (any number of them), by key."""
        ...

    def transactions_dated(self, start: date, end: date) -> list[dict[str, Any]]:
        """Imported transactions dated ``start`` to ``end`` inclusive, by date then id."""
        ...

    def save_change(self, writes: Sequence[Write], *, refused: DeskError) -> None:
        """Every write or none (at most :data:`MAX_WRITES`, each item once). A write whose expectation
        fails refuses the whole change with ``refused``; a change that met another one writing the same
        items at the same time is :func:`changed_meanwhile`."""
        ...

    def save_import(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Write ``items`` as they are, many at a time: not one change, so a failure part-way leaves
        some written (an import is written to be repeated safely)."""
        ...
