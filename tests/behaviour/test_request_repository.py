"""One behaviour suite for the request repository, run against DynamoDB (moto, the table as the template
declares it) and against the in-memory twin the service tier uses: a twin that drifts fails here."""

from __future__ import annotations

from typing import Any

import pytest
from twins import InMemoryRequests

from desk.data import schema
from desk.data.requests import RequestStore
from desk.errors import Conflict
from desk.requests.store import ClaimClash, IdempotencyClash, RequestRepository

NOW = 1_800_000_000  # epoch seconds: the suite compares TTLs, never reads a clock


@pytest.fixture(params=["dynamodb", "twin"])
def store(request: pytest.FixtureRequest) -> RequestRepository:
    if request.param == "twin":
        return InMemoryRequests()
    return RequestStore(request.getfixturevalue("moto_table"))


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


def _guard(store: RequestRepository, pk: str) -> dict[str, Any]:
    name = store.table.name if isinstance(store, RequestStore) else "twin"
    return {
        "Put": {
            "TableName": name,
            "Item": {"pk": pk, "sk": "GUARD"},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def test_a_refused_claim_refuses_the_whole_creation(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", extra=[_guard(store, "CLAIM#x")])
    with pytest.raises(ClaimClash):
        _create(store, "EP-2026-000002", extra=[_guard(store, "CLAIM#x")])
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
    _create(store, "EP-2026-000001", extra=[_guard(store, "CLAIM#y")])
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    with pytest.raises(ClaimClash):
        store.commit(item, 1, {"status": "in_progress"}, [{"kind": "step"}], extra=[_guard(store, "CLAIM#y")])
    assert store.load("EP-2026-000001").item["version"] == 1  # type: ignore[union-attr]


def _release(store: RequestRepository, pk: str) -> dict[str, Any]:
    name = store.table.name if isinstance(store, RequestStore) else "twin"
    return {"Delete": {"TableName": name, "Key": {"pk": pk, "sk": "GUARD"}}}


def test_a_commit_releases_a_claim_with_its_change_and_only_then(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001", extra=[_guard(store, "CLAIM#z")])
    item = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    store.commit(item, 1, {"status": "in_progress"}, [{"kind": "step"}])
    with pytest.raises(Conflict):  # a stale change: the claim stays with it
        store.commit(item, 1, {"status": "closed"}, [{"kind": "closed"}], extra=[_release(store, "CLAIM#z")])
    with pytest.raises(ClaimClash):
        _create(store, "EP-2026-000002", extra=[_guard(store, "CLAIM#z")])
    fresh = store.load("EP-2026-000001").item  # type: ignore[union-attr]
    store.commit(fresh, 2, {"status": "closed"}, [{"kind": "closed"}], extra=[_release(store, "CLAIM#z")])
    _create(store, "EP-2026-000002", extra=[_guard(store, "CLAIM#z")])
    assert store.load("EP-2026-000002") is not None


def test_an_appended_event_needs_the_version_it_read(store: RequestRepository) -> None:
    _create(store, "EP-2026-000001")
    store.append_event("EP-2026-000001", 1, {**schema.event("EP-2026-000001", 2), "kind": "mail_sent"})
    with pytest.raises(Conflict):
        store.append_event("EP-2026-000001", 1, {**schema.event("EP-2026-000001", 3), "kind": "mail_sent"})
    loaded = store.load("EP-2026-000001")
    assert loaded is not None and loaded.item["version"] == 2 and len(loaded.events) == 2
