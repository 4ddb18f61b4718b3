"""The letter workflow's shape: every state reachable and every target defined, each person step the one
ask step, each Lambda task retried with jitter and caught, and no way to end in failure but one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import build_statemachines
import pytest

STEPS = (
    "letter:disposition",
    "letter:subdit_answer",
    "letter:signature",
    "letter:dispatch",
    "letter:confirmation",
)


@pytest.fixture(scope="module")
def machine() -> dict[str, Any]:
    return build_statemachines.letter()


def _scopes(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield definition
    for state in definition["States"].values():
        if state["Type"] == "Map":
            yield from _scopes(state["ItemProcessor"])


def _targets(state: dict[str, Any]) -> list[str]:
    found = [state[k] for k in ("Next", "Default") if k in state]
    found += [c["Next"] for c in state.get("Choices", [])]
    found += [c["Next"] for c in state.get("Catch", [])]
    return found


def _all_states(machine: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for scope in _scopes(machine):
        yield from scope["States"].items()


def test_every_target_exists_and_every_state_is_reachable(machine: dict[str, Any]) -> None:
    for scope in _scopes(machine):
        states = scope["States"]
        seen, todo = set(), [scope["StartAt"]]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            assert name in states, f"{name} is a target but not a state"
            seen.add(name)
            todo += _targets(states[name])
        assert seen == set(states), f"unreachable: {set(states) - seen}"


def test_each_person_step_is_the_one_ask_step(machine: dict[str, Any]) -> None:
    waits = {
        name: state
        for name, state in _all_states(machine)
        if str(state.get("Resource", "")).endswith(".waitForTaskToken")
    }
    assert sorted(waits) == sorted(
        ["DispositionWait", "AnswerWait", "SignatureWait", "DispatchWait", "ConfirmationWait"]
    )
    asked = {
        state["Parameters"]["Payload"]["ask"]["step"]
        for name, state in _all_states(machine)
        if name.endswith("Plan")
    }
    assert asked == set(STEPS)
    for prefix in ("Disposition", "Answer", "Signature", "Dispatch", "Confirmation"):
        names = {name for name, _ in _all_states(machine)}
        for part in ("Init", "Plan", "Wait", "Checkpoint", "Expired", "Flag", "TooManyFlags"):
            assert f"{prefix}{part}" in names


def test_the_secretarys_steps_ask_the_secretary_who_registered_the_letter(machine: dict[str, Any]) -> None:
    states = dict(_all_states(machine))
    for prefix in ("Dispatch", "Confirmation"):
        assert states[f"{prefix}Plan"]["Parameters"]["Payload"]["ask"]["person.$"] == "$.secretary"
    answer = states["AnswerPlan"]["Parameters"]["Payload"]["ask"]
    assert answer["started_at.$"] == "$.answer.started_at"  # the Subdit's own receipt, kept on a return
    assert answer["working_days.$"] == "$.answer.working_days"


def test_every_lambda_task_retries_with_jitter_and_is_caught(machine: dict[str, Any]) -> None:
    for name, state in _all_states(machine):
        if state["Type"] != "Task":
            continue
        jittered = [r for r in state["Retry"] if r.get("MaxAttempts", 3) > 0]
        assert jittered and all(r["JitterStrategy"] == "FULL" for r in jittered), name
        assert any("States.ALL" in c["ErrorEquals"] for c in state.get("Catch", [])), name


def test_the_only_failure_is_the_one_staff_are_told_about(machine: dict[str, Any]) -> None:
    fails = [name for name, state in _all_states(machine) if state["Type"] == "Fail"]
    assert fails == ["LetterStopped"]
    pointing = [name for name, state in _all_states(machine) if "LetterStopped" in _targets(state)]
    assert pointing == ["LetterFailed"]
    assert machine["States"]["LetterFailed"]["Parameters"]["Payload"]["final"] is True


def test_a_refused_document_asks_again_without_retrying(machine: dict[str, Any]) -> None:
    states = dict(_all_states(machine))
    for name, again in (("Answered", "AnswerInit"), ("Sign", "SignatureInit")):
        first_retry, first_catch = states[name]["Retry"][0], states[name]["Catch"][0]
        assert first_retry == {"ErrorEquals": ["UnusableDocument"], "MaxAttempts": 0}
        assert (first_catch["ErrorEquals"], first_catch["Next"]) == (["UnusableDocument"], again)
    assert states["Return"]["Next"] == "AnswerInit"
