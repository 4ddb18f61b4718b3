"""Hiding an anonymous requester's identity wherever its values stand (pure)."""

from __future__ import annotations

import pytest

from desk.requests.privacy import HIDDEN, identity_values, redact

IDENTITY = {
    "name": "Ani Wulandari",
    "email": "Ani@Pemkot-Bogor.go.id",
    "phone": "081234567890",
    "institution": "Pemerintah Kota Bogor",
    "participants": [{"name": "Budi Santoso", "email": "budi@x.go.id"}],
}


@pytest.mark.parametrize(
    "written",
    [
        "ani@pemkot-bogor.go.id",
        "ANI@PEMKOT-BOGOR.GO.ID",
        "Ani Wulandari",
        "ani  wulandari",
        "0812 3456 7890",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "0812.3456.7890",
        "Budi Santoso",
    ],
)
def test_every_way_a_value_is_written_is_hidden(written: str) -> None:
    assert redact({"data": {"to": [f"Salam, {written}."]}}, identity_values(IDENTITY)) == {
        "data": {"to": [f"Salam, {HIDDEN}."]}
    }


def test_only_whole_values_are_hidden_and_other_data_is_kept() -> None:
    values = identity_values(IDENTITY)
    view = {"n": 3, "ok": True, "text": "Anindya dan Wulandarini", "none": None, "list": ("a", 1)}
    assert redact(view, values) == {**view, "list": ["a", 1]}
    # The institution is not hunted in text: complaints are often about it.
    assert redact("Pemerintah Kota Bogor lambat", values) == "Pemerintah Kota Bogor lambat"


def test_short_or_empty_values_hide_nothing() -> None:
    assert identity_values({"name": "A", "phone": "12", "email": ""}) == []
    assert redact("apa saja", []) == "apa saja"


def test_a_file_name_hides_the_name_and_a_signed_link_stays_whole() -> None:
    values = identity_values(IDENTITY)
    view = {
        "filename": "Ani_Wulandari_bukti.pdf",
        "url": "https://s3.example/x?name=Ani%20Wulandari&sig=0812",
    }
    assert redact(view, values) == {"filename": f"{HIDDEN}_bukti.pdf", "url": view["url"]}


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Salam, Ani.", f"Salam, {HIDDEN}."),
        ("Wulandari menulis", f"{HIDDEN} menulis"),
        ("dari budi di kantor", f"dari {HIDDEN} di kantor"),  # a participant's address, by its local part
        ("Bapak Budi", f"Bapak {HIDDEN}"),  # a title is not the person
    ],
)
def test_a_name_in_part_and_an_address_by_its_local_part_are_hidden(written: str, shown: str) -> None:
    assert redact(written, identity_values(IDENTITY)) == shown


def test_a_dotted_local_part_hides_each_of_its_words() -> None:
    values = identity_values({"email": "rina.kartika@gmail.com"})
    assert redact("rina.kartika, Rina, Kartika", values) == f"{HIDDEN}, {HIDDEN}, {HIDDEN}"
    assert redact("karina", values) == "karina"
