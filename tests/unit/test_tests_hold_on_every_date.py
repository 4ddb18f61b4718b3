"""A guard for the suite itself: the component, workflow and browser tests hold on whatever day they run.

Those tiers run a whole desk on the desk's clock. A test there that names a date (an ISO literal, a
``date(...)`` or ``datetime(...)``) must pin the clock with the ``pinned_clock`` fixture; every other one
counts from the desk's clock (``desk_time``), and none reads the machine's clock (``date.today()``,
``datetime.now()``), which a pinned desk does not follow. Identifiers such as ``EPURCH-2026-000101`` or
``AG-2026-000123`` are not dates.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parents[1]
GUARDED_TIERS = ("component", "workflow", "browser")
PIN_FIXTURE = "pinned_clock"
ISO_DATE = re.compile(
    r"(?<![0-9A-Za-z])(?:19|20|21)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?![0-9])"
)
# Format versions of AWS documents (CloudFormation, IAM, the SAM transform) look like dates and are not.
NOT_DATES = frozenset({"2010-09-09", "2012-10-17", "2016-10-31"})
DATE_TYPES = frozenset({"date", "datetime"})
MACHINE_CLOCK = frozenset({"today", "now", "utcnow", "fromtimestamp"})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _pins_the_clock(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("test"):
        return False
    arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
    return any(argument.arg == PIN_FIXTURE for argument in arguments)


def _date_call(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Name) and function.id in DATE_TYPES:
        return f"{function.id}(...)"
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        owner, name = function.value.id, function.attr
        if owner == "datetime" and name in DATE_TYPES:
            return f"datetime.{name}(...)"
        if owner in DATE_TYPES and name in MACHINE_CLOCK:
            return f"{owner}.{name}() reads the machine's clock, not the desk's"
    return None


def _findings_in(node: ast.AST, path: str) -> list[Finding]:
    found: list[Finding] = []
    for child in ast.iter_child_nodes(node):
        if _pins_the_clock(child):
            continue  # a test that pins the clock may name any day
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            dates = [d for d in ISO_DATE.findall(child.value) if d not in NOT_DATES]
            if dates:
                found.append(Finding(path, child.lineno, f"date literal {dates[0]!r}"))
        elif isinstance(child, ast.Call) and (call := _date_call(child)):
            found.append(Finding(path, child.lineno, call))
        found += _findings_in(child, path)
    return found


def findings(source: str, path: str = "<test>") -> list[Finding]:
    """What in one test module depends on the day it runs without pinning the clock."""
    return _findings_in(ast.parse(source, filename=path), path)


def guarded_files() -> list[Path]:
    return sorted(path for tier in GUARDED_TIERS for path in (TESTS / tier).rglob("*.py"))


def test_no_test_above_the_unit_tier_depends_on_the_day_it_runs() -> None:
    files = guarded_files()
    assert len(files) > 20, "the guard must see the tiers it guards"
    problems = [
        str(finding)
        for path in files
        for finding in findings(path.read_text(encoding="utf-8"), str(path.relative_to(TESTS)))
    ]
    assert not problems, "pin the clock (pinned_clock) or count from desk_time:\n" + "\n".join(problems)


PLANTED = """
from datetime import UTC, date, datetime

import pytest

FIXED = "2026-12-01"


def helper():
    return date(2026, 12, 1)


def test_books_a_meeting(desk):
    body = {"preferred_date": "2026-12-01", "number": "EPURCH-2026-000101", "agenda": "AG-2026-000123"}
    assert datetime.now(UTC).year == 2026 and date.today()
    assert f"{body}T00:30:00Z" != "2026-12-01T00:30:00Z"


def test_a_pinned_day(desk, pinned_clock):
    pinned_clock("2026-03-17T10:00:00+07:00")
    assert date(2026, 3, 17) and datetime(2026, 3, 17)


def test_from_the_clock(desk):
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31"}
    assert template and "EP-2026-000042" and "KTR-LKPP/2025/0001" and "2026-13-01"
"""


def test_the_guard_fails_on_a_planted_test(tmp_path: Path) -> None:
    planted = tmp_path / "test_planted.py"
    planted.write_text(PLANTED, encoding="utf-8")
    found = findings(planted.read_text(encoding="utf-8"), planted.name)
    by_line = {(f.line, f.what.split(" ")[0]) for f in found}
    assert by_line == {
        (6, "date"),  # the module constant
        (10, "date(...)"),  # a helper's constructed date
        (14, "date"),  # the literal in the body
        (15, "datetime.now()"),
        (15, "date.today()"),
        (16, "date"),  # inside an f-string's text
    }, "\n".join(map(str, found))
    # The pinned test and the identifiers, format versions and a month that cannot be are not findings.
    assert all(f.line < 19 for f in found)
