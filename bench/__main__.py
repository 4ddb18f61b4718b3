"""Print every figure the desk tracks. ``make bench``."""

from __future__ import annotations

import json
import sys
from typing import Any

SECTIONS = (
    "imports",
    "calls",
    "bench_calendar",
    "bench_documents",
    "bench_mail",
    "bench_admin",
    "bench_letters",
    "bench_training",
    "bench_pages",
)


def _show(name: str, figures: dict[str, Any]) -> None:
    print(f"\n== {name} ==")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


def main(selected: list[str]) -> None:
    import contextlib
    import importlib
    import io
    import logging

    logging.disable(logging.WARNING)  # the functions' own log lines are not figures

    for name in selected or SECTIONS:
        module = importlib.import_module(f"bench.{name}")
        # The functions log and publish metrics on stdout; the figures are what this prints.
        with contextlib.redirect_stdout(io.StringIO()):
            figures = module.run()
        _show(name, figures)


if __name__ == "__main__":
    main(sys.argv[1:])
