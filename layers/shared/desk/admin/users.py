"""Staff users: the Cognito user pool is the only record of them (groups are roles, ``custom:unit`` the
unit). The administrator invites by email (Cognito mails a temporary password), changes role or unit,
disables and enables. A changed role or unit reaches the user's ID token at their next sign-in (tokens
last 60 minutes); a disabled user cannot sign in or refresh.

Listing costs one ListUsers page per 60 users plus one ListUsersInGroup per role, however many staff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from desk import reference
from desk.admin.audit import audit_item, trail, who
from desk.admin.directory import AddressRefused, Directory, StaffExists, StaffMember
from desk.admin.forms import validate
from desk.data import schema
from desk.errors import Conflict, InvalidInput, NotFound, RuleViolation
from desk.fields import Line, Slug, StaffEmail, staff_email
from desk.staff import StaffUser

Role = Literal[
    "helpdesk", "reception", "secretary", "director", "subdit", "lpse_verifier", "training", "admin"
]


def staff_directory() -> Directory:
    """The staff's user pool (Cognito's; the tests may hold a twin in its place)."""
    from desk.data.directory import directory

    return directory()


# The name the modules that look staff up (approvals, doors, units, LPSE) call it by.
StaffDirectory = staff_directory


class InviteForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: StaffEmail
    name: Line
    role: Role
    unit: Slug


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Line | None = None
    role: Role | None = None
    unit: Slug | None = None
    enabled: bool | None = None


def _unit_must_exist(unit_id: str) -> None:
    if reference.repository().item(schema.UNITS_PK, unit_id) is None:
        raise RuleViolation("Unit tidak dikenal.", code="unknown_unit", fields={"unit": "unit tidak dikenal"})


def _audit(
    email: str, what: str, before: StaffMember | None, after: StaffMember, user: StaffUser, now: datetime
) -> None:
    # Staff live in Cognito, so their entries are kept apart from any change to the table.
    trail().record(
        audit_item(
            "user",
            email,
            who=who(user),
            what=what,
            before=before.view() if before else None,
            after=after.view(),
            now=now,
        )
    )


def list_users() -> dict[str, Any]:
    return {"items": [m.view() for m in staff_directory().everyone()]}


def invite_user(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(InviteForm, data)
    _unit_must_exist(form.unit)
    directory = staff_directory()
    try:
        directory.invite(form.email, name=form.name, role=form.role, unit=form.unit)
    except AddressRefused:
        raise InvalidInput(
            "Alamat ini tidak diterima sebagai nama masuk staf.",
            fields={"email": "bukan alamat email yang sah"},
        ) from None
    except StaffExists:
        raise Conflict(
            f"{form.email} sudah terdaftar sebagai staf.",
            code="user_exists",
            fields={"email": "sudah terdaftar"},
        ) from None
    member = directory.find(form.email)
    if member is None:  # Cognito just created it: only a broken pool answers so
        raise NotFound("Pengguna tidak ditemukan setelah dibuat.", code="user_not_found")
    _audit(form.email, "invite", None, member, user, now)
    return member.view()


def _no_self_lockout(before: StaffMember, change: UserChange, user: StaffUser) -> None:
    """An administrator may not disable their own account or give up their own admin role."""
    if before.email == user.email.lower() and (
        change.enabled is False or (change.role is not None and change.role != "admin")
    ):
        raise RuleViolation(
            "Anda tidak dapat menonaktifkan diri sendiri atau melepas peran admin Anda sendiri.",
            code="self_lockout",
            fields={"enabled" if change.enabled is False else "role": "berlaku untuk akun Anda sendiri"},
        )


def _may_move_to(before: StaffMember, unit: str) -> None:
    """The new unit must exist, and the head of a unit stays in it until another head is named."""
    _unit_must_exist(unit)
    units = reference.repository().items(schema.UNITS_PK)
    headed = [str(i["id"]) for i in units if str(i.get("head") or "") == before.email]
    if before.unit in headed:
        raise RuleViolation(
            f"{before.email} adalah kepala unit {before.unit}; tunjuk kepala lain dulu.",
            code="head_of_unit",
            fields={"unit": f"masih kepala unit {before.unit}"},
        )


def update_user(email: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(UserChange, data)
    try:
        address = staff_email(email)
    except ValueError:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found") from None
    directory = staff_directory()
    before = directory.find(address)
    if before is None:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found")
    _no_self_lockout(before, change, user)
    name = change.name if change.name is not None and change.name != before.name else None
    unit = change.unit if change.unit is not None and change.unit != before.unit else None
    if unit is not None:
        _may_move_to(before, unit)
    if name is not None or unit is not None:
        directory.set_details(address, name=name, unit=unit)
    if change.role is not None and before.roles != (change.role,):
        directory.set_role(address, change.role, current=before.roles)
    if change.enabled is not None and change.enabled != before.enabled:
        directory.set_enabled(address, change.enabled)
    after = directory.find(address)
    if after is None:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found")
    if after != before:
        _audit(address, "update", before, after, user, now)
    return after.view()
