"""How the data layer reads AWS refusals: a refused condition is an answer, a transaction cancelled for
a changed item is a clash, and a throttle is neither (it is raised, for the caller's retry or a 503)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from desk.data.dynamo import conditional, error_code, written_meanwhile


def _error(code: str, *reasons: str) -> ClientError:
    answer = {"Error": {"Code": code, "Message": "x"}}
    if reasons:
        answer["CancellationReasons"] = [{"Code": r} for r in reasons]  # type: ignore[assignment]
    return ClientError(answer, "TransactWriteItems")  # type: ignore[arg-type]


def _raises(error: Exception) -> dict[str, str]:
    raise error


def test_a_refused_condition_is_none_and_anything_else_is_raised() -> None:
    assert conditional(lambda: {"ok": "yes"}) == {"ok": "yes"}
    assert conditional(lambda: _raises(_error("ConditionalCheckFailedException"))) is None
    with pytest.raises(ClientError):
        conditional(lambda: _raises(_error("ProvisionedThroughputExceededException")))


def test_a_cancelled_transaction_is_a_clash_only_when_an_item_changed() -> None:
    assert written_meanwhile(_error("TransactionCanceledException", "None", "ConditionalCheckFailed"))
    assert written_meanwhile(_error("TransactionCanceledException", "TransactionConflict", "None"))
    assert not written_meanwhile(_error("TransactionCanceledException", "ThrottlingError", "None"))
    assert not written_meanwhile(_error("ConditionalCheckFailedException"))
    assert not written_meanwhile(ValueError("not AWS"))
    assert error_code(ValueError("not AWS")) is None


class _Batches:
    """A table whose BatchGetItem leaves keys unprocessed for its first ``busy`` answers."""

    name = "desk"

    def __init__(self, items: dict[str, dict[str, str]], busy: int) -> None:
        self.items, self.busy = items, busy
        self.asked: list[list[str]] = []
        self.meta = type("Meta", (), {"client": self})()

    def batch_get_item(self, RequestItems: dict) -> dict:
        keys = [k["pk"] for k in RequestItems["desk"]["Keys"]]
        self.asked.append(keys)
        if self.busy:
            self.busy -= 1
            first, rest = keys[:1], keys[1:]
            return {
                "Responses": {"desk": [self.items[k] for k in first if k in self.items]},
                "UnprocessedKeys": {"desk": {"Keys": [{"pk": k, "sk": "S"} for k in rest]}} if rest else {},
            }
        return {"Responses": {"desk": [self.items[k] for k in keys if k in self.items]}}


def test_keys_left_unprocessed_are_asked_for_again_until_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from desk.data import dynamo

    monkeypatch.setattr(dynamo.time, "sleep", lambda seconds: None)  # the back-off, not the behaviour
    items = {k: {"pk": k, "sk": "S"} for k in ("a", "b", "c")}
    table = _Batches(items, busy=2)
    found = dynamo.get_many(table, [{"pk": k, "sk": "S"} for k in ("a", "b", "c", "d")])
    assert sorted(i["pk"] for i in found) == ["a", "b", "c"]
    assert table.asked == [["a", "b", "c", "d"], ["b", "c", "d"], ["c", "d"]]
    assert dynamo.get_many(table, []) == [] and len(table.asked) == 3


def test_keys_still_unprocessed_after_the_retries_are_store_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    from desk.data import dynamo
    from desk.errors import Conflict

    monkeypatch.setattr(dynamo.time, "sleep", lambda seconds: None)

    class Throttled(_Batches):
        def batch_get_item(self, RequestItems: dict) -> dict:
            self.asked.append([k["pk"] for k in RequestItems["desk"]["Keys"]])
            return {"Responses": {"desk": []}, "UnprocessedKeys": RequestItems}

    table = Throttled({}, busy=0)
    with pytest.raises(Conflict) as busy:
        dynamo.get_many(table, [{"pk": k, "sk": "S"} for k in ("a", "b")])
    assert busy.value.code == "store_busy" and len(table.asked) == dynamo.RETRIES
