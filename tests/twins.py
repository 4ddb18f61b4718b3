"""In-memory twins of the data layer's repositories, for the service tier only (``make run`` and the
other tiers use moto). Each twin is held to the moto-backed implementation by one behaviour suite
(tests/behaviour/), so the two cannot drift."""

from __future__ import annotations

import copy
from typing import Any

from desk.data import schema
from desk.errors import Conflict
from desk.requests.store import ClaimClash, IdempotencyClash, StoredRequest, queue_keys


class InMemoryRequests:
    """The ``RequestRepository`` in a dict: every write of one call succeeds or none does."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def _key(self, item: dict[str, Any]) -> tuple[str, str]:
        return str(item["pk"]), str(item["sk"])

    def _apply(self, puts: list[tuple[dict[str, Any], bool]]) -> None:
        """Put every item, or none if one with ``must_be_new`` exists (a transaction)."""
        for item, must_be_new in puts:
            if must_be_new and self._key(item) in self.items:
                raise _Refused(puts.index((item, must_be_new)))
        for item, _ in puts:
            self.items[self._key(item)] = copy.deepcopy(item)

    def _extra(self, operations: list[dict[str, Any]] | None) -> list[tuple[dict[str, Any], bool]]:
        """The claims a use case adds: only "put if absent" is known here (what a twin cannot do, it
        refuses loudly rather than pretend)."""
        puts = []
        for operation in operations or []:
            put = operation.get("Put") or {}
            if set(operation) != {"Put"} or put.get("ConditionExpression") != "attribute_not_exists(pk)":
                raise NotImplementedError(f"the twin does not know {operation}")
            puts.append((put["Item"], True))
        return puts

    def next_sequence(self, name: str) -> int:
        key = self._key(schema.counter(name))
        counter = self.items.setdefault(key, {**schema.counter(name), "value": 0})
        counter["value"] += 1
        return int(counter["value"])

    def idempotency_records(self, keys: list[str]) -> list[dict[str, Any]]:
        found = [self.items.get(self._key(schema.idempotency(key))) for key in keys]
        return [copy.deepcopy(item) for item in found if item is not None]

    def create(
        self,
        item: dict[str, Any],
        identity: dict[str, Any] | None,
        events: list[dict[str, Any]],
        idempotency: list[dict[str, Any]],
        now_epoch: int,
        extra: list[dict[str, Any]] | None = None,
    ) -> None:
        if self._key(item) in self.items:
            raise Conflict("the request exists")
        for record in idempotency:
            held = self.items.get(self._key(record))
            if held is not None and int(held.get("expires_at", 0)) >= now_epoch:
                raise IdempotencyClash()
        claims = self._extra(extra)
        puts = [(item, True), *([(identity, False)] if identity else []), *((e, False) for e in events)]
        puts += [(record, False) for record in idempotency]
        try:
            self._apply([*puts, *claims])
        except _Refused:
            raise ClaimClash() from None

    def load(self, number: str) -> StoredRequest | None:
        pk = schema.request_pk(number)
        return StoredRequest.of_partition(
            [copy.deepcopy(v) for (p, _), v in sorted(self.items.items()) if p == pk]
        )

    def commit(
        self,
        item: dict[str, Any],
        expected_version: int,
        fields: dict[str, Any],
        events: list[dict[str, Any]],
        extra: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        number = item["number"]
        stored = self.items.get(self._key(schema.request(number)))
        if stored is None or int(stored["version"]) != expected_version:
            raise Conflict("changed meanwhile", code="edit_conflict")
        claims = self._extra(extra)
        updated = {**stored, **fields, "version": expected_version + len(events)}
        keys, remove = queue_keys(updated)
        for name in remove:
            updated.pop(name, None)
        updated |= keys
        numbered = [{**schema.event(number, expected_version + 1 + i), **e} for i, e in enumerate(events)]
        try:
            self._apply([(updated, False), *((e, True) for e in numbered), *claims])
        except _Refused:
            raise ClaimClash() from None
        answer = {**item, **fields, "version": updated["version"]}
        for name in remove:
            answer.pop(name, None)
        return answer | keys

    def append_event(self, number: str, expected_version: int, event: dict[str, Any]) -> None:
        stored = self.items.get(self._key(schema.request(number)))
        if stored is None or int(stored["version"]) != expected_version:
            raise Conflict("changed meanwhile", code="edit_conflict")
        self._apply([({**stored, "version": expected_version + 1}, False), (event, True)])


class _Refused(Exception):
    """A conditional put found its item: the whole call writes nothing."""
