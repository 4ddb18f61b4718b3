"""The administration's use cases against the in-memory twins of reference data, the audit trail and the
local accounts: LPSEs with their units, the unit tree, contracts, SLA policies, transactions, attachment
types, the trail itself and the local provisioning fake. ``now`` given, no clock read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from twins.desk import Twins
from twins.reference import InMemoryAuditTrail, InMemoryLocalAccounts, InMemoryReference

from desk import provisioning, runtime
from desk.admin import attachments, audit, contracts, lpse, policies, store, transactions, units
from desk.admin.repository import Write
from desk.data import accounts as account_data
from desk.data import audit as audit_data
from desk.data import reference as reference_data
from desk.data import schema
from desk.errors import Conflict, DeskError, InvalidInput, NotFound, RuleViolation
from desk.staff import StaffUser

# Thursday 3 December 2026, 09:00 WIB.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
ADMIN = StaffUser("admin", "admin@lkpp.go.id", frozenset({"admin"}), "direktorat")
BALI = {
    "id": "lpse-bali",
    "name": "LPSE Provinsi Bali",
    "province": "Bali",
    "time_zone": "WITA",
    "service_days": 3,
}


class Interleaving(InMemoryReference):
    """The twin, with another administrator's change made between a use case's reads and its write."""

    def __init__(self) -> None:
        super().__init__()
        self.meanwhile: list[Callable[[], None]] = []

    def save_change(self, writes: Sequence[Write], *, refused: DeskError) -> None:
        if self.meanwhile:
            self.meanwhile.pop()()
        super().save_change(writes, refused=refused)


def _hold(reference: InMemoryReference) -> InMemoryReference:
    runtime.provide(reference_data.repository, reference)
    runtime.provide(audit_data.repository, InMemoryAuditTrail(reference))
    return reference


@pytest.fixture
def held(twins: Twins) -> InMemoryReference:
    for email, unit, role in (
        ("kasubdit@lkpp.go.id", "sistem", "subdit"),
        ("verifikator@lkpp.go.id", "lpse-bali", "lpse_verifier"),
        ("pindahan@lkpp.go.id", "hukum", "subdit"),
    ):
        twins.directory.invite(email, name=email.split("@")[0], role=role, unit=unit)
    return _hold(Interleaving())


def _entries(entity: str, entity_id: str | None = None) -> list[dict[str, Any]]:
    return list(audit.history(entity, entity_id, limit=100)["items"])


def _unit(unit_id: str, kind: str = "subdit", parent: str = "", head: str = "") -> dict[str, Any]:
    return units.create_unit(
        {"id": unit_id, "name": unit_id.title(), "kind": kind, "parent": parent, "head": head},
        user=ADMIN,
        now=NOW,
    )


# -- LPSEs -------------------------------------------------------------------------------------------
def test_an_lpse_is_created_with_its_unit_both_audited_and_only_once(held: InMemoryReference) -> None:
    created = lpse.create_lpse(BALI, user=ADMIN, now=NOW)
    assert created["time_zone"] == "Asia/Makassar" and created["service_days"] == 3
    assert units.get_unit("lpse-bali") == units.Unit("lpse-bali", "LPSE Provinsi Bali", "lpse")
    assert [e["what"] for e in _entries("lpse", "lpse-bali")] == ["create"]
    assert [e["who"] for e in _entries("unit", "lpse-bali")] == ["admin@lkpp.go.id"]
    with pytest.raises(Conflict) as again:
        lpse.create_lpse({**BALI, "name": "Lain"}, user=ADMIN, now=LATER)
    assert again.value.code == "lpse_exists"
    assert len(_entries("lpse")) == 1 and len(_entries("unit")) == 1
    assert [item["id"] for item in lpse.public_list()] == ["lpse-bali"]
    listed = lpse.list_lpse()["items"]
    assert [(i["id"], i["head"], i["verifiers"]) for i in listed] == [
        ("lpse-bali", "", ["verifikator@lkpp.go.id"])
    ]


def test_an_lpse_id_another_kind_of_unit_holds_is_refused_and_nothing_written(
    held: InMemoryReference,
) -> None:
    _unit("sistem")
    with pytest.raises(Conflict) as refused:
        lpse.create_lpse({**BALI, "id": "sistem"}, user=ADMIN, now=NOW)
    assert refused.value.code == "unit_exists"
    assert held.items(schema.LPSES_PK) == [] and _entries("lpse") == []


def test_an_lpse_change_goes_one_version_on_and_one_from_a_stale_read_is_refused(
    held: InMemoryReference,
) -> None:
    lpse.create_lpse(BALI, user=ADMIN, now=NOW)
    read_before = held.item(schema.LPSES_PK, "lpse-bali")
    assert read_before is not None
    changed = lpse.update_lpse("lpse-bali", {"service_days": 5, "active": False}, user=ADMIN, now=LATER)
    assert changed["service_days"] == 5 and lpse.public_list() == []
    assert held.item(schema.LPSES_PK, "lpse-bali")["version"] == 2  # type: ignore[index]
    newest = _entries("lpse", "lpse-bali")[0]
    assert (newest["what"], newest["before"]["service_days"], newest["after"]["service_days"]) == (
        "update",
        3,
        5,
    )
    # The same values again: nothing to write.
    lpse.update_lpse("lpse-bali", {"service_days": 5}, user=ADMIN, now=LATER)
    assert len(_entries("lpse", "lpse-bali")) == 2
    # Another administrator, who read before that change, is refused.
    with pytest.raises(Conflict) as stale:
        store.update_item(
            held, "lpse", "lpse-bali", read_before, {**read_before, "name": "X"}, by="b", now=LATER
        )
    assert stale.value.code == "changed_meanwhile"
    with pytest.raises(NotFound):
        lpse.update_lpse("lpse-jawa", {"service_days": 5}, user=ADMIN, now=LATER)


# -- units -------------------------------------------------------------------------------------------
def test_units_refuse_an_unknown_parent_a_loop_and_a_head_from_another_unit(held: InMemoryReference) -> None:
    _unit("direktorat", "directorate")
    _unit("sistem", parent="direktorat")
    _unit("meja", "desk", parent="sistem")
    with pytest.raises(RuleViolation) as unknown:
        _unit("hukum", parent="tidak-ada")
    assert unknown.value.code == "unknown_unit"
    with pytest.raises(RuleViolation) as loop:
        units.update_unit("direktorat", {"parent": "meja"}, user=ADMIN, now=LATER)
    assert loop.value.code == "unit_cycle"
    with pytest.raises(RuleViolation) as elsewhere:
        units.update_unit("sistem", {"head": "pindahan@lkpp.go.id"}, user=ADMIN, now=LATER)
    assert elsewhere.value.code == "head_not_in_unit"
    units.update_unit("sistem", {"head": "kasubdit@lkpp.go.id"}, user=ADMIN, now=LATER)
    assert [u.id for u in units.escalation_chain("meja")] == ["meja", "sistem", "direktorat"]
    assert units.head_of("sistem") == "kasubdit@lkpp.go.id" and units.head_of("meja") is None
    assert [e["what"] for e in _entries("unit", "sistem")] == ["update", "create"]


def test_two_moves_at_once_cannot_build_a_loop_between_them(held: InMemoryReference) -> None:
    assert isinstance(held, Interleaving)
    _unit("hukum")
    _unit("sistem")

    def the_other_move() -> None:
        units.update_unit("sistem", {"parent": "hukum"}, user=ADMIN, now=NOW)

    held.meanwhile.append(the_other_move)
    with pytest.raises(Conflict) as refused:
        units.update_unit("hukum", {"parent": "sistem"}, user=ADMIN, now=NOW)
    assert refused.value.code == "changed_meanwhile"
    assert units.get_unit("hukum") == units.Unit("hukum", "Hukum", "subdit")
    assert [u.id for u in units.escalation_chain("sistem")] == ["sistem", "hukum"]


# -- contracts ---------------------------------------------------------------------------------------
CONTRACT = {
    "number": "kt/2026/001",
    "provider_name": "PT Maju",
    "npwp": "01.234.567.8-901.000",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
}


def test_a_contract_is_stored_once_and_checked_on_the_day(held: InMemoryReference) -> None:
    assert contracts.create_contract(CONTRACT, user=ADMIN, now=NOW)["number"] == "KT/2026/001"
    with pytest.raises(Conflict) as again:
        contracts.create_contract(CONTRACT, user=ADMIN, now=NOW)
    assert again.value.code == "contract_exists"
    assert contracts.check_contract(" kt/2026/001 ", date(2026, 12, 3)).provider_name == "PT Maju"
    for number, day, code in [
        ("KT/2026/001", date(2027, 1, 1), "contract_expired"),
        ("KT/2026/001", date(2025, 12, 31), "contract_not_yet_valid"),
        ("KT/2026/999", date(2026, 12, 3), "contract_unknown"),
    ]:
        with pytest.raises(RuleViolation) as refused:
            contracts.check_contract(number, day)
        assert refused.value.code == code
    contracts.update_contract("kt/2026/001", {"valid_to": "2027-06-30"}, user=ADMIN, now=LATER)
    assert contracts.check_contract("KT/2026/001", date(2027, 1, 1)).valid_to == date(2027, 6, 30)
    with pytest.raises(RuleViolation):  # the dates are checked together
        contracts.update_contract("KT/2026/001", {"valid_from": "2027-07-01"}, user=ADMIN, now=LATER)


def test_a_contract_import_writes_what_changed_once_and_lists_in_pages(held: InMemoryReference) -> None:
    contracts.create_contract(CONTRACT, user=ADMIN, now=NOW)
    csv = (
        "nomor_kontrak;nama_penyedia;npwp;berlaku_dari;berlaku_sampai\n"
        "KT/2026/001;PT Maju;012345678901000;01/01/2026;31/12/2026\n"
        "KT/2026/002;PT Baru;0123456789012345;2026-02-01;2026-12-31\n"
        "KT/2026/003;PT Ubah;0123456789012345;2026-03-01;2026-02-01\n"
        "KT/2026/004;PT Empat;0123456789012345;2026-03-01;2027-02-01\n"
        "KT/2026/005;PT Lima;0123456789012345;2026-03-01;2027-02-01\n"
    )
    report = contracts.import_contracts(csv, user=ADMIN, now=LATER)
    assert (report["created"], report["unchanged"], report["rejected_count"]) == (3, 1, 1)
    assert report["rejected"][0]["line"] == 4 and report["delimiter"] == ";"
    imported = [e for e in _entries("contract") if e["what"] == "import"]
    assert sorted(e["entity_id"] for e in imported) == ["KT/2026/002", "KT/2026/004", "KT/2026/005"]
    assert contracts.import_contracts(csv, user=ADMIN, now=LATER)["unchanged"] == 4
    assert len(_entries("contract")) == 4  # the repeat wrote nothing
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = contracts.list_contracts(limit=3, cursor=cursor)
        seen += [c["number"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["KT/2026/001", "KT/2026/002", "KT/2026/004", "KT/2026/005"]
    with pytest.raises(InvalidInput):
        transactions.list_transactions(
            limit=3, cursor=contracts.list_contracts(limit=1, cursor=None)["next_cursor"]
        )


# -- SLA policies ------------------------------------------------------------------------------------
def test_a_policy_starts_from_the_default_and_goes_on_by_version(held: InMemoryReference) -> None:
    lpse.create_lpse(BALI, user=ADMIN, now=NOW)
    with pytest.raises(RuleViolation) as unknown:
        policies.create_policy(
            {"request_type": "registration", "lpse_id": "lpse-jawa", "working_days": 4}, user=ADMIN, now=NOW
        )
    assert unknown.value.code == "unknown_lpse"
    assert policies.policy_for("registration", lpse_id="lpse-bali").working_days == 3  # the LPSE's standard
    policies.update_policy(
        "complaint", None, {"working_days": 7, "reminder_fraction": 0.55}, user=ADMIN, now=NOW
    )
    first = _entries("sla_policy", "complaint")[0]
    assert first["what"] == "create" and first["before"]["source"] == "default"
    policies.update_policy("complaint", None, {"working_days": 8}, user=ADMIN, now=LATER)
    stored = held.item(schema.POLICIES_PK, "complaint")
    assert stored is not None and stored["version"] == 2 and stored["reminder_fraction"] == Decimal("0.55")
    assert policies.policy_for("complaint") == policies.SlaPolicy(8, 0.55, "unit_head")
    with pytest.raises(Conflict) as exists:
        policies.create_policy({"request_type": "complaint", "working_days": 4}, user=ADMIN, now=LATER)
    assert exists.value.code == "policy_exists"
    listed = {(p["request_type"], p["lpse_id"]): p["source"] for p in policies.list_policies()["items"]}
    assert (
        listed[("complaint", None)] == "stored"
        and listed[("registration", "lpse-bali")] == "lpse_service_days"
    )


# -- transactions ------------------------------------------------------------------------------------
def test_transactions_are_imported_found_by_date_and_move_month_with_their_date(
    held: InMemoryReference,
) -> None:
    csv = (
        "id_transaksi,instansi,buyer_email,penyedia,nilai,tanggal\n"
        "trx-1,Dinas A,a@dinas.go.id,PT Satu,1.500.000,30/11/2026\n"
        'TRX-2,Dinas B,b@dinas.go.id,PT Dua,"2,500,000.50",2026-12-02\n'
        "TRX-3,Dinas C,c@dinas.go.id,PT Tiga,100,2027-01-05\n"
    )
    report = transactions.import_transactions(csv, user=ADMIN, now=NOW)
    assert report["created"] == 3
    dated = transactions.transactions_dated(date(2026, 11, 30), date(2026, 12, 31))
    assert [(t["id"], t["amount"]) for t in dated] == [("TRX-1", "1500000.00"), ("TRX-2", "2500000.50")]
    assert transactions.get_transaction(" trx-2 ") == dated[1]
    transactions.update_transaction("trx-1", {"date": "2027-01-02"}, user=ADMIN, now=LATER)
    assert [t["id"] for t in transactions.transactions_dated(date(2026, 11, 1), date(2026, 12, 31))] == [
        "TRX-2"
    ]
    january = transactions.transactions_dated(date(2027, 1, 1), date(2027, 1, 31))
    assert [t["id"] for t in january] == ["TRX-1", "TRX-3"]
    assert transactions.read_transaction("TRX-1")["date"] == "2027-01-02"
    assert [e["what"] for e in _entries("transaction", "TRX-1")] == ["update", "import"]
    with pytest.raises(NotFound):
        transactions.read_transaction("TRX-404")


# -- attachment types --------------------------------------------------------------------------------
def test_attachment_types_are_replaced_whole_and_audited(held: InMemoryReference) -> None:
    assert attachments.view() == {"types": []}
    attachments.replace({"types": ["Application/VND.MS-Excel", "text/csv"]}, user=ADMIN, now=NOW)
    attachments.replace({"types": ["text/csv"]}, user=ADMIN, now=LATER)
    assert attachments.allowed_types() == {"text/csv"}
    with pytest.raises(InvalidInput):
        attachments.replace({"types": ["text/html"]}, user=ADMIN, now=LATER)
    trail = held.items(schema.reference_audit_pk("attachment_types"))
    assert [(e["before"]["types"], e["after"]["types"]) for e in trail] == [
        ([], ["application/vnd.ms-excel", "text/csv"]),
        (["application/vnd.ms-excel", "text/csv"], ["text/csv"]),
    ]


# -- the audit trail ---------------------------------------------------------------------------------
def test_the_trail_reads_newest_first_in_pages_as_json_and_knows_its_entities(
    held: InMemoryReference,
) -> None:
    _unit("sistem")
    for minutes, name in enumerate(("Sistem Satu", "Sistem Dua", "Sistem Tiga"), start=1):
        units.update_unit("sistem", {"name": name}, user=ADMIN, now=NOW + timedelta(minutes=minutes))
    first = audit.history("unit", "sistem", limit=3)
    assert [e["after"]["name"] for e in first["items"]] == ["Sistem Tiga", "Sistem Dua", "Sistem Satu"]
    assert first["items"][0]["after"]["version"] == 4 and type(first["items"][0]["after"]["version"]) is int
    rest = audit.history("unit", "sistem", limit=3, cursor=first["next_cursor"])
    assert [e["what"] for e in rest["items"]] == ["create"] and rest["next_cursor"] is None
    assert "pk" not in rest["items"][0] and "gsi1pk" not in rest["items"][0]
    with pytest.raises(InvalidInput):
        audit.history("attachment_types")
    with pytest.raises(InvalidInput):
        audit.history("unit", limit=3, cursor=first["next_cursor"])


# -- the local provisioning fake ----------------------------------------------------------------------
REGISTRATION = {"number": "EP-2026-000042", "lpse_id": "lpse-bali", "name": "Ani", "email": "ani@dinas.go.id"}


@pytest.fixture
def local_accounts() -> Iterator[InMemoryLocalAccounts]:
    environ = {"SITE_URL": "http://localhost:3000/", "LOCAL_FAKE_PROVISIONING": "1"}
    with runtime.activated(runtime.Runtime(environ)):
        made = InMemoryLocalAccounts()
        runtime.provide(account_data.repository, made)
        yield made


def test_the_local_fake_records_the_account_its_link_activates_once(
    local_accounts: InMemoryLocalAccounts,
) -> None:
    account = provisioning.create_account(REGISTRATION, now=NOW)
    assert account.user_id == "lpse-bali-000042"
    site, token = account.activation_url.split("/_local/activate/")
    assert site == "http://localhost:3000"
    assert local_accounts.activate(token) == {
        "user_id": "lpse-bali-000042",
        "number": "EP-2026-000042",
        "created_at": "2026-12-03T02:00:00Z",
    }
    assert local_accounts.activate(token) is None


@pytest.mark.parametrize(
    ("environ", "reason"),
    [
        ({}, "no provisioning endpoint"),
        ({"PROVISIONING_URL": "http://e-purchasing.example"}, "must be https"),
    ],
)
def test_provisioning_without_an_https_endpoint_or_the_local_fake_fails(
    environ: dict[str, str], reason: str
) -> None:
    with (
        runtime.activated(runtime.Runtime(environ)),
        pytest.raises(provisioning.ProvisioningFailed, match=reason),
    ):
        provisioning.create_account(REGISTRATION, now=NOW)
