"""In-memory twins of the data layer's repositories, for the service tier only (``make run`` and the
other tiers use moto). Each twin is held to the moto-backed implementation by one behaviour suite
(tests/behaviour/), so the two cannot drift."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from desk import clock
from desk.approvals.tasks import DecidesOnce, TaskNotOpen
from desk.calendar import Override
from desk.calendar_store import override_exists, override_missing
from desk.data import schema
from desk.data.requests import of_partition, queue_keys
from desk.data.tasks import index_keys
from desk.documents.store import CheckClaimLost
from desk.errors import Conflict
from desk.requests.store import ClaimClash, IdempotencyClash, StoredRequest


class InMemoryRequests:
    """The ``RequestRepository`` in a dict: every write of one call succeeds or none does."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def _key(self, item: dict[str, Any]) -> tuple[str, str]:
        return str(item["pk"]), str(item["sk"])

    def _apply(self, writes: list[tuple[dict[str, Any], bool | None]]) -> None:
        """Every write or none (a transaction): put an item (refused if ``must_be_new`` and it exists), or
        delete a key (``None``)."""
        for index, (item, must_be_new) in enumerate(writes):
            if must_be_new and self._key(item) in self.items:
                raise _Refused(index)
        for item, must_be_new in writes:
            if must_be_new is None:
                self.items.pop(self._key(item), None)
            else:
                self.items[self._key(item)] = copy.deepcopy(item)

    def _extra(self, operations: list[dict[str, Any]] | None) -> list[tuple[dict[str, Any], bool | None]]:
        """The claims a use case adds: "put if absent" and an unconditional delete are known here (what a
        twin cannot do, it refuses loudly rather than pretend). A delete is a ``(key, None)`` pair."""
        writes: list[tuple[dict[str, Any], bool | None]] = []
        for operation in operations or []:
            put = operation.get("Put") or {}
            delete = operation.get("Delete") or {}
            if set(operation) == {"Delete"} and "ConditionExpression" not in delete:
                writes.append((delete["Key"], None))
            elif set(operation) == {"Put"} and put.get("ConditionExpression") == "attribute_not_exists(pk)":
                writes.append((put["Item"], True))
            else:
                raise NotImplementedError(f"the twin does not know {operation}")
        return writes

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
        item = item | queue_keys(item)[0]
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
        return of_partition([copy.deepcopy(v) for (p, _), v in sorted(self.items.items()) if p == pk])

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


class InMemoryTasks(DecidesOnce):
    """The ``TaskRepository`` in a dict, its two task lists read the way the indexes serve them."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.audits: list[dict[str, Any]] = []

    def load(self, task_id: str) -> dict[str, Any] | None:
        found = self.items.get(task_id)
        return copy.deepcopy(found) if found is not None else None

    def create(self, task: dict[str, Any]) -> None:
        if task["task_id"] in self.items:
            raise Conflict("the task exists")
        self.items[task["task_id"]] = copy.deepcopy(
            {**schema.task(task["task_id"]), **task, **index_keys(task)}
        )

    def update(
        self, task_id: str, values: dict[str, Any], *, require_open: bool = True, remove: tuple[str, ...] = ()
    ) -> None:
        task = self.items.get(task_id)
        if require_open and (task is None or task.get("status") != "open"):
            raise TaskNotOpen(task_id)
        task = self.items.setdefault(task_id, schema.task(task_id))
        task.update(copy.deepcopy(values))
        for name in remove:
            task.pop(name, None)

    def open_for(self, role: str, unit: str, person: str) -> list[dict[str, Any]]:
        wanted = {
            ("gsi1pk", schema.tasks_of_role_pk(role, unit)),
            ("gsi2pk", schema.tasks_of_person_pk(person)),
        }
        found = [t for t in self.items.values() if any(t.get(name) == value for name, value in wanted)]
        return sorted((copy.deepcopy(t) for t in found), key=lambda t: t.get("due_at", ""))

    def audit(self, number: str, kind: str, now: datetime, **data: Any) -> None:
        self.audits.append({"number": number, "kind": kind, "at": now, "data": data})


def open_task(task_id: str, **fields: Any) -> dict[str, Any]:
    """A registration's verification task, open, at LPSE Bali; ``fields`` change it."""
    return {
        "task_id": task_id,
        "number": "EP-2026-000001",
        "step": "registration:verification",
        "role": "lpse_verifier",
        "unit": "lpse-bali",
        "status": "open",
        **fields,
    }


class InMemoryCalendar:
    """The ``CalendarRepository`` in a dict: every change bumps the version and is recorded."""

    def __init__(self) -> None:
        self.overrides: dict[tuple[str, date], Override] = {}
        self.version = 0
        self.changes: list[dict[str, Any]] = []

    def load(self) -> tuple[list[Override], int]:
        return [self.overrides[k] for k in sorted(self.overrides)], self.version

    def _changed(self, action: str, override: Override, actor: str) -> int:
        self.version += 1
        self.changes.append({"version": self.version, "action": action, "date": override.date, "by": actor})
        return self.version

    def add(self, override: Override, *, actor: str, now: datetime) -> tuple[Override, int]:
        key = (override.scope, override.date)
        if key in self.overrides:
            raise override_exists()
        stored = replace(override, created_by=actor, created_at=clock.iso(now))
        self.overrides[key] = stored
        return stored, self._changed("add", stored, actor)

    def remove(self, day: date, scope: str, *, actor: str, now: datetime) -> tuple[Override, int]:
        removed = self.overrides.pop((scope, day), None)
        if removed is None:
            raise override_missing()
        return removed, self._changed("remove", removed, actor)


class InMemoryUploads:
    """Upload records held in a dict, behaving as ``desk.data.uploads.UploadStore`` does."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def create(self, record: dict[str, Any]) -> None:
        if record["upload_id"] in self.items:
            raise Conflict("the upload exists", code="upload_exists")
        self.items[record["upload_id"]] = copy.deepcopy(record)

    def load(self, upload_id: str) -> dict[str, Any] | None:
        item = self.items.get(upload_id)
        return copy.deepcopy(item) if item else None

    def claim_check(self, upload_id: str, *, token: str, until: str, now: str) -> bool:
        item = self.items.get(upload_id)
        if item is None or item.get("status") != "pending":
            return False
        if "check_claim" in item and not item["check_claimed_until"] < now:
            return False
        item |= {"check_claim": token, "check_claimed_until": until}
        return True

    def release_check(self, upload_id: str, token: str) -> None:
        item = self.items.get(upload_id)
        if item is not None and item.get("check_claim") == token:
            item.pop("check_claim")
            item.pop("check_claimed_until", None)

    def record_outcome(self, upload_id: str, token: str, fields: dict[str, Any]) -> None:
        item = self.items.get(upload_id)
        if item is None or item.get("status") != "pending" or item.get("check_claim") != token:
            raise CheckClaimLost(upload_id)
        item |= copy.deepcopy(fields)
        item.pop("check_claim")
        item.pop("check_claimed_until", None)


class InMemorySessions:
    """Training sessions and bookings held in dicts, behaving as ``desk.data.sessions.SessionStore``."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.booked: dict[tuple[str, str], dict[str, Any]] = {}

    def create(self, session: Mapping[str, Any]) -> None:
        if session["session_id"] in self.items:
            raise Conflict("the session exists")
        self.items[session["session_id"]] = copy.deepcopy(dict(session))

    def load(self, session_id: str) -> dict[str, Any] | None:
        item = self.items.get(session_id)
        return copy.deepcopy(item) if item else None

    def sessions(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(i) for _, i in sorted(self.items.items())]

    def bookings(self, session_id: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(b) for (s, _), b in sorted(self.booked.items()) if s == session_id]

    def booking(self, session_id: str, number: str) -> dict[str, Any] | None:
        found = self.booked.get((session_id, number))
        return copy.deepcopy(found) if found else None

    def take_seats(self, session_id: str, *, seats: int, capacity: int, booking: Mapping[str, Any]) -> bool:
        session = self.items.get(session_id)
        if (
            session is None
            or session.get("status") != "scheduled"
            or int(session["capacity"]) != capacity
            or int(session["booked"]) > capacity - seats
            or (session_id, str(booking["number"])) in self.booked
        ):
            return False
        session["booked"] = int(session["booked"]) + seats
        self.booked[(session_id, str(booking["number"]))] = copy.deepcopy(dict(booking))
        return True

    def create_with_booking(self, session: Mapping[str, Any], booking: Mapping[str, Any]) -> bool:
        key = (str(session["session_id"]), str(booking["number"]))
        if session["session_id"] in self.items or key in self.booked:
            return False
        self.items[session["session_id"]] = copy.deepcopy(dict(session))
        self.booked[key] = copy.deepcopy(dict(booking))
        return True

    def change(
        self, session_id: str, fields: Mapping[str, Any], entry: Mapping[str, Any], version: int
    ) -> dict[str, Any]:
        session = self.items.get(session_id)
        if session is None or int(session["version"]) != version:
            raise Conflict("changed meanwhile", code="edit_conflict")
        session |= copy.deepcopy(dict(fields))
        session["version"] = version + 1
        session["history"] = [*session.get("history", []), copy.deepcopy(dict(entry))]
        return copy.deepcopy(session)

    def mark_reminded(self, session_id: str, number: str, start_date: str) -> None:
        self.booked[(session_id, number)]["reminded_for"] = start_date

    def set_participants(
        self, session_id: str, number: str, participants: list[dict[str, Any]], *, by: str, version: int
    ) -> None:
        found = self.booked.get((session_id, number))
        if found is None or int(found["version"]) != version:
            raise Conflict("changed meanwhile", code="edit_conflict")
        found |= {"participants": copy.deepcopy(participants), "version": version + 1, "attendance_by": by}
