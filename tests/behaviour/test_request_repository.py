"""One behaviour suite for the request repository, run against DynamoDB (moto, the table as the template
declares it) and against the in-memory twin the service tier uses: a twin that drifts fails here."""

from __future__ import annotations

from typing import Any

import pytest
from twins import InMemoryRequests

from desk.data import schema
from desk.data.requests import RequestStore
from desk.data.uploads import UploadStore
from desk.documents.store import UploadRepository
from desk.errors import Conflict, InvalidInput
from desk.requests.store import (
    AttachUpload,
    ClaimClash,
    Hold,
    IdempotencyClash,
    Note,
    QueuePage,
    Release,
    RequestRepository,
)
from desk.signing import KeyRing, SigningKey

NOW = 1_800_000_000  # epoch seconds: the suite compares TTLs, never reads a clock
RING = KeyRing(current=SigningKey(kid="k1", secret=b"behaviour-suite-signing-key-0123456789"))


@pytest.fixture(params=["dynamodb", "twin"])
def both(request: pytest.FixtureRequest) -> tuple[RequestRepository, UploadRepository]:
    """The request repository and the upload records beside it (one table in DynamoDB)."""
    if request.param == "twin":
        twin = InMemoryRequests(ring=RING)
        return twin, twin.uploads
    table = request.getfixturevalue("moto_table")
    return RequestStore(table, ring=RING), UploadStore(table)


@pytest.fixture
def store(both: tuple[RequestRepository, UploadRepository]) -> RequestRepository:
    return both[0]


def _request(number: str, **fields: Any) -> dict[str, Any]:
    item = {
        **schema.request(number),
        "number": number,
        "status": "submitted",
        "unit": "helpdesk",
        "version": 1,
    }
    item |= {"assignee": "", "sla": {"due_at": "2026-12-10T16:59:59Z"}, **fields}
    return item


def _first_event(number: str) -> dict[str, Any]:
    return {**schema.event(number, 1), "kind": "created", "at": "2026-12-03T02:00:00Z"}


def _record(key: str, number: str, expires_at: int) -> dict[str, Any]:
    return {
        **schema.idempotency(key),
        "fingerprint": "f",
        "result": {"number": number},
        "expires_at": expires_at,
    }


def _create(store: RequestRepository, number: str, records: list[dict[str, Any]] = (), **kw: Any) -> None:  # type: ignore[assignment]
    identity = {**schema.identity(number), "email": "ani@pemda.go.id"}
    store.create(_request(number), identity, [_first_event(number)], list(records), NOW, **kw)


def test_a_created_request_loads_with_its_identity_and_log(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001")
    loaded = store.load("EP-2026-000001")
    assert loaded is not None and loaded.item["status"] == "submitted"
    assert loaded.identity is not None and loaded.identity["email"] == "ani@pemda.go.id"
    assert [e["kind"] for e in loaded.events] == ["created"]
    assert store.load("EP-2026-000002") is None


def test_sequences_count_from_one_per_name(store: RequestRepository) -> None:
    assert [store.next_sequence("request#2026") for _ in range(3)] == [1, 2, 3]
    assert store.next_sequence("agenda#2026") == 1


def test_a_live_idempotency_record_refuses_the_whole_creation(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", [_record("key#a", "EP-2026-000001", NOW + 60)])
    assert [r["result"]["number"] for r in store.idempotency_records(["key#a", "key#b"])] == [
        "EP-2026-000001"
    ]
    with pytest.raises(IdempotencyClash):
        _create(store, "EP-2026-000002", [_record("key#a", "EP-2026-000002", NOW + 60)])
    assert store.load("EP-2026-000002") is None  # nothing half-made


def test_an_expired_idempotency_record_may_be_taken_over(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", [_record("key#a", "EP-2026-000001", NOW - 1)])
    _create(store, "EP-2026-000002", [_record("key#a", "EP-2026-000002", NOW + 60)])
    assert store.idempotency_records(["key#a"])[0]["result"]["number"] == "EP-2026-000002"


GUARD = {"pk": "CLAIM#x", "sk": "GUARD"}


def test_a_refused_claim_refuses_the_whole_creation(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", claims=[Hold(GUARD)])
    with pytest.raises(ClaimClash):
        _create(store, "EP-2026-000002", claims=[Hold(GUARD)])
    assert store.load("EP-2026-000002") is None


def test_a_commit_appends_numbered_events_and_moves_the_request_between_queues(
    store: RequestRepository,
) -> None:
    _create(store, "EP-2026-000001")
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    updated = store.commit(
        item, 1, {"status": "in_progress", "assignee": "budi@lkpp.go.id"}, [{"kind": "assigned"}]
    )
    assert updated["version"] == 2 and updated["gsi2pk"] == schema.assignee_pk("budi@lkpp.go.id")
    closed = store.commit(updated, 2, {"status": "closed"}, [{"kind": "closed"}])
    loaded = store.load("EP-2026-000001")
    assert loaded is not None and loaded.item["version"] == 3 and "gsi1pk" not in loaded.item
    assert "gsi1pk" not in closed
    assert [e["sk"] for e in loaded.events] == [schema.event_sk(1), schema.event_sk(2), schema.event_sk(3)]


def test_a_commit_on_a_stale_version_changes_nothing(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001")
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    store.commit(item, 1, {"status": "in_progress"}, [{"kind": "step"}])
    with pytest.raises(Conflict):
        store.commit(item, 1, {"status": "closed"}, [{"kind": "closed"}])
    loaded = store.load("EP-2026-000001")
    assert loaded is not None and loaded.item["status"] == "in_progress" and len(loaded.events) == 2


def test_a_commit_whose_claim_is_refused_changes_nothing(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", claims=[Hold(GUARD)])
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    with pytest.raises(ClaimClash):
        store.commit(item, 1, {"status": "in_progress"}, [{"kind": "step"}], claims=[Hold(GUARD)])
    assert store.load("EP-2026-000001").item["version"] == 1  # type: ignore[union-attr]


def test_a_commit_releases_a_claim_with_its_change_and_only_then(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", claims=[Hold(GUARD)])
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    store.commit(item, 1, {"status": "in_progress"}, [{"kind": "step"}])
    with pytest.raises(Conflict):  # a stale change: the claim stays with it
        store.commit(item, 1, {"status": "closed"}, [{"kind": "closed"}], claims=[Release(GUARD)])
    with pytest.raises(ClaimClash):
        _create(store, "EP-2026-000002", claims=[Hold(GUARD)])
    fresh = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    store.commit(fresh, 2, {"status": "closed"}, [{"kind": "closed"}], claims=[Release(GUARD)])
    _create(store, "EP-2026-000002", claims=[Hold(GUARD)])
    assert store.load("EP-2026-000002") is not None


def test_a_hold_names_its_request_and_may_be_taken_over_from_the_one_it_replaces(
    store: RequestRepository,
) -> None:
    _create(store, "EP-2026-000001", claims=[Hold(GUARD, {"transaction_id": "TRX-1"})])
    with pytest.raises(ClaimClash):  # held by another than the one named
        _create(store, "EP-2026-000002", claims=[Hold(GUARD, taking_over_from="EP-2026-000009")])
    _create(store, "EP-2026-000003", claims=[Hold(GUARD, taking_over_from="EP-2026-000001")])
    with pytest.raises(ClaimClash):  # the first lost it: it cannot be taken from it twice
        _create(store, "EP-2026-000004", claims=[Hold(GUARD, taking_over_from="EP-2026-000001")])


def test_a_note_is_written_whoever_held_its_key(store: RequestRepository) -> None:
    note = {"pk": "NOTE#a", "sk": "NOTE"}
    _create(store, "EP-2026-000001", claims=[Note(note, {"transaction_id": "TRX-1"})])
    _create(store, "EP-2026-000002", claims=[Note(note, {"transaction_id": "TRX-2"}), Hold(GUARD)])
    with pytest.raises(ClaimClash):  # refused whole: the note stays the second's
        _create(store, "EP-2026-000003", claims=[Note(note, {"transaction_id": "TRX-3"}), Hold(GUARD)])
    assert store.load("EP-2026-000003") is None


def _accepted(uploads: UploadRepository, upload_id: str, attach_before: str) -> None:
    uploads.create(
        {
            "upload_id": upload_id,
            "purpose": "attachment",
            "status": "accepted",
            "attach_before": attach_before,
        }
        | {"expires_at": NOW + 86_400}
    )


def test_an_upload_is_attached_once_while_accepted_and_in_time(
    both: tuple[RequestRepository, UploadRepository],
) -> None:
    store, uploads = both
    _accepted(uploads, "u-1", "2026-12-04T02:00:00Z")
    _accepted(uploads, "u-late", "2026-12-03T01:00:00Z")
    uploads.create({"upload_id": "u-pending", "purpose": "attachment", "status": "pending"})
    at = "2026-12-03T02:00:00Z"
    _create(store, "EP-2026-000001", claims=[AttachUpload("u-1", at)])
    attached = uploads.load("u-1")
    assert attached is not None and attached["attached_to"] == "EP-2026-000001"
    assert attached["attached_at"] == at and "expires_at" not in attached  # kept with its request
    for upload_id in ("u-1", "u-late", "u-pending", "u-none"):
        with pytest.raises(ClaimClash):
            _create(store, "EP-2026-000002", claims=[AttachUpload(upload_id, at)])
        assert store.load("EP-2026-000002") is None, upload_id


def test_an_appended_event_needs_the_version_it_read(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001")
    store.append_event("EP-2026-000001", 1, {**schema.event("EP-2026-000001", 2), "kind": "mail_sent"})
    with pytest.raises(Conflict):
        store.append_event("EP-2026-000001", 1, {**schema.event("EP-2026-000001", 3), "kind": "mail_sent"})
    loaded = store.load("EP-2026-000001")
    assert loaded is not None and loaded.item["version"] == 2 and len(loaded.events) == 2


def test_held_items_are_read_back_with_the_request_that_holds_them(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", claims=[Hold(GUARD, {"transaction_id": "TRX-1"})])
    assert store.held(GUARD) == {**GUARD, "transaction_id": "TRX-1", "number": "EP-2026-000001"}
    assert store.held({"pk": "CLAIM#none", "sk": "GUARD"}) is None


def test_an_officers_booked_half_hours_are_read_within_a_range(store: RequestRepository) -> None:
    halves = ["2026-12-07T02:00:00Z", "2026-12-07T02:30:00Z", "2026-12-08T02:00:00Z"]
    _create(store, "EP-2026-000001", claims=[Hold(schema.meeting("ani@lkpp.go.id", h)) for h in halves])
    _create(store, "EP-2026-000002", claims=[Hold(schema.meeting("budi@lkpp.go.id", "2026-12-07T03:00:00Z"))])
    booked = store.meetings_booked("ani@lkpp.go.id", "2026-12-07T00:00:00Z", "2026-12-07T09:00:00Z")
    assert booked == set(halves[:2])
    with pytest.raises(ClaimClash):  # a half hour already held
        _create(store, "EP-2026-000003", claims=[Hold(schema.meeting("ani@lkpp.go.id", halves[1]))])


def test_a_flag_marks_the_request_without_taking_a_version(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001")
    store.flag("EP-2026-000001", "mail bounced")
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    assert item["needs_attention"] is True and item["attention_reason"] == "mail bounced"
    assert item["version"] == 1


def _due(day: int) -> dict[str, Any]:
    return {"sla": {"due_at": f"2026-12-{day:02d}T16:59:59Z"}}


def test_open_work_is_every_open_request_soonest_deadline_first(store: RequestRepository) -> None:
    for number, day in (("EP-2026-000001", 10), ("EP-2026-000002", 8), ("EP-2026-000003", 9)):
        store.create(_request(number, **_due(day)), None, [_first_event(number)], [], NOW)
    item = store.load("EP-2026-000003").item  # type: ignore[union-attr]
    store.commit(item, 1, {"status": "closed"}, [{"kind": "closed"}])
    assert [i["number"] for i in store.open_work()] == ["EP-2026-000002", "EP-2026-000001"]


def test_a_queue_is_read_a_page_at_a_time_and_its_cursor_serves_that_queue_only(
    store: RequestRepository,
) -> None:
    for n in range(1, 6):
        number = f"EP-2026-00000{n}"
        fields = {"status": "in_progress" if n % 2 else "submitted", "assignee": "ani@lkpp.go.id"}
        store.create(_request(number, **_due(n + 3), **fields), None, [_first_event(number)], [], NOW)
    seen: list[str] = []
    page = QueuePage(unit="helpdesk", limit=2)
    while True:
        items, cursor = store.queue(page)
        seen += [i["number"] for i in items]
        if cursor is None:
            break
        page = QueuePage(unit="helpdesk", limit=2, cursor=cursor)
    assert seen == [f"EP-2026-00000{n}" for n in range(1, 6)]
    first, cursor = store.queue(QueuePage(assignee="ani@lkpp.go.id", status="in_progress", limit=2))
    assert [i["number"] for i in first] == ["EP-2026-000001"]  # two read, one kept by the filter
    rest, _ = store.queue(QueuePage(assignee="ani@lkpp.go.id", status="in_progress", cursor=cursor))
    assert [i["number"] for i in rest] == ["EP-2026-000003", "EP-2026-000005"]
    with pytest.raises(InvalidInput):  # another list's cursor
        store.queue(QueuePage(unit="helpdesk", cursor=cursor))
