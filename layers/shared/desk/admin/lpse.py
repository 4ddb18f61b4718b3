"""LPSEs: where user-ID requests are decided, each in its own time zone and with its own service
standard (working days). Every LPSE is also a unit of the tree (kind ``lpse``, same id), created with it,
so its head is kept with the other units and escalation reads one tree.

``public_list`` backs the public ``GET /lpse``: the active LPSEs, read through a one-minute cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from desk import clock, reference
from desk.admin import units
from desk.admin.audit import audit_item, who
from desk.admin.forms import validate
from desk.admin.repository import Created, Stored, Write
from desk.admin.store import update_item
from desk.calendar import ZONES
from desk.data import schema
from desk.errors import Conflict, NotFound
from desk.fields import Line, Slug
from desk.places import PROVINCES
from desk.staff import StaffUser

PARTITION = schema.LPSES_PK
TimeZone = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
FIELDS = ("id", "name", "province", "time_zone", "service_days", "active")


def _zone(value: Any) -> Any:
    # WIB/WITA/WIT as people say them; the stored form is the IANA name the calendar uses.
    return ZONES.get(value.strip().upper(), value.strip()) if isinstance(value, str) else value


def _province(value: str) -> str:
    folded = {p.casefold(): p for p in PROVINCES}
    found = folded.get(" ".join(value.split()).casefold())
    if found is None:
        raise ValueError("bukan nama provinsi yang dikenal (mis. DKI Jakarta, Bali)")
    return found


Zone = Annotated[TimeZone, BeforeValidator(_zone)]
Province = Annotated[
    str, Field(max_length=60, json_schema_extra={"enum": sorted(PROVINCES)}), AfterValidator(_province)
]
ServiceDays = Annotated[int, Field(ge=1, le=60)]


class LpseForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: Line
    province: Province
    time_zone: Zone
    service_days: ServiceDays
    active: bool = True


class LpseChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Line | None = None
    province: Province | None = None
    time_zone: Zone | None = None
    service_days: ServiceDays | None = None
    active: bool | None = None


def view(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": str(item["id"]),
        "name": str(item.get("name", "")),
        "province": str(item.get("province", "")),
        "time_zone": str(item.get("time_zone", "Asia/Jakarta")),
        "service_days": int(item.get("service_days", 0)),
        "active": bool(item.get("active", True)),
    }


def public_list() -> list[dict[str, Any]]:
    """``GET /lpse``: the LPSEs a user-ID request can go to, by name."""
    active = [view(item) for item in reference.cached_partition(PARTITION) if item.get("active", True)]
    return [
        {k: lpse[k] for k in ("id", "name", "province", "time_zone", "service_days")}
        for lpse in sorted(active, key=lambda lpse: lpse["name"])
    ]


def service_days() -> dict[str, int]:
    """Each LPSE's service standard for user-ID requests (inactive ones too: requests already filed)."""
    return {
        str(item["id"]): int(item.get("service_days", 0)) for item in reference.cached_partition(PARTITION)
    }


def list_lpse() -> dict[str, Any]:
    """Every LPSE, with its head (from the unit tree) and its verifiers (staff with the role and unit)."""
    from desk.admin.users import StaffDirectory

    store = reference.repository()
    heads = {str(u["id"]): str(u.get("head") or "") for u in store.items(units.PARTITION)}
    verifiers: dict[str, list[str]] = {}
    for member in StaffDirectory().in_role("lpse_verifier"):
        verifiers.setdefault(member.unit, []).append(member.email)
    items = sorted((view(item) for item in store.items(PARTITION)), key=lambda lpse: lpse["id"])
    return {
        "items": [
            {**lpse, "head": heads.get(lpse["id"], ""), "verifiers": sorted(verifiers.get(lpse["id"], []))}
            for lpse in items
        ]
    }


def create_lpse(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(LpseForm, data)
    store = reference.repository()
    stamp = {"version": 1, "updated_at": clock.iso(now), "updated_by": who(user)}
    item = {"pk": PARTITION, "sk": form.id, **form.model_dump(), **stamp}
    writes: list[Write] = [
        Created(item),
        Stored(audit_item("lpse", form.id, who=who(user), what="create", before=None, after=item, now=now)),
    ]
    unit = store.item(units.PARTITION, form.id)
    if unit is None:
        unit_item = {**units.to_item(units.Unit(id=form.id, name=form.name, kind="lpse")), **stamp}
        writes += [
            Created(unit_item),
            Stored(
                audit_item(
                    "unit", form.id, who=who(user), what="create", before=None, after=unit_item, now=now
                )
            ),
        ]
    elif unit.get("kind") != "lpse":
        raise Conflict(
            f"Id {form.id} sudah dipakai unit lain.",
            code="unit_exists",
            fields={"id": "sudah dipakai unit lain"},
        )
    store.save_change(
        writes,
        refused=Conflict(f"LPSE {form.id} sudah ada.", code="lpse_exists", fields={"id": "sudah dipakai"}),
    )
    reference.forget(PARTITION)
    reference.forget(units.PARTITION)
    return view(item)


def update_lpse(lpse_id: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(LpseChange, data)
    store = reference.repository()
    before = store.item(PARTITION, lpse_id)
    if before is None:
        raise NotFound(f"LPSE {lpse_id} tidak ada.", code="lpse_not_found")
    given = {k: v for k, v in change.model_dump(exclude_unset=True).items() if v is not None}
    if all(view(before)[k] == v for k, v in given.items()):
        return view(before)
    item = update_item(store, "lpse", lpse_id, before, {**before, **given}, by=who(user), now=now)
    reference.forget(PARTITION)
    return view(item)
