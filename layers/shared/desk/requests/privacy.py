"""An anonymous requester's identity, hidden from everyone who may not see it (pure).

The identity lives apart from the request, but its values travel: the acknowledgement's ``mail_sent``
event names the address it went to, a bounce lists failed recipients, a requester may sign a message
with their name. One redaction is applied to the whole staff view of a request, by value: every string
that holds the requester's address, name or phone has it replaced, wherever it stands. (Their
institution is not hunted in the text: a complaint is often about the very institution named there.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

HIDDEN = "[identitas disembunyikan]"
_MIN_LENGTH = 3  # shorter values (initials) would hide ordinary words
# Identity fields whose values identify a person (the participants of a training request are theirs).
_PERSONAL = ("email", "name", "phone", "fax", "npwp", "address")
_PHONES = frozenset({"phone", "fax"})
_MIN_PHONE_DIGITS = 6


def identity_values(identity: Mapping[str, Any]) -> list[str]:
    """The values to hide, as regular expressions, longest first (an address goes whole before a name
    inside it). A phone number matches however it is written: spaces, dots, dashes, 0 or +62."""
    values: set[str] = set()
    for key in _PERSONAL:
        value = identity.get(key)
        if not isinstance(value, str) or len(value.strip()) < _MIN_LENGTH:
            continue
        if key in _PHONES:
            if len(re.sub(r"\D", "", value)) >= _MIN_PHONE_DIGITS:
                values.add(_phone(value))
        else:
            values.add(re.escape(value.strip()).replace(r"\ ", r"[\s_]+"))
            values |= {re.escape(part) for part in _parts(key, value)}
    for person in identity.get("participants") or []:
        if isinstance(person, Mapping):
            values |= set(identity_values(person))
    return sorted(values, key=lambda v: (-len(v), v))


# Words of a name that are titles, not the person: hiding them would hide ordinary text.
_NOT_NAMES = frozenset(
    {"bapak", "ibu", "bpk", "sdr", "sdri", "bin", "binti", "dan", "drs", "ir", "haji", "hj"}
)


def _parts(key: str, value: str) -> set[str]:
    """A name is also written in part ("Salam, Budi"), an address by its local part ("budi.santoso" in a
    signature): each part of three letters or more is hidden too."""
    if key == "name":
        words = re.split(r"[\s,.]+", value.strip())
    elif key == "email":
        local = value.strip().partition("@")[0]
        words = [local, *re.split(r"[._+-]+", local)]
    else:
        return set()
    return {w for w in words if len(w) >= _MIN_LENGTH and w.lower() not in _NOT_NAMES and not w.isdigit()}


def shown_subject(item: Mapping[str, Any]) -> str:
    """The subject lists and staff mail show: an anonymous requester's with their identity hidden (kept
    at intake, as lists do not read the identity)."""
    return str(item.get("subject_redacted") or item.get("subject") or "")


def _phone(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    head, rest = (r"(?:0|\+?62[\s.-]*)", digits[1:]) if digits.startswith("0") else ("", digits)
    return head + r"[\s.()-]*".join(rest)


def _pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    parts = list(values)
    if not parts:
        return None
    # Whole words only: a name is hidden, the same letters inside another word are not (an underscore
    # separates words here, as in a file name).
    return re.compile(r"(?<![^\W_]|\+)(?:" + "|".join(parts) + r")(?![^\W_])", re.IGNORECASE)


def redact(value: Any, values: Iterable[str]) -> Any:
    """``value`` (any JSON-shaped data) with every match of ``values`` (``identity_values``) replaced by
    ``HIDDEN``."""
    pattern = _pattern(values)
    return value if pattern is None else _walk(value, pattern)


def _walk(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(HIDDEN, value)
    if isinstance(value, Mapping):
        # A signed link is left whole: rewriting it would break its signature (its file name is the
        # object's, hidden in the listed ``filename``).
        return {key: item if key == "url" else _walk(item, pattern) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(item, pattern) for item in value]
    return value
