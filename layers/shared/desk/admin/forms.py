"""Validation shared by the administration forms and the CSV rows: every bad field is named."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ValidationError

from desk.errors import InvalidInput
from desk.validation import field_path, field_problem

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def problems(error: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for each in error.errors():
        name = field_path(each.get("loc", ()))
        fields.setdefault(name, field_problem(each))
    return fields


def validate[M: BaseModel](model: type[M], data: Any) -> M:
    """The form, or :class:`InvalidInput` (400) naming each bad field."""
    if not isinstance(data, dict):
        raise InvalidInput("Isi permintaan harus berupa objek JSON.", fields={"body": "harus objek JSON"})
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput("Ada isian yang belum benar.", fields=problems(error)) from None


def lenient_date(value: Any) -> Any:
    """``YYYY-MM-DD``, or ``DD/MM/YYYY`` as spreadsheets in Indonesia write it."""
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError("tanggal tidak ada di kalender") from None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise ValueError("tanggal tidak ada di kalender") from None
        raise ValueError("gunakan format YYYY-MM-DD")
    if isinstance(value, datetime):
        raise ValueError("gunakan tanggal saja (YYYY-MM-DD)")
    return value


_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_ID_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")  # 1.500.000,50
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")  # 1,500,000.50


def parse_amount(value: Any) -> Decimal:
    """A rupiah amount as people write it: ``1500000``, ``1.500.000,50``, ``1,500,000.50``, ``Rp 1.500``.

    Two decimals at most: a group of three after the only separator is a thousands group
    (``1.500`` is one thousand five hundred), which is how rupiah amounts are written."""
    if isinstance(value, bool):
        raise ValueError("harus berupa angka")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if not isinstance(value, str):
        raise ValueError("harus berupa angka")
    text = re.sub(r"\s+", "", value).removeprefix("Rp").removeprefix("rp").removeprefix("IDR")
    if _PLAIN.match(text):
        normal = text.replace(",", ".")
    elif _ID_GROUPED.match(text):
        normal = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(text):
        normal = text.replace(",", "")
    else:
        raise ValueError("bukan jumlah yang sah (contoh: 1500000 atau 1.500.000,00)")
    try:
        return Decimal(normal)
    except InvalidOperation:
        raise ValueError("bukan jumlah yang sah") from None


LenientDate = Annotated[date, BeforeValidator(lenient_date)]
