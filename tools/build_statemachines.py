"""Write the desk's state machines (``statemachines/*.asl.json``) from the blocks in ``tools/asl.py``.

    python tools/build_statemachines.py           # write every file
    python tools/build_statemachines.py --check   # exit 1 when a committed file differs from its build

The files are committed (SAM reads them through ``DefinitionUri``); ``tests/unit/test_statemachines_fresh.py``
keeps them equal to what this script builds. What each workflow does: ``statemachines/README.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "tools", ROOT / "layers" / "shared"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import registration_workflow as registration  # noqa: E402
import training_workflow as training  # noqa: E402

from asl import RETRY, ask  # noqa: E402 - the paths above make the blocks and the rules importable
from desk.letters import rules  # noqa: E402

STEPS_FUNCTION = "${LetterStepsFunctionArn}"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
REFUSED = "UnusableDocument"  # desk.letters.workflow.UnusableDocument: ask the person again
HOLD_SECONDS = 3600  # when even the alert fails: try again in an hour

State = dict[str, Any]
States = dict[str, State]


def _steps_call(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"FunctionName": STEPS_FUNCTION, "Payload": {"action": action, "number.$": "$.number", **payload}}


def _trouble(name: str, *, back_to: str, unit_path: str | None) -> States:
    """After a task gave up: flag the request and alert the Secretary, pause (longer each time), and run
    the task again; a letter is never dropped by a failure."""
    payload: dict[str, Any] = {"state": name, "error.$": "$.trouble"}
    if unit_path:
        payload["unit.$"] = unit_path
    alert: State = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": _steps_call("trouble", payload),
        "ResultSelector": {"seconds.$": "$.Payload.seconds", "attempts.$": "$.Payload.attempts"},
        "ResultPath": "$.trouble",
        "Retry": RETRY,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.trouble", "Next": f"{name}Hold"}],
        "Next": f"{name}Pause",
    }
    return {
        f"{name}Trouble": alert,
        f"{name}Pause": {"Type": "Wait", "SecondsPath": "$.trouble.seconds", "Next": back_to},
        f"{name}Hold": {"Type": "Wait", "Seconds": HOLD_SECONDS, "Next": back_to},
    }


def _task(
    name: str,
    action: str,
    payload: dict[str, Any],
    *,
    selector: dict[str, str] | None = None,
    result_path: str | None = None,
    next_state: str | None = None,
    refused_next: str | None = None,
    unit_path: str | None = None,
) -> States:
    """One of the letter's own Lambda tasks, retried with full jitter, with its trouble path. A refused
    document (``UnusableDocument``) is not retried: the person is asked again at ``refused_next``."""
    retry: list[dict[str, Any]] = list(RETRY)
    catch: list[dict[str, Any]] = [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.trouble", "Next": f"{name}Trouble"}
    ]
    if refused_next:
        retry.insert(0, {"ErrorEquals": [REFUSED], "MaxAttempts": 0})
        catch.insert(0, {"ErrorEquals": [REFUSED], "ResultPath": "$.refused", "Next": refused_next})
    state: State = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": _steps_call(action, payload),
    }
    if selector:
        state["ResultSelector"] = selector
    state |= {"ResultPath": result_path, "Retry": retry, "Catch": catch}
    state |= {"Next": next_state} if next_state else {"End": True}
    return {name: state, **_trouble(name, back_to=name, unit_path=unit_path)}


def _ask(
    prefix: str, *, person_path: str | None = None, unit_path_for_trouble: str | None = None, **kwargs: Any
) -> States:
    """The one ask step, asked again when its link expires unanswered. ``person_path`` names the person
    asked (the Secretary who registered the letter), so the link goes to them and not the unit's head.
    Where the step alone would stop the workflow (``<prefix>Stuck``, or a flag that cannot be written),
    the letter takes its trouble path instead and plans the ask again after a pause."""
    states = ask(prefix, expired_next=f"{prefix}Init", **kwargs)
    if person_path:
        states[f"{prefix}Plan"]["Parameters"]["Payload"]["ask"]["person.$"] = person_path
    del states[f"{prefix}Stuck"]
    states[f"{prefix}TooManyFlags"]["Choices"][0]["Next"] = f"{prefix}StuckTrouble"
    states[f"{prefix}Flag"]["Catch"] = [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.trouble", "Next": f"{prefix}StuckTrouble"}
    ]
    states |= _trouble(f"{prefix}Stuck", back_to=f"{prefix}Plan", unit_path=unit_path_for_trouble)
    return states


_ANSWER = {
    "unit.$": "$.Payload.unit",
    "started_at.$": "$.Payload.started_at",
    "working_days.$": "$.Payload.working_days",
    "subject.$": "$.Payload.subject",
    "signature_subject.$": "$.Payload.signature_subject",
    "person.$": "$.Payload.person",
}


def _answer_states() -> States:
    """One Subdit's answer (a Map iteration): its own clock from its receipt, the Director's signature,
    and back to the Subdit on a return."""
    states: States = {}
    states |= _task(
        "Open",
        "open_answer",
        {"unit.$": "$.unit"},
        selector=_ANSWER,
        result_path="$.answer",
        next_state="AnswerInit",
        unit_path="$.unit",
    )
    states |= _ask(
        "Answer",
        step="letter:subdit_answer",
        unit_path="$.answer.unit",
        working_days_path="$.answer.working_days",
        started_path="$.answer.started_at",
        subject_path="$.answer.subject",
        person_path="$.answer.person",
        unit_path_for_trouble="$.unit",
        result_path="$.draft",
        next_state="Answered",
    )
    states |= _task(
        "Answered",
        "answered",
        {"unit.$": "$.unit", "decision.$": "$.draft"},
        next_state="SignatureInit",
        refused_next="AnswerInit",
        unit_path="$.unit",
    )
    states |= _ask(
        "Signature",
        step="letter:signature",
        unit=rules.LETTER_UNIT,
        working_days=rules.SIGNATURE_DAYS,
        subject_path="$.answer.signature_subject",
        unit_path_for_trouble="$.unit",
        result_path="$.signature",
        next_state="SignOrReturn",
    )
    states["SignOrReturn"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.signature.decision", "StringEquals": "sign", "Next": "Sign"}],
        "Default": "Return",
    }
    states |= _task(
        "Sign",
        "sign",
        {"unit.$": "$.unit", "decision.$": "$.signature"},
        refused_next="SignatureInit",
        unit_path="$.unit",
    )
    states |= _task(
        "Return",
        "return",
        {"unit.$": "$.unit", "decision.$": "$.signature"},
        selector=_ANSWER,
        result_path="$.answer",
        next_state="AnswerInit",
        unit_path="$.unit",
    )
    return states


def letter() -> dict[str, Any]:
    """An incoming letter from the Secretary's stamp to the phone confirmation (statemachines/README.md)."""
    states: States = {}
    states |= _ask(
        "Disposition",
        step="letter:disposition",
        unit=rules.LETTER_UNIT,
        working_days=rules.DISPOSITION_DAYS,
        result_path="$.disposition",
        next_state="Dispose",
    )
    states |= _task(
        "Dispose",
        "dispose",
        {"decision.$": "$.disposition"},
        selector={"route.$": "$.Payload.route", "units.$": "$.Payload.units"},
        result_path="$.route",
        next_state="Route",
    )
    states["Route"] = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.route.route", "StringEquals": "answer", "Next": "Answers"},
            {"Variable": "$.route.route", "StringEquals": "closed", "Next": "NoAnswerOwed"},
        ],
        "Default": "DispositionInit",  # a disposition that could not be used: the Director decides again
    }
    states["NoAnswerOwed"] = {"Type": "Succeed"}
    states["Answers"] = {
        "Type": "Map",
        "ItemsPath": "$.route.units",
        "ItemSelector": {"number.$": "$.number", "subject.$": "$.subject", "unit.$": "$$.Map.Item.Value"},
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Open",
            "States": _answer_states(),
        },
        "ResultPath": None,
        # An iteration never fails by itself (its tasks pause and retry); this is for what cannot be
        # retried, such as a malformed state: staff are told and take the letter from there.
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.trouble", "Next": "LetterFailed"}],
        "Next": "DispatchInit",
    }
    states |= _ask(
        "Dispatch",
        step="letter:dispatch",
        unit=rules.LETTER_UNIT,
        working_days=rules.DISPATCH_DAYS,
        person_path="$.secretary",
        result_path="$.dispatch",
        next_state="Dispatched",
    )
    states |= _task("Dispatched", "dispatched", {"decision.$": "$.dispatch"}, next_state="ConfirmationInit")
    states |= _ask(
        "Confirmation",
        step="letter:confirmation",
        unit=rules.LETTER_UNIT,
        working_days=rules.CONFIRMATION_DAYS,
        person_path="$.secretary",
        result_path="$.confirmation",
        next_state="Close",
    )
    states |= _task("Close", "close", {"decision.$": "$.confirmation"})
    states["LetterFailed"] = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": _steps_call("trouble", {"state": "Answers", "final": True, "error.$": "$.trouble"}),
        "ResultPath": None,
        "Retry": RETRY,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "LetterStopped"}],
        "Next": "LetterStopped",
    }
    states["LetterStopped"] = {"Type": "Fail", "Error": "LetterStopped", "Cause": "see the request's log"}
    return {
        "Comment": "An incoming letter: disposition, each Subdit's answer, signature, dispatch, phone call.",
        "StartAt": "DispositionInit",
        "States": states,
    }


MACHINES: dict[str, Callable[[], dict[str, Any]]] = {
    "letter.asl.json": letter,
    "registration.asl.json": registration.definition,
    "training.asl.json": training.definition,
}


def render(definition: dict[str, Any]) -> str:
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


def built() -> dict[str, str]:
    """Each file's name and the text it should hold."""
    return {name: render(build()) for name, build in MACHINES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed file is stale")
    args = parser.parse_args(argv)
    folder = ROOT / "statemachines"
    stale = []
    for name, text in built().items():
        path = folder / name
        current = path.read_text() if path.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(name)
        else:
            folder.mkdir(exist_ok=True)
            path.write_text(text)
            print(f"wrote statemachines/{name}")
    if stale:
        print("stale: " + ", ".join(stale) + " (run python tools/build_statemachines.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
