"""One behaviour suite for reading a secret, against Secrets Manager (moto) and the in-memory twin: the
value stored now is read (a rotation shows at the next read), and a secret that is not there is named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from twins.adapters import InMemorySecret

from desk.data.secrets import StoredSecret
from desk.keys import Secret, SecretMissing

Store = Callable[[str], None]


@pytest.fixture(params=["moto", "twin"])
def secret(request: pytest.FixtureRequest) -> tuple[Secret, Store]:
    """The secret, and how to store its next value (a rotation)."""
    if request.param == "twin":
        twin = InMemorySecret()

        def keep(value: str) -> None:
            twin.value = value

        return twin, keep
    client = request.getfixturevalue("moto_secrets")
    name = "desk/signing"

    def store(value: str) -> None:
        try:
            client.put_secret_value(SecretId=name, SecretString=value)
        except client.exceptions.ResourceNotFoundException:
            client.create_secret(Name=name, SecretString=value)

    return StoredSecret(client, name), store


def test_the_value_stored_now_is_read_and_a_rotation_shows_at_the_next_read(
    secret: tuple[Secret, Store],
) -> None:
    reader, store = secret
    store('{"current_kid": "k1"}')
    assert reader.read() == '{"current_kid": "k1"}'
    store('{"current_kid": "k2", "previous_kid": "k1"}')
    assert reader.read() == '{"current_kid": "k2", "previous_kid": "k1"}'


def test_a_secret_that_is_not_there_is_named(secret: tuple[Secret, Store]) -> None:
    reader, _ = secret
    with pytest.raises(SecretMissing):
        reader.read()
