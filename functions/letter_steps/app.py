"""The letter workflow's own Lambda tasks: record the disposition, open each Subdit's answer, record the
draft, the signature or the return, the dispatch and the confirmation; flag and alert when a task gives up."""

from __future__ import annotations

from typing import Any

from desk import clock
from desk.letters import workflow
from desk.observability import instrumented


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return workflow.run(str(event.get("action")), event, now=clock.now())
