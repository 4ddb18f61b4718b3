"""HMAC-SHA256 signatures with key ids, verified against the current and the previous key (pure)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class SigningKey:
    kid: str
    secret: bytes


@dataclass(frozen=True)
class KeyRing:
    current: SigningKey
    previous: SigningKey | None = None

    def find(self, kid: str) -> SigningKey | None:
        for key in (self.current, self.previous):
            if key is not None and hmac.compare_digest(key.kid, kid):
                return key
        return None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(message: str, key: SigningKey, *, length: int = 32) -> str:
    digest = hmac.new(key.secret, message.encode(), hashlib.sha256).digest()
    return _b64(digest[:length])


def verify(message: str, kid: str, signature: str, ring: KeyRing, *, length: int = 32) -> bool:
    key = ring.find(kid)
    if key is None:
        return False
    return hmac.compare_digest(sign(message, key, length=length), signature)
