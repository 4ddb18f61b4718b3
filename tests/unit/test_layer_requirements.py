"""The layer installs exactly the versions the tests ran with."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def test_layer_requirements_match_the_lock() -> None:
    layer = _pins(ROOT / "layers" / "shared" / "requirements.txt")
    lock = _pins(ROOT / "requirements-dev.lock")
    assert layer, "the layer pins nothing"
    assert {name: lock.get(name) for name in layer} == layer
