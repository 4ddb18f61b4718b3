"""Translate template.yaml with the SAM translator, offline, and resolve CloudFormation intrinsics."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLACEHOLDER_CODE = "s3://local-stack/code.zip"


class TemplateError(Exception):
    """The template cannot be run locally; the message names the resource and what is wrong."""


@dataclass
class Translated:
    """The template after the SAM transform, with what the transform forgets kept aside."""

    root: Path
    resources: dict[str, dict[str, Any]]
    parameters: dict[str, dict[str, Any]]
    conditions: dict[str, Any]
    outputs: dict[str, Any]
    code_dirs: dict[str, Path] = field(default_factory=dict)  # function or layer logical id -> folder
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)  # state machine -> ASL
    substitutions: dict[str, dict[str, Any]] = field(default_factory=dict)


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def translate(template_path: Path, region: str = "ap-southeast-3") -> Translated:
    import os

    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    root = template_path.parent
    try:
        sam = yaml_parse(template_path.read_text())
    except Exception as error:
        raise TemplateError(f"{template_path.name}: not valid YAML: {error}") from error
    code_dirs: dict[str, Path] = {}
    definitions: dict[str, dict[str, Any]] = {}
    substitutions: dict[str, dict[str, Any]] = {}
    for logical_id, resource in (sam.get("Resources") or {}).items():
        kind, props = resource.get("Type"), resource.setdefault("Properties", {})
        if kind == "AWS::Serverless::Function":
            code_dirs[logical_id] = _local_dir(root, logical_id, props.get("CodeUri"))
            props["CodeUri"] = PLACEHOLDER_CODE
        elif kind == "AWS::Serverless::LayerVersion":
            code_dirs[logical_id] = _local_dir(root, logical_id, props.get("ContentUri"))
            props["ContentUri"] = PLACEHOLDER_CODE
        elif kind == "AWS::Serverless::StateMachine":
            uri = props.pop("DefinitionUri", None)
            if uri is not None:
                path = root / str(uri)
                if not path.is_file():
                    raise TemplateError(f"{logical_id}: DefinitionUri {uri} is not a file")
                definitions[logical_id] = _load_definition(path, logical_id)
            elif "Definition" in props:
                definitions[logical_id] = props["Definition"]
            substitutions[logical_id] = props.get("DefinitionSubstitutions") or {}
            # The translator needs a definition; ours is kept aside and substituted at creation.
            props["Definition"] = {"StartAt": "Local", "States": {"Local": {"Type": "Pass", "End": True}}}
            props.pop("DefinitionSubstitutions", None)
    try:
        cfn = transform(sam, {}, _NoManagedPolicies())
    except Exception as error:
        raise TemplateError(f"the SAM transform failed: {_describe(error)}") from error
    resources = cfn.get("Resources") or {}
    # Layer logical ids get a hash suffix after the transform: map them back by prefix.
    for logical_id in list(code_dirs):
        if logical_id not in resources:
            for translated_id in resources:
                if (
                    translated_id.startswith(logical_id)
                    and resources[translated_id]["Type"] == "AWS::Lambda::LayerVersion"
                ):
                    code_dirs[translated_id] = code_dirs[logical_id]
    return Translated(
        root=root,
        resources=resources,
        parameters=cfn.get("Parameters") or {},
        conditions=cfn.get("Conditions") or {},
        outputs=cfn.get("Outputs") or {},
        code_dirs=code_dirs,
        definitions=definitions,
        substitutions=substitutions,
    )


def _describe(error: Exception) -> str:
    causes = getattr(error, "causes", None)
    if causes:
        return "; ".join(str(getattr(c, "message", c)) for c in causes)
    return str(error)


def _local_dir(root: Path, logical_id: str, uri: Any) -> Path:
    if not isinstance(uri, str) or uri.startswith("s3://"):
        raise TemplateError(
            f"{logical_id}: the local stack needs a local folder as its code location, got {uri!r}"
        )
    path = (root / uri).resolve()
    if not path.is_dir():
        raise TemplateError(f"{logical_id}: code folder {uri} does not exist")
    return path


def _load_definition(path: Path, logical_id: str) -> dict[str, Any]:
    text = path.read_text()
    try:
        if path.suffix in (".yaml", ".yml"):
            from samtranslator.yaml_helper import yaml_parse

            loaded = yaml_parse(text)
        else:
            loaded = json.loads(text)
    except Exception as error:
        raise TemplateError(f"{logical_id}: cannot read {path.name}: {error}") from error
    if not isinstance(loaded, dict):
        raise TemplateError(f"{logical_id}: {path.name} is not a state machine definition")
    return loaded


# --- intrinsic functions -------------------------------------------------------------------------

_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


class Resolver:
    """Resolves Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Select, Fn::Split and conditions."""

    def __init__(
        self,
        *,
        parameters: Mapping[str, str],
        pseudo: Mapping[str, str],
        conditions: Mapping[str, Any],
        ref: Callable[[str], str],
        get_att: Callable[[str, str], str],
    ):
        self.parameters = parameters
        self.pseudo = pseudo
        self.conditions = conditions
        self._ref = ref
        self._get_att = get_att
        self._condition_values: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._condition_values:
            if name not in self.conditions:
                raise TemplateError(f"unknown condition {name}")
            self._condition_values[name] = bool(self._evaluate_condition(self.conditions[name]))
        return self._condition_values[name]

    def _evaluate_condition(self, expression: Any) -> bool:
        if isinstance(expression, dict) and len(expression) == 1:
            ((fn, args),) = expression.items()
            if fn == "Fn::Equals":
                left, right = (self.resolve(a, "Conditions") for a in args)
                return str(left) == str(right)
            if fn == "Fn::Not":
                return not self._evaluate_condition(args[0])
            if fn == "Fn::And":
                return all(self._evaluate_condition(a) for a in args)
            if fn == "Fn::Or":
                return any(self._evaluate_condition(a) for a in args)
            if fn == "Condition":
                return self.condition(args)
        raise TemplateError(f"unsupported condition expression {json.dumps(expression)[:120]}")

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self._ref(name)

    def resolve(self, value: Any, where: str) -> Any:
        try:
            return self._resolve(copy.deepcopy(value))
        except TemplateError as error:
            raise TemplateError(f"{where}: {error}") from error

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(v) for v in value]
            return [v for v in items if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return _NO_VALUE if arg == "AWS::NoValue" else self.ref(arg)
            if key == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._get_att(logical_id, attribute)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                separator, items = arg
                return separator.join(str(i) for i in self._resolve(items))
            if key == "Fn::If":
                name, yes, no = arg
                return self._resolve(yes if self.condition(name) else no)
            if key == "Fn::Select":
                index, items = arg
                return self._resolve(items)[int(self._resolve(index))]
            if key == "Fn::Split":
                separator, text = arg
                return str(self._resolve(text)).split(separator)
            if key == "Fn::GetAZs":
                region = self.pseudo["AWS::Region"]
                return [f"{region}a", f"{region}b", f"{region}c"]
            if key.startswith("Fn::"):
                raise TemplateError(f"{key} is not supported by the local stack")
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _sub(self, arg: Any) -> str:
        variables: dict[str, Any] = {}
        if isinstance(arg, str):
            text = arg
        else:
            text, variables = arg[0], self._resolve(arg[1])

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                return str(self._get_att(logical_id, attribute))
            return str(self.ref(name))

        return _SUB_VARIABLE.sub(replace, text).replace("${!", "${")


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE = _NoValue()


def references(value: Any) -> set[str]:
    """Logical ids a value refers to (for ordering the creation of resources)."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for v in item:
                walk(v)
        elif isinstance(item, dict):
            for key, arg in item.items():
                if key == "Ref" and isinstance(arg, str):
                    found.add(arg)
                elif key == "Fn::GetAtt":
                    found.add((arg if isinstance(arg, list) else arg.split(".", 1))[0])
                elif key == "Fn::Sub":
                    text = arg if isinstance(arg, str) else arg[0]
                    for name in _SUB_VARIABLE.findall(text):
                        found.add(name.split(".", 1)[0])
                    if not isinstance(arg, str):
                        walk(arg[1])
                else:
                    walk(arg)

    walk(value)
    return found
