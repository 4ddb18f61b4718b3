"""Pure rules of the administration: the unit tree, CSV reading, amounts and identifiers, SLA defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from desk.admin import csvimport
from desk.admin.audit import audit_item
from desk.admin.contracts import Contract, ContractForm, ContractRow, normalise_npwp, normalise_number
from desk.admin.forms import lenient_date, parse_amount
from desk.admin.policies import DEFAULTS, SlaPolicy, resolve
from desk.admin.transactions import COLUMNS as TXN_COLUMNS
from desk.admin.transactions import TransactionForm
from desk.admin.units import Unit, ancestry_problem, chain
from desk.errors import InvalidInput, RuleViolation, TooLarge

# -- the unit tree -----------------------------------------------------------------------------------
PARENTS = {"dit": "", "subdit-a": "dit", "desk-a": "subdit-a", "subdit-b": "dit", "lpse-x": ""}


@pytest.mark.parametrize(
    ("unit", "parent"),
    [("dit", "desk-a"), ("dit", "subdit-a"), ("subdit-a", "desk-a"), ("subdit-a", "subdit-a")],
)
def test_a_unit_may_not_become_its_own_ancestor(unit: str, parent: str) -> None:
    problem = ancestry_problem(PARENTS, unit, parent)
    assert problem is not None
    assert "sendiri" in problem


@pytest.mark.parametrize(
    ("unit", "parent"), [("desk-a", "subdit-b"), ("subdit-b", "subdit-a"), ("lpse-x", "dit"), ("dit", "")]
)
def test_moves_that_keep_a_tree_are_allowed(unit: str, parent: str) -> None:
    assert ancestry_problem(PARENTS, unit, parent) is None


def test_a_new_unit_under_an_unknown_parent_is_refused() -> None:
    assert ancestry_problem(PARENTS, "new", "nowhere") == "unit induk tidak dikenal"
    assert ancestry_problem(PARENTS, "new", "desk-a") is None


def test_the_chain_climbs_to_the_root_and_survives_a_stored_loop() -> None:
    units = {
        "dit": Unit("dit", "Direktorat", "directorate", "", "d@x.id"),
        "subdit-a": Unit("subdit-a", "A", "subdit", "dit", "a@x.id"),
        "desk-a": Unit("desk-a", "Meja", "desk", "subdit-a"),
    }
    assert [u.id for u in chain(units, "desk-a")] == ["desk-a", "subdit-a", "dit"]
    assert chain(units, "unknown") == []
    looped = {"p": Unit("p", "P", "subdit", "q"), "q": Unit("q", "Q", "subdit", "p")}
    assert [u.id for u in chain(looped, "p")] == ["p", "q"]


# -- CSV reading -------------------------------------------------------------------------------------
COLUMNS = (
    csvimport.Column("id", aliases=("id_transaksi",)),
    csvimport.Column("amount", aliases=("nilai",)),
    csvimport.Column("note", required=False),
)


def test_a_bom_and_semicolons_are_read_as_a_spreadsheet_writes_them() -> None:
    sheet = csvimport.read("\ufeffID_Transaksi;Nilai\r\nT-1;1.500.000,50\r\nT-2;2.000\r\n", COLUMNS)
    assert sheet.delimiter == ";"
    assert [(r.line, r.values) for r in sheet.rows] == [
        (2, {"id": "T-1", "amount": "1.500.000,50"}),
        (3, {"id": "T-2", "amount": "2.000"}),
    ]


def test_tabs_and_commas_are_recognised_from_the_header() -> None:
    assert csvimport.read("id\tamount\nT-1\t5\n", COLUMNS).delimiter == "\t"
    assert csvimport.read("id,amount\nT-1,5\n", COLUMNS).delimiter == ","


def test_a_missing_column_refuses_the_file_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        csvimport.read("id;note\nT-1;x\n", COLUMNS)
    assert refused.value.code == "csv_missing_columns"
    assert set(refused.value.fields) == {"amount"}


def test_a_column_given_twice_refuses_the_file() -> None:
    with pytest.raises(InvalidInput) as refused:
        csvimport.read("id,amount,nilai\nT-1,1,2\n", COLUMNS)
    assert set(refused.value.fields) == {"amount"}


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n", ";;;\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        csvimport.read(text, COLUMNS)


def test_line_numbers_count_physical_lines_blank_lines_and_quoted_newlines_included() -> None:
    text = 'id,amount,note\nT-1,1,"two\nlines"\n\nT-2,2,\nT-3,3,x,extra\nT-4,4,x,,\n'
    sheet = csvimport.read(text, COLUMNS)
    assert [(r.line, r.values["id"]) for r in sheet.rows] == [(2, "T-1"), (5, "T-2"), (7, "T-4")]
    assert [(r.line, "kolom" in r.reason) for r in sheet.rejected] == [(6, True)]


def test_unknown_columns_are_ignored_and_listed() -> None:
    sheet = csvimport.read("Id, Amount ,Keterangan Lain\nT-1,1,z\n", COLUMNS)
    assert sheet.ignored_columns == ["Keterangan Lain"]
    assert sheet.rows[0].values == {"id": "T-1", "amount": "1"}


def test_more_rows_than_an_import_takes_are_refused() -> None:
    text = "id,amount\n" + "".join(f"T-{i},1\n" for i in range(6))
    assert len(csvimport.read(text, COLUMNS, max_rows=6).rows) == 6
    with pytest.raises(TooLarge):
        csvimport.read(text, COLUMNS, max_rows=5)


def test_windows_1252_is_read_when_the_file_is_not_utf8() -> None:
    assert csvimport.decode("Caf\u00e9".encode("cp1252")) == "Caf\u00e9"
    assert csvimport.decode("\ufeffid".encode()) == "id"


def _txn_plan(text: str) -> csvimport.Plan:
    sheet = csvimport.read(text, TXN_COLUMNS)
    return csvimport.plan(
        sheet,
        TransactionForm,
        key=lambda r: r.id,
        record=lambda r: r.record(),
        raw_key=lambda v: v.get("id", ""),
    )


HEADER = "id,buyer_institution,buyer_email,provider,amount,date\n"


def test_duplicates_are_kept_once_and_a_conflicting_repeat_is_rejected() -> None:
    plan = _txn_plan(
        HEADER
        + "t-1,Dinas A,a@x.go.id,PT P,1000,2026-01-05\n"
        + "T-1, Dinas A ,a@X.GO.ID,PT P,1.000,05/01/2026\n"  # the same row, written differently
        + "T-2,Dinas B,b@x.go.id,PT P,2000,2026-01-06\n"
        + "T-2,Dinas B,b@x.go.id,PT P,2500,2026-01-06\n"
    )
    assert list(plan.records) == ["T-1", "T-2"]
    assert plan.records["T-2"][1]["amount"] == Decimal("2000.00")
    assert plan.duplicates == [{"line": 3, "same_as_line": 2}]
    assert [(r.line, r.key) for r in plan.rejected] == [(5, "T-2")]
    assert "baris 4" in plan.rejected[0].reason
    assert plan.rows == 4


def test_bad_rows_are_named_with_their_line_and_fields_and_good_rows_kept() -> None:
    plan = _txn_plan(
        HEADER
        + "T-1,Dinas A,not-an-address,PT P,1000,2026-01-05\n"
        + "T-2,Dinas B,b@x.go.id,PT P,-5,2026-01-06\n"
        + "T-3,Dinas C,c@x.go.id,PT P,3000,2026-02-30\n"
        + "T-4,,d@x.go.id,PT P,4000,2026-01-07\n"
        + "T-5,Dinas E,e@x.go.id,PT P,5000,2026-01-08\n"
    )
    assert list(plan.records) == ["T-5"]
    found = {r.line: (r.key, set(r.fields)) for r in plan.rejected}
    assert found == {
        2: ("T-1", {"buyer_email"}),
        3: ("T-2", {"amount"}),
        4: ("T-3", {"date"}),
        5: ("T-4", {"buyer_institution"}),
    }


def test_changes_compare_stored_values_not_their_spelling() -> None:
    records = {
        "A": (2, {"amount": Decimal("10.00"), "date": "2026-01-01"}),
        "B": (3, {"amount": Decimal("20.00"), "date": "2026-01-01"}),
        "C": (4, {"amount": Decimal("30.00"), "date": "2026-01-01"}),
    }
    stored = {
        "A": {"amount": Decimal("10"), "date": "2026-01-01", "version": 3},
        "B": {"amount": Decimal("21"), "date": "2026-01-01"},
    }
    assert csvimport.changes(records, stored) == (["C"], ["B"], ["A"])


# -- amounts, dates, identifiers ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1500000", "1500000"),
        ("1.500.000", "1500000"),
        ("1.500.000,50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("Rp 1.500", "1500"),
        ("1.5", "1.5"),
        ("1,50", "1.50"),
        ("2,000", "2000"),
    ],
)
def test_rupiah_amounts_as_people_write_them(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "1.2.3", "1,500.000,00", "abc", "1.5e3", "12.345.67"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_dates_in_iso_and_day_first_forms() -> None:
    assert lenient_date("2026-03-05") == date(2026, 3, 5)
    assert lenient_date("05/03/2026") == date(2026, 3, 5)
    assert lenient_date("5-3-2026") == date(2026, 3, 5)
    for bad in ("03/05/26", "2026-02-30", "31/02/2026", "kemarin"):
        with pytest.raises(ValueError):
            lenient_date(bad)


def test_npwp_keeps_its_digits_in_either_length() -> None:
    assert normalise_npwp("01.234.567.8-901.000") == "012345678901000"
    assert normalise_npwp("3171 0123 4567 8901") == "3171012345678901"
    for bad in ("01.234.567.8-901.00", "12345678901234567", "01234567890123A"):
        with pytest.raises(ValueError):
            normalise_npwp(bad)


def test_contract_numbers_are_kept_in_capitals_with_their_slashes() -> None:
    assert normalise_number(" ktr-lkpp/2025/0001 ") == "KTR-LKPP/2025/0001"
    with pytest.raises(ValueError):
        normalise_number("KTR#1")


def test_a_contract_may_not_end_before_it_starts() -> None:
    base = {"number": "K-1", "provider_name": "PT P", "npwp": "012345678901000", "valid_from": "2026-01-02"}
    # Through the API: well-formed dates refused by the rule (422), naming valid_to.
    with pytest.raises(RuleViolation) as refused:
        ContractForm.model_validate({**base, "valid_to": "2026-01-01"}).contract()
    assert set(refused.value.fields or {}) == {"valid_to"}
    assert ContractForm.model_validate({**base, "valid_to": "2026-01-02"}).contract().valid_to == date(
        2026, 1, 2
    )
    # In a CSV, one of the row's problems.
    with pytest.raises(ValidationError) as row:
        ContractRow.model_validate({**base, "valid_to": "2026-01-01"})
    assert [e["loc"] for e in row.value.errors()] == [("valid_to",)]


def test_a_contract_is_valid_through_its_last_day() -> None:
    contract = Contract("K-1", "PT P", "012345678901000", date(2025, 1, 1), date(2025, 12, 31))
    assert contract.state_on(date(2024, 12, 31)) == "not_yet_valid"
    assert contract.state_on(date(2025, 1, 1)) == "valid"
    assert contract.state_on(date(2025, 12, 31)) == "valid"
    assert contract.state_on(date(2026, 1, 1)) == "expired"


# -- SLA policies ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("request_type", "days"),
    [
        ("complaint", 5),
        ("suggestion", 5),
        ("input", 5),
        ("call", 5),
        ("walk_in", 5),
        ("training", 5),
        ("letter", 10),
        ("payment_proof", 5),
    ],
)
def test_defaults_follow_the_service_standard(request_type: str, days: int) -> None:
    policy = resolve(request_type, None, {}, {})
    assert policy.working_days == days
    assert policy.reminder_fraction == 0.7


def test_letters_escalate_to_the_director_as_well() -> None:
    assert resolve("letter", None, {}, {}).escalate_to == "unit_head_and_director"
    assert resolve("complaint", None, {}, {}).escalate_to == "unit_head"


def test_a_registration_gets_its_lpses_own_standard_unless_a_policy_for_that_lpse_exists() -> None:
    days = {"lpse-a": 3, "lpse-b": 7}
    stored = {
        "registration": SlaPolicy(9, 0.5, "director"),
        "registration#lpse-b": SlaPolicy(4, 0.8, "unit_head"),
    }
    assert resolve("registration", "lpse-a", {}, days) == SlaPolicy(3)
    assert resolve("registration", "lpse-a", stored, days) == SlaPolicy(3, 0.5, "director")
    assert resolve("registration", "lpse-b", stored, days) == SlaPolicy(4, 0.8, "unit_head")
    assert resolve("registration", None, stored, days).working_days == 9
    assert resolve("registration", "lpse-unknown", {}, days) == DEFAULTS["registration"]


def test_a_stored_policy_overrides_the_default_and_unknown_types_are_refused() -> None:
    assert resolve("complaint", None, {"complaint": SlaPolicy(7)}, {}).working_days == 7
    assert resolve("complaint", "lpse-a", {"complaint": SlaPolicy(7)}, {}).working_days == 7
    with pytest.raises(InvalidInput):
        resolve("gossip", None, {}, {})


# -- audit -------------------------------------------------------------------------------------------
def test_an_audit_item_keeps_who_what_before_and_after_without_table_keys() -> None:
    now = datetime(2026, 3, 17, 3, 4, 5, 123456, tzinfo=UTC)
    item = audit_item(
        "unit",
        "subdit-a",
        who="admin@x.id",
        what="update",
        before={"pk": "UNIT", "sk": "subdit-a", "name": "A"},
        after={"pk": "UNIT", "sk": "subdit-a", "name": "B"},
        now=now,
    )
    assert item["pk"] == "AUDIT#unit"
    assert item["sk"] == "2026-03-17T03:04:05.123456Z#subdit-a"
    assert item["gsi1pk"] == "AUDIT#unit#subdit-a"
    assert (item["who"], item["what"], item["before"], item["after"]) == (
        "admin@x.id",
        "update",
        {"name": "A"},
        {"name": "B"},
    )
