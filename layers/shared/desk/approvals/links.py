"""Signed approval links (pure): ``/approvals/<task id>~<recipient>?exp=&kid=&sig=``.

The id names the task and which recipient the link was mailed to, the expiry is the task's life
(capped), and an HMAC-SHA256 with a key id covers all three. The Step Functions task token never
leaves the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from desk.errors import Forbidden, Gone
from desk.signing import KeyRing, sign, verify

_LINK_ID = re.compile(r"^(?P<task>[A-Za-z0-9_-]{22,64})~(?P<recipient>\d{1,2})$")


@dataclass(frozen=True)
class LinkId:
    task_id: str
    recipient: int

    def __str__(self) -> str:
        return f"{self.task_id}~{self.recipient}"


def parse_link_id(value: str) -> LinkId:
    match = _LINK_ID.match(value or "")
    if not match:
        raise Forbidden("Tautan ini tidak sah.", code="bad_link")
    return LinkId(match["task"], int(match["recipient"]))


def _message(link_id: LinkId, expires: int) -> str:
    return f"approval|{link_id}|{expires}"


def signed_url(base_url: str, link_id: LinkId, expires: int, ring: KeyRing) -> str:
    query = urlencode(
        {"exp": expires, "kid": ring.current.kid, "sig": sign(_message(link_id, expires), ring.current)}
    )
    return f"{base_url.rstrip('/')}/approvals/{link_id}?{query}"


def check(link_id: LinkId, expires: str, kid: str, signature: str, ring: KeyRing, now: datetime) -> None:
    """A tampered link is 403; an expired one 410 (checked after the signature, so a forged expiry is 403)."""
    try:
        expiry = int(expires)
    except (TypeError, ValueError):
        raise Forbidden("Tautan ini tidak sah.", code="bad_link") from None
    if not verify(_message(link_id, expiry), kid or "", signature or "", ring):
        raise Forbidden("Tautan ini tidak sah atau sudah diubah.", code="bad_signature")
    if expiry < int(now.timestamp()):
        raise Gone("Tautan ini sudah kedaluwarsa.", code="link_expired")
