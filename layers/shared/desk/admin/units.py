"""Units: the tree escalation climbs (directorate → Subdits and desks; LPSEs as units too), each with a
head. Domain rules §2b: at breach a step goes to the head of its unit, then up the tree.

The rules (:func:`ancestry_problem`, :func:`chain`) are pure; :func:`get_unit`, :func:`head_of` and
:func:`escalation_chain` read the units through a cache refreshed at most once a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from desk import clock, reference
from desk.admin.audit import audit_item, who
from desk.admin.forms import validate
from desk.admin.repository import ReferenceRepository
from desk.admin.store import create_item, update_item
from desk.data import schema
from desk.errors import Conflict, NotFound, RuleViolation
from desk.fields import Line, Slug, StaffEmail
from desk.staff import StaffUser

PARTITION = schema.UNITS_PK
KINDS = ("directorate", "subdit", "lpse", "desk")
Kind = Literal["directorate", "subdit", "lpse", "desk"]


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    parent: str = ""  # "" for a root
    head: str = ""  # the head's staff email, "" while none is appointed


def from_item(item: Mapping[str, Any]) -> Unit:
    return Unit(
        id=str(item["id"]),
        name=str(item.get("name", "")),
        kind=str(item.get("kind", "desk")),
        parent=str(item.get("parent") or ""),
        head=str(item.get("head") or ""),
    )


def to_item(unit: Unit) -> dict[str, Any]:
    return {"pk": PARTITION, "sk": unit.id, **asdict(unit)}


# -- rules (pure) ------------------------------------------------------------------------------------
def ancestry_problem(parents: Mapping[str, str], unit_id: str, parent: str) -> str | None:
    """Why ``unit_id`` may not hang under ``parent`` (``parents`` maps each known unit to its parent),
    or None. A root (``parent == ""``) is always allowed."""
    if not parent:
        return None
    if parent == unit_id:
        return "unit tidak boleh menjadi induknya sendiri"
    if parent not in parents:
        return "unit induk tidak dikenal"
    seen: set[str] = set()
    current = parent
    while current and current not in seen:
        if current == unit_id:
            return f"{unit_id} akan menjadi leluhurnya sendiri (lewat {parent})"
        seen.add(current)
        current = parents.get(current, "")
    return None


def chain(units: Mapping[str, Unit], unit_id: str) -> list[Unit]:
    """The unit, then its parent, up to the root; stops rather than loop if stored data ever had a cycle."""
    found: list[Unit] = []
    seen: set[str] = set()
    current = units.get(unit_id)
    while current is not None and current.id not in seen:
        found.append(current)
        seen.add(current.id)
        current = units.get(current.parent) if current.parent else None
    return found


# -- readers for the rest of the desk ---------------------------------------------------------------
def _all(*, fresh: bool = False) -> dict[str, Unit]:
    return {str(item["id"]): from_item(item) for item in reference.cached_partition(PARTITION, fresh=fresh)}


def get_unit(unit_id: str) -> Unit | None:
    return _all().get(unit_id)


def head_of(unit_id: str) -> str | None:
    """The unit's own head, or None (unknown unit, or no head yet: escalation then climbs the chain)."""
    unit = get_unit(unit_id)
    return unit.head if unit is not None and unit.head else None


def escalation_chain(unit_id: str) -> list[Unit]:
    """The unit, then its ancestors; empty for an unknown unit."""
    return chain(_all(), unit_id)


# -- administration ---------------------------------------------------------------------------------
class UnitForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: Line
    kind: Kind
    parent: Slug | Literal[""] = ""
    head: StaffEmail | Literal[""] = ""


class UnitChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Line | None = None
    kind: Kind | None = None
    parent: Slug | Literal[""] | None = None
    head: StaffEmail | Literal[""] | None = None


def view(unit: Unit) -> dict[str, Any]:
    return asdict(unit)


def _sorted() -> list[Unit]:
    return sorted((from_item(i) for i in reference.repository().items(PARTITION)), key=lambda u: u.id)


def list_units() -> dict[str, Any]:
    return {"items": [view(u) for u in _sorted()]}


def list_public() -> dict[str, Any]:
    """The units without their heads: what every staff member may see."""
    return {"items": [{k: v for k, v in view(u).items() if k != "head"} for u in _sorted()]}


def _check_parent(store: ReferenceRepository, unit_id: str, parent: str) -> list[dict[str, Any]]:
    """Refuse a parent that is unknown or would close a loop; returns the new ancestors' items, whose
    versions the write then checks (two moves at once cannot build a loop between them)."""
    items = {str(i["id"]): i for i in store.items(PARTITION)}
    parents = {key: str(item.get("parent") or "") for key, item in items.items()}
    problem = ancestry_problem(parents, unit_id, parent)
    if problem is not None:
        code = "unit_cycle" if parent in parents or parent == unit_id else "unknown_unit"
        raise RuleViolation(
            f"Induk unit tidak dapat dipakai: {problem}.", code=code, fields={"parent": problem}
        )
    units = {key: from_item(item) for key, item in items.items()}
    return [items[u.id] for u in chain(units, parent)] if parent else []


def _check_head(unit_id: str, head: str) -> None:
    """Domain rules §2b: the head of a unit is a staff user of it (and can sign in)."""
    if not head:
        return
    from desk.admin.users import StaffDirectory

    member = StaffDirectory().find(head)
    if member is None:
        raise RuleViolation(
            "Kepala unit harus pengguna staf.", code="unknown_staff", fields={"head": "bukan pengguna staf"}
        )
    if not member.enabled:
        raise RuleViolation(
            "Kepala unit tidak aktif.", code="staff_disabled", fields={"head": "pengguna dinonaktifkan"}
        )
    if member.unit != unit_id:
        raise RuleViolation(
            "Kepala unit harus staf unit itu sendiri; pindahkan dulu unitnya.",
            code="head_not_in_unit",
            fields={"head": f"staf unit {member.unit or '(tanpa unit)'}, bukan {unit_id}"},
        )


def create_unit(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(UnitForm, data)
    store = reference.repository()
    _check_parent(store, form.id, form.parent)
    _check_head(form.id, form.head)
    unit = Unit(id=form.id, name=form.name, kind=form.kind, parent=form.parent, head=form.head)
    item = {**to_item(unit), "version": 1, "updated_at": clock.iso(now), "updated_by": who(user)}
    create_item(
        store,
        item,
        audit_item("unit", unit.id, who=who(user), what="create", before=None, after=item, now=now),
        conflict=Conflict(f"Unit {unit.id} sudah ada.", code="unit_exists", fields={"id": "sudah dipakai"}),
    )
    reference.forget(PARTITION)
    return view(unit)


def update_unit(unit_id: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(UnitChange, data)
    store = reference.repository()
    before = store.item(PARTITION, unit_id)
    if before is None:
        raise NotFound(f"Unit {unit_id} tidak ada.", code="unit_not_found")
    current = from_item(before)
    given = change.model_dump(exclude_unset=True)
    updated = Unit(**{**asdict(current), **{k: v for k, v in given.items() if v is not None}})
    if given.get("parent", current.parent) is None:  # null moves the unit to the root
        updated = Unit(**{**asdict(updated), "parent": ""})
    if given.get("head", current.head) is None:
        updated = Unit(**{**asdict(updated), "head": ""})
    if updated == current:
        return view(current)
    ancestors: list[dict[str, Any]] = []
    if updated.parent != current.parent:
        ancestors = _check_parent(store, unit_id, updated.parent)
    if updated.head != current.head:
        _check_head(unit_id, updated.head)
    update_item(store, "unit", unit_id, before, to_item(updated), by=who(user), now=now, unchanged=ancestors)
    reference.forget(PARTITION)
    return view(updated)
