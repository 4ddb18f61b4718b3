"""Changes to reference data as the administration makes them: each one change (one transaction) with
its audit entry and a version check, so of two administrators editing the same item the second gets 409.
What the changes need of storage is ``desk.admin.repository``; imports are ``desk.admin.imports``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from desk import clock
from desk.admin.audit import audit_item
from desk.admin.repository import (
    Created,
    ReferenceRepository,
    Replaced,
    Stored,
    Unchanged,
    changed_meanwhile,
    version_of,
)
from desk.errors import DeskError


def create_item(
    store: ReferenceRepository, item: Mapping[str, Any], audit: Mapping[str, Any], *, conflict: DeskError
) -> None:
    """Store a new item (refused with ``conflict`` if its key is taken) and its audit entry."""
    store.save_change([Created(item), Stored(audit)], refused=conflict)


def replace_item(
    store: ReferenceRepository, item: Mapping[str, Any], audit: Mapping[str, Any], *, version: int
) -> None:
    """Overwrite an item read at ``version``; 409 if someone changed it in between."""
    store.save_change([Replaced(item, version), Stored(audit)], refused=changed_meanwhile())


def update_item(
    store: ReferenceRepository,
    entity: str,
    key: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    by: str,
    now: datetime,
    unchanged: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Write ``after`` over ``before`` (as read, at its version) one version on, with who and when and its
    audit entry, while the ``unchanged`` items (as read) stay as they were: one change, 409 if anyone wrote
    any of them in between."""
    version = version_of(before)
    item = {**after, "version": version + 1, "updated_at": clock.iso(now), "updated_by": by}
    audit = audit_item(entity, key, who=by, what="update", before=before, after=item, now=now)
    store.save_change(
        [Replaced(item, version), Stored(audit), *(Unchanged(other) for other in unchanged)],
        refused=changed_meanwhile(),
    )
    return item
