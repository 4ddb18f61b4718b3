"""Who a signed-in staff member is, from the claims the Cognito authorizer put on the event."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from desk.errors import Forbidden, Unauthorized

ROLES = ("helpdesk", "reception", "secretary", "director", "subdit", "lpse_verifier", "training", "admin")


@dataclass(frozen=True)
class StaffUser:
    username: str
    email: str
    roles: frozenset[str]
    unit: str

    def has_any(self, roles: Collection[str]) -> bool:
        return bool(self.roles & set(roles))

    def require(self, *roles: str) -> None:
        if not self.has_any(roles):
            raise Forbidden("Peran Anda tidak berwenang untuk tindakan ini.", code="role_forbidden")


def _groups(value: Any) -> frozenset[str]:
    # REST API authorizers flatten list claims to a string, e.g. "[admin helpdesk]" or "admin,helpdesk".
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    if not isinstance(value, str) or not value.strip():
        return frozenset()
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return frozenset(str(v) for v in parsed)
        except json.JSONDecodeError:
            text = text[1:-1]
    return frozenset(part for part in text.replace(",", " ").split() if part)


def from_claims(claims: Mapping[str, Any] | None) -> StaffUser:
    """Build the user from verified claims; the authorizer already checked the signature."""
    if not claims or claims.get("token_use") not in (None, "id"):
        raise Unauthorized("Silakan masuk terlebih dahulu.")
    username = str(claims.get("cognito:username") or claims.get("sub") or "")
    if not username:
        raise Unauthorized("Silakan masuk terlebih dahulu.")
    roles = _groups(claims.get("cognito:groups")) & set(ROLES)
    return StaffUser(
        username=username,
        email=str(claims.get("email") or ""),
        roles=roles,
        unit=str(claims.get("custom:unit") or ""),
    )


def from_event(event: Mapping[str, Any]) -> StaffUser:
    context = event.get("requestContext") or {}
    return from_claims((context.get("authorizer") or {}).get("claims"))
