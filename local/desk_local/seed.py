"""What a fresh local desk starts with: one staff user per role, a second Subdit, verifiers for two LPSEs."""

from __future__ import annotations

from dataclasses import dataclass

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

# Named in /_local/info so a newcomer can try things (reference data adds its own entries).
DEMO: dict[str, str] = {}


def reference_items() -> list[dict[str, object]]:
    """Every table item of the seeded reference data."""
    return [{"pk": "LPSE", "sk": lpse["id"], **lpse, "active": True} for lpse in LPSES]


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
