"""The committed state machines are what ``tools/build_statemachines.py`` builds from ``tools/asl.py``."""

from __future__ import annotations

from pathlib import Path

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
