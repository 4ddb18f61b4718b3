"""Shared fixtures: the template is translated once per session; each module of the component and
workflow tiers gets its own desk, seeded, with a token per seeded staff user."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import runtime
from desk_local.stack import LocalDesk, translated_template
from desk_local.template import Translated

ROOT = Path(__file__).resolve().parents[1]

# Each test module runs its own desk; executions a finished module left waiting wake up later, find their
# functions gone, and moto's interpreter logs each failure at length. Outcomes are what tests assert.
logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
TIERS = ("unit", "component", "workflow", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Cached settings and clients never leak from one test into the next."""
    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture(scope="session")
def translated() -> Translated:
    return translated_template()


@pytest.fixture(scope="module")
def desk(translated: Translated) -> Iterator[LocalDesk]:
    with LocalDesk(translated) as running:
        running.seed()
        yield running


@pytest.fixture(scope="module")
def tokens(desk: LocalDesk) -> dict[str, str]:
    from desk_local.seed import STAFF

    return {user.username: desk.login(user.username) for user in STAFF}
