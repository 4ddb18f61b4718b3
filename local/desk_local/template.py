"""Translate template.yaml with the SAM translator, offline, and resolve CloudFormation intrinsics."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

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
    aside = _SetAside()
    for logical_id, resource in (sam.get("Resources") or {}).items():
        aside.take(root, logical_id, resource)
    try:
        cfn = transform(sam, {}, _NoManagedPolicies())
    except Exception as error:
        raise TemplateError(f"the SAM transform failed: {_describe(error)}") from error
    resources = cfn.get("Resources") or {}
    aside.follow_layer_ids(resources)
    return Translated(
        root=root,
        resources=resources,
        parameters=cfn.get("Parameters") or {},
        conditions=cfn.get("Conditions") or {},
        outputs=cfn.get("Outputs") or {},
        code_dirs=aside.code_dirs,
        definitions=aside.definitions,
        substitutions=aside.substitutions,
    )


@dataclass
class _SetAside:
    """What the SAM transform would lose or cannot read, taken out of the template before it runs."""

    code_dirs: dict[str, Path] = field(default_factory=dict)
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    substitutions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def take(self, root: Path, logical_id: str, resource: dict[str, Any]) -> None:
        kind, props = resource.get("Type"), resource.setdefault("Properties", {})
        if kind == "AWS::Serverless::Function":
            self.code_dirs[logical_id] = _local_dir(root, logical_id, props.get("CodeUri"))
            props["CodeUri"] = PLACEHOLDER_CODE
        elif kind == "AWS::Serverless::LayerVersion":
            self.code_dirs[logical_id] = _local_dir(root, logical_id, props.get("ContentUri"))
            props["ContentUri"] = PLACEHOLDER_CODE
        elif kind == "AWS::Serverless::StateMachine":
            self._take_definition(root, logical_id, props)

    def _take_definition(self, root: Path, logical_id: str, props: dict[str, Any]) -> None:
        uri = props.pop("DefinitionUri", None)
        if uri is not None:
            path = root / str(uri)
            if not path.is_file():
                raise TemplateError(f"{logical_id}: DefinitionUri {uri} is not a file")
            self.definitions[logical_id] = _load_definition(path, logical_id)
        elif "Definition" in props:
            self.definitions[logical_id] = props["Definition"]
        self.substitutions[logical_id] = props.get("DefinitionSubstitutions") or {}
        # The translator needs a definition; ours is kept aside and substituted at creation.
        props["Definition"] = {"StartAt": "Local", "States": {"Local": {"Type": "Pass", "End": True}}}
        props.pop("DefinitionSubstitutions", None)

    def follow_layer_ids(self, resources: dict[str, Any]) -> None:
        """Layer logical ids get a hash suffix after the transform: map them back by prefix."""
        for logical_id in list(self.code_dirs):
            if logical_id in resources:
                continue
            for translated_id, resource in resources.items():
                if translated_id.startswith(logical_id) and resource["Type"] == "AWS::Lambda::LayerVersion":
                    self.code_dirs[translated_id] = self.code_dirs[logical_id]


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
            intrinsic = self._INTRINSICS.get(key)
            if intrinsic is not None:
                return intrinsic(self, arg)
            if key.startswith("Fn::"):
                raise TemplateError(f"{key} is not supported by the local stack")
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _ref_intrinsic(self, name: str) -> Any:
        return _NO_VALUE if name == "AWS::NoValue" else self.ref(name)

    def _get_att_intrinsic(self, arg: Any) -> str:
        logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
        return self._get_att(logical_id, attribute)

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

    def _join(self, arg: Any) -> str:
        separator, items = arg
        return separator.join(str(i) for i in self._resolve(items))

    def _if(self, arg: Any) -> Any:
        name, yes, no = arg
        return self._resolve(yes if self.condition(name) else no)

    def _select(self, arg: Any) -> Any:
        index, items = arg
        return self._resolve(items)[int(self._resolve(index))]

    def _split(self, arg: Any) -> list[str]:
        separator, text = arg
        return str(self._resolve(text)).split(separator)

    def _get_azs(self, arg: Any) -> list[str]:
        region = self.pseudo["AWS::Region"]
        return [f"{region}a", f"{region}b", f"{region}c"]

    _INTRINSICS: ClassVar[Mapping[str, Callable[[Resolver, Any], Any]]] = {
        "Ref": _ref_intrinsic,
        "Fn::GetAtt": _get_att_intrinsic,
        "Fn::Sub": _sub,
        "Fn::Join": _join,
        "Fn::If": _if,
        "Fn::Select": _select,
        "Fn::Split": _split,
        "Fn::GetAZs": _get_azs,
    }


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE = _NoValue()


def references(value: Any) -> set[str]:
    """Logical ids a value refers to (for ordering the creation of resources)."""
    found: set[str] = set()
    _collect_references(value, found)
    return found


def _collect_references(item: Any, found: set[str]) -> None:
    if isinstance(item, list):
        for v in item:
            _collect_references(v, found)
    elif isinstance(item, dict):
        for key, arg in item.items():
            _collect_entry_references(key, arg, found)


def _collect_entry_references(key: str, arg: Any, found: set[str]) -> None:
    if key == "Ref" and isinstance(arg, str):
        found.add(arg)
    elif key == "Fn::GetAtt":
        found.add((arg if isinstance(arg, list) else arg.split(".", 1))[0])
    elif key == "Fn::Sub":
        text = arg if isinstance(arg, str) else arg[0]
        for name in _SUB_VARIABLE.findall(text):
            found.add(name.split(".", 1)[0])
        if not isinstance(arg, str):
            _collect_references(arg[1], found)
    else:
        _collect_references(arg, found)
