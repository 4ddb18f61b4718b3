"""One behaviour suite for counters and marks, against DynamoDB (moto) and the in-memory twins: counts
add up per key and name, a mark is made first by one caller only, and a swap hands back what was there."""

from __future__ import annotations

import pytest
from twins import InMemoryCounters, InMemoryMarks

from desk.data.counters import CounterStore
from desk.data.marks import MarkStore
from desk.marks import Counters, Marks

A = {"pk": "RATE#number#EP-2026-000001#", "sk": "1"}
B = {"pk": "RATE#client#10.0.0.1", "sk": "1"}


@pytest.fixture(params=["dynamodb", "twin"])
def counters(request: pytest.FixtureRequest) -> Counters:
    if request.param == "twin":
        return InMemoryCounters()
    return CounterStore(request.getfixturevalue("moto_table"))


@pytest.fixture(params=["dynamodb", "twin"])
def marks(request: pytest.FixtureRequest) -> Marks:
    if request.param == "twin":
        return InMemoryMarks()
    return MarkStore(request.getfixturevalue("moto_table"))


def test_counts_add_up_per_key_and_name_and_read_back_in_order(counters: Counters) -> None:
    assert [counters.add(A, fields={"expires_at": 1}) for _ in range(3)] == [1, 2, 3]
    assert counters.add(B) == 1
    assert counters.add(A, name="attempts", fields={"last_at": "2026-12-03T02:00:00Z"}) == 1
    assert counters.counts([B, {"pk": "RATE#none", "sk": "1"}, A]) == [1, 0, 3]
    assert counters.counts([A], name="attempts") == [1]
    assert counters.counts([]) == []


def test_a_mark_is_made_first_once_and_seen_after(marks: Marks) -> None:
    assert not marks.any_marked([A, B])
    assert marks.first(A, {"expires_at": 10})
    assert not marks.first(A, {"expires_at": 20})
    assert marks.any_marked([B, A]) and not marks.any_marked([B]) and not marks.any_marked([])
    marks.mark([A, B], {"expires_at": 30})  # marking again is no refusal
    assert marks.any_marked([B])


def test_a_swap_writes_and_hands_back_what_was_there(marks: Marks) -> None:
    assert marks.swap(A, {"until": "2026-12-03T02:00:00Z"}) is None
    assert marks.swap(A, {"until": "2026-12-03T02:05:00Z"}) == {**A, "until": "2026-12-03T02:00:00Z"}
    assert not marks.first(A, {})
