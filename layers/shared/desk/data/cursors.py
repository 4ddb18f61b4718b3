"""Page cursors: a Query's ``LastEvaluatedKey`` handed to the reader and taken back, signed and bound to
the list it came from, so a cursor made up or carried to another list is refused (400) before DynamoDB
sees it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from desk.errors import InvalidInput
from desk.signing import KeyRing


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(secret: bytes, scope: str, payload: str) -> str:
    return _b64(hmac.new(secret, f"{scope}\n{payload}".encode(), hashlib.sha256).digest()[:16])


def _ring(ring: KeyRing | None) -> KeyRing:
    if ring is not None:
        return ring
    from desk.keys import key_ring

    return key_ring()


def encode(key: Mapping[str, Any] | None, *, scope: str, ring: KeyRing | None = None) -> str | None:
    """The cursor of the page after ``key`` in the list called ``scope`` (None: the last page)."""
    if not key:
        return None
    signing = _ring(ring).current
    payload = _b64(json.dumps(dict(key), default=str, separators=(",", ":")).encode())
    return f"{payload}.{signing.kid}.{_tag(signing.secret, scope, payload)}"


def decode(
    cursor: str | None, *, scope: str, keys: tuple[str, ...], ring: KeyRing | None = None
) -> dict[str, Any] | None:
    """The start key a cursor of this list carries; 400 naming ``cursor`` for any other (made up,
    altered, from another list, or signed with a key no longer in the ring)."""
    if not cursor:
        return None
    refused = InvalidInput("Kursor halaman tidak sah.", fields={"cursor": "tidak sah"})
    parts = cursor.split(".")
    if len(parts) != 3:
        raise refused
    payload, kid, tag = parts
    signing = _ring(ring).find(kid)
    if signing is None or not hmac.compare_digest(tag, _tag(signing.secret, scope, payload)):
        raise refused
    try:
        value = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        raise refused from None
    if (
        not isinstance(value, dict)
        or set(value) != set(keys)
        or not all(isinstance(v, str) for v in value.values())
    ):
        raise refused
    return value
