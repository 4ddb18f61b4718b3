"""In-memory twins of the data layer's AWS adapters (S3's documents bucket, SES, Secrets Manager, the Cognito
user pool), for the service tier. Each is held to its adapter by one behaviour suite (tests/behaviour/),
so the two cannot drift; what a twin cannot do, it refuses loudly."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import IO
from urllib.parse import quote, urlencode

from desk import clock
from desk.admin.directory import AddressRefused, NoSuchStaff, StaffExists, StaffMember
from desk.documents.files import FileMissing, PresignedPost
from desk.keys import SecretMissing
from desk.mail.outbox import MessageRejected
from desk.staff import ROLES


@dataclass
class StoredFile:
    content: bytes
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


class InMemoryFiles:
    """The documents bucket in a dict, behaving as ``desk.data.files.S3Files`` does. Its URLs name a host
    that does not exist and carry no signature: nothing can post to them or fetch them."""

    def __init__(self, bucket: str = "desk-documents", *, signed_at: datetime | None = None) -> None:
        self.bucket = bucket
        self.signed_at = signed_at  # when None, the wall clock's instant, as botocore signs
        self.files: dict[str, StoredFile] = {}

    def _stored(self, key: str) -> StoredFile:
        found = self.files.get(key)
        if found is None:
            raise FileMissing(key)
        return found

    def _expiry(self, lifetime: timedelta) -> str:
        return clock.iso((self.signed_at or datetime.now(UTC)) + lifetime)

    def presigned_post(
        self, key: str, *, content_type: str, max_size: int, lifetime: timedelta
    ) -> PresignedPost:
        policy = {
            "expiration": self._expiry(lifetime),
            "conditions": [
                {"Content-Type": content_type},
                ["content-length-range", 1, max_size],
                {"bucket": self.bucket},
                {"key": key},
            ],
        }
        encoded = base64.b64encode(json.dumps(policy).encode()).decode()
        return {
            "url": f"https://{self.bucket}.s3.twin.invalid/",
            "fields": {"Content-Type": content_type, "key": key, "policy": encoded},
        }

    def write(
        self,
        key: str,
        content: bytes | IO[bytes],
        *,
        content_type: str,
        metadata: Mapping[str, str] | None = None,
        sha256: str | None = None,
    ) -> None:
        data = content if isinstance(content, bytes) else content.read()
        # S3 refuses bytes that do not have the stated hash (moto does not check it, so the behaviour
        # suite cannot hold this part).
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"the bytes for {key} do not have the stated SHA-256")
        self.files[key] = StoredFile(data, content_type, dict(metadata or {}))

    def read(self, key: str) -> bytes:
        return self._stored(key).content

    def read_into(self, key: str, sink: IO[bytes], *, limit: int) -> int:
        part = self._stored(key).content[:limit]
        sink.write(part)
        return len(part)

    def tag(self, key: str, tags: Mapping[str, str]) -> None:
        self._stored(key).tags = dict(tags)

    def tags_of(self, key: str) -> dict[str, str]:
        return dict(self._stored(key).tags)

    def delete(self, key: str) -> None:
        self.files.pop(key, None)

    def download_url(self, key: str, *, disposition: str, content_type: str, lifetime: timedelta) -> str:
        query = urlencode(
            {
                "response-content-disposition": disposition,
                "response-content-type": content_type,
                "X-Amz-Expires": int(lifetime.total_seconds()),
            },
            quote_via=quote,
        )
        return f"https://{self.bucket}.s3.twin.invalid/{quote(key)}?{query}"


@dataclass(frozen=True)
class SentMail:
    sender: str
    to: tuple[str, ...]
    raw: bytes


class InMemoryMailer:
    """Mail that was sent, in a list, behaving as ``desk.data.mailer.SesMailer`` does: as SES, it sends only
    from an address or domain it verified."""

    def __init__(self, verified: Iterable[str]) -> None:
        self.verified = set(verified)
        self.sent: list[SentMail] = []
        # A fault to inject: mail to these addresses is rejected (empty unless a test fills it).
        self.refusing: set[str] = set()

    def send(self, sender: str, to: Sequence[str], raw: bytes) -> None:
        if self.refusing & set(to):
            raise MessageRejected("Address blacklisted.")
        address = parseaddr(sender)[1]
        if address not in self.verified and address.rsplit("@", 1)[-1] not in self.verified:
            raise MessageRejected(f"Did not have authority to send from email {address}")
        self.sent.append(SentMail(sender, tuple(to), raw))


class InMemorySecret:
    """One secret's value (``None``: no secret), behaving as ``desk.data.secrets.StoredSecret`` does."""

    def __init__(self, value: str | None = None) -> None:
        self.value = value
        self.reads = 0

    def read(self) -> str:
        self.reads += 1
        if self.value is None:
            raise SecretMissing("the secret")
        return self.value


# The pool takes an address as a sign-in name when it reads as one to Cognito (moto's reading of it).
_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


class InMemoryDirectory:
    """Staff in a dict by email, behaving as ``desk.data.directory.CognitoDirectory`` does. Everyone invited
    is created at ``now`` and waits for their first sign-in (``FORCE_CHANGE_PASSWORD``)."""

    def __init__(self, *, now: datetime, roles: Iterable[str] = ROLES) -> None:
        self.now = now
        self.roles = set(roles)
        self.members: dict[str, StaffMember] = {}

    def _member(self, email: str) -> StaffMember:
        found = self.members.get(email)
        if found is None:
            raise NoSuchStaff(email)
        return found

    def _role(self, role: str) -> str:
        if role not in self.roles:
            raise KeyError(f"the pool has no group {role}")
        return role

    def find(self, email: str) -> StaffMember | None:
        return self.members.get(email)

    def in_role(self, role: str) -> list[StaffMember]:
        return [replace(m, roles=(role,)) for m in self.members.values() if role in m.roles]

    def everyone(self) -> list[StaffMember]:
        return sorted(self.members.values(), key=lambda m: m.email)

    def invite(self, email: str, *, name: str, role: str, unit: str) -> None:
        if not _ADDRESS.fullmatch(email):
            raise AddressRefused(email)
        if email in self.members:
            raise StaffExists(email)
        self.members[email] = StaffMember(
            username=str(uuid.UUID(int=len(self.members) + 1)),
            email=email,
            name=name,
            roles=(self._role(role),),
            unit=unit,
            enabled=True,
            status="FORCE_CHANGE_PASSWORD",
            created_at=clock.iso(self.now),
        )

    def set_role(self, email: str, role: str, *, current: tuple[str, ...]) -> None:
        member = self._member(email)
        held = (set(member.roles) | {self._role(role)}) - (set(current) - {role})
        self.members[email] = replace(member, roles=tuple(r for r in ROLES if r in held))

    def set_details(self, email: str, *, name: str | None = None, unit: str | None = None) -> None:
        if name is None and unit is None:
            return  # nothing to write: the pool is not asked, so not even a missing member is noticed
        member = self._member(email)
        self.members[email] = replace(
            member, name=member.name if name is None else name, unit=member.unit if unit is None else unit
        )

    def set_enabled(self, email: str, enabled: bool) -> None:
        self.members[email] = replace(self._member(email), enabled=enabled)
