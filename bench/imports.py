"""Cold import of each function's module in a fresh interpreter, against a bare ``import boto3``."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
_SNIPPET = "import time; t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"


def _median_ms(statement: str, path: list[Path]) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the layer ships compiled; so does this measurement
    # one run first writes the .pyc files, as a built layer ships them
    subprocess.run([sys.executable, "-c", statement], env=env, check=True, capture_output=True)
    times = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _SNIPPET.format(statement=statement)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def run() -> dict[str, Any]:
    layer = ROOT / "layers" / "shared"
    boto3_ms = _median_ms("import boto3", [layer])
    functions = {}
    for folder in sorted((ROOT / "functions").iterdir()):
        if (folder / "app.py").is_file():
            ms = _median_ms("import app", [folder, layer])
            functions[folder.name] = {"import_ms": round(ms, 1), "vs_boto3": round(ms / boto3_ms, 2)}
    # What ``observability.instrumented`` adds on a function's first call (the decorators need both).
    wrapper_ms = _median_ms(
        "from aws_lambda_powertools import Logger, Metrics; Logger(service='x'); Metrics(namespace='x')",
        [layer],
    )
    return {
        "boto3_import_ms": round(boto3_ms, 1),
        "functions": functions,
        "logger_and_metrics_first_call": {
            "ms": round(wrapper_ms, 1),
            "vs_boto3": round(wrapper_ms / boto3_ms, 2),
        },
        "runs": RUNS,
    }
