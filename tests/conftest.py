"""Shared fixtures: the template is translated once per session; each module gets its own desk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import runtime

ROOT = Path(__file__).resolve().parents[1]
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
