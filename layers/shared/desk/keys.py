"""The signing keys, read from Secrets Manager and cached for a few minutes so a rotation takes effect.

The secret holds flat JSON (so CloudFormation can generate it): ``{"current_kid": "k1", "current_secret":
"...", "previous_kid": "", "previous_secret": ""}``. A rotation moves current to previous and writes a new
current; links and Message-IDs signed with the previous key keep verifying until the next rotation.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Protocol

from desk import runtime
from desk.signing import KeyRing, SigningKey

_REFRESH_SECONDS = 300.0


class SecretMissing(LookupError):
    """The secret is not there (a wrong id, or deleted)."""


class Secret(Protocol):
    """One secret, read as it is stored now. Secrets Manager's is ``desk.data.secrets.StoredSecret``; the
    tests hold an in-memory twin to the same behaviour suite."""

    def read(self) -> str:
        """The current value; :class:`SecretMissing` when there is no secret."""
        ...


def signing_secret() -> Secret:
    """The secret holding the signing keys (the tests may hold a twin in its place)."""
    from desk.data.secrets import signing_secret as stored

    return stored()


class _KeyCache:
    def __init__(self) -> None:
        self.ring: KeyRing | None = None
        self.loaded_at = 0.0
        self.lock = threading.Lock()


@runtime.cached
def _cache() -> _KeyCache:
    return _KeyCache()


def _key(data: dict[str, Any], prefix: str) -> SigningKey | None:
    kid, secret = str(data.get(f"{prefix}_kid") or ""), str(data.get(f"{prefix}_secret") or "")
    if not kid or len(secret) < 32:
        return None
    return SigningKey(kid=kid, secret=secret.encode())


def parse_secret(text: str) -> KeyRing:
    data = json.loads(text)
    current = _key(data, "current")
    if current is None:
        raise ValueError("the signing secret has no current key of at least 32 characters")
    return KeyRing(current=current, previous=_key(data, "previous"))


def key_ring() -> KeyRing:
    cache = _cache()
    now = time.monotonic()
    with cache.lock:
        if cache.ring is None or now - cache.loaded_at > _REFRESH_SECONDS:
            cache.ring = parse_secret(signing_secret().read())
            cache.loaded_at = now
        return cache.ring


def forget() -> None:
    """Drop the cached keys (after a rotation, or in tests)."""
    cache = _cache()
    with cache.lock:
        cache.ring = None
