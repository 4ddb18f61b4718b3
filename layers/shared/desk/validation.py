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


_PHRASES_EN = {
    "missing": "required",
    "extra_forbidden": "not a known field",
    "string_too_short": "at least {min_length} characters",
    "string_too_long": "at most {max_length} characters",
    "too_short": "at least {min_length} entries",
    "too_long": "at most {max_length} entries",
    "greater_than_equal": "at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "must be less than {lt}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date without a time",
    "date_type": "must be a date (YYYY-MM-DD)",
    "datetime_parsing": "must be a date and time (e.g. 2026-03-02T09:00:00+07:00)",
    "datetime_from_date_parsing": "must be a date and time (e.g. 2026-03-02T09:00:00+07:00)",
    "datetime_type": "must be a date and time (e.g. 2026-03-02T09:00:00+07:00)",
    "timezone_aware": "a time zone is required",
    "string_pattern_mismatch": "is not in a valid format",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "url_parsing": "must be a valid web address",
    "url_scheme": "must be a valid web address",
}
_BY_LANGUAGE = {"id": _PHRASES, "en": _PHRASES_EN}


_LOCATIONS = ("body", "query", "path", "header")


def field_path(location: Any, default: str = "body") -> str:
    """The field a pydantic error is about, as the form names it: ``participants.1.email``. The
    request part (``body``, ``query``) and the tags of union members (``function-after[...]``,
    ``literal['']``) are left out."""
    parts = [str(p) for p in location if p not in _LOCATIONS and not (isinstance(p, str) and "[" in p)]
    return ".".join(parts) or default


def field_problem(error: Mapping[str, Any], language: str = "id") -> str:
    """One pydantic error (``ValidationError.errors()`` item) in the desk's words, Indonesian unless
    English is asked for. A rule of the desk's own (a ValueError raised by a validator) is already in
    its words, translated where :mod:`desk.phrases` knows them."""
    kind = str(error.get("type", ""))
    phrase = _BY_LANGUAGE.get(language, _PHRASES).get(kind)
    if phrase is not None:
        context = {k: _shown(v) for k, v in (error.get("ctx") or {}).items()}
        try:
            return phrase.format(**context)
        except (KeyError, IndexError):
            return phrase.split(" {")[0]
    from desk.phrases import in_language

    own = str(error.get("msg", "tidak sah")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return in_language(own, language)


def _shown(value: Any) -> str:
    text = str(value)
    return text.replace("'", "")
