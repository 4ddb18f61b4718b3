"""The committed state machines are what ``tools/build_statemachines.py`` builds from ``tools/asl.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import build_statemachines
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(build_statemachines.MACHINES))
def test_the_committed_file_equals_its_build(name: str) -> None:
    committed = (ROOT / "statemachines" / name).read_text()
    assert committed == build_statemachines.built()[name], "run: python tools/build_statemachines.py"


def test_check_mode_fails_on_a_stale_file_and_writing_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build_statemachines, "ROOT", tmp_path)
    (tmp_path / "statemachines").mkdir()
    (tmp_path / "statemachines" / "letter.asl.json").write_text("{}\n")
    assert build_statemachines.main(["--check"]) == 1
    assert "letter.asl.json" in capsys.readouterr().err
    assert build_statemachines.main([]) == 0
    assert build_statemachines.main(["--check"]) == 0


def _tasks(states: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every Task state, inside Parallel branches and Map processors too."""
    found = []
    for name, state in states.items():
        if state["Type"] == "Task":
            found.append((path + name, state))
        for branch in state.get("Branches", []):
            found += _tasks(branch["States"], f"{path}{name}/")
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                found += _tasks(state[key]["States"], f"{path}{name}/")
    return found


@pytest.mark.parametrize("name", sorted(build_statemachines.MACHINES))
def test_every_task_of_every_machine_is_retried_and_caught(name: str) -> None:
    machine = json.loads(build_statemachines.built()[name])
    tasks = _tasks(machine["States"])
    assert tasks
    bare = [path for path, state in tasks if not state.get("Retry") or not state.get("Catch")]
    assert not bare, f"{name}: tasks without Retry or Catch: {bare}"
    for path, state in tasks:  # the last Catch takes whatever the others did not name
        assert state["Catch"][-1]["ErrorEquals"] == ["States.ALL"], path
