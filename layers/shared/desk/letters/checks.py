"""Checks a letter's decisions need beyond their shape (which :mod:`desk.approvals.steps` checks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.errors import InvalidInput
from desk.letters import rules


def check_disposition(decision: Mapping[str, Any]) -> None:
    """A disposition names Subdits that exist: 400 naming the others, before the decision is recorded.
    (The workflow checks again when it records the disposition, and asks the Director again.)"""
    from desk.admin.units import get_unit

    if decision.get("decision") != "dispose":
        return
    chosen = [str(unit) for unit in decision.get("subdits") or []]
    found = {unit: get_unit(unit) for unit in chosen}
    kinds = {unit: known.kind for unit, known in found.items() if known is not None}
    unknown = rules.unknown_subdits(chosen, kinds)
    if unknown:
        raise InvalidInput(
            "Disposisi hanya kepada Subdit yang terdaftar.",
            fields={"subdits": "bukan Subdit yang dikenal: " + ", ".join(unknown)},
        )
