"""The test-only probe stack (tests/fixtures/probe), translated once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from desk_local.stack import translated_template
from desk_local.template import Translated

PROBE_TEMPLATE = Path(__file__).parent / "fixtures" / "probe" / "template.yaml"


@cache
def probe_template() -> Translated:
    return translated_template(str(PROBE_TEMPLATE))
