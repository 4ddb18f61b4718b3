"""SLA policies: how many working days each kind of request gets, when the reminder goes (the share of
the working time used), and who the breach escalates to.

Defaults are domain rules §2 (decision: 5 working days for complaints, suggestions and input); a
registration gets its LPSE's own service standard. Stored policies (``pk=SLA``, ``sk=<type>`` or
``<type>#<lpse id>``) override them: a per-LPSE policy first, then the type's, then the default.
:func:`policy_for` reads them through a one-minute cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from desk import clock, reference
from desk.admin import lpse
from desk.admin.audit import audit_item, who
from desk.admin.forms import validate
from desk.admin.repository import changed_meanwhile, version_of
from desk.admin.store import create_item, replace_item
from desk.data import schema
from desk.errors import Conflict, InvalidInput, RuleViolation
from desk.fields import Slug
from desk.requests.model import RequestType
from desk.staff import StaffUser

PARTITION = schema.POLICIES_PK
EscalateTo = Literal["unit_head", "director", "unit_head_and_director"]
REGISTRATION_FALLBACK_DAYS = 5  # only when the LPSE is unknown: a registration form names a known one


@dataclass(frozen=True)
class SlaPolicy:
    working_days: int
    reminder_fraction: float = 0.7
    escalate_to: str = "unit_head"


# Domain rules §2 and §2b: letters escalate to the Subdit head and to the Director.
DEFAULTS: dict[str, SlaPolicy] = {
    RequestType.COMPLAINT: SlaPolicy(5),
    RequestType.SUGGESTION: SlaPolicy(5),
    RequestType.INPUT: SlaPolicy(5),
    RequestType.CALL: SlaPolicy(5),
    RequestType.WALK_IN: SlaPolicy(5),
    RequestType.TRAINING: SlaPolicy(5),
    RequestType.LETTER: SlaPolicy(10, escalate_to="unit_head_and_director"),
    RequestType.PAYMENT_PROOF: SlaPolicy(5),
    RequestType.REGISTRATION: SlaPolicy(REGISTRATION_FALLBACK_DAYS),
}


def key(request_type: str, lpse_id: str | None = None) -> str:
    return f"{request_type}#{lpse_id}" if lpse_id else request_type


def resolve(
    request_type: str,
    lpse_id: str | None,
    stored: Mapping[str, SlaPolicy],
    service_days: Mapping[str, int],
) -> SlaPolicy:
    """The policy in force (pure): a stored per-LPSE policy, else the type's stored or default policy;
    a registration's working days are its LPSE's service standard unless a per-LPSE policy says more."""
    if request_type not in DEFAULTS:
        raise InvalidInput("Jenis permintaan tidak dikenal.", fields={"request_type": "tidak dikenal"})
    if lpse_id and key(request_type, lpse_id) in stored:
        return stored[key(request_type, lpse_id)]
    policy = stored.get(request_type) or DEFAULTS[request_type]
    if request_type == RequestType.REGISTRATION and lpse_id and lpse_id in service_days:
        return replace(policy, working_days=service_days[lpse_id])
    return policy


def from_item(item: Mapping[str, Any]) -> SlaPolicy:
    return SlaPolicy(
        working_days=int(item["working_days"]),
        reminder_fraction=float(item.get("reminder_fraction", 0.7)),
        escalate_to=str(item.get("escalate_to", "unit_head")),
    )


def _stored(items: list[dict[str, Any]]) -> dict[str, SlaPolicy]:
    return {str(item["sk"]): from_item(item) for item in items}


def policy_for(request_type: str, *, lpse_id: str | None = None) -> SlaPolicy:
    return resolve(request_type, lpse_id, _stored(reference.cached_partition(PARTITION)), lpse.service_days())


# -- administration ---------------------------------------------------------------------------------
# Where in the allowed time the reminder goes: a share a person can set, stored as a short decimal.
Fraction = Annotated[float, Field(ge=0.05, le=0.95)]
WorkingDays = Annotated[int, Field(ge=1, le=60)]


class PolicyForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    request_type: RequestType
    lpse_id: Slug | None = None
    working_days: WorkingDays
    reminder_fraction: Fraction = 0.7
    escalate_to: EscalateTo = "unit_head"


class PolicyChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    working_days: WorkingDays | None = None
    reminder_fraction: Fraction | None = None
    escalate_to: EscalateTo | None = None


def _view(request_type: str, lpse_id: str | None, policy: SlaPolicy, source: str) -> dict[str, Any]:
    return {"request_type": request_type, "lpse_id": lpse_id, **asdict(policy), "source": source}


def _item(request_type: str, lpse_id: str | None, policy: SlaPolicy) -> dict[str, Any]:
    return {
        "pk": PARTITION,
        "sk": key(request_type, lpse_id),
        "request_type": request_type,
        "lpse_id": lpse_id or "",
        "working_days": policy.working_days,
        # DynamoDB takes no floats; the string keeps the figure exactly as given.
        "reminder_fraction": Decimal(str(round(policy.reminder_fraction, 4))),
        "escalate_to": policy.escalate_to,
    }


def list_policies() -> dict[str, Any]:
    """Every policy in force: each type's (stored or default), and each LPSE's for registrations."""
    store = reference.repository()
    stored = _stored(store.items(PARTITION))
    days = {str(i["id"]): int(i.get("service_days", 0)) for i in store.items(lpse.PARTITION)}
    found: list[dict[str, Any]] = []
    for request_type in DEFAULTS:
        source = "stored" if request_type in stored else "default"
        found.append(_view(request_type, None, resolve(request_type, None, stored, days), source))
    lpse_ids = sorted(set(days) | {k.split("#", 1)[1] for k in stored if "#" in k})
    for lpse_id in lpse_ids:
        for request_type in DEFAULTS:
            if key(request_type, lpse_id) in stored:
                source = "stored"
            elif request_type == RequestType.REGISTRATION and lpse_id in days:
                source = "lpse_service_days"
            else:
                continue
            found.append(_view(request_type, lpse_id, resolve(request_type, lpse_id, stored, days), source))
    return {"items": found}


def _lpse(lpse_id: str | None) -> dict[str, Any] | None:
    """The LPSE a per-LPSE policy names (422 if unknown); None for a type's general policy."""
    if not lpse_id:
        return None
    item = reference.repository().item(lpse.PARTITION, lpse_id)
    if item is None:
        raise RuleViolation(
            "LPSE tidak dikenal.", code="unknown_lpse", fields={"lpse_id": "LPSE tidak dikenal"}
        )
    return item


def create_policy(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(PolicyForm, data)
    _lpse(form.lpse_id)
    policy = SlaPolicy(form.working_days, form.reminder_fraction, form.escalate_to)
    item = {
        **_item(form.request_type.value, form.lpse_id, policy),
        "version": 1,
        "updated_at": clock.iso(now),
    }
    item["updated_by"] = who(user)
    sk = str(item["sk"])
    create_item(
        reference.repository(),
        item,
        audit_item("sla_policy", sk, who=who(user), what="create", before=None, after=item, now=now),
        conflict=Conflict(
            f"Kebijakan {sk} sudah ada; ubah dengan PATCH.",
            code="policy_exists",
            fields={"request_type": "sudah ada"},
        ),
    )
    reference.forget(PARTITION)
    return _view(form.request_type.value, form.lpse_id, policy, "stored")


def update_policy(
    request_type: str, lpse_id: str | None, data: Any, *, user: StaffUser, now: datetime
) -> dict[str, Any]:
    """Change a policy; a type still on its default gets a stored policy starting from the default."""
    change = validate(PolicyChange, data)
    if request_type not in DEFAULTS:
        raise InvalidInput("Jenis permintaan tidak dikenal.", fields={"request_type": "tidak dikenal"})
    lpse_item = _lpse(lpse_id)
    store = reference.repository()
    sk = key(request_type, lpse_id)
    before = store.item(PARTITION, sk)
    if before is not None:
        current = from_item(before)
    else:
        days = {lpse_item["id"]: int(lpse_item["service_days"])} if lpse_item else {}
        general = store.item(PARTITION, request_type)
        current = resolve(request_type, lpse_id, {request_type: from_item(general)} if general else {}, days)
    updated = replace(current, **change.model_dump(exclude_unset=True, exclude_none=True))
    if before is not None and updated == current:
        return _view(request_type, lpse_id, current, "stored")
    version = version_of(before)
    item = {**_item(request_type, lpse_id, updated), "version": version + 1, "updated_at": clock.iso(now)}
    item["updated_by"] = who(user)
    audit = audit_item(
        "sla_policy",
        sk,
        who=who(user),
        what="update" if before else "create",
        before=before or {**_item(request_type, lpse_id, current), "source": "default"},
        after=item,
        now=now,
    )
    if before is None:
        create_item(store, item, audit, conflict=changed_meanwhile())
    else:
        replace_item(store, item, audit, version=version)
    reference.forget(PARTITION)
    return _view(request_type, lpse_id, updated, "stored")
