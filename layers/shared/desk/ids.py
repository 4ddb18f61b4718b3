"""Request numbers, access codes and opaque ids."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

# A yearly sequence: six digits with leading zeros, then 7 or more past 999,999, so the numbers given out
# earlier keep their form (contract: "at least 6 digits"). Twelve digits bound what is parsed.
# ASCII digits only: ``\d`` would take the wide digits of another script.
SEQUENCE = r"(?:[0-9]{6}|[1-9][0-9]{6,11})"
NUMBER = rf"EP-[0-9]{{4}}-{SEQUENCE}"
NUMBER_PATTERN = re.compile(rf"^EP-([0-9]{{4}})-({SEQUENCE})$")


def sequenced(prefix: str, year: int, sequence: int) -> str:
    """``PREFIX-YYYY-NNNNNN``: request, agenda and outgoing letter numbers alike."""
    if sequence < 1 or not 1 <= year <= 9999:
        raise ValueError(f"{prefix}-{year}-{sequence} is not a number the desk gives out")
    return f"{prefix}-{year:04d}-{sequence:06d}"


def format_number(year: int, sequence: int) -> str:
    return sequenced("EP", year, sequence)


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
