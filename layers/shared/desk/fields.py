"""The field types every form shares, each validated by one rule and described by a JSON schema that
rule accepts: whatever a client builds from ``/openapi.json`` passes the desk's own check.

The schemas may be narrower than the rules (a phone number with spaces or dashes is accepted, the
schema shows digits only), never wider."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from desk.addresses import normalise_address
from desk.requests.text import clean_line, clean_text

# A local part of at most 64 characters (32 + 2 x 16), dots only between characters; a domain of labels.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,32}(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}){0,2}"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
# A staff address is also a sign-in name, which the user pool takes in a plainer form.
STAFF_EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]{1,32}(\.[A-Za-z0-9_%+-]{1,15}){0,2}"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
PHONE_PATTERN = r"^\+?[0-9]{8,15}$"
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"


@cache
def _invisible() -> str:
    """A regex class body of what cleaning drops or collapses: control and format characters and
    whitespace (computed from this Python's Unicode tables, as the cleaning is). Lone surrogates are
    not text a JSON body can carry, and validators' regex engines refuse them in a class."""
    dropped = [
        code
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf") or chr(code).isspace()
    ]
    ranges: list[tuple[int, int]] = []
    for code in dropped:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))

    def escaped(code: int) -> str:
        # Astral characters are written as themselves: both Python's and ECMA's regexes read them so.
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return "".join(escaped(a) if a == b else f"{escaped(a)}-{escaped(b)}" for a, b in ranges)


@cache
def visible_pattern(at_least: int = 1) -> str:
    """A pattern of text that keeps ``at_least`` characters once cleaned: as many that are neither
    whitespace nor control nor format characters."""
    invisible = _invisible()
    one = f"[{invisible}]*[^{invisible}]"
    return f"^(?:{one}){{{at_least}}}" if at_least > 1 else f"^{one}"


def _email(value: str) -> str:
    address = normalise_address(value)
    if address is None:
        raise ValueError("bukan alamat email yang sah")
    return address


def staff_email(value: str) -> str:
    """Staff sign in by email; one address is one account whatever its capitals."""
    return _email(value).lower()


def _phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if not 8 <= len(digits) <= 15:
        raise ValueError("nomor telepon harus 8 sampai 15 angka")
    return ("+" if value.strip().startswith("+") else "") + digits


def _required_line(value: str) -> str:
    cleaned = clean_line(value)
    if not cleaned:
        raise ValueError("wajib diisi")
    return cleaned


def _required_text(value: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise ValueError("wajib diisi")
    return cleaned


def _slug(value: str) -> str:
    value = value.strip()
    if not re.match(SLUG_PATTERN, value):
        raise ValueError("gunakan huruf kecil, angka dan tanda hubung (mis. subdit-sistem)")
    return value


def _shown(pattern: str, **more: int) -> Any:
    return Field(json_schema_extra={"pattern": pattern, **more})


class Visible:
    """The schema of a text that must keep ``at_least`` characters once cleaned (documentation: the
    field's own rule checks it). Computed on first use: the Unicode scan takes a moment."""

    def __init__(self, at_least: int = 1) -> None:
        self.at_least = at_least

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        answer: dict[str, Any] = handler(schema)
        answer["pattern"] = visible_pattern(self.at_least)
        return answer


Email = Annotated[
    str, StringConstraints(max_length=320), AfterValidator(_email), _shown(EMAIL_PATTERN, maxLength=254)
]
StaffEmail = Annotated[
    str,
    StringConstraints(max_length=320),
    AfterValidator(staff_email),
    _shown(STAFF_EMAIL_PATTERN, maxLength=254),
]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone), _shown(PHONE_PATTERN)]
Line = Annotated[str, StringConstraints(max_length=200), AfterValidator(_required_line), Visible()]
OptionalLine = Annotated[str, StringConstraints(max_length=200), AfterValidator(clean_line)]
Message = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_required_text), Visible()]
Slug = Annotated[str, StringConstraints(max_length=64), AfterValidator(_slug), _shown(SLUG_PATTERN)]
# A free text of at least three characters (a reason, a place): stripped, then counted.
Reason = Annotated[str, Visible(3)]

# A rupiah amount as the schema shows it: whole rupiah as a number, or a plain decimal string with at
# most two decimals; the rules also take grouped figures (1.500.000,00) and "Rp".
RUPIAH_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 1, "maximum": 10**13},
        {"type": "string", "pattern": r"^[1-9][0-9]{0,12}(\.[0-9]{1,2})?$"},
    ]
}
