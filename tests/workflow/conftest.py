"""The workflow tier: state machines run by moto's interpreter, handlers in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desk_local.stack import LocalDesk, translated_template
from desk_local.template import Translated


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
