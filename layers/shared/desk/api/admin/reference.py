"""Reference data: the email attachment types that may be served, units, LPSEs and SLA policies."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.admin import attachments, lpse, policies, units
from desk.api.admin.reading import body, query, segment
from desk.api.routes import Area, Documented

AREA = Area(roles={"admin"})


@AREA.get("/staff/admin/attachment-types")
def attachment_types() -> dict[str, Any]:
    return attachments.view()


@AREA.put("/staff/admin/attachment-types", documented=Documented(body=attachments.AttachmentTypesForm))
def replace_attachment_types() -> dict[str, Any]:
    return attachments.replace(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.get("/staff/admin/units")
def list_units() -> dict[str, Any]:
    return units.list_units()


@AREA.post("/staff/admin/units", status=201, answer="the unit", documented=Documented(body=units.UnitForm))
def create_unit() -> dict[str, Any]:
    return units.create_unit(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.patch("/staff/admin/units/<unit_id>", documented=Documented(body=units.UnitChange))
def update_unit(unit_id: str) -> dict[str, Any]:
    return units.update_unit(segment(unit_id), body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.get("/staff/admin/lpse")
def list_lpse() -> dict[str, Any]:
    return lpse.list_lpse()


@AREA.post("/staff/admin/lpse", status=201, answer="the LPSE", documented=Documented(body=lpse.LpseForm))
def create_lpse() -> dict[str, Any]:
    return lpse.create_lpse(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.patch("/staff/admin/lpse/<lpse_id>", documented=Documented(body=lpse.LpseChange))
def update_lpse(lpse_id: str) -> dict[str, Any]:
    return lpse.update_lpse(segment(lpse_id), body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.get("/staff/admin/sla-policies")
def list_policies() -> dict[str, Any]:
    return policies.list_policies()


@AREA.post(
    "/staff/admin/sla-policies",
    status=201,
    answer="the policy",
    documented=Documented(body=policies.PolicyForm),
)
def create_policy() -> dict[str, Any]:
    return policies.create_policy(body(AREA.event), user=AREA.caller(), now=clock.now())


@AREA.patch(
    "/staff/admin/sla-policies/<request_type>",
    documented=Documented(
        body=policies.PolicyChange,
        query={"lpse_id": {"type": "string"}},
        path={"request_type": {"type": "string", "enum": sorted(policies.DEFAULTS)}},
    ),
)
def update_policy(request_type: str) -> dict[str, Any]:
    return policies.update_policy(
        segment(request_type),
        query(AREA.event, "lpse_id"),
        body(AREA.event),
        user=AREA.caller(),
        now=clock.now(),
    )
