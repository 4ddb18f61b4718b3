"""The administration API on the local stack: units, LPSEs, contracts, SLA policies and staff users, each
listed, created and changed by an admin, validated and audited; and what the rest of the desk reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import desk_time
import pytest

from desk import runtime
from desk.errors import RuleViolation
from desk_local.seed import DEMO
from desk_local.stack import LocalDesk

ADMIN_EMAIL = "admin@staff.desk.local"


@contextmanager
def as_function(desk: LocalDesk, logical_id: str = "PublicApiFunction") -> Iterator[None]:
    """Run desk code as that function would, with its caches empty as in a fresh container."""
    function = desk.functions.get(logical_id)
    function.runtime.clear()
    with runtime.activated(function.runtime):
        yield


def _items(desk: LocalDesk, token: str, path: str) -> list[dict[str, Any]]:
    response = desk.http("GET", path, token=token)
    assert response.status == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _audit(desk: LocalDesk, token: str, entity: str, entity_id: str) -> list[dict[str, Any]]:
    return _items(desk, token, f"/staff/admin/audit/{entity}?id={entity_id}")


# -- units ---------------------------------------------------------------------------------------------
def test_the_seeded_tree_has_every_staff_unit_with_its_head(desk: LocalDesk, tokens: dict[str, str]) -> None:
    units = {u["id"]: u for u in _items(desk, tokens["admin"], "/staff/admin/units")}
    expected = {
        "helpdesk",
        "reception",
        "dit-katalog",
        "subdit-sistem",
        "subdit-layanan",
        "lpse-dki-jakarta",
        "lpse-prov-bali",
        "pelatihan",
    }
    assert expected <= set(units)
    assert units["dit-katalog"]["head"] == "director@staff.desk.local"
    assert units["subdit-sistem"] == {
        "id": "subdit-sistem",
        "name": "Subdit Sistem Katalog",
        "kind": "subdit",
        "parent": "dit-katalog",
        "head": "subdit1@staff.desk.local",
    }
    assert units["subdit-layanan"]["head"] == "subdit2@staff.desk.local"
    assert units["lpse-dki-jakarta"]["head"] == "verifier-jakarta@staff.desk.local"
    assert units["lpse-prov-bali"]["kind"] == "lpse"
    with as_function(desk):
        from desk.admin.units import escalation_chain, get_unit, head_of

        assert [u.id for u in escalation_chain("helpdesk")] == ["helpdesk", "subdit-layanan", "dit-katalog"]
        assert head_of("subdit-sistem") == "subdit1@staff.desk.local"
        assert head_of("no-such-unit") is None
        unit = get_unit("lpse-prov-bali")
        assert unit is not None and unit.head == "verifier-bali@staff.desk.local"


@pytest.mark.parametrize("who", ["reception", "helpdesk", "director"])
def test_any_staff_member_sees_the_units_without_their_heads(
    desk: LocalDesk, tokens: dict[str, str], who: str
) -> None:
    units = {u["id"]: u for u in _items(desk, tokens[who], "/staff/units")}
    assert units["subdit-sistem"] == {
        "id": "subdit-sistem",
        "name": "Subdit Sistem Katalog",
        "kind": "subdit",
        "parent": "dit-katalog",
    }
    assert set(units) == {u["id"] for u in _items(desk, tokens["admin"], "/staff/admin/units")}
    assert desk.http("GET", "/staff/units").status == 401


def test_a_unit_is_created_moved_and_audited(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    created = desk.http(
        "POST",
        "/staff/admin/units",
        token=admin,
        json_body={"id": "subdit-data", "name": "Subdit Data", "kind": "subdit", "parent": "dit-katalog"},
    )
    assert created.status == 201, created.text
    assert created.json() == {
        "id": "subdit-data",
        "name": "Subdit Data",
        "kind": "subdit",
        "parent": "dit-katalog",
        "head": "",
    }
    moved = desk.http(
        "PATCH", "/staff/admin/units/subdit-data", token=admin, json_body={"parent": "subdit-sistem"}
    )
    assert moved.status == 200, moved.text
    assert moved.json()["parent"] == "subdit-sistem"
    with as_function(desk):
        from desk.admin.units import escalation_chain

        assert [u.id for u in escalation_chain("subdit-data")] == [
            "subdit-data",
            "subdit-sistem",
            "dit-katalog",
        ]

    trail = _audit(desk, admin, "unit", "subdit-data")
    assert [t["what"] for t in trail] == ["update", "create"]  # newest first
    assert all(t["who"] == ADMIN_EMAIL for t in trail)
    assert trail[1]["before"] is None and trail[1]["after"]["parent"] == "dit-katalog"
    assert trail[0]["before"]["parent"] == "dit-katalog" and trail[0]["after"]["parent"] == "subdit-sistem"

    again = desk.http(
        "POST",
        "/staff/admin/units",
        token=admin,
        json_body={"id": "subdit-data", "name": "Lagi", "kind": "subdit"},
    )
    assert again.status == 409


@pytest.mark.parametrize(
    ("unit", "parent"),
    [("dit-katalog", "helpdesk"), ("subdit-layanan", "reception"), ("subdit-sistem", "subdit-sistem")],
)
def test_a_unit_that_would_become_its_own_ancestor_is_refused(
    desk: LocalDesk, tokens: dict[str, str], unit: str, parent: str
) -> None:
    before = {u["id"]: u["parent"] for u in _items(desk, tokens["admin"], "/staff/admin/units")}
    response = desk.http(
        "PATCH", f"/staff/admin/units/{unit}", token=tokens["admin"], json_body={"parent": parent}
    )
    assert response.status == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "unit_cycle"
    assert "sendiri" in error["fields"]["parent"]
    after = {u["id"]: u["parent"] for u in _items(desk, tokens["admin"], "/staff/admin/units")}
    assert after == before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"id": "Subdit Baru", "name": "X", "kind": "subdit"}, 400, "id"),
        ({"id": "subdit-x", "name": "X", "kind": "bureau"}, 400, "kind"),
        ({"id": "subdit-x", "kind": "subdit"}, 400, "name"),
        ({"id": "subdit-x", "name": "X", "kind": "subdit", "parent": "nowhere"}, 422, "parent"),
        ({"id": "subdit-x", "name": "X", "kind": "subdit", "head": "nobody@staff.desk.local"}, 422, "head"),
        ({"id": "subdit-x", "name": "X", "kind": "subdit", "color": "red"}, 400, "color"),
    ],
)
def test_bad_units_are_refused_naming_the_field(
    desk: LocalDesk, tokens: dict[str, str], body: dict[str, Any], status: int, field: str
) -> None:
    response = desk.http("POST", "/staff/admin/units", token=tokens["admin"], json_body=body)
    assert response.status == status, response.text
    assert field in response.json()["error"]["fields"]


def test_a_head_must_be_a_staff_user_of_that_unit(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    other_unit = desk.http(
        "PATCH",
        "/staff/admin/units/subdit-sistem",
        token=admin,
        json_body={"head": "helpdesk@staff.desk.local"},
    )
    assert other_unit.status == 422
    assert other_unit.json()["error"]["code"] == "head_not_in_unit"
    assert (
        desk.http("PATCH", "/staff/admin/units/nowhere", token=admin, json_body={"name": "X"}).status == 404
    )
    # The Director belongs to dit-katalog, so may head it (it already does: no change, no audit).
    trail = len(_audit(desk, admin, "unit", "dit-katalog"))
    same = desk.http(
        "PATCH",
        "/staff/admin/units/dit-katalog",
        token=admin,
        json_body={"head": "Director@Staff.Desk.Local"},
    )
    assert same.status == 200 and same.json()["head"] == "director@staff.desk.local"
    assert len(_audit(desk, admin, "unit", "dit-katalog")) == trail


# -- LPSEs ---------------------------------------------------------------------------------------------
def test_an_lpse_with_an_unknown_time_zone_is_refused(desk: LocalDesk, tokens: dict[str, str]) -> None:
    body = {
        "id": "lpse-x",
        "name": "LPSE X",
        "province": "Bali",
        "time_zone": "Europe/Paris",
        "service_days": 3,
    }
    response = desk.http("POST", "/staff/admin/lpse", token=tokens["admin"], json_body=body)
    assert response.status == 400
    assert set(response.json()["error"]["fields"]) == {"time_zone"}
    for bad, field in (({"province": "Atlantis"}, "province"), ({"service_days": 0}, "service_days")):
        refused = desk.http(
            "POST", "/staff/admin/lpse", token=tokens["admin"], json_body={**body, "time_zone": "WITA", **bad}
        )
        assert refused.status == 400
        assert set(refused.json()["error"]["fields"]) == {field}


def test_an_lpse_is_created_with_its_unit_and_the_public_list_shows_the_active_ones(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    admin = tokens["admin"]
    body = {
        "id": "lpse-kota-surabaya",
        "name": "LPSE Kota Surabaya",
        "province": "jawa timur",
        "time_zone": "WIB",
        "service_days": 4,
    }
    created = desk.http("POST", "/staff/admin/lpse", token=admin, json_body=body)
    assert created.status == 201, created.text
    assert created.json() == {**body, "province": "Jawa Timur", "time_zone": "Asia/Jakarta", "active": True}
    unit = next(u for u in _items(desk, admin, "/staff/admin/units") if u["id"] == "lpse-kota-surabaya")
    assert unit["kind"] == "lpse"
    listed = {i["id"]: i for i in _items(desk, admin, "/staff/admin/lpse")}
    assert listed["lpse-dki-jakarta"]["verifiers"] == ["verifier-jakarta@staff.desk.local"]
    assert listed["lpse-kota-surabaya"]["verifiers"] == []
    assert desk.http("POST", "/staff/admin/lpse", token=admin, json_body=body).status == 409

    with as_function(desk):
        from desk.admin.lpse import public_list
        from desk.admin.policies import policy_for

        shown = {lpse["id"]: lpse for lpse in public_list()}
        assert shown["lpse-kota-surabaya"] == {
            "id": "lpse-kota-surabaya",
            "name": "LPSE Kota Surabaya",
            "province": "Jawa Timur",
            "time_zone": "Asia/Jakarta",
            "service_days": 4,
        }
        assert shown["lpse-prov-bali"]["time_zone"] == "Asia/Makassar"
        assert policy_for("registration", lpse_id="lpse-kota-surabaya").working_days == 4

    changed = desk.http(
        "PATCH",
        "/staff/admin/lpse/lpse-kota-surabaya",
        token=admin,
        json_body={"active": False, "service_days": 6},
    )
    assert changed.status == 200, changed.text
    with as_function(desk):
        from desk.admin.lpse import public_list
        from desk.admin.policies import policy_for

        assert "lpse-kota-surabaya" not in {lpse["id"] for lpse in public_list()}
        assert policy_for("registration", lpse_id="lpse-kota-surabaya").working_days == 6
    trail = _audit(desk, admin, "lpse", "lpse-kota-surabaya")
    assert trail[0]["before"]["service_days"] == 4 and trail[0]["after"]["service_days"] == 6
    bad_zone = desk.http(
        "PATCH", "/staff/admin/lpse/lpse-prov-bali", token=admin, json_body={"time_zone": "UTC"}
    )
    assert bad_zone.status == 400 and "time_zone" in bad_zone.json()["error"]["fields"]


# -- contracts -----------------------------------------------------------------------------------------
def _contract(year: int, **changes: str) -> dict[str, str]:
    """A contract in force for the whole of ``year``."""
    return {
        "number": "KTR-LKPP/2026/0077",
        "provider_name": "PT Contoh Abadi",
        "npwp": "01.234.567.8-901.000",
        "valid_from": f"{year}-01-01",
        "valid_to": f"{year}-12-31",
        **changes,
    }


def test_a_contract_ending_before_it_starts_is_refused(desk: LocalDesk, tokens: dict[str, str]) -> None:
    day = desk_time.today()
    body = _contract(
        day.year,
        number="KTR-BAD/1",
        valid_from=day.isoformat(),
        valid_to=(day - timedelta(days=1)).isoformat(),
    )
    response = desk.http("POST", "/staff/admin/contracts", token=tokens["admin"], json_body=body)
    assert response.status == 422  # well-formed dates, refused by the rule
    assert set(response.json()["error"]["fields"]) == {"valid_to"}
    bad_npwp = desk.http(
        "POST", "/staff/admin/contracts", token=tokens["admin"], json_body=_contract(day.year, npwp="12345")
    )
    assert bad_npwp.status == 400 and set(bad_npwp.json()["error"]["fields"]) == {"npwp"}


def test_a_contract_is_created_changed_and_checked(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    year = desk_time.today().year
    contract = _contract(year)
    created = desk.http("POST", "/staff/admin/contracts", token=admin, json_body=contract)
    assert created.status == 201, created.text
    assert created.json()["npwp"] == "012345678901000"
    assert desk.http("POST", "/staff/admin/contracts", token=admin, json_body=contract).status == 409

    path = "/staff/admin/contracts/KTR-LKPP%2F2026%2F0077"  # slashes of the number, encoded
    before_start = f"{year - 1}-12-31"
    inverted = desk.http("PATCH", path, token=admin, json_body={"valid_to": before_start})
    assert inverted.status == 422 and "valid_to" in inverted.json()["error"]["fields"]
    end_of_march = f"{year}-03-31"
    shortened = desk.http("PATCH", path, token=admin, json_body={"valid_to": end_of_march})
    assert shortened.status == 200, shortened.text
    assert shortened.json()["valid_to"] == end_of_march
    trail = _audit(desk, admin, "contract", "KTR-LKPP/2026/0077")
    assert [t["what"] for t in trail] == ["update", "create"]
    assert trail[0]["before"]["valid_to"] == f"{year}-12-31" and trail[0]["after"]["valid_to"] == end_of_march

    last_day = date.fromisoformat(end_of_march)
    today = desk_time.today()
    with as_function(desk):
        from desk.admin.contracts import check_contract

        assert check_contract("ktr-lkpp/2026/0077", last_day).provider_name == "PT Contoh Abadi"
        with pytest.raises(RuleViolation) as expired:
            check_contract("KTR-LKPP/2026/0077", last_day + timedelta(days=1))
        assert expired.value.code == "contract_expired" and "contract_number" in expired.value.fields
        assert check_contract(DEMO["valid_contract_number"], today).number == DEMO["valid_contract_number"]
        with pytest.raises(RuleViolation) as old:
            check_contract(DEMO["expired_contract_number"], today)
        assert old.value.status == 422 and old.value.code == "contract_expired"
        with pytest.raises(RuleViolation) as unknown:
            check_contract("KTR-NOPE/1", today)
        assert unknown.value.code == "contract_unknown" and unknown.value.fields == {
            "contract_number": "tidak terdaftar"
        }


def test_contracts_are_listed_page_by_page(desk: LocalDesk, tokens: dict[str, str]) -> None:
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        response = desk.http("GET", f"/staff/admin/contracts?limit=1{cursor}", token=tokens["admin"])
        assert response.status == 200, response.text
        body = response.json()
        seen += [c["number"] for c in body["items"]]
        if not body["next_cursor"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert {DEMO["valid_contract_number"], DEMO["expired_contract_number"]} <= set(seen)
    assert len(seen) == len(set(seen))
    assert desk.http("GET", "/staff/admin/contracts?limit=0", token=tokens["admin"]).status == 400
    assert desk.http("GET", "/staff/admin/contracts?cursor=garbage", token=tokens["admin"]).status == 400


# -- SLA policies --------------------------------------------------------------------------------------
def test_policies_list_the_defaults_and_each_lpses_standard(desk: LocalDesk, tokens: dict[str, str]) -> None:
    items = _items(desk, tokens["admin"], "/staff/admin/sla-policies")
    general = {p["request_type"]: p for p in items if p["lpse_id"] is None}
    assert general["letter"]["working_days"] == 10
    assert general["letter"]["escalate_to"] == "unit_head_and_director"
    assert general["complaint"]["reminder_fraction"] == 0.7
    jakarta = next(
        p for p in items if p["lpse_id"] == "lpse-dki-jakarta" and p["request_type"] == "registration"
    )
    assert (jakarta["working_days"], jakarta["source"]) == (3, "lpse_service_days")


def test_policies_are_changed_and_read_by_the_desk(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    changed = desk.http(
        "PATCH",
        "/staff/admin/sla-policies/suggestion",
        token=admin,
        json_body={"working_days": 7, "reminder_fraction": 0.5},
    )
    assert changed.status == 200, changed.text
    per_lpse = {
        "request_type": "registration",
        "lpse_id": "lpse-prov-bali",
        "working_days": 2,
        "escalate_to": "director",
    }
    created = desk.http("POST", "/staff/admin/sla-policies", token=admin, json_body=per_lpse)
    assert created.status == 201, created.text
    assert desk.http("POST", "/staff/admin/sla-policies", token=admin, json_body=per_lpse).status == 409
    with as_function(desk, "StaffApiFunction"):
        from desk.admin.policies import SlaPolicy, policy_for

        assert policy_for("suggestion") == SlaPolicy(7, 0.5, "unit_head")
        assert policy_for("registration", lpse_id="lpse-prov-bali") == SlaPolicy(2, 0.7, "director")
        assert policy_for("registration", lpse_id="lpse-dki-jakarta").working_days == 3
        assert policy_for("letter").working_days == 10
    trail = _audit(desk, admin, "sla_policy", "suggestion")
    assert trail[0]["before"]["working_days"] == 5 and trail[0]["after"]["working_days"] == 7
    bali = desk.http(
        "PATCH",
        "/staff/admin/sla-policies/registration?lpse_id=lpse-prov-bali",
        token=admin,
        json_body={"working_days": 3},
    )
    assert bali.status == 200 and bali.json()["working_days"] == 3


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"request_type": "gossip", "working_days": 3}, 400, "request_type"),
        ({"request_type": "registration", "lpse_id": "lpse-atlantis", "working_days": 3}, 422, "lpse_id"),
        ({"request_type": "input", "lpse_id": "lpse-dki-jakarta", "working_days": 0}, 400, "working_days"),
        (
            {
                "request_type": "input",
                "lpse_id": "lpse-dki-jakarta",
                "working_days": 3,
                "reminder_fraction": 1.5,
            },
            400,
            "reminder_fraction",
        ),
        (
            {
                "request_type": "input",
                "lpse_id": "lpse-dki-jakarta",
                "working_days": 3,
                "escalate_to": "minister",
            },
            400,
            "escalate_to",
        ),
    ],
)
def test_bad_policies_are_refused(
    desk: LocalDesk, tokens: dict[str, str], body: dict[str, Any], status: int, field: str
) -> None:
    response = desk.http("POST", "/staff/admin/sla-policies", token=tokens["admin"], json_body=body)
    assert response.status == status, response.text
    assert field in response.json()["error"]["fields"]


# -- staff users ---------------------------------------------------------------------------------------
def test_a_staff_user_is_invited_once_changed_and_disabled(desk: LocalDesk, tokens: dict[str, str]) -> None:
    admin = tokens["admin"]
    invite = {
        "email": "Analis.Baru@staff.desk.local",
        "name": "Analis Baru",
        "role": "helpdesk",
        "unit": "helpdesk",
    }
    created = desk.http("POST", "/staff/admin/users", token=admin, json_body=invite)
    assert created.status == 201, created.text
    user = created.json()
    assert (user["email"], user["role"], user["unit"], user["enabled"]) == (
        "analis.baru@staff.desk.local",
        "helpdesk",
        "helpdesk",
        True,
    )
    twice = desk.http("POST", "/staff/admin/users", token=admin, json_body=invite)
    assert twice.status == 409
    assert twice.json()["error"]["code"] == "user_exists"

    path = "/staff/admin/users/analis.baru%40staff.desk.local"
    moved = desk.http("PATCH", path, token=admin, json_body={"role": "subdit", "unit": "subdit-sistem"})
    assert moved.status == 200, moved.text
    assert (moved.json()["roles"], moved.json()["unit"]) == (["subdit"], "subdit-sistem")
    disabled = desk.http("PATCH", path, token=admin, json_body={"enabled": False})
    assert disabled.status == 200 and disabled.json()["enabled"] is False

    listed = {u["email"]: u for u in _items(desk, admin, "/staff/admin/users")}
    assert listed["analis.baru@staff.desk.local"]["roles"] == ["subdit"]
    assert listed["analis.baru@staff.desk.local"]["enabled"] is False
    assert listed["verifier-bali@staff.desk.local"]["unit"] == "lpse-prov-bali"
    idp = desk.client("cognito-idp")
    groups = idp.admin_list_groups_for_user(
        UserPoolId=desk.user_pool_id, Username="analis.baru@staff.desk.local"
    )
    assert [g["GroupName"] for g in groups["Groups"]] == ["subdit"]

    trail = _audit(desk, admin, "user", "analis.baru@staff.desk.local")
    assert [t["what"] for t in trail] == ["update", "update", "invite"]
    assert trail[1]["before"]["unit"] == "helpdesk" and trail[1]["after"]["unit"] == "subdit-sistem"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "x@staff.desk.local", "name": "X", "role": "king", "unit": "helpdesk"}, 400, "role"),
        ({"email": "not-an-email", "name": "X", "role": "helpdesk", "unit": "helpdesk"}, 400, "email"),
        ({"email": "x@staff.desk.local", "name": "X", "role": "helpdesk", "unit": "nowhere"}, 422, "unit"),
    ],
)
def test_bad_invitations_are_refused(
    desk: LocalDesk, tokens: dict[str, str], body: dict[str, Any], status: int, field: str
) -> None:
    response = desk.http("POST", "/staff/admin/users", token=tokens["admin"], json_body=body)
    assert response.status == status, response.text
    assert field in response.json()["error"]["fields"]


def test_an_admin_cannot_lock_themselves_out_nor_move_a_unit_head_away(
    desk: LocalDesk, tokens: dict[str, str]
) -> None:
    admin = tokens["admin"]
    own = "/staff/admin/users/admin%40staff.desk.local"
    assert desk.http("PATCH", own, token=admin, json_body={"enabled": False}).status == 422
    assert desk.http("PATCH", own, token=admin, json_body={"role": "helpdesk"}).status == 422
    head = desk.http(
        "PATCH",
        "/staff/admin/users/subdit1%40staff.desk.local",
        token=admin,
        json_body={"unit": "subdit-layanan"},
    )
    assert head.status == 422 and head.json()["error"]["code"] == "head_of_unit"
    missing = desk.http(
        "PATCH", "/staff/admin/users/nobody%40staff.desk.local", token=admin, json_body={"name": "X"}
    )
    assert missing.status == 404


# -- only admins ---------------------------------------------------------------------------------------
CALLS = [
    ("GET", "/staff/admin/units", None),
    ("POST", "/staff/admin/units", {"id": "u-x", "name": "X", "kind": "desk"}),
    ("PATCH", "/staff/admin/units/helpdesk", {"name": "X"}),
    ("GET", "/staff/admin/lpse", None),
    (
        "POST",
        "/staff/admin/lpse",
        {"id": "l-x", "name": "X", "province": "Bali", "time_zone": "WITA", "service_days": 3},
    ),
    ("PATCH", "/staff/admin/lpse/lpse-prov-bali", {"service_days": 9}),
    ("GET", "/staff/admin/contracts", None),
    ("POST", "/staff/admin/contracts", _contract(2026, number="K-FORBIDDEN")),
    ("PATCH", "/staff/admin/contracts/KTR-LKPP%2F2025%2F0001", {"provider_name": "X"}),
    ("POST", "/staff/admin/contracts/import", {"csv": "number,provider_name,npwp,valid_from,valid_to\n"}),
    ("GET", "/staff/admin/sla-policies", None),
    (
        "POST",
        "/staff/admin/sla-policies",
        {"request_type": "input", "lpse_id": "lpse-prov-bali", "working_days": 3},
    ),
    ("PATCH", "/staff/admin/sla-policies/complaint", {"working_days": 1}),
    ("GET", "/staff/admin/users", None),
    (
        "POST",
        "/staff/admin/users",
        {"email": "y@staff.desk.local", "name": "Y", "role": "admin", "unit": "helpdesk"},
    ),
    ("PATCH", "/staff/admin/users/helpdesk%40staff.desk.local", {"role": "admin"}),
    ("GET", "/staff/admin/transactions", None),
    ("POST", "/staff/admin/transactions", {"csv": "id,buyer_institution,buyer_email,provider,amount,date\n"}),
    ("GET", f"/staff/admin/transactions/{DEMO['transaction_id']}", None),
    ("PATCH", f"/staff/admin/transactions/{DEMO['transaction_id']}", {"amount": "1"}),
    ("GET", "/staff/admin/audit/unit", None),
]


@pytest.mark.parametrize("who", ["helpdesk", "director", "verifier-jakarta"])
def test_only_an_admin_may_call_any_of_it(desk: LocalDesk, tokens: dict[str, str], who: str) -> None:
    for method, path, body in CALLS:
        response = desk.http(method, path, token=tokens[who], json_body=body)
        assert response.status == 403, (method, path, response.text)
        assert response.json()["error"]["code"] == "role_forbidden"
        # Even a malformed body is refused for the role first.
        if body is not None:
            garbled = desk.http(
                method,
                path,
                token=tokens[who],
                body=b"{not json",
                headers={"Content-Type": "application/json"},
            )
            assert garbled.status == 403, (method, path)
    units = {u["id"]: u for u in _items(desk, tokens["admin"], "/staff/admin/units")}
    assert units["helpdesk"]["name"] == "Helpdesk e-Purchasing" and "u-x" not in units
    users = {u["email"] for u in _items(desk, tokens["admin"], "/staff/admin/users")}
    assert "y@staff.desk.local" not in users


def test_without_a_token_the_gateway_answers_401(desk: LocalDesk) -> None:
    assert desk.http("GET", "/staff/admin/units").status == 401


def test_an_unknown_admin_path_is_404_and_a_wrong_method_405(desk: LocalDesk, tokens: dict[str, str]) -> None:
    assert desk.http("GET", "/staff/admin/nothing-here", token=tokens["admin"]).status == 404
    assert desk.http("DELETE", "/staff/admin/units", token=tokens["admin"]).status == 405
