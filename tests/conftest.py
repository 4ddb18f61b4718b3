"""Shared fixtures: the template is translated once per session; each module of the component and
workflow tiers gets its own desk, seeded, with a token per seeded staff user."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from desk_time import pinned_start

from desk import clock, runtime
from desk_local.stack import LocalDesk, translated_template
from desk_local.template import Translated

ROOT = Path(__file__).resolve().parents[1]

# Each test module runs its own desk; executions a finished module left waiting wake up later, find their
# functions gone, and moto's interpreter logs each failure at length. Outcomes are what tests assert.
logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
TIERS = ("unit", "component", "workflow", "browser", "service", "behaviour", "fuzz")


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
    with LocalDesk(translated, now=pinned_start()) as running:
        running.seed()
        yield running


@pytest.fixture
def pinned_clock() -> Iterator[Callable[[str | datetime], datetime]]:
    """Pins the desk's clock for one test: ``pinned_clock("2026-03-17T10:00:00+07:00")`` puts the desk on
    that instant (it runs on from there) and answers it; after the test the clock is put back. A test
    that names a date pins the clock with this fixture; the others count from ``desk_time``."""
    before: list[timedelta] = []

    def pin(instant: str | datetime) -> datetime:
        moment = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
        previous = clock.pin(moment)
        if not before:
            before.append(previous)
        return moment

    yield pin
    if before:
        clock.restore(before[0])


@pytest.fixture(scope="module")
def tokens(desk: LocalDesk) -> dict[str, str]:
    from desk_local.seed import STAFF

    return {user.username: desk.login(user.username) for user in STAFF}
