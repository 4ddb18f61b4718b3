"""Provider contracts with LKPP: a provider may ask for an e-Purchasing user ID only under a contract
valid on the day (``check_contract``, read through a one-minute cache).

CSV import (``POST /staff/admin/contracts/import``): columns ``number`` (or ``contract_number``,
``nomor_kontrak``), ``provider_name`` (or ``nama_penyedia``), ``npwp``, ``valid_from`` (or
``berlaku_dari``), ``valid_to`` (or ``berlaku_sampai``); dates ``YYYY-MM-DD`` or ``DD/MM/YYYY``. A
number already stored with other values is updated; the same values change nothing. See
:mod:`desk.admin.csvimport` for the file's rules and the report. The body is the CSV itself
(``Content-Type: text/csv``) or JSON ``{"csv": "..."}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from desk import clock, reference
from desk.admin import csvimport
from desk.admin.audit import audit_item, who
from desk.admin.forms import LenientDate, validate
from desk.admin.imports import run_import
from desk.admin.store import create_item, update_item
from desk.data import schema
from desk.errors import Conflict, InvalidInput, NotFound, RuleViolation
from desk.fields import Line
from desk.staff import StaffUser

PARTITION = schema.CONTRACTS_PK
CONTRACT_NUMBER_PATTERN = r"^[A-Z0-9][A-Z0-9./_-]{1,79}$"
_NUMBER = re.compile(CONTRACT_NUMBER_PATTERN)
FIELDS = ("number", "provider_name", "npwp", "valid_from", "valid_to")


def normalise_number(value: str) -> str:
    """Contract numbers as typed: any capitals, stray spaces; slashes as official numbers have them."""
    number = "".join(value.split()).upper()
    if not _NUMBER.match(number):
        raise ValueError("nomor kontrak: huruf, angka, titik, garis miring, garis bawah atau tanda hubung")
    return number


def normalise_npwp(value: str) -> str:
    """Domain rules §4b: 16 digits (NIK-based) or the legacy 15; punctuation accepted and dropped."""
    text = value.strip()
    if re.search(r"[^0-9.\-\s]", text):
        raise ValueError("NPWP hanya berisi angka (tanda baca boleh)")
    digits = re.sub(r"\D", "", text)
    if len(digits) not in (15, 16):
        raise ValueError("NPWP harus 15 atau 16 angka")
    return digits


ContractNumber = Annotated[
    str,
    Field(max_length=120, json_schema_extra={"pattern": _NUMBER.pattern}),
    AfterValidator(normalise_number),
]
# The schema shows the digits; dots, dashes and spaces between them are taken and dropped.
Npwp = Annotated[
    str,
    Field(max_length=40, json_schema_extra={"pattern": r"^[0-9]{15,16}$"}),
    AfterValidator(normalise_npwp),
]


@dataclass(frozen=True)
class Contract:
    number: str
    provider_name: str
    npwp: str
    valid_from: date
    valid_to: date

    def state_on(self, day: date) -> Literal["valid", "expired", "not_yet_valid"]:
        if day < self.valid_from:
            return "not_yet_valid"
        if day > self.valid_to:
            return "expired"
        return "valid"

    def view(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "provider_name": self.provider_name,
            "npwp": self.npwp,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
        }


def from_item(item: Mapping[str, Any]) -> Contract:
    return Contract(
        number=str(item["number"]),
        provider_name=str(item.get("provider_name", "")),
        npwp=str(item.get("npwp", "")),
        valid_from=date.fromisoformat(str(item["valid_from"])),
        valid_to=date.fromisoformat(str(item["valid_to"])),
    )


class ContractForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: ContractNumber
    provider_name: Line
    npwp: Npwp
    valid_from: LenientDate
    valid_to: LenientDate

    def contract(self) -> Contract:
        """The contract; one that ends before it starts is refused by the rule (422), naming valid_to."""
        problem = _period_problem(self.valid_from, self.valid_to)
        if problem:
            raise RuleViolation("Masa berlaku kontrak tidak masuk akal.", fields={"valid_to": problem})
        return Contract(self.number, self.provider_name, self.npwp, self.valid_from, self.valid_to)


def _period_problem(valid_from: date, valid_to: date) -> str | None:
    return f"tidak boleh sebelum valid_from ({valid_from.isoformat()})" if valid_to < valid_from else None


class ContractRow(ContractForm):
    """A CSV row: a bad period is one of the row's problems, reported with the others."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("valid_to")
    @classmethod
    def _not_before_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("valid_from")
        problem = _period_problem(start, value) if isinstance(start, date) else None
        if problem:
            raise ValueError(problem)
        return value


class ContractChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    provider_name: Line | None = None
    npwp: Npwp | None = None
    valid_from: LenientDate | None = None
    valid_to: LenientDate | None = None


def _record(contract: Contract) -> dict[str, Any]:
    return contract.view()


# -- the rule the registrations use ------------------------------------------------------------------
def check_contract(number: str, on: date) -> Contract:
    """The contract, if it is valid on ``on``; otherwise 422 naming ``contract_number``."""
    try:
        normal = normalise_number(number)
    except ValueError:
        normal = ""
    item = reference.cached_item(PARTITION, normal) if normal else None
    if item is None:
        raise RuleViolation(
            "Nomor kontrak tidak terdaftar di LKPP.",
            code="contract_unknown",
            fields={"contract_number": "tidak terdaftar"},
        )
    contract = from_item(item)
    state = contract.state_on(on)
    if state == "expired":
        raise RuleViolation(
            f"Kontrak {contract.number} sudah berakhir pada {contract.valid_to.isoformat()}.",
            code="contract_expired",
            fields={"contract_number": f"berakhir {contract.valid_to.isoformat()}"},
        )
    if state == "not_yet_valid":
        raise RuleViolation(
            f"Kontrak {contract.number} baru berlaku mulai {contract.valid_from.isoformat()}.",
            code="contract_not_yet_valid",
            fields={"contract_number": f"berlaku mulai {contract.valid_from.isoformat()}"},
        )
    return contract


# -- administration ---------------------------------------------------------------------------------
def list_contracts(*, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = reference.repository().page(PARTITION, limit=limit, cursor=cursor)
    return {"items": [from_item(i).view() for i in items], "next_cursor": next_cursor}


def create_contract(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    contract = validate(ContractForm, data).contract()
    item = {
        "pk": PARTITION,
        "sk": contract.number,
        **_record(contract),
        "version": 1,
        "updated_at": clock.iso(now),
        "updated_by": who(user),
    }
    create_item(
        reference.repository(),
        item,
        audit_item(
            "contract", contract.number, who=who(user), what="create", before=None, after=item, now=now
        ),
        conflict=Conflict(
            f"Kontrak {contract.number} sudah ada.",
            code="contract_exists",
            fields={"number": "sudah terdaftar"},
        ),
    )
    reference.forget(PARTITION)
    return contract.view()


def update_contract(number: str, data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    change = validate(ContractChange, data)
    try:
        normal = normalise_number(number)
    except ValueError:
        raise NotFound("Kontrak tidak ditemukan.", code="contract_not_found") from None
    store = reference.repository()
    before = store.item(PARTITION, normal)
    if before is None:
        raise NotFound("Kontrak tidak ditemukan.", code="contract_not_found")
    current = from_item(before)
    merged = {**current.view(), **change.model_dump(exclude_unset=True, exclude_none=True)}
    merged = {k: v.isoformat() if isinstance(v, date) else v for k, v in merged.items()}
    updated = validate(ContractForm, merged).contract()  # the dates are checked together
    if updated == current:
        return current.view()
    update_item(store, "contract", normal, before, {**before, **_record(updated)}, by=who(user), now=now)
    reference.forget(PARTITION)
    return updated.view()


COLUMNS = (
    csvimport.Column("number", aliases=("contract_number", "nomor_kontrak", "no_kontrak")),
    csvimport.Column("provider_name", aliases=("provider", "penyedia", "nama_penyedia")),
    csvimport.Column("npwp"),
    csvimport.Column("valid_from", aliases=("berlaku_dari", "tanggal_mulai", "start_date")),
    csvimport.Column("valid_to", aliases=("berlaku_sampai", "tanggal_akhir", "end_date")),
)


def import_contracts(text: str, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    if not isinstance(text, str):
        raise InvalidInput("Isi CSV tidak ada.", fields={"csv": "wajib diisi"})
    return run_import(
        text,
        partition=PARTITION,
        entity="contract",
        columns=COLUMNS,
        model=ContractRow,
        key=lambda row: row.number,
        record=lambda row: _record(row.contract()),
        key_column="number",
        user=user,
        now=now,
    )
