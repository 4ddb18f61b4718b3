"""Running a CSV import against the stored reference data: read the stored rows the file names, write
only what is new or different with one audit entry per changed row. Re-importing the same file therefore
writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from desk import clock, reference
from desk.admin import csvimport
from desk.admin.audit import audit_item, who
from desk.staff import StaffUser


def run_import[M: BaseModel](
    text: str,
    *,
    partition: str,
    entity: str,
    columns: tuple[csvimport.Column, ...],
    model: type[M],
    key: Callable[[M], str],
    record: Callable[[M], dict[str, Any]],
    key_column: str,
    index: Callable[[str, dict[str, Any]], dict[str, Any]] = lambda key, data: {},
    user: StaffUser,
    now: datetime,
) -> dict[str, Any]:
    """Import ``text``; returns the row-by-row report. ``record`` gives a row's stored fields (compared
    with what is stored), ``index`` any index attributes to add."""
    sheet = csvimport.read(text, columns)
    plan = csvimport.plan(
        sheet, model, key=key, record=record, raw_key=lambda values: values.get(key_column, "")
    )
    store = reference.repository()
    stored = store.items_among(partition, plan.records.keys())
    created, updated, unchanged = csvimport.changes(plan.records, stored)
    actor = who(user)
    writes: list[dict[str, Any]] = []
    for row_key in created + updated:
        line, data = plan.records[row_key]
        before = stored.get(row_key)
        item = {
            "pk": partition,
            "sk": row_key,
            **(before or {}),
            **data,
            **index(row_key, data),
            "version": int((before or {}).get("version", 0)) + 1,
            "updated_at": clock.iso(now),
            "updated_by": actor,
        }
        writes.append(item)
        writes.append(
            audit_item(entity, row_key, who=actor, what="import", before=before, after=item, now=now)
            | {"line": line}
        )
    if writes:
        store.save_import(writes)
        reference.forget(partition)
    return csvimport.report(plan, len(created), len(updated), len(unchanged), sheet)
