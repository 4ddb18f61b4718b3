"""The signing keys against the in-memory twin of the secret: read once and kept, read again after
:func:`desk.keys.forget` (a rotation keeps the previous key verifying), and a secret that is missing or
too weak is refused."""

from __future__ import annotations

import json

import pytest
from twins.adapters import InMemorySecret

from desk import keys, runtime
from desk.data import secrets as secrets_data

STRONG = "s" * 32


@pytest.fixture
def secret() -> InMemorySecret:
    twin = InMemorySecret(json.dumps({"current_kid": "k1", "current_secret": STRONG}))
    runtime.provide(secrets_data.signing_secret, twin)
    return twin


def test_the_keys_are_read_once_and_kept(secret: InMemorySecret) -> None:
    ring = keys.key_ring()
    assert ring.current.kid == "k1" and ring.previous is None
    assert keys.key_ring() is ring and secret.reads == 1


def test_after_a_rotation_the_new_key_signs_and_the_previous_one_still_verifies(
    secret: InMemorySecret,
) -> None:
    keys.key_ring()
    secret.value = json.dumps(
        {"current_kid": "k2", "current_secret": "t" * 32, "previous_kid": "k1", "previous_secret": STRONG}
    )
    keys.forget()
    ring = keys.key_ring()
    assert ring.current.kid == "k2" and ring.find("k1") is not None and secret.reads == 2


def test_a_missing_or_weak_secret_is_refused(secret: InMemorySecret) -> None:
    secret.value = None
    with pytest.raises(keys.SecretMissing):
        keys.key_ring()
    secret.value = json.dumps({"current_kid": "k1", "current_secret": "short"})
    with pytest.raises(ValueError, match="at least 32"):
        keys.key_ring()
