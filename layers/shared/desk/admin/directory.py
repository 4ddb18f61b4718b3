"""What staff administration needs of the user pool: :class:`Directory`, and the :class:`StaffMember` it
answers with. Cognito's is ``desk.data.directory.CognitoDirectory``; the tests hold an in-memory twin to
the same behaviour suite. Staff are named by their email address throughout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


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


class StaffExists(Exception):
    """The address already names a staff member."""


class AddressRefused(Exception):
    """The pool does not take this address as a sign-in name."""


class NoSuchStaff(LookupError):
    """No staff member has this address."""


class Directory(Protocol):
    """Changing a member who is not there raises :class:`NoSuchStaff`."""

    def find(self, email: str) -> StaffMember | None:
        """The member with this address, with every role they hold; None when there is none."""
        ...

    def in_role(self, role: str) -> list[StaffMember]:
        """The members who hold ``role``; each one's ``roles`` names that role only (one call per page,
        not one per member)."""
        ...

    def everyone(self) -> list[StaffMember]:
        """Every member with their roles, by email."""
        ...

    def invite(self, email: str, *, name: str, role: str, unit: str) -> None:
        """A new member in ``role``, who is mailed a temporary password; :class:`StaffExists` or
        :class:`AddressRefused` when the address cannot be theirs."""
        ...

    def set_role(self, email: str, role: str, *, current: tuple[str, ...]) -> None:
        """Give the member ``role`` as their only one, ``current`` being the roles they hold now."""
        ...

    def set_details(self, email: str, *, name: str | None = None, unit: str | None = None) -> None:
        """Change the member's name or unit (``None`` keeps it), in one write."""
        ...

    def set_enabled(self, email: str, enabled: bool) -> None:
        """Let the member sign in, or stop them (and their refresh tokens)."""
        ...
