"""Email addresses as people type them: with a display name, in capitals, with an IDN domain."""

from __future__ import annotations

import re
from email.utils import parseaddr

_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_address(value: str) -> str | None:
    """The plain ``local@domain`` (domain lowercased, IDN in its ASCII form), or None if not an address."""
    _, address = parseaddr(value.strip())
    if not address or address.count("@") != 1:
        return None
    local, domain = address.rsplit("@", 1)
    if not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    return f"{local}@{ascii_domain}"
