"""Request numbers, access codes and opaque ids."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

NUMBER_PATTERN = re.compile(r"^EP-(\d{4})-(\d{6})$")


def format_number(year: int, sequence: int) -> str:
    if not 1 <= sequence <= 999_999:
        raise ValueError(f"sequence {sequence} does not fit EP-YYYY-NNNNNN")
    return f"EP-{year:04d}-{sequence:06d}"


def is_number(value: str) -> bool:
    return bool(NUMBER_PATTERN.match(value))


def new_access_code() -> str:
    # 15 characters of a 31-letter alphabet = 74 bits; no 0/O or 1/I/L so it can be read over the phone.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(15))


def hash_access_code(code: str) -> str:
    # Stored hashed: a leaked table does not open every status page.
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def access_code_matches(code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code), stored_hash)


def new_opaque_id(nbytes: int = 16) -> str:
    """At least 128 bits, URL-safe."""
    return secrets.token_urlsafe(max(nbytes, 16))
