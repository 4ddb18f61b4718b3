"""One behaviour suite for the local provisioning fake's accounts, against DynamoDB (moto) and the
in-memory twin: an activation link activates its account once, and an unknown one nothing."""

from __future__ import annotations

import pytest
from twins.reference import InMemoryLocalAccounts

from desk.data.accounts import LocalAccountStore
from desk.provisioning import LocalAccounts


@pytest.fixture(params=["dynamodb", "twin"])
def accounts(request: pytest.FixtureRequest) -> LocalAccounts:
    if request.param == "twin":
        return InMemoryLocalAccounts()
    return LocalAccountStore(request.getfixturevalue("moto_table"))


def test_a_link_activates_its_account_once(accounts: LocalAccounts) -> None:
    accounts.record(
        "tok-1", user_id="lpse-bali-000001", number="EP-2026-000001", created_at="2026-12-03T02:00:00Z"
    )
    accounts.record(
        "tok-2", user_id="lpse-bali-000002", number="EP-2026-000002", created_at="2026-12-03T02:00:00Z"
    )
    assert accounts.activate("tok-1") == {
        "user_id": "lpse-bali-000001",
        "number": "EP-2026-000001",
        "created_at": "2026-12-03T02:00:00Z",
    }
    assert accounts.activate("tok-1") is None
    assert accounts.activate("unknown") is None
    assert accounts.activate("tok-2") is not None
