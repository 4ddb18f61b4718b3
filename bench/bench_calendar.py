"""Calendar figures: deadline computations per second, the cold import cost, and numpy side by side.

    PYTHONPATH=layers/shared python bench/bench_calendar.py

Prints figures; never asserts on them. Targets: ≥ 100,000 deadlines per second on one core, and a cold
import of ``desk.calendar`` ≤ 10 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

LAYER = Path(__file__).resolve().parents[1] / "layers" / "shared"
ZONE_NAMES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
OFFSET_HOURS = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}
CALLS = 100_000
REPEATS = 5
IMPORT_RUNS = 7


def _inputs(count: int, seed: int = 4) -> list[tuple[datetime, int, str]]:
    """Receipts spread over 2024-2029 at any second, 1-30 working days, all three zones."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=6 * 365).total_seconds())
    return [
        (start + timedelta(seconds=rng.randrange(span)), rng.randint(1, 30), rng.choice(ZONE_NAMES))
        for _ in range(count)
    ]


def _rate(work: Any, count: int) -> float:
    """Calls per second: the median of REPEATS timed passes."""
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return count / statistics.median(times)


def _deadlines() -> dict[str, Any]:
    import numpy as np

    from desk.calendar import WorkingCalendar, official

    calendar = WorkingCalendar.from_official().scoped()
    inputs = _inputs(CALLS)
    calendar.add_working_days(*inputs[0])  # the per-container table is built once, before timing

    def ours() -> list[datetime]:
        add = calendar.add_working_days
        return [add(received, n, tz) for received, n, tz in inputs]

    # numpy over the same non-working weekdays, with its weekend mask; roll="backward" from the receipt
    # day gives "the n-th working day after it" under our counting rule.
    holidays = [iso for iso, kind, _ in official.DAYS]
    busdays = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    local_days = [(received + timedelta(hours=OFFSET_HOURS[tz])).date() for received, _, tz in inputs]

    def numpy_per_call() -> list[datetime]:
        # The same whole computation as ours, one deadline at a time: zone day, offset, end of day in UTC.
        out = []
        for received, n, tz in inputs:
            hours = OFFSET_HOURS[tz]
            day = np.datetime64((received + timedelta(hours=hours)).date())
            due = np.busday_offset(day, n, roll="backward", busdaycal=busdays).item()
            out.append(
                datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=UTC) - timedelta(hours=hours)
            )
        return out

    days = np.array(local_days, dtype="datetime64[D]")
    counts = np.array([n for _, n, _ in inputs])

    def numpy_vectorised() -> Any:
        return np.busday_offset(days, counts, roll="backward", busdaycal=busdays)

    ours_rate = _rate(ours, CALLS)
    per_call_rate = _rate(numpy_per_call, CALLS)
    vector_rate = _rate(numpy_vectorised, CALLS)

    # Both must give the same answers for the comparison to mean anything.
    agree = ours() == numpy_per_call()
    ours_days = [
        (due + timedelta(hours=OFFSET_HOURS[tz])).date()
        for due, (_, _, tz) in zip(ours(), inputs, strict=True)
    ]
    vector_days: list[date] = numpy_vectorised().astype(object).tolist()
    return {
        "deadlines_per_second": round(ours_rate),
        "numpy_per_call_per_second": round(per_call_rate),
        "numpy_vectorised_per_second": round(vector_rate),
        "ratio_ours_to_numpy_per_call": round(ours_rate / per_call_rate, 2),
        "ratio_ours_to_numpy_vectorised": round(ours_rate / vector_rate, 3),
        "numpy_agrees": agree and ours_days == vector_days,
        "calls": CALLS,
    }


def _python(cache: str, *, write_bytecode: bool) -> tuple[list[str], dict[str, str]]:
    """A fresh interpreter with the layer on its path and its bytecode cache in ``cache``."""
    env = {**os.environ, "PYTHONPATH": str(LAYER)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return [sys.executable, "-X", f"pycache_prefix={cache}"], env


def _import_ms(preload: str, *, compiled: bool = True) -> float:
    """Median over fresh interpreters of ``-X importtime``'s cumulative figure for desk.calendar.

    ``compiled``: the .pyc files exist (written by a first, uncounted run), as in a layer built with
    compileall; otherwise every run compiles the sources, as from a read-only layer shipped without them.
    """
    code = f"{preload}import desk.calendar"
    with tempfile.TemporaryDirectory() as cache:
        command, env = _python(cache, write_bytecode=compiled)

        def once() -> float:
            result = subprocess.run(
                [*command, "-X", "importtime", "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            for line in result.stderr.splitlines():
                fields = [part.strip() for part in line.removeprefix("import time:").split("|")]
                if len(fields) == 3 and fields[2] == "desk.calendar":
                    return int(fields[1]) / 1000
            raise RuntimeError("desk.calendar not in the import log")

        once()
        return statistics.median(once() for _ in range(IMPORT_RUNS))


def _interpreter_ms() -> float:
    """Median wall time of ``import desk.calendar`` minus that of a bare interpreter (compiled)."""
    with tempfile.TemporaryDirectory() as cache:
        command, env = _python(cache, write_bytecode=True)

        def wall(code: str) -> float:
            began = time.perf_counter()
            subprocess.run([*command, "-c", code], check=True, env=env)
            return (time.perf_counter() - began) * 1000

        wall("import desk.calendar")
        bare = statistics.median(wall("pass") for _ in range(IMPORT_RUNS))
        loaded = statistics.median(wall("import desk.calendar") for _ in range(IMPORT_RUNS))
    return loaded - bare


def run() -> dict[str, Any]:
    figures = _deadlines()
    # Bare: dataclasses (and the inspect/re it pulls in) is counted too. Every function of the desk
    # already has it loaded (boto3, pydantic and powertools import it), so the second figure is what the
    # calendar adds to a real function.
    figures["import_ms_bare"] = round(_import_ms(""), 2)
    figures["import_ms_with_dataclasses_loaded"] = round(_import_ms("import dataclasses; "), 2)
    figures["import_ms_with_dataclasses_loaded_no_pyc"] = round(
        _import_ms("import dataclasses; ", compiled=False), 2
    )
    figures["import_wall_ms_over_bare_interpreter"] = round(_interpreter_ms(), 2)
    figures["import_runs"] = IMPORT_RUNS
    figures["python"] = sys.version.split()[0]
    return figures


if __name__ == "__main__":
    if str(LAYER) not in sys.path:
        # Run as a script: the shared layer is what a function would have on its path.
        sys.path.insert(0, str(LAYER))
    print(json.dumps(run(), indent=2))
