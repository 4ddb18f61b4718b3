"""In-memory twins of the reference data's repository, the audit trail and the local accounts, held to
DynamoDB's by the behaviour suites (tests/behaviour/test_reference_repository.py and its neighbours).

What DynamoDB refuses they refuse too: a float, an empty set, an empty key; a change larger than a
transaction or naming an item twice. Numbers read back as ``Decimal``."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from desk.admin.repository import (
    Created,
    Replaced,
    Stored,
    Unchanged,
    Write,
    version_of,
)
from desk.data import cursors, schema
from desk.data.audit import ENTITY_KEYS, ITEM_KEYS, history_scope
from desk.data.reference import PAGE_KEYS, check_change, check_import, months, page_scope
from desk.errors import DeskError
from desk.signing import KeyRing, SigningKey

# The ring cursors are signed with in the twin (and in the behaviour suites' DynamoDB stores).
RING = KeyRing(current=SigningKey("twin", b"t" * 32))
INDEX_KEYS = ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")

Key = tuple[str, str]


def as_stored(value: Any) -> Any:
    """A value as DynamoDB keeps it (boto3's serializer, then the service): numbers as Decimal; a float,
    an empty set or a type it has no name for refused."""
    if isinstance(value, bool) or value is None or isinstance(value, str | bytes):
        return value
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("Float types are not supported. Use Decimal types instead.")
    if isinstance(value, Mapping):
        return {str(k): as_stored(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_stored(v) for v in value]
    if isinstance(value, set | frozenset):
        if not value:
            raise ValueError("DynamoDB keeps no empty set")
        return {as_stored(v) for v in value}
    raise TypeError(f"DynamoDB has no type for {type(value).__name__}")


def stored_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as a put keeps it; its table and index keys must be non-empty strings."""
    for name in ("pk", "sk", *INDEX_KEYS):
        if name in item and (not isinstance(item[name], str) or not item[name]):
            raise ValueError(f"a key attribute is a non-empty string: {name}={item[name]!r}")
    if "pk" not in item or "sk" not in item:
        raise ValueError("an item names its pk and sk")
    return as_stored(copy.deepcopy(dict(item)))


def _key(item: Mapping[str, Any]) -> Key:
    return str(item["pk"]), str(item["sk"])


class InMemoryReference:
    """The ``ReferenceRepository`` in a dict of items by (pk, sk): a change is written whole or not at
    all, as one transaction is."""

    def __init__(self, *, ring: KeyRing = RING) -> None:
        self.items_by_key: dict[Key, dict[str, Any]] = {}
        self.ring = ring

    def _of(self, partition: str) -> list[dict[str, Any]]:
        return [item for (pk, _), item in sorted(self.items_by_key.items()) if pk == partition]

    # -- reads ---------------------------------------------------------------------------------------
    def item(self, partition: str, key: str) -> dict[str, Any] | None:
        found = self.items_by_key.get((partition, key))
        return copy.deepcopy(found) if found is not None else None

    def items(self, partition: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self._of(partition))

    def page(
        self, partition: str, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        if limit < 1:
            raise ValueError("a page holds at least one item")  # DynamoDB refuses Limit 0 too
        start = cursors.decode(cursor, scope=page_scope(partition), keys=PAGE_KEYS, ring=self.ring)
        remaining = [i for i in self._of(partition) if not start or str(i["sk"]) > start["sk"]]
        shown = remaining[:limit]
        last = {name: shown[-1][name] for name in PAGE_KEYS} if len(remaining) > limit else None
        return copy.deepcopy(shown), cursors.encode(last, scope=page_scope(partition), ring=self.ring)

    def items_among(self, partition: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        found = {key: self.items_by_key.get((partition, key)) for key in set(keys)}
        return {key: copy.deepcopy(item) for key, item in found.items() if item is not None}

    def transactions_dated(self, start: date, end: date) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for month in months(start, end):
            month_pk = schema.transactions_of_month_pk(month)
            found += sorted(
                (
                    i
                    for i in self.items_by_key.values()
                    if i.get("gsi2pk") == month_pk
                    and start.isoformat() <= str(i.get("gsi2sk", "")) <= f"{end.isoformat()}#\uffff"
                ),
                key=lambda i: str(i["gsi2sk"]),
            )
        return copy.deepcopy(found)

    # -- writes --------------------------------------------------------------------------------------
    def _holds(self, write: Write) -> bool:
        """Whether the write's expectation of the stored item holds."""
        stored = self.items_by_key.get(_key(write.item))
        match write:
            case Created():
                return stored is None
            case Replaced(version=version):
                return _at(stored, version)
            case Unchanged(item=item):
                return _at(stored, version_of(item))
            case Stored():
                return True

    def save_change(self, writes: Sequence[Write], *, refused: DeskError) -> None:
        check_change(writes)
        puts = [(w, stored_item(w.item)) for w in writes if not isinstance(w, Unchanged)]
        if not all(self._holds(w) for w in writes):
            raise refused
        for _, item in puts:
            self.items_by_key[_key(item)] = item

    def save_import(self, items: Sequence[Mapping[str, Any]]) -> None:
        check_import(items)
        for item in [stored_item(i) for i in items]:
            self.items_by_key[_key(item)] = item


def _at(stored: Mapping[str, Any] | None, version: int) -> bool:
    if stored is None:
        return False
    if version == 0:
        return "version" not in stored
    return "version" in stored and int(stored["version"]) == version


class InMemoryAuditTrail:
    """The ``AuditTrail`` reading the entries the reference twin's changes wrote with them (as the table
    holds both)."""

    def __init__(self, reference: InMemoryReference) -> None:
        self.reference = reference

    def record(self, entry: Mapping[str, Any]) -> None:
        item = stored_item(entry)
        self.reference.items_by_key[_key(item)] = item

    def history(
        self, entity: str, entity_id: str | None, *, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        if limit < 1:
            raise ValueError("a page holds at least one entry")
        scope = history_scope(entity, entity_id)
        keys = ITEM_KEYS if entity_id else ENTITY_KEYS
        start = cursors.decode(cursor, scope=scope, keys=keys, ring=self.reference.ring)
        everything = self.reference.items_by_key.values()
        if entity_id:
            # gsi1 orders by its sort key; entries of one instant have no order of their own in DynamoDB.
            wanted = schema.reference_item_audit_pk(entity, entity_id)
            found = [e for e in everything if e.get("gsi1pk") == wanted]

            def place(entry: Mapping[str, Any]) -> tuple[str, ...]:
                return str(entry["gsi1sk"]), str(entry["pk"]), str(entry["sk"])

        else:
            found = [e for e in everything if e["pk"] == schema.reference_audit_pk(entity)]

            def place(entry: Mapping[str, Any]) -> tuple[str, ...]:
                return (str(entry["sk"]),)

        newest_first = sorted(found, key=place, reverse=True)
        remaining = [e for e in newest_first if not start or place(e) < place(start)]
        shown = remaining[:limit]
        last = {name: shown[-1][name] for name in keys} if len(remaining) > limit else None
        return copy.deepcopy(shown), cursors.encode(last, scope=scope, ring=self.reference.ring)


class InMemoryLocalAccounts:
    """The ``LocalAccounts`` in a dict by token: a link activates its account once."""

    def __init__(self) -> None:
        self.accounts: dict[str, dict[str, Any]] = {}

    def record(self, token: str, *, user_id: str, number: str, created_at: str) -> None:
        self.accounts[token] = {"user_id": user_id, "number": number, "created_at": created_at}

    def activate(self, token: str) -> dict[str, Any] | None:
        account = self.accounts.get(token)
        if account is None or account.get("activated"):
            return None
        account["activated"] = True
        return {k: v for k, v in account.items() if k != "activated"}
