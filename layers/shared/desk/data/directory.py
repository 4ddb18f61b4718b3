"""The Cognito user pool, as the desk keeps its staff: groups are roles, ``custom:unit`` the unit, and the
email address is the sign-in name (the pool's own user names are generated ids)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desk import aws, clock, runtime
from desk.admin.directory import AddressRefused, Directory, NoSuchStaff, StaffExists, StaffMember
from desk.data.dynamo import error_code
from desk.staff import ROLES

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import AttributeTypeTypeDef

PAGE = 60  # the most one ListUsers call answers


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


@contextmanager
def _known(email: str) -> Iterator[None]:
    """Cognito's "no such user" as :class:`NoSuchStaff`; any other refusal as it came."""
    from botocore.exceptions import ClientError

    try:
        yield
    except ClientError as error:
        if error_code(error) == "UserNotFoundException":
            raise NoSuchStaff(email) from error
        raise


class CognitoDirectory:
    def __init__(self, client: CognitoIdentityProviderClient, pool_id: str):
        self.client = client
        self.pool_id = pool_id

    def _in_group(self, role: str) -> Iterator[Mapping[str, Any]]:
        pages = self.client.get_paginator("list_users_in_group").paginate(
            UserPoolId=self.pool_id, GroupName=role, PaginationConfig={"PageSize": PAGE}
        )
        for page in pages:
            yield from page.get("Users", [])

    def find(self, email: str) -> StaffMember | None:
        try:
            with _known(email):
                user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=email)
        except NoSuchStaff:
            return None
        pages = self.client.get_paginator("admin_list_groups_for_user").paginate(
            UserPoolId=self.pool_id, Username=email, PaginationConfig={"PageSize": PAGE}
        )
        groups = tuple(group["GroupName"] for page in pages for group in page.get("Groups", []))
        return _member(user, groups)

    def in_role(self, role: str) -> list[StaffMember]:
        return [_member(user, (role,)) for user in self._in_group(role)]

    def everyone(self) -> list[StaffMember]:
        # One listing per role rather than one call per member: the cost stays flat as staff grow.
        roles: dict[str, list[str]] = {}
        for role in ROLES:
            for user in self._in_group(role):
                roles.setdefault(str(user["Username"]), []).append(role)
        pages = self.client.get_paginator("list_users").paginate(
            UserPoolId=self.pool_id, PaginationConfig={"PageSize": PAGE}
        )
        members = [
            _member(user, tuple(roles.get(str(user.get("Username")), ())))
            for page in pages
            for user in page.get("Users", [])
        ]
        return sorted(members, key=lambda m: m.email)

    def invite(self, email: str, *, name: str, role: str, unit: str) -> None:
        from botocore.exceptions import ClientError

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
        except ClientError as error:
            code = error_code(error)
            if code == "UsernameExistsException":
                raise StaffExists(email) from error
            if code == "InvalidParameterException":
                raise AddressRefused(email) from error
            raise
        self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=role)

    def set_role(self, email: str, role: str, *, current: tuple[str, ...]) -> None:
        with _known(email):
            if role not in current:
                self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=role)
            for old in current:
                if old != role:
                    self.client.admin_remove_user_from_group(
                        UserPoolId=self.pool_id, Username=email, GroupName=old
                    )

    def set_details(self, email: str, *, name: str | None = None, unit: str | None = None) -> None:
        changed = {"name": name, "custom:unit": unit}
        attributes: list[AttributeTypeTypeDef] = [
            {"Name": k, "Value": v} for k, v in changed.items() if v is not None
        ]
        if not attributes:
            return
        with _known(email):
            self.client.admin_update_user_attributes(
                UserPoolId=self.pool_id, Username=email, UserAttributes=attributes
            )

    def set_enabled(self, email: str, enabled: bool) -> None:
        with _known(email):
            if enabled:
                self.client.admin_enable_user(UserPoolId=self.pool_id, Username=email)
            else:
                self.client.admin_disable_user(UserPoolId=self.pool_id, Username=email)


@runtime.cached
def directory() -> Directory:
    from desk.settings import get_settings

    return CognitoDirectory(aws.client("cognito-idp"), get_settings().user_pool_id)
