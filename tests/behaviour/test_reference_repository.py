"""One behaviour suite for reference data's storage, against DynamoDB (moto) and the in-memory twin: a
change is written whole or not at all, a taken key or a version moved since the read refuses it, pages
follow one another and their cursors stay with their list, imports and look-ups span many calls, and
transactions are found by date across months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from twins.reference import RING, InMemoryReference

from desk.admin.repository import Created, ReferenceRepository, Replaced, Stored, Unchanged
from desk.data import schema
from desk.data.reference import ReferenceStore
from desk.errors import Conflict, InvalidInput

UNITS = schema.UNITS_PK
LPSES = schema.LPSES_PK
CONTRACTS = schema.CONTRACTS_PK
TXN = schema.TRANSACTIONS_PK


@pytest.fixture(params=["dynamodb", "twin"])
def store(request: pytest.FixtureRequest) -> ReferenceRepository:
    if request.param == "twin":
        return InMemoryReference()
    return ReferenceStore(request.getfixturevalue("moto_table"), ring=RING)


def _unit(unit_id: str, *, version: int | None = 1, **fields: Any) -> dict[str, Any]:
    stamp = {} if version is None else {"version": version}
    return {"pk": UNITS, "sk": unit_id, "id": unit_id, "name": unit_id.title(), **stamp, **fields}


def _audit(entity_id: str, at: str) -> dict[str, Any]:
    return {**schema.reference_audit("unit", entity_id, at), "entity": "unit", "entity_id": entity_id}


def _refusal() -> Conflict:
    return Conflict("taken", code="unit_exists")


def test_an_item_reads_back_with_its_numbers_as_decimal_and_a_float_is_refused(
    store: ReferenceRepository,
) -> None:
    store.save_change([Created(_unit("sistem", days=5, share=Decimal("0.7")))], refused=_refusal())
    found = store.item(UNITS, "sistem")
    assert found == _unit("sistem", version=1, days=5, share=Decimal("0.7"))
    assert isinstance(found["version"], Decimal)  # type: ignore[index]
    with pytest.raises(TypeError):
        store.save_change([Created(_unit("float", share=0.7))], refused=_refusal())
    assert store.item(UNITS, "float") is None
    assert store.item(UNITS, "none") is None


def test_a_taken_key_refuses_the_whole_change_with_the_callers_reason(store: ReferenceRepository) -> None:
    store.save_change([Created(_unit("lpse-bali"))], refused=_refusal())
    lpse = {"pk": LPSES, "sk": "lpse-bali", "id": "lpse-bali", "version": 1}
    refused = Conflict("LPSE lpse-bali sudah ada.", code="lpse_exists")
    with pytest.raises(Conflict) as raised:
        store.save_change(
            [
                Created(lpse),
                Stored(_audit("lpse-bali", "2026-12-03T02:00:00.000000Z")),
                Created(_unit("lpse-bali")),
            ],
            refused=refused,
        )
    assert raised.value is refused
    assert store.item(LPSES, "lpse-bali") is None
    assert store.items(schema.reference_audit_pk("unit")) == []


def test_a_write_over_needs_the_version_it_read(store: ReferenceRepository) -> None:
    store.save_change([Created(_unit("sistem"))], refused=_refusal())
    store.save_change([Replaced(_unit("sistem", version=2, name="Sistem"), 1)], refused=_refusal())
    stale = Conflict("changed", code="changed_meanwhile")
    with pytest.raises(Conflict) as raised:
        store.save_change(
            [Replaced(_unit("sistem", version=2, name="Lain"), 1), Stored(_audit("sistem", "t1"))],
            refused=stale,
        )
    assert raised.value is stale
    assert store.item(UNITS, "sistem")["name"] == "Sistem"  # type: ignore[index]
    assert store.items(schema.reference_audit_pk("unit")) == []
    with pytest.raises(Conflict):  # gone, or never there: nothing to write over
        store.save_change([Replaced(_unit("gone", version=2), 1)], refused=stale)
    assert store.item(UNITS, "gone") is None


def test_a_seeded_item_without_a_version_is_read_as_version_0(store: ReferenceRepository) -> None:
    store.save_change([Stored(_unit("seeded", version=None))], refused=_refusal())
    store.save_change([Replaced(_unit("seeded", version=1, name="Diubah"), 0)], refused=_refusal())
    with pytest.raises(Conflict):  # it carries a version now
        store.save_change([Replaced(_unit("seeded", version=1, name="Lagi"), 0)], refused=_refusal())
    assert store.item(UNITS, "seeded")["name"] == "Diubah"  # type: ignore[index]
    with pytest.raises(Conflict):
        store.save_change([Replaced(_unit("absent", version=1), 0)], refused=_refusal())


def test_an_item_relied_on_refuses_the_change_once_written_since_it_was_read(
    store: ReferenceRepository,
) -> None:
    store.save_change([Created(_unit("direktorat")), Created(_unit("sistem"))], refused=_refusal())
    parent = store.item(UNITS, "direktorat")
    assert parent is not None
    moved = _unit("sistem", version=2, parent="direktorat")
    store.save_change([Replaced(moved, 1), Unchanged(parent)], refused=_refusal())
    # Someone else writes the parent; a change relying on it as first read is refused whole.
    store.save_change([Replaced(_unit("direktorat", version=2, parent="x"), 1)], refused=_refusal())
    with pytest.raises(Conflict):
        store.save_change(
            [Replaced(_unit("sistem", version=3, name="Lain"), 2), Unchanged(parent)], refused=_refusal()
        )
    assert store.item(UNITS, "sistem")["version"] == 2  # type: ignore[index]
    # A seeded parent (no version) is relied on as version 0.
    store.save_change([Stored(_unit("akar", version=None))], refused=_refusal())
    seeded = store.item(UNITS, "akar")
    assert seeded is not None
    store.save_change(
        [Replaced(_unit("sistem", version=3, parent="akar"), 2), Unchanged(seeded)], refused=_refusal()
    )


def test_a_change_too_large_or_naming_an_item_twice_is_refused_before_anything_is_written(
    store: ReferenceRepository,
) -> None:
    with pytest.raises(ValueError, match="twice"):
        store.save_change([Created(_unit("a")), Stored(_unit("a", name="again"))], refused=_refusal())
    with pytest.raises(ValueError, match="1 to 100"):
        store.save_change([Created(_unit(f"u-{n:03d}")) for n in range(101)], refused=_refusal())
    with pytest.raises(ValueError):
        store.save_change([], refused=_refusal())
    assert store.items(UNITS) == []


def test_a_partition_reads_in_pages_by_key_and_a_cursor_stays_with_its_list(
    store: ReferenceRepository,
) -> None:
    contracts = [{"pk": CONTRACTS, "sk": f"K-{n}", "number": f"K-{n}"} for n in (3, 1, 5, 2, 4)]
    store.save_import([*contracts, _unit("sistem")])
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        items, cursor = store.page(CONTRACTS, limit=2, cursor=cursor)
        seen += [str(item["sk"]) for item in items]
        pages += 1
        if cursor is None:
            break
        with pytest.raises(InvalidInput):  # carried to another list
            store.page(TXN, limit=2, cursor=cursor)
    assert seen == ["K-1", "K-2", "K-3", "K-4", "K-5"] and pages == 3
    with pytest.raises(InvalidInput):
        store.page(CONTRACTS, limit=2, cursor="made.up.cursor")


def test_an_import_and_a_look_up_span_many_calls(store: ReferenceRepository) -> None:
    contracts = [{"pk": CONTRACTS, "sk": f"K-{n:04d}", "number": f"K-{n:04d}"} for n in range(230)]
    store.save_import(contracts)  # 25 a call in DynamoDB
    wanted = [f"K-{n:04d}" for n in range(0, 250)]  # 100 a call, 20 of them not stored
    found = store.items_among(CONTRACTS, [*wanted, "K-0001"])
    assert sorted(found) == [f"K-{n:04d}" for n in range(230)]
    assert found["K-0007"]["number"] == "K-0007"
    assert [i["sk"] for i in store.items(CONTRACTS)] == sorted(found)
    assert store.items_among(CONTRACTS, []) == {}


def test_an_import_naming_an_item_twice_is_refused_before_anything_is_written(
    store: ReferenceRepository,
) -> None:
    item = {"pk": CONTRACTS, "sk": "K-1", "number": "K-1"}
    with pytest.raises(ValueError, match="twice"):
        store.save_import([item, {"pk": CONTRACTS, "sk": "K-0"}, {**item, "number": "other"}])
    assert store.items(CONTRACTS) == []


def _transaction(transaction_id: str, day: str) -> dict[str, Any]:
    return {
        "pk": TXN,
        "sk": transaction_id,
        "id": transaction_id,
        "date": day,
        "gsi2pk": schema.transactions_of_month_pk(day[:7]),
        "gsi2sk": f"{day}#{transaction_id}",
    }


def test_transactions_are_found_by_date_across_months_the_end_day_included(
    store: ReferenceRepository,
) -> None:
    store.save_import(
        [
            _transaction("TRX-9", "2026-12-15"),
            _transaction("TRX-1", "2026-11-29"),
            _transaction("TRX-2", "2026-11-30"),
            _transaction("TRX-4", "2026-12-01"),
            _transaction("TRX-3", "2026-12-01"),
            _transaction("TRX-5", "2027-01-02"),
            _transaction("TRX-6", "2027-01-03"),
        ]
    )
    found = store.transactions_dated(date(2026, 11, 30), date(2027, 1, 2))
    assert [t["id"] for t in found] == ["TRX-2", "TRX-3", "TRX-4", "TRX-9", "TRX-5"]
    assert store.transactions_dated(date(2027, 2, 1), date(2027, 2, 28)) == []
