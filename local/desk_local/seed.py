"""What a fresh local desk starts with: one staff user per role, a second Subdit, verifiers for two LPSEs,
and the reference data they work with (units and their heads, LPSEs, contracts, SLA policies,
transactions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# The local stack only: never deployed, printed by /_local/info so a newcomer can sign in.
LOCAL_PASSWORD = "Lokal-Desk-2026!"  # noqa: S105


@dataclass(frozen=True)
class SeedUser:
    username: str
    role: str
    unit: str
    name: str

    @property
    def email(self) -> str:
        return f"{self.username}@staff.desk.local"


LPSES = (
    {
        "id": "lpse-dki-jakarta",
        "name": "LPSE Provinsi DKI Jakarta",
        "province": "DKI Jakarta",
        "time_zone": "Asia/Jakarta",
        "service_days": 3,
    },
    {
        "id": "lpse-prov-bali",
        "name": "LPSE Provinsi Bali",
        "province": "Bali",
        "time_zone": "Asia/Makassar",
        "service_days": 5,
    },
)

# The unit tree: the directorate with its two Subdits and the service desks, and the LPSEs (roots of
# their own, as they are not part of LKPP). Each head is a seeded staff user of that unit.
UNITS = (
    {
        "id": "dit-katalog",
        "name": "Direktorat Pengembangan Sistem Katalog",
        "kind": "directorate",
        "parent": "",
    },
    {"id": "subdit-sistem", "name": "Subdit Sistem Katalog", "kind": "subdit", "parent": "dit-katalog"},
    {"id": "subdit-layanan", "name": "Subdit Layanan Katalog", "kind": "subdit", "parent": "dit-katalog"},
    {"id": "helpdesk", "name": "Helpdesk e-Purchasing", "kind": "desk", "parent": "subdit-layanan"},
    {"id": "reception", "name": "Resepsionis Layanan", "kind": "desk", "parent": "subdit-layanan"},
    {"id": "pelatihan", "name": "Pelatihan e-Purchasing", "kind": "desk", "parent": "subdit-layanan"},
    {"id": "lpse-dki-jakarta", "name": "LPSE Provinsi DKI Jakarta", "kind": "lpse", "parent": ""},
    {"id": "lpse-prov-bali", "name": "LPSE Provinsi Bali", "kind": "lpse", "parent": ""},
)
# The desks under the Subdit have no head of their own: their escalations climb to the Subdit's head.
UNIT_HEADS = {
    "dit-katalog": "director",
    "subdit-sistem": "subdit1",
    "subdit-layanan": "subdit2",
    "lpse-dki-jakarta": "verifier-jakarta",
    "lpse-prov-bali": "verifier-bali",
}

# Reference data whose dates follow the desk's clock, so the demo reads the same on any day: a contract
# in force and one long expired, and two transactions of the last weeks (ids are the e-Purchasing
# system's own and do not change).
CONTRACTS = (
    {
        "number": "KTR-LKPP/2025/0001",
        "provider_name": "PT Sumber Makmur Sejahtera",
        "npwp": "0123456789012345",
    },
    {"number": "KTR-LKPP/2021/0042", "provider_name": "CV Lama Berakhir", "npwp": "012345678901000"},
)
TRANSACTIONS = (
    {
        "id": "EPURCH-2026-000101",
        "buyer_institution": "Dinas Pendidikan Provinsi DKI Jakarta",
        "buyer_email": "pengadaan@disdik.example.go.id",
        "provider": "PT Sumber Makmur Sejahtera",
        "provider_email": "penjualan@sumbermakmur.example.co.id",
        "amount": Decimal("12500000.00"),
    },
    {
        "id": "EPURCH-2026-000102",
        "buyer_institution": "Dinas Kesehatan Provinsi Bali",
        "buyer_email": "ulp@diskes.example.go.id",
        "provider": "PT Sumber Makmur Sejahtera",
        "provider_email": "penjualan@sumbermakmur.example.co.id",
        "amount": Decimal("4750000.00"),
    },
)
TRANSACTION_AGE_DAYS = (20, 12)  # calendar days before the seeding day, one per transaction


def contract_validity(today: date) -> tuple[tuple[date, date], ...]:
    """(valid_from, valid_to) of each seeded contract: the first in force for years, the second ended."""
    return (
        (date(today.year - 1, 1, 1), date(today.year + 4, 12, 31)),
        (date(today.year - 5, 1, 1), date(today.year - 3, 12, 31)),
    )


def transaction_days(today: date) -> tuple[date, ...]:
    return tuple(today - timedelta(days=age) for age in TRANSACTION_AGE_DAYS)


# Domain rules §2 stored as policies, so the administrator sees and edits them; registrations take
# their LPSE's service days.
SLA_POLICIES = (
    ("complaint", 5, "unit_head"),
    ("suggestion", 5, "unit_head"),
    ("input", 5, "unit_head"),
    ("call", 5, "unit_head"),
    ("walk_in", 5, "unit_head"),
    ("training", 5, "unit_head"),
    ("letter", 10, "unit_head_and_director"),
    ("payment_proof", 5, "unit_head"),
)

# Named in /_local/info so a newcomer can try things (reference data adds its own entries).
DEMO: dict[str, str] = {
    "valid_contract_number": CONTRACTS[0]["number"],
    "expired_contract_number": CONTRACTS[1]["number"],
    "transaction_id": str(TRANSACTIONS[0]["id"]),
    "lpse_id": str(LPSES[0]["id"]),
}


def reference_items(today: date) -> list[dict[str, object]]:
    """Every table item of the seeded reference data, dated from ``today`` (the desk's, in WIB)."""
    contracts = [
        {**contract, "valid_from": start.isoformat(), "valid_to": end.isoformat()}
        for contract, (start, end) in zip(CONTRACTS, contract_validity(today), strict=True)
    ]
    transactions = [
        {**txn, "date": day.isoformat()}
        for txn, day in zip(TRANSACTIONS, transaction_days(today), strict=True)
    ]
    items: list[dict[str, object]] = [
        {"pk": "LPSE", "sk": lpse["id"], **lpse, "active": True} for lpse in LPSES
    ]
    items += [
        {
            "pk": "UNIT",
            "sk": unit["id"],
            **unit,
            "head": f"{UNIT_HEADS[unit['id']]}@staff.desk.local" if unit["id"] in UNIT_HEADS else "",
        }
        for unit in UNITS
    ]
    items += [{"pk": "CONTRACT", "sk": contract["number"], **contract} for contract in contracts]
    items += [
        {
            "pk": "TXN",
            "sk": txn["id"],
            **txn,
            "gsi2pk": f"TXN#{str(txn['date'])[:7]}",
            "gsi2sk": f"{txn['date']}#{txn['id']}",
        }
        for txn in transactions
    ]
    items += [
        {
            "pk": "SLA",
            "sk": request_type,
            "request_type": request_type,
            "lpse_id": "",
            "working_days": days,
            "reminder_fraction": Decimal("0.7"),
            "escalate_to": escalate_to,
        }
        for request_type, days, escalate_to in SLA_POLICIES
    ]
    return items


STAFF = (
    SeedUser("helpdesk", "helpdesk", "helpdesk", "Rina Helpdesk"),
    SeedUser("reception", "reception", "reception", "Dewi Resepsionis"),
    SeedUser("secretary", "secretary", "dit-katalog", "Sari Sekretaris"),
    SeedUser("director", "director", "dit-katalog", "Budi Direktur"),
    SeedUser("subdit1", "subdit", "subdit-sistem", "Agus Subdit Sistem"),
    SeedUser("subdit2", "subdit", "subdit-layanan", "Wati Subdit Layanan"),
    SeedUser("verifier-jakarta", "lpse_verifier", "lpse-dki-jakarta", "Joko Verifikator Jakarta"),
    SeedUser("verifier-bali", "lpse_verifier", "lpse-prov-bali", "Made Verifikator Bali"),
    SeedUser("training", "training", "pelatihan", "Tuti Pelatihan"),
    SeedUser("admin", "admin", "dit-katalog", "Andi Admin"),
)
