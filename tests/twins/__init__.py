"""In-memory twins of the data layer's repositories, for the service tier only (``make run`` and the
other tiers use moto). Each twin is held to the moto-backed implementation by one behaviour suite
(tests/behaviour/), so the two cannot drift."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from desk import clock
from desk.approvals.tasks import DecidesOnce, TaskNotOpen
from desk.calendar import Override
from desk.calendar_store import override_exists, override_missing
from desk.data import cursors, schema
from desk.data.requests import of_partition, queue_keys
from desk.data.tasks import index_keys
from desk.documents.store import CheckClaimLost
from desk.errors import Conflict
from desk.requests.store import (
    AttachUpload,
    Claim,
    ClaimClash,
    Hold,
    IdempotencyClash,
    Note,
    QueuePage,
    Release,
    StoredRequest,
)
from desk.signing import KeyRing


class InMemoryRequests:
    """The ``RequestRepository`` in a dict: every write of one call succeeds or none does. Uploads a
    request attaches are the upload twin's records (the one table holds both in DynamoDB)."""

    def __init__(self, uploads: InMemoryUploads | None = None, ring: KeyRing | None = None) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.uploads = uploads if uploads is not None else InMemoryUploads()
        self.ring = ring

    def _key(self, item: Mapping[str, Any]) -> tuple[str, str]:
        return str(item["pk"]), str(item["sk"])

    def _apply(self, writes: list[_Write]) -> None:
        """Every write or none (a transaction): each ``(item, allowed)`` puts the item if ``allowed`` (given
        what the key holds now, or None) says so, or deletes the key when ``item`` is only a key and
        ``allowed`` is ``_deleting``; an upload attached is set on the upload twin."""
        for index, (item, allowed) in enumerate(writes):
            if allowed is not _deleting and not allowed(self.items.get(self._key(item))):
                raise _Refused(index)
        for item, allowed in writes:
            if allowed is _deleting:
                self.items.pop(self._key(item), None)
            elif "upload_id" in item and self._key(item) == self._key(schema.upload(item["upload_id"])):
                self.uploads.items[str(item["upload_id"])] = copy.deepcopy(item)
            else:
                self.items[self._key(item)] = copy.deepcopy(item)

    def _claims(self, claims: Sequence[Claim], number: str) -> list[_Write]:
        writes: list[_Write] = []
        for claim in claims:
            match claim:
                case AttachUpload(upload_id=upload_id, at=at):
                    record = self.uploads.load(upload_id)
                    usable = record is not None and attachable(record, at)
                    attached = attached_to(record or {}, number, at)
                    writes.append(({**schema.upload(upload_id), **attached}, lambda _, ok=usable: ok))
                case Hold(key=key, fields=fields, taking_over_from=previous):
                    writes.append(
                        (
                            {**fields, **key, "number": number},
                            lambda held, previous=previous: held is None
                            or (previous is not None and held.get("number") == previous),
                        )
                    )
                case Note(key=key, fields=fields):
                    writes.append(({**fields, **key, "number": number}, _always))
                case Release(key=key):
                    writes.append((dict(key), _deleting))
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
        claims: Sequence[Claim] = (),
    ) -> None:
        if self._key(item) in self.items:
            raise Conflict("the request exists")
        item = item | queue_keys(item)[0]
        for record in idempotency:
            held = self.items.get(self._key(record))
            if held is not None and int(held.get("expires_at", 0)) >= now_epoch:
                raise IdempotencyClash()
        puts: list[_Write] = [(item, _absent), *([(identity, _always)] if identity else [])]
        puts += [(event, _always) for event in events] + [(record, _always) for record in idempotency]
        try:
            self._apply([*puts, *self._claims(claims, item["number"])])
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
        claims: Sequence[Claim] = (),
    ) -> dict[str, Any]:
        number = item["number"]
        stored = self.items.get(self._key(schema.request(number)))
        if stored is None or int(stored["version"]) != expected_version:
            raise Conflict("changed meanwhile", code="edit_conflict")
        updated = {**stored, **fields, "version": expected_version + len(events)}
        keys, remove = queue_keys(updated)
        for name in remove:
            updated.pop(name, None)
        updated |= keys
        numbered = [{**schema.event(number, expected_version + 1 + i), **e} for i, e in enumerate(events)]
        try:
            self._apply(
                [(updated, _always), *((e, _absent) for e in numbered), *self._claims(claims, number)]
            )
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
        self._apply([({**stored, "version": expected_version + 1}, _always), (event, _absent)])

    def held(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        found = self.items.get(self._key(key))
        return copy.deepcopy(found) if found is not None else None

    def meetings_booked(self, officer: str, first: str, last: str) -> set[str]:
        pk = schema.meetings_pk(officer)
        return {sk for p, sk in self.items if p == pk and first <= sk <= last}

    def flag(self, number: str, reason: str) -> None:
        item = self.items.setdefault(self._key(schema.request(number)), dict(schema.request(number)))
        item |= {"needs_attention": True, "attention_reason": reason}

    def _indexed(self, index: str, pk: str) -> list[dict[str, Any]]:
        found = [i for i in self.items.values() if i.get(f"{index}pk") == pk]
        return sorted(found, key=lambda i: (str(i[f"{index}sk"]), str(i["pk"]), str(i["sk"])))

    def open_work(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._indexed("gsi3", schema.OPEN))

    def queue(self, page: QueuePage) -> tuple[list[dict[str, Any]], str | None]:
        """A DynamoDB Query's page: ``limit`` items read, then filtered by status; a cursor while more
        are left to read."""
        index, pk = (
            ("gsi2", schema.assignee_pk(page.assignee))
            if page.assignee
            else ("gsi1", schema.queue_pk(page.unit))
        )
        scope = f"queue:{index}:{pk}:{page.status or ''}"
        names = ("pk", "sk", f"{index}pk", f"{index}sk")
        start = cursors.decode(page.cursor, scope=scope, keys=names, ring=self.ring)
        listed = self._indexed(index, pk)
        if start:
            after = (start[f"{index}sk"], start["pk"], start["sk"])
            listed = [i for i in listed if (str(i[f"{index}sk"]), str(i["pk"]), str(i["sk"])) > after]
        read, rest = listed[: page.limit], listed[page.limit :]
        kept = [copy.deepcopy(i) for i in read if not page.status or i.get("status") == page.status]
        last = {name: read[-1][name] for name in names} if rest else None
        return kept, cursors.encode(last, scope=scope, ring=self.ring)


class _Refused(Exception):
    """A conditional put found its item: the whole call writes nothing."""


def _absent(held: dict[str, Any] | None) -> bool:
    return held is None


def _always(held: dict[str, Any] | None) -> bool:
    return True


def _deleting(held: dict[str, Any] | None) -> bool:
    """Marks a write that deletes its key (never refused)."""
    return True


_Write = tuple[Mapping[str, Any], Callable[[dict[str, Any] | None], bool]]


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


def attachable(record: dict[str, Any], at: str) -> bool:
    """An upload's record may be attached at ``at`` (the condition ``desk.data.uploads.attaching`` sets)."""
    return (
        record.get("status") == "accepted"
        and "attached_to" not in record
        and "attach_before" in record
        and str(record["attach_before"]) >= at
    )


def attached_to(record: dict[str, Any], number: str, at: str) -> dict[str, Any]:
    attached = {**record, "attached_to": number, "attached_at": at}
    attached.pop("expires_at", None)
    return attached


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

    def attach(self, upload_id: str, number: str, at: str) -> bool:
        item = self.items.get(upload_id)
        if item is None or not attachable(item, at):
            return False
        self.items[upload_id] = attached_to(item, number, at)
        return True

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


class InMemoryCounters:
    """``Counters`` in a dict, behaving as ``desk.data.counters.CounterStore`` does."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def add(
        self, key: Mapping[str, str], *, name: str = "count", fields: Mapping[str, Any] | None = None
    ) -> int:
        item = self.items.setdefault((key["pk"], key["sk"]), dict(key))
        item |= dict(fields or {})
        item[name] = int(item.get(name, 0)) + 1
        return int(item[name])

    def counts(self, keys: Sequence[Mapping[str, str]], *, name: str = "count") -> list[int]:
        return [int(self.items.get((k["pk"], k["sk"]), {}).get(name, 0)) for k in keys]


class InMemoryMarks:
    """``Marks`` in a dict, behaving as ``desk.data.marks.MarkStore`` does."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def first(self, key: Mapping[str, str], fields: Mapping[str, Any]) -> bool:
        if (key["pk"], key["sk"]) in self.items:
            return False
        self.items[(key["pk"], key["sk"])] = {**fields, **key}
        return True

    def any_marked(self, keys: Sequence[Mapping[str, str]]) -> bool:
        return any((k["pk"], k["sk"]) in self.items for k in keys)

    def mark(self, keys: Sequence[Mapping[str, str]], fields: Mapping[str, Any]) -> None:
        for key in keys:
            self.items[(key["pk"], key["sk"])] = {**fields, **key}

    def swap(self, key: Mapping[str, str], fields: Mapping[str, Any]) -> dict[str, Any] | None:
        previous = self.items.get((key["pk"], key["sk"]))
        self.items[(key["pk"], key["sk"])] = {**fields, **key}
        return previous


class InMemoryWorkflows:
    """``Workflows`` in memory: executions by name (a name is taken once, as Step Functions keeps it for
    90 days), and the tokens of steps waiting for a result."""

    def __init__(self) -> None:
        self.executions: dict[str, tuple[str, dict[str, Any]]] = {}
        self.waiting: set[str] = set()
        self.handed: dict[str, str] = {}

    def start_once(self, state_machine_arn: str, name: str, execution_input: dict[str, Any]) -> bool:
        if name in self.executions:
            return False
        self.executions[name] = (state_machine_arn, copy.deepcopy(execution_input))
        return True

    def hand_over(self, token: str, output: str) -> bool:
        if token not in self.waiting:
            return False
        self.waiting.discard(token)
        self.handed[token] = output
        return True
