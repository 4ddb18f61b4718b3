"""Contracts with providers and the transactions whose payment proofs the desk expects, one by one or
imported as CSV."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.admin import contracts, transactions
from desk.api.admin.reading import IMPORT_MAX_BYTES, PAGE_QUERY, body, csv_text, page, segment
from desk.api.routes import Area, Documented

AREA = Area(roles={"admin"})


@AREA.get("/staff/admin/contracts", documented=Documented(query=PAGE_QUERY))
def list_contracts() -> dict[str, Any]:
    limit, cursor = page(AREA.event)
    return contracts.list_contracts(limit=limit, cursor=cursor)


@AREA.post(
    "/staff/admin/contracts",
    status=201,
    answer="the contract",
    documented=Documented(body=contracts.ContractForm),
)
def create_contract() -> dict[str, Any]:
    return contracts.create_contract(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.post(
    "/staff/admin/contracts/import",
    max_body_bytes=IMPORT_MAX_BYTES,
    documented=Documented(csv_columns=contracts.COLUMNS),
)
def import_contracts() -> dict[str, Any]:
    return contracts.import_contracts(csv_text(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.patch("/staff/admin/contracts/<number>", documented=Documented(body=contracts.ContractChange))
def update_contract(number: str) -> dict[str, Any]:
    return contracts.update_contract(segment(number), body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.get("/staff/admin/transactions", documented=Documented(query=PAGE_QUERY))
def list_transactions() -> dict[str, Any]:
    limit, cursor = page(AREA.event)
    return transactions.list_transactions(limit=limit, cursor=cursor)


@AREA.post(
    "/staff/admin/transactions",
    max_body_bytes=IMPORT_MAX_BYTES,
    documented=Documented(csv_columns=transactions.COLUMNS),
)
@AREA.post(
    "/staff/admin/transactions/import",
    max_body_bytes=IMPORT_MAX_BYTES,
    documented=Documented(csv_columns=transactions.COLUMNS),
)
def import_transactions() -> dict[str, Any]:
    return transactions.import_transactions(csv_text(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.get("/staff/admin/transactions/<transaction_id>")
def read_transaction(transaction_id: str) -> dict[str, Any]:
    return transactions.read_transaction(segment(transaction_id))


@AREA.patch(
    "/staff/admin/transactions/<transaction_id>", documented=Documented(body=transactions.TransactionChange)
)
def update_transaction(transaction_id: str) -> dict[str, Any]:
    return transactions.update_transaction(
        segment(transaction_id), body(AREA.event), user=AREA.caller(), now=clock.now()
    )
