"""CSV imports through the administration API: the row-by-row report, what is kept, what is named, and
that importing the same file again changes nothing. Transactions and contracts."""

from __future__ import annotations

from typing import Any

from desk_time import PinClock

from desk_local.stack import LocalDesk

TXN_HEADER = "id,buyer_institution,buyer_email,provider,amount,date"


def _import(desk: LocalDesk, token: str, path: str, csv: str | bytes) -> Any:
    data = csv.encode() if isinstance(csv, str) else csv
    return desk.http(
        "POST", path, token=token, body=data, headers={"Content-Type": "text/csv; charset=utf-8"}
    )


def _transaction(desk: LocalDesk, token: str, transaction_id: str) -> Any:
    return desk.http("GET", f"/staff/admin/transactions/{transaction_id}", token=token)


def _trail(desk: LocalDesk, token: str, entity: str, entity_id: str) -> list[dict[str, Any]]:
    response = desk.http("GET", f"/staff/admin/audit/{entity}?id={entity_id}", token=token)
    assert response.status == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_spreadsheet_export_with_bom_semicolons_and_local_formats_is_read(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    csv = (
        "\ufeffID Transaksi;Instansi;Buyer Email;Penyedia;Nilai;Tanggal;Catatan\r\n"
        "bom-0001;Dinas PU Kota Medan;ppk@pu.example.go.id;PT Jaya;1.500.000,50;05/03/2026;lunas\r\n"
        'BOM-0002;"Dinas Kesehatan; Kab. Sleman";ulp@dinkes.example.go.id;CV Maju;250000;2026-03-06;\r\n'
    )
    response = _import(desk, tokens["admin"], "/staff/admin/transactions", csv)
    assert response.status == 200, response.text
    report = response.json()
    assert (report["rows"], report["created"], report["rejected_count"], report["delimiter"]) == (
        2,
        2,
        0,
        ";",
    )
    assert report["ignored_columns"] == ["Catatan"]
    first = _transaction(desk, tokens["admin"], "BOM-0001")
    assert first.status == 200
    assert first.json() == {
        "id": "BOM-0001",
        "buyer_institution": "Dinas PU Kota Medan",
        "buyer_email": "ppk@pu.example.go.id",
        "provider": "PT Jaya",
        "provider_email": None,
        "amount": "1500000.50",
        "date": "2026-03-05",
    }
    assert (
        _transaction(desk, tokens["admin"], "bom-0002").json()["buyer_institution"]
        == "Dinas Kesehatan; Kab. Sleman"
    )


def test_a_missing_column_refuses_the_file_and_stores_nothing(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    csv = "id,buyer_institution,provider,amount,date\nMISS-1,Dinas A,PT P,1000,2026-01-05\n"
    response = _import(desk, tokens["admin"], "/staff/admin/transactions", csv)
    assert response.status == 400
    error = response.json()["error"]
    assert error["code"] == "csv_missing_columns"
    assert set(error["fields"]) == {"buyer_email"}
    assert _transaction(desk, tokens["admin"], "MISS-1").status == 404


def test_bad_rows_are_named_by_line_good_rows_kept_and_duplicates_counted_once(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    csv = "\n".join(
        [
            TXN_HEADER,
            "ROW-1,Dinas A,a@x.example.go.id,PT P,1000,2026-01-05",
            "ROW-2,Dinas B,not-an-address,PT P,2000,2026-01-05",
            "ROW-3,Dinas C,c@x.example.go.id,PT P,nol,2026-01-05",
            "ROW-1,Dinas A,a@x.example.go.id,PT P,1000,2026-01-05",
            "ROW-4,Dinas D,d@x.example.go.id,PT P,4000,2026-01-05",
            "ROW-4,Dinas D,d@x.example.go.id,PT P,4500,2026-01-05",
            "",
        ]
    )
    report = _import(desk, tokens["admin"], "/staff/admin/transactions", csv).json()
    assert (report["rows"], report["created"], report["kept"]) == (6, 2, 2)
    assert report["duplicates"] == [{"line": 5, "same_as_line": 2}]
    rejected = {r["line"]: r for r in report["rejected"]}
    assert set(rejected) == {3, 4, 7}
    assert (rejected[3]["key"], list(rejected[3]["fields"])) == ("ROW-2", ["buyer_email"])
    assert list(rejected[4]["fields"]) == ["amount"]
    assert "baris 6" in rejected[7]["reason"]
    assert _transaction(desk, tokens["admin"], "ROW-1").status == 200
    assert _transaction(desk, tokens["admin"], "ROW-4").json()["amount"] == "4000.00"
    for missing in ("ROW-2", "ROW-3"):
        assert _transaction(desk, tokens["admin"], missing).status == 404


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_is_updated(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    admin = tokens["admin"]
    rows = [f"SAME-{i},Dinas {i},b{i}@x.example.go.id,PT P,{1000 + i},2026-02-{i + 1:02d}" for i in range(5)]
    csv = "\n".join([TXN_HEADER, *rows])
    first = _import(desk, admin, "/staff/admin/transactions", csv).json()
    assert (first["created"], first["unchanged"]) == (5, 0)
    before = _transaction(desk, admin, "SAME-2").json()
    again = _import(desk, admin, "/staff/admin/transactions", csv).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert _transaction(desk, admin, "SAME-2").json() == before
    assert [t["what"] for t in _trail(desk, admin, "transaction", "SAME-2")] == ["import"]

    rows[2] = "SAME-2,Dinas 2,b2@x.example.go.id,PT P,9999,2026-02-03"
    changed = _import(desk, admin, "/staff/admin/transactions", "\n".join([TXN_HEADER, *rows])).json()
    assert (changed["created"], changed["updated"], changed["unchanged"]) == (0, 1, 4)
    assert _transaction(desk, admin, "SAME-2").json()["amount"] == "9999.00"
    trail = _trail(desk, admin, "transaction", "SAME-2")
    assert [t["what"] for t in trail] == ["import", "import"]
    assert trail[0]["before"]["amount"] == 1002 and trail[0]["after"]["amount"] == 9999
    assert trail[0]["who"] == "admin@staff.desk.local" and trail[0]["line"] == 4


def test_a_transaction_is_corrected_by_hand(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    admin = tokens["admin"]
    _import(
        desk,
        admin,
        "/staff/admin/transactions",
        f"{TXN_HEADER}\nFIX-1,Dinas A,a@x.example.go.id,PT P,10,2026-01-05",
    )
    fixed = desk.http(
        "PATCH",
        "/staff/admin/transactions/fix-1",
        token=admin,
        json_body={"buyer_email": "ppk@x.example.go.id"},
    )
    assert fixed.status == 200, fixed.text
    assert fixed.json()["buyer_email"] == "ppk@x.example.go.id"
    refused = desk.http("PATCH", "/staff/admin/transactions/FIX-1", token=admin, json_body={"amount": "-3"})
    assert refused.status == 400 and "amount" in refused.json()["error"]["fields"]
    from desk import runtime

    function = desk.functions.get("PublicApiFunction")
    function.runtime.clear()
    with runtime.activated(function.runtime):
        from desk.admin.transactions import get_transaction

        found = get_transaction("fix-1")
        assert found is not None and found["buyer_email"] == "ppk@x.example.go.id"
        assert get_transaction("NO-SUCH-TXN") is None


def test_contracts_import_from_json_with_a_report(
    desk: LocalDesk, tokens: dict[str, str], pinned_clock: PinClock
) -> None:
    pinned_clock("2026-04-01T09:00:00+07:00")
    csv = "\n".join(
        [
            "nomor_kontrak,nama_penyedia,npwp,berlaku_dari,berlaku_sampai",
            "KTR-IMP/2026/1,PT Satu,01.234.567.8-901.000,2026-01-01,2026-12-31",
            "KTR-IMP/2026/2,PT Dua,0123456789012345,31/12/2026,01/01/2026",
            "KTR-IMP/2026/3,PT Tiga,123,2026-01-01,2026-12-31",
        ]
    )
    response = desk.http(
        "POST", "/staff/admin/contracts/import", token=tokens["admin"], json_body={"csv": csv}
    )
    assert response.status == 200, response.text
    report = response.json()
    assert (report["created"], report["rejected_count"]) == (1, 2)
    assert [(r["line"], list(r["fields"])) for r in report["rejected"]] == [(3, ["valid_to"]), (4, ["npwp"])]
    numbers = {
        c["number"]
        for c in desk.http("GET", "/staff/admin/contracts?limit=500", token=tokens["admin"]).json()["items"]
    }
    assert "KTR-IMP/2026/1" in numbers and "KTR-IMP/2026/2" not in numbers


def test_an_empty_or_absent_csv_is_refused(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    assert _import(desk, admin, "/staff/admin/transactions", "").status == 400
    assert desk.http("POST", "/staff/admin/transactions", token=admin, json_body={"file": "x"}).status == 400


def test_ten_thousand_rows_import_in_one_call_and_again_change_nothing(
    desk: LocalDesk,
    tokens: dict[str, str],
    pinned_clock: PinClock,
) -> None:
    # How long it takes (against API Gateway's 29 seconds) is measured by `make bench` (bench_admin),
    # never asserted here: a busy machine must not fail a test.
    pinned_clock("2027-01-04T09:00:00+07:00")
    admin = tokens["admin"]
    rows = [
        f"BULK-{i:05d},Dinas {i % 300},ppk{i % 300}@x.example.go.id,PT Penyedia {i % 50},{1000 + i},"
        f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        for i in range(10_000)
    ]
    csv = "\n".join([TXN_HEADER, *rows]) + "\n"
    response = _import(desk, admin, "/staff/admin/transactions", csv)
    assert response.status == 200, response.text[:500]
    assert (response.json()["created"], response.json()["rejected_count"]) == (10_000, 0)
    assert _transaction(desk, admin, "BULK-09999").json()["amount"] == "10999.00"

    again = _import(desk, admin, "/staff/admin/transactions", csv)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 10_000)

    too_many = _import(
        desk, admin, "/staff/admin/transactions", csv + "BULK-X,Dinas,p@x.example.go.id,PT P,1,2026-01-01\n"
    )
    assert too_many.status == 413
    assert _transaction(desk, admin, "BULK-X").status == 404
