"""The service tier runs every use case on twins: each test gets its own desk of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from twins.desk import Twins, installed


@pytest.fixture(autouse=True)
def twins() -> Iterator[Twins]:
    with installed() as made:
        yield made
