"""Creators of what runs and what watches it: Lambda functions, state machines, the SES receipt rules that
start functions, log groups, alarms and dashboards."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from desk_local.resources import Created, Creation, flag
from desk_local.template import Resolver, TemplateError, Translated


def function(creation: Creation) -> Created:
    props = creation.props
    name = props.get("FunctionName", creation.default_name)[:64]
    if creation.logical_id not in creation.translated.code_dirs:
        raise TemplateError(
            f"{creation.logical_id}: the local stack runs only functions whose code is in this repository"
        )
    answer = creation.client("lambda").create_function(
        FunctionName=name,
        Runtime=props.get("Runtime", "python3.13"),
        Role=props["Role"],
        Handler=props["Handler"],
        Code={"ZipFile": _dummy_zip()},
        Timeout=int(props.get("Timeout", 3)),
        MemorySize=int(props.get("MemorySize", 128)),
        Environment={"Variables": (props.get("Environment") or {}).get("Variables", {})},
    )
    return creation.created(name, {"Arn": answer["FunctionArn"]})


def _dummy_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def state_machine(creation: Creation) -> Created:
    props = creation.props
    definition = _state_machine_definition(creation.logical_id, props, creation.translated, creation.resolver)
    name = props.get("StateMachineName", creation.default_name)
    answer = creation.client("stepfunctions").create_state_machine(
        name=name,
        definition=json.dumps(definition),
        roleArn=props["RoleArn"],
        type=props.get("StateMachineType", "STANDARD"),
    )
    return creation.created(
        answer["stateMachineArn"],
        {"Arn": answer["stateMachineArn"], "Name": name},
        {**props, "Definition": definition},
    )


def _state_machine_definition(
    logical_id: str, props: dict[str, Any], translated: Translated, resolver: Resolver
) -> dict[str, Any]:
    owner = next((k for k in translated.definitions if logical_id.startswith(k)), None)
    if owner is None:
        raw = props.get("DefinitionString") or props.get("Definition")
        return json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    substitutions = resolver.resolve(
        translated.substitutions.get(owner, {}), f"{owner} DefinitionSubstitutions"
    )
    text = json.dumps(translated.definitions[owner])
    for name, value in substitutions.items():
        text = text.replace("${" + name + "}", str(value).replace("\\", "\\\\").replace('"', '\\"'))
    leftover = set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", text))
    if leftover:
        raise TemplateError(f"{owner}: DefinitionSubstitutions lacks {sorted(leftover)}")
    return json.loads(text)


def receipt_rule_set(creation: Creation) -> Created:
    name = creation.props.get("RuleSetName", creation.default_name)
    ses = creation.client("ses")
    ses.create_receipt_rule_set(RuleSetName=name)
    ses.set_active_receipt_rule_set(RuleSetName=name)  # in AWS: once, by hand (one active set per region)
    return creation.created(name)


def receipt_rule(creation: Creation) -> Created:
    props = creation.props
    creation.client("ses").create_receipt_rule(RuleSetName=props["RuleSetName"], Rule=props["Rule"])
    return creation.created(props["Rule"]["Name"])


def log_group(creation: Creation) -> Created:
    props = creation.props
    name = props.get("LogGroupName", f"/aws/{creation.logical_id}")
    creation.client("logs").create_log_group(logGroupName=name)
    if props.get("RetentionInDays"):
        creation.client("logs").put_retention_policy(
            logGroupName=name, retentionInDays=int(props["RetentionInDays"])
        )
    return creation.created(name, {"Arn": creation.arn("logs", f"log-group:{name}")})


def alarm(creation: Creation) -> Created:
    name = creation.props.get("AlarmName", creation.default_name)
    creation.client("cloudwatch").put_metric_alarm(**_alarm(name, creation.props))
    return creation.created(name, {"Arn": creation.arn("cloudwatch", f"alarm:{name}")})


def _alarm(name: str, props: dict[str, Any]) -> dict[str, Any]:
    """PutMetricAlarm's arguments from the template's properties (the same names; numbers as numbers)."""
    numbers = {"Period": int, "EvaluationPeriods": int, "DatapointsToAlarm": int, "Threshold": float}
    alarm: dict[str, Any] = {"AlarmName": name}
    for key, value in props.items():
        if key == "AlarmName":
            continue
        alarm[key] = numbers[key](value) if key in numbers else value
    for metric in alarm.get("Metrics", []):
        if "MetricStat" in metric:
            metric["MetricStat"]["Period"] = int(metric["MetricStat"]["Period"])
        if "ReturnData" in metric:
            metric["ReturnData"] = flag(metric["ReturnData"])
    return alarm


def dashboard(creation: Creation) -> Created:
    name = creation.props.get("DashboardName", creation.default_name)
    creation.client("cloudwatch").put_dashboard(
        DashboardName=name, DashboardBody=creation.props["DashboardBody"]
    )
    return creation.created(name)
