"""A validation error as the short Indonesian phrase shown beside its field (pydantic speaks English)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_PHRASES = {
    "missing": "wajib diisi",
    "extra_forbidden": "tidak dikenal",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "too_short": "minimal {min_length} isian",
    "too_long": "maksimal {max_length} isian",
    "greater_than_equal": "minimal {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "maksimal {le}",
    "less_than": "harus kurang dari {lt}",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "float_type": "harus angka",
    "decimal_parsing": "harus angka",
    "decimal_type": "harus angka",
    "bool_parsing": "harus ya atau tidak",
    "bool_type": "harus ya atau tidak",
    "string_type": "harus teks",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "model_attributes_type": "harus berupa objek",
    "date_parsing": "harus tanggal (TTTT-BB-HH)",
    "date_from_datetime_parsing": "harus tanggal (TTTT-BB-HH)",
    "date_from_datetime_inexact": "harus tanggal tanpa jam",
    "date_type": "harus tanggal (TTTT-BB-HH)",
    "datetime_parsing": "harus tanggal dan jam (mis. 2026-03-02T09:00:00+07:00)",
    "datetime_from_date_parsing": "harus tanggal dan jam (mis. 2026-03-02T09:00:00+07:00)",
    "datetime_type": "harus tanggal dan jam (mis. 2026-03-02T09:00:00+07:00)",
    "timezone_aware": "zona waktu wajib ada",
    "string_pattern_mismatch": "formatnya tidak sah",
    "literal_error": "harus salah satu dari {expected}",
    "enum": "harus salah satu dari {expected}",
    "url_parsing": "harus alamat web yang sah",
    "url_scheme": "harus alamat web yang sah",
}


def field_problem(error: Mapping[str, Any]) -> str:
    """One pydantic error (``ValidationError.errors()`` item) in the desk's words. A rule of the desk's
    own (a ValueError raised by a validator) is already in its words and passes as it is."""
    kind = str(error.get("type", ""))
    phrase = _PHRASES.get(kind)
    if phrase is not None:
        context = {k: _shown(v) for k, v in (error.get("ctx") or {}).items()}
        try:
            return phrase.format(**context)
        except (KeyError, IndexError):
            return phrase.split(" {")[0]
    return str(error.get("msg", "tidak sah")).removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _shown(value: Any) -> str:
    text = str(value)
    return text.replace("'", "")
