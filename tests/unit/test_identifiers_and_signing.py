"""Numbers, access codes, HMAC signatures with key rotation, and our signed Message-IDs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk import ids, signing
from desk.keys import parse_secret
from desk.mail.send import new_message_id, number_from_message_id

OLD = signing.SigningKey("k1", b"o" * 40)
NEW = signing.SigningKey("k2", b"n" * 40)
KEYS = signing.KeyRing(current=NEW)


def test_numbers_have_the_contract_format() -> None:
    assert ids.format_number(2026, 42) == "EP-2026-000042"
    assert ids.is_number("EP-2026-000042")
    assert not ids.is_number("EP-2026-42")
    # Past 999,999 in a year the sequence grows a digit; the numbers given out before keep their form.
    assert ids.format_number(2026, 999_999) == "EP-2026-999999"
    assert ids.format_number(2026, 1_000_000) == "EP-2026-1000000"
    assert ids.is_number("EP-2026-1000000") and ids.is_number("EP-2031-12345678")
    for bad in ("EP-2026-0000001", "EP-2026-1234567890123", "EP-2026-00042", "EP-26-000042"):
        assert not ids.is_number(bad), bad
    with pytest.raises(ValueError):
        ids.format_number(2026, 0)


@given(st.integers(min_value=1, max_value=10**12 - 1), st.integers(min_value=2024, max_value=2999))
def test_every_number_given_out_is_read_back_as_a_number(sequence: int, year: int) -> None:
    number = ids.format_number(year, sequence)
    assert ids.is_number(number)
    assert number_from_message_id(new_message_id(number, KEYS, "desk.example.go.id"), KEYS) == number


def test_access_codes_carry_at_least_60_bits_and_are_stored_hashed() -> None:
    codes = {ids.new_access_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) * 5 >= 60  # 31 letters (no 0/O, 1/I/L): 4.95 bits each, 74 bits in all
    stored = ids.hash_access_code(code)
    assert code not in stored
    assert ids.access_code_matches(code.lower(), stored)
    other = ("Y" if code[0] == "X" else "X") + code[1:]
    assert not ids.access_code_matches(other, stored)


def test_opaque_ids_have_at_least_128_bits() -> None:
    assert len(ids.new_opaque_id(8)) >= 22  # 16 bytes in URL-safe base64


def test_a_signature_verifies_with_the_current_and_the_previous_key() -> None:
    before_rotation = signing.KeyRing(current=OLD)
    after_rotation = signing.KeyRing(current=NEW, previous=OLD)
    old_signature = signing.sign("task-1|exp", OLD)
    assert signing.verify("task-1|exp", "k1", old_signature, before_rotation)
    assert signing.verify("task-1|exp", "k1", old_signature, after_rotation)
    assert not signing.verify("task-1|exp", "k1", old_signature, signing.KeyRing(current=NEW))


@given(st.text(min_size=1, max_size=40))
def test_a_tampered_message_or_key_id_does_not_verify(message: str) -> None:
    ring = signing.KeyRing(current=NEW, previous=OLD)
    signature = signing.sign(message, NEW)
    assert signing.verify(message, "k2", signature, ring)
    assert not signing.verify(message + "x", "k2", signature, ring)
    assert not signing.verify(message, "k1", signature, ring)
    assert not signing.verify(message, "k9", signature, ring)


def test_the_secret_format_from_the_template() -> None:
    ring = parse_secret(
        '{"current_kid": "k2", "current_secret": "' + "s" * 64 + '", "previous_kid": "",'
        ' "previous_secret": ""}'
    )
    assert ring.current.kid == "k2" and ring.previous is None
    with pytest.raises(ValueError):
        parse_secret('{"current_kid": "k1", "current_secret": "short"}')


def test_our_message_ids_name_their_request_and_cannot_be_forged() -> None:
    ring = signing.KeyRing(current=NEW, previous=OLD)
    message_id = new_message_id("EP-2026-000123", signing.KeyRing(current=OLD), "epurchasing.example.go.id")
    assert re.fullmatch(r"<EP-2026-000123\.[^@]+@epurchasing\.example\.go\.id>", message_id)
    assert number_from_message_id(message_id, ring) == "EP-2026-000123"
    forged = message_id.replace("EP-2026-000123", "EP-2026-000999")
    assert number_from_message_id(forged, ring) is None
    assert number_from_message_id("<abc@example.com>", ring) is None
    assert number_from_message_id(message_id, signing.KeyRing(current=NEW)) is None
