"""Staff users: the Cognito user pool is the only record of them (groups are roles, ``custom:unit`` the
unit). The administrator invites by email (Cognito mails a temporary password), changes role or unit,
disables and enables. A changed role or unit reaches the user's ID token at their next sign-in (tokens
last 60 minutes); a disabled user cannot sign in or refresh.

Listing costs one ListUsers page per 60 users plus one ListUsersInGroup per role, however many staff.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from desk import aws, clock
from desk.admin.audit import audit_item, who
from desk.admin.forms import validate
from desk.admin.store import ReferenceStore
from desk.errors import Conflict, InvalidInput, NotFound, RuleViolation
from desk.fields import Line, Slug, StaffEmail, staff_email
from desk.settings import get_settings
from desk.staff import ROLES, StaffUser

Role = Literal[
    "helpdesk", "reception", "secretary", "director", "subdit", "lpse_verifier", "training", "admin"
]


@dataclass(frozen=True)
class StaffMember:
    username: str
    email: str
    name: str
    roles: tuple[str, ...]
    unit: str
    enabled: bool
    status: str
    created_at: str

    def view(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "name": self.name,
            "role": self.roles[0] if self.roles else None,
            "roles": list(self.roles),
            "unit": self.unit,
            "enabled": self.enabled,
            "status": self.status,
            "created_at": self.created_at,
        }


def _member(user: Mapping[str, Any], roles: tuple[str, ...]) -> StaffMember:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes") or user.get("UserAttributes") or []}
    created = user.get("UserCreateDate")
    return StaffMember(
        username=str(user.get("Username", "")),
        email=str(attributes.get("email", "")),
        name=str(attributes.get("name", "")),
        roles=tuple(r for r in ROLES if r in roles),
        unit=str(attributes.get("custom:unit", "")),
        enabled=bool(user.get("Enabled", True)),
        status=str(user.get("UserStatus", "")),
        created_at=clock.iso(created) if isinstance(created, datetime) else "",
    )


class StaffDirectory:
    def __init__(self, client: Any | None = None, pool_id: str | None = None):
        self.client = client if client is not None else aws.client("cognito-idp")
        self.pool_id = pool_id if pool_id is not None else get_settings().user_pool_id

    def _pages(self, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            answer = getattr(self.client, operation)(
                UserPoolId=self.pool_id, Limit=60, **params, **({"NextToken": token} if token else {})
            )
            yield from answer.get("Users", [])
            token = answer.get("NextToken")
            if not token:
                return

    def find(self, email: str) -> StaffMember | None:
        try:
            user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=email)
        except self.client.exceptions.UserNotFoundException:
            return None
        groups = self.client.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=email, Limit=60)
        return _member(user, tuple(g["GroupName"] for g in groups.get("Groups", [])))

    def in_role(self, role: str) -> list[StaffMember]:
        return [_member(user, (role,)) for user in self._pages("list_users_in_group", GroupName=role)]

    def all(self) -> list[StaffMember]:
        roles: dict[str, list[str]] = {}
        for role in ROLES:
            for user in self._pages("list_users_in_group", GroupName=role):
                roles.setdefault(str(user["Username"]), []).append(role)
        members = [
            _member(user, tuple(roles.get(str(user["Username"]), ()))) for user in self._pages("list_users")
        ]
        return sorted(members, key=lambda m: m.email)

    def invite(self, email: str, name: str, role: str, unit: str) -> None:
        try:
            self.client.admin_create_user(
                UserPoolId=self.pool_id,
                Username=email,
                DesiredDeliveryMediums=["EMAIL"],
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": name},
                    {"Name": "custom:unit", "Value": unit},
                ],
            )
        except self.client.exceptions.InvalidParameterException as error:
            raise InvalidInput(
                "Alamat ini tidak diterima sebagai nama masuk staf.",
                fields={"email": "bukan alamat email yang sah"},
            ) from error
        except self.client.exceptions.UsernameExistsException:
            raise Conflict(
                f"{email} sudah terdaftar sebagai staf.",
                code="user_exists",
                fields={"email": "sudah terdaftar"},
            ) from None
        self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=role)

    def set_role(self, email: str, role: str, current: tuple[str, ...]) -> None:
        if role not in current:
            self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=role)
        for old in current:
            if old != role:
                self.client.admin_remove_user_from_group(
                    UserPoolId=self.pool_id, Username=email, GroupName=old
                )

    def set_attributes(self, email: str, attributes: Mapping[str, str]) -> None:
        self.client.admin_update_user_attributes(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        )

    def set_enabled(self, email: str, enabled: bool) -> None:
        if enabled:
            self.client.admin_enable_user(UserPoolId=self.pool_id, Username=email)
        else:
            self.client.admin_disable_user(UserPoolId=self.pool_id, Username=email)


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
    if ReferenceStore().get("UNIT", unit_id) is None:
        raise RuleViolation("Unit tidak dikenal.", code="unknown_unit", fields={"unit": "unit tidak dikenal"})


def _audit(
    email: str, what: str, before: StaffMember | None, after: StaffMember, user: StaffUser, now: datetime
) -> None:
    store = ReferenceStore()
    store.table.put_item(
        Item=audit_item(
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
    return {"items": [m.view() for m in StaffDirectory().all()]}


def invite_user(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(InviteForm, data)
    _unit_must_exist(form.unit)
    directory = StaffDirectory()
    directory.invite(form.email, form.name, form.role, form.unit)
    member = directory.find(form.email)
    if member is None:  # Cognito just created it: only a broken pool answers so
        raise NotFound("Pengguna tidak ditemukan setelah dibuat.", code="user_not_found")
    _audit(form.email, "invite", None, member, user, now)
    return member.view()


def update_user(email: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(UserChange, data)
    try:
        address = staff_email(email)
    except ValueError:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found") from None
    directory = StaffDirectory()
    before = directory.find(address)
    if before is None:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found")
    if before.email == user.email.lower() and (
        change.enabled is False or (change.role is not None and change.role != "admin")
    ):
        raise RuleViolation(
            "Anda tidak dapat menonaktifkan diri sendiri atau melepas peran admin Anda sendiri.",
            code="self_lockout",
            fields={"enabled" if change.enabled is False else "role": "berlaku untuk akun Anda sendiri"},
        )
    attributes: dict[str, str] = {}
    if change.name is not None and change.name != before.name:
        attributes["name"] = change.name
    if change.unit is not None and change.unit != before.unit:
        _unit_must_exist(change.unit)
        headed = [
            str(i["id"]) for i in ReferenceStore().all("UNIT") if str(i.get("head") or "") == before.email
        ]
        if before.unit in headed:
            raise RuleViolation(
                f"{before.email} adalah kepala unit {before.unit}; tunjuk kepala lain dulu.",
                code="head_of_unit",
                fields={"unit": f"masih kepala unit {before.unit}"},
            )
        attributes["custom:unit"] = change.unit
    if attributes:
        directory.set_attributes(address, attributes)
    if change.role is not None and before.roles != (change.role,):
        directory.set_role(address, change.role, before.roles)
    if change.enabled is not None and change.enabled != before.enabled:
        directory.set_enabled(address, change.enabled)
    after = directory.find(address)
    if after is None:
        raise NotFound("Pengguna tidak ditemukan.", code="user_not_found")
    if after != before:
        _audit(address, "update", before, after, user, now)
    return after.view()
