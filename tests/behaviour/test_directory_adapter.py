"""One behaviour suite for the staff directory, against Cognito (moto) and the in-memory twin: an invited
member is found with their role, unit and status; an address is taken once; roles, details and sign-in
change as staff administration changes them; and listings read every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from twins.adapters import InMemoryDirectory

from desk.admin.directory import AddressRefused, Directory, NoSuchStaff, StaffExists
from desk.data.directory import CognitoDirectory


@pytest.fixture(params=["moto", "twin"])
def directory(request: pytest.FixtureRequest) -> Directory:
    if request.param == "twin":
        return InMemoryDirectory(now=datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    idp, pool_id = request.getfixturevalue("moto_user_pool")
    return CognitoDirectory(idp, pool_id)


def test_an_invited_member_is_found_with_role_unit_and_first_sign_in_pending(directory: Directory) -> None:
    directory.invite("ani@lkpp.go.id", name="Ani", role="helpdesk", unit="dit-pengembangan")
    member = directory.find("ani@lkpp.go.id")
    assert member is not None
    assert (member.email, member.name, member.roles, member.unit) == (
        "ani@lkpp.go.id",
        "Ani",
        ("helpdesk",),
        "dit-pengembangan",
    )
    assert member.enabled and member.status == "FORCE_CHANGE_PASSWORD"
    assert member.username and member.created_at.endswith("Z")
    assert directory.find("budi@lkpp.go.id") is None


def test_an_address_is_taken_once_and_one_that_is_not_an_address_is_refused(directory: Directory) -> None:
    directory.invite("ani@lkpp.go.id", name="Ani", role="helpdesk", unit="u")
    with pytest.raises(StaffExists):
        directory.invite("ani@lkpp.go.id", name="Ani Lain", role="admin", unit="u")
    for address in ("bukan-alamat", "ani@lkpp.g0"):
        with pytest.raises(AddressRefused):
            directory.invite(address, name="X", role="helpdesk", unit="u")
    assert [m.name for m in directory.everyone()] == ["Ani"]


def test_a_new_role_replaces_the_old_ones(directory: Directory) -> None:
    directory.invite("ani@lkpp.go.id", name="Ani", role="helpdesk", unit="u")
    directory.set_role("ani@lkpp.go.id", "reception", current=("helpdesk",))
    directory.set_role("ani@lkpp.go.id", "admin", current=())  # a second role, kept with the first
    assert directory.find("ani@lkpp.go.id").roles == ("reception", "admin")  # type: ignore[union-attr]
    directory.set_role("ani@lkpp.go.id", "admin", current=("reception", "admin"))
    assert directory.find("ani@lkpp.go.id").roles == ("admin",)  # type: ignore[union-attr]
    assert [m.email for m in directory.in_role("reception")] == []


def test_details_change_in_one_write_and_none_keeps_them(directory: Directory) -> None:
    directory.invite("ani@lkpp.go.id", name="Ani", role="helpdesk", unit="u1")
    directory.set_details("ani@lkpp.go.id", unit="u2")
    member = directory.find("ani@lkpp.go.id")
    assert member is not None and (member.name, member.unit) == ("Ani", "u2")
    directory.set_details("ani@lkpp.go.id", name="Ani Rahma", unit=None)
    member = directory.find("ani@lkpp.go.id")
    assert member is not None and (member.name, member.unit) == ("Ani Rahma", "u2")


def test_a_disabled_member_stays_listed_disabled_until_enabled(directory: Directory) -> None:
    directory.invite("ani@lkpp.go.id", name="Ani", role="helpdesk", unit="u")
    directory.set_enabled("ani@lkpp.go.id", False)
    assert [(m.email, m.enabled) for m in directory.everyone()] == [("ani@lkpp.go.id", False)]
    assert [m.enabled for m in directory.in_role("helpdesk")] == [False]
    directory.set_enabled("ani@lkpp.go.id", True)
    assert directory.find("ani@lkpp.go.id").enabled  # type: ignore[union-attr]


def test_changing_a_member_who_is_not_there_is_refused(directory: Directory) -> None:
    for change in (
        lambda: directory.set_enabled("budi@lkpp.go.id", False),
        lambda: directory.set_details("budi@lkpp.go.id", name="Budi"),
        lambda: directory.set_role("budi@lkpp.go.id", "admin", current=()),
    ):
        with pytest.raises(NoSuchStaff):
            change()


def test_listings_read_every_page_and_name_each_members_roles(directory: Directory) -> None:
    # One more member than a page holds, in two roles.
    for n in range(61):
        role = "helpdesk" if n % 2 else "reception"
        directory.invite(f"staf{n:02d}@lkpp.go.id", name=f"Staf {n}", role=role, unit="u")
    directory.set_role("staf00@lkpp.go.id", "admin", current=())
    everyone = directory.everyone()
    assert [m.email for m in everyone] == [f"staf{n:02d}@lkpp.go.id" for n in range(61)]
    assert everyone[0].roles == ("reception", "admin") and everyone[1].roles == ("helpdesk",)
    reception = directory.in_role("reception")
    assert len(reception) == 31 and {m.roles for m in reception} == {("reception",)}
    assert len(directory.in_role("helpdesk")) == 30
