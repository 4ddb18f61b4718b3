"""e-Purchasing transactions, imported from the e-Purchasing system (which is outside this desk) so that
payment proofs can name one and their reminders can find the parties.

CSV import (``POST /staff/admin/transactions``): columns ``id`` (or ``transaction_id``,
``id_transaksi``), ``buyer_institution`` (or ``instansi``), ``buyer_email``, ``provider`` (or
``penyedia``), ``amount`` (or ``nilai``; ``1500000``, ``1.500.000,00`` and ``1,500,000.00`` all read as
rupiah), ``date`` (or ``tanggal``; ``YYYY-MM-DD`` or ``DD/MM/YYYY``), and optionally ``provider_email``.
The body is the CSV itself (``Content-Type: text/csv``) or JSON ``{"csv": "..."}``. Ids are kept in
capitals. Re-importing the same file changes nothing; a changed row updates the stored one.

Items: ``pk=TXN``, ``sk=<id>``, with ``gsi2pk=TXN#<YYYY-MM>`` and ``gsi2sk=<date>#<id>`` so reminders can
read one month's transactions without reading them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from desk import reference
from desk.admin import csvimport
from desk.admin.audit import who
from desk.admin.forms import LenientDate, parse_amount, validate
from desk.admin.imports import run_import
from desk.admin.store import update_item
from desk.data import schema
from desk.errors import InvalidInput, NotFound
from desk.fields import RUPIAH_SCHEMA, Email, Line
from desk.staff import StaffUser

PARTITION = schema.TRANSACTIONS_PK
_ID = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")
MAX_AMOUNT = Decimal("1e15")  # a rupiah figure far above any single e-Purchasing order


def normalise_id(value: str) -> str:
    normal = "".join(value.split()).upper()
    if not _ID.match(normal):
        raise ValueError("id transaksi: huruf, angka, titik, garis miring, garis bawah atau tanda hubung")
    return normal


def _amount(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("harus lebih dari 0")
    if value >= MAX_AMOUNT:
        raise ValueError("terlalu besar")
    return value.quantize(Decimal("0.01"))


TransactionId = Annotated[
    str, Field(max_length=80, json_schema_extra={"pattern": _ID.pattern}), AfterValidator(normalise_id)
]
Amount = Annotated[
    Decimal, BeforeValidator(parse_amount), AfterValidator(_amount), WithJsonSchema(RUPIAH_SCHEMA)
]


class TransactionForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: TransactionId
    buyer_institution: Line
    buyer_email: Email
    provider: Line
    provider_email: Email | None = None
    amount: Amount
    date: LenientDate

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "buyer_institution": self.buyer_institution,
            "buyer_email": self.buyer_email,
            "provider": self.provider,
            "provider_email": self.provider_email or "",
            "amount": self.amount,
            "date": self.date.isoformat(),
        }


class TransactionChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    buyer_institution: Line | None = None
    buyer_email: Email | None = None
    provider: Line | None = None
    provider_email: Email | None = None
    amount: Amount | None = None
    date: LenientDate | None = None


def _index(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "gsi2pk": schema.transactions_of_month_pk(str(data["date"])[:7]),
        "gsi2sk": f"{data['date']}#{key}",
    }


def view(item: Mapping[str, Any]) -> dict[str, Any]:
    """A transaction as the API shows it (``amount`` as a string with two decimals: exact rupiah)."""
    return {
        "id": str(item["id"]),
        "buyer_institution": str(item.get("buyer_institution", "")),
        "buyer_email": str(item.get("buyer_email", "")),
        "provider": str(item.get("provider", "")),
        "provider_email": str(item.get("provider_email") or "") or None,
        "amount": f"{Decimal(item['amount']).quantize(Decimal('0.01'))}",
        "date": str(item["date"]),
    }


# -- readers for the rest of the desk ---------------------------------------------------------------
def get_transaction(transaction_id: str) -> dict[str, Any] | None:
    """The transaction as :func:`view` shows it, or None. Ids are matched in capitals."""
    try:
        key = normalise_id(transaction_id)
    except ValueError:
        return None
    item = reference.cached_item(PARTITION, key)
    return view(item) if item is not None else None


def transactions_dated(start: date, end: date) -> list[dict[str, Any]]:
    """Transactions dated ``start`` to ``end`` inclusive, by date."""
    return [view(item) for item in reference.repository().transactions_dated(start, end)]


# -- administration ---------------------------------------------------------------------------------
def list_transactions(*, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = reference.repository().page(PARTITION, limit=limit, cursor=cursor)
    return {"items": [view(i) for i in items], "next_cursor": next_cursor}


def read_transaction(transaction_id: str) -> dict[str, Any]:
    try:
        key = normalise_id(transaction_id)
    except ValueError:
        key = ""
    item = reference.repository().item(PARTITION, key) if key else None
    if item is None:
        raise NotFound("Transaksi tidak ditemukan.", code="transaction_not_found")
    return view(item)


def update_transaction(transaction_id: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(TransactionChange, data)
    try:
        key = normalise_id(transaction_id)
    except ValueError:
        raise NotFound("Transaksi tidak ditemukan.", code="transaction_not_found") from None
    store = reference.repository()
    before = store.item(PARTITION, key)
    if before is None:
        raise NotFound("Transaksi tidak ditemukan.", code="transaction_not_found")
    given = change.model_dump(exclude_unset=True, exclude_none=True)
    if "date" in given:
        given["date"] = given["date"].isoformat()
    if all(before.get(k) == v for k, v in given.items()):
        return view(before)
    data_after = {**before, **given}
    item = update_item(
        store, "transaction", key, before, {**data_after, **_index(key, data_after)}, by=who(user), now=now
    )
    reference.forget(PARTITION)
    return view(item)


COLUMNS = (
    csvimport.Column("id", aliases=("transaction_id", "id_transaksi", "no_transaksi")),
    csvimport.Column("buyer_institution", aliases=("instansi", "instansi_pembeli", "buyer")),
    csvimport.Column("buyer_email", aliases=("email_pembeli", "email_buyer")),
    csvimport.Column("provider", aliases=("penyedia", "provider_name", "nama_penyedia")),
    csvimport.Column("provider_email", required=False, aliases=("email_penyedia",)),
    csvimport.Column("amount", aliases=("nilai", "jumlah", "total")),
    csvimport.Column("date", aliases=("tanggal", "transaction_date", "tanggal_transaksi")),
)


def import_transactions(text: str, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    if not isinstance(text, str):
        raise InvalidInput("Isi CSV tidak ada.", fields={"csv": "wajib diisi"})
    return run_import(
        text,
        partition=PARTITION,
        entity="transaction",
        columns=COLUMNS,
        model=TransactionForm,
        key=lambda row: row.id,
        record=lambda row: row.record(),
        key_column="id",
        index=_index,
        user=user,
        now=now,
    )
