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
