"""The local stack itself: per-function environments under concurrency, schedules, async failures,
and clear messages for templates it cannot run."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desk_local.stack import LocalDesk
from desk_local.template import TemplateError, translate
from probe import probe_template


@pytest.fixture(scope="module")
def probe() -> Iterator[LocalDesk]:
    with LocalDesk(probe_template(), wait_scale=0) as desk:
        yield desk


def test_two_functions_running_at_once_each_see_their_own_environment(probe: LocalDesk) -> None:
    calls = [("EchoFunction", {"sleep": 0.3}), ("WorkerFunction", {"sleep": 0.3})] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda call: probe.functions.invoke(*call), calls))
    for (logical_id, _), invocation in zip(calls, results, strict=True):
        assert invocation.error is None, invocation.error
        expected = "echo" if logical_id == "EchoFunction" else "worker"
        assert invocation.result["probe"] == expected
        assert invocation.result["stable"] is True
    # they ran side by side, not one after another
    assert sum(i.seconds for i in results) > 2.0


def test_a_function_keeps_its_cached_objects_between_invocations_like_a_warm_container(
    probe: LocalDesk,
) -> None:
    first = probe.functions.invoke("EchoFunction", {}).result["cache_token"]
    second = probe.functions.invoke("EchoFunction", {}).result["cache_token"]
    assert first == second


def test_calls_at_once_get_environments_of_their_own_and_later_calls_reuse_them(probe: LocalDesk) -> None:
    # One invocation per environment at a time, as in Lambda: a module-level object (a router, its
    # per-request context) is never shared by two invocations running together.
    # Each call sleeps long enough that all four overlap even when a thread starts late on a busy machine.
    with ThreadPoolExecutor(max_workers=4) as pool:
        busy = list(pool.map(lambda _: probe.functions.invoke("EchoFunction", {"sleep": 2.0}), range(4)))
    environments = {i.result["environment"] for i in busy}
    assert len(environments) == 4
    later = {probe.functions.invoke("EchoFunction", {}).result["environment"] for _ in range(3)}
    assert later <= environments


def test_schedules_of_the_template_can_be_fired(probe: LocalDesk) -> None:
    schedules = {s.rule: s for s in probe.schedules()}
    assert len(schedules) == 1
    (rule,) = schedules
    assert schedules[rule].expression == "rate(5 minutes)"
    (invocation,) = probe.fire_schedule(rule)
    assert invocation.error is None
    assert invocation.result["event_source"] == "aws.events"
    assert invocation.result["probe"] == "echo"


def test_an_async_invocation_that_keeps_failing_is_retried_twice_then_reported(probe: LocalDesk) -> None:
    before = len(probe.functions.history)
    invocation = probe.functions.invoke_async("EchoFunction", {"fail": True}).result(timeout=10)
    assert invocation.error is not None and invocation.error["errorType"] == "ValueError"
    assert len(probe.functions.history) - before == 3
    assert probe.failed_async[-1]["function"] == "EchoFunction"


def _write(tmp_path: Path, template: str, folders: tuple[str, ...] = ()) -> Path:
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "app.py").write_text("def handler(event, context):\n    return event\n")
    path = tmp_path / "template.yaml"
    path.write_text(textwrap.dedent(template))
    return path


HEADER = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Resources:
"""


def test_a_missing_code_folder_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + """\
      Lost:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: functions/lost, Handler: app.handler, Runtime: python3.13}
    """,
    )
    with pytest.raises(TemplateError, match=r"Lost: code folder functions/lost does not exist"):
        translate(path)


def test_an_unknown_resource_type_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + """\
      Mystery:
        Type: AWS::Foo::Bar
        Properties: {}
    """,
    )
    with pytest.raises(
        TemplateError, match=r"Mystery: the local stack does not know how to create AWS::Foo::Bar"
    ):
        LocalDesk(translate(path)).start()


def test_a_reference_to_a_missing_resource_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + """\
      Queue:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "${Nothing}-queue"
    """,
    )
    with pytest.raises(TemplateError, match=r"Queue \(AWS::SQS::Queue\): Ref to Nothing"):
        LocalDesk(translate(path)).start()


def test_a_template_the_translator_refuses_is_reported_without_a_traceback(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + """\
      Broken:
        Type: AWS::Serverless::Function
        Properties:
          {CodeUri: functions/ok, Handler: app.handler, Runtime: python3.13, Events: {E: {Type: Nope}}}
    """,
        folders=("functions/ok",),
    )
    with pytest.raises(TemplateError, match=r"SAM transform failed.*Broken"):
        translate(path)


def test_the_translated_template_keeps_the_probe_definition_aside() -> None:
    translated = probe_template()
    definition = json.dumps(translated.definitions["ProbeStateMachine"])
    assert "${WorkerArn}" in definition
