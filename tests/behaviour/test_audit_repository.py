"""One behaviour suite for the audit trail, against DynamoDB (moto) and the in-memory twin: an entity's
changes and one item's read newest first across pages, each history's cursor its own, and an entry
written with a change kept only if the change is."""

from __future__ import annotations

from typing import Any

import pytest
from twins.reference import RING, InMemoryAuditTrail, InMemoryReference

from desk.admin.audit import AuditTrail
from desk.admin.repository import Created, ReferenceRepository, Stored
from desk.data import schema
from desk.data.audit import AuditStore
from desk.data.reference import ReferenceStore
from desk.errors import Conflict, InvalidInput


@pytest.fixture(params=["dynamodb", "twin"])
def kept(request: pytest.FixtureRequest) -> tuple[ReferenceRepository, AuditTrail]:
    """The reference data and the trail, over one table (changes write their entries with them)."""
    if request.param == "twin":
        reference = InMemoryReference()
        return reference, InMemoryAuditTrail(reference)
    table = request.getfixturevalue("moto_table")
    return ReferenceStore(table, ring=RING), AuditStore(table, ring=RING)


def _entry(entity: str, entity_id: str, at: str, what: str = "update") -> dict[str, Any]:
    return {
        **schema.reference_audit(entity, entity_id, at),
        "entity": entity,
        "entity_id": entity_id,
        "who": "admin@lkpp.go.id",
        "what": what,
        "before": None,
        "after": {"id": entity_id, "version": 1},
        "at": at,
    }


def _read_all(trail: AuditTrail, entity: str, entity_id: str | None, limit: int) -> tuple[list[str], int]:
    """Every entry's (id, at), newest first, page after page; and how many pages it took."""
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        entries, cursor = trail.history(entity, entity_id, limit=limit, cursor=cursor)
        seen += [f"{e['entity_id']}@{e['at']}" for e in entries]
        pages += 1
        if cursor is None:
            return seen, pages


def test_an_entitys_changes_read_newest_first_across_pages(
    kept: tuple[ReferenceRepository, AuditTrail],
) -> None:
    _, trail = kept
    for entity_id, at in [
        ("sistem", "2026-12-03T02:00:00.000001Z"),
        ("bali", "2026-12-03T02:00:00.000003Z"),
        ("sistem", "2026-12-03T02:00:00.000002Z"),
        ("akar", "2026-12-03T02:00:00.000003Z"),  # the same instant: their ids order them
        ("hukum", "2026-12-01T09:00:00.000000Z"),
    ]:
        trail.record(_entry("unit", entity_id, at))
    trail.record(_entry("lpse", "bali", "2026-12-04T00:00:00.000000Z"))
    seen, pages = _read_all(trail, "unit", None, limit=2)
    assert seen == [
        "bali@2026-12-03T02:00:00.000003Z",
        "akar@2026-12-03T02:00:00.000003Z",
        "sistem@2026-12-03T02:00:00.000002Z",
        "sistem@2026-12-03T02:00:00.000001Z",
        "hukum@2026-12-01T09:00:00.000000Z",
    ]
    assert pages == 3


def test_one_items_history_reads_newest_first_and_its_cursor_is_its_own(
    kept: tuple[ReferenceRepository, AuditTrail],
) -> None:
    _, trail = kept
    for n in (2, 1, 3):
        trail.record(_entry("unit", "sistem", f"2026-12-03T02:00:0{n}.000000Z"))
    trail.record(_entry("unit", "hukum", "2026-12-03T02:00:04.000000Z"))
    trail.record(_entry("contract", "sistem", "2026-12-03T02:00:05.000000Z"))
    seen, pages = _read_all(trail, "unit", "sistem", limit=2)
    assert seen == [f"sistem@2026-12-03T02:00:0{n}.000000Z" for n in (3, 2, 1)] and pages == 2
    first, cursor = trail.history("unit", "sistem", limit=1, cursor=None)
    assert cursor is not None and first[0]["what"] == "update"
    for other in [("unit", None), ("unit", "hukum"), ("contract", "sistem")]:
        with pytest.raises(InvalidInput):
            trail.history(other[0], other[1], limit=1, cursor=cursor)
    assert trail.history("unit", "nobody", limit=5, cursor=None) == ([], None)


def test_an_entry_written_with_a_change_is_kept_only_if_the_change_is(
    kept: tuple[ReferenceRepository, AuditTrail],
) -> None:
    reference, trail = kept
    unit = {"pk": schema.UNITS_PK, "sk": "sistem", "id": "sistem", "version": 1}
    created = _entry("unit", "sistem", "2026-12-03T02:00:00.000000Z", what="create")
    reference.save_change([Created(unit), Stored(created)], refused=Conflict("taken"))
    again = _entry("unit", "sistem", "2026-12-03T03:00:00.000000Z", what="create")
    with pytest.raises(Conflict):
        reference.save_change([Created(unit), Stored(again)], refused=Conflict("taken"))
    entries, cursor = trail.history("unit", "sistem", limit=10, cursor=None)
    assert [(e["what"], e["at"]) for e in entries] == [("create", "2026-12-03T02:00:00.000000Z")]
    assert cursor is None
    assert entries[0]["after"] == {"id": "sistem", "version": 1}
