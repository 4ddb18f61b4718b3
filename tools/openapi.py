"""One OpenAPI document for the whole API, built from the routes of the four HTTP functions.

Powertools describes each function's routes and the bodies it validates; this adds what it cannot see:
the statuses each operation really sends (201 for a creation, 302 for a download, HTML for the signed-link
pages), the contract's error shape for every error status in place of Powertools' own validation error,
the Cognito sign-in on staff and admin paths, and the bodies and queries the administration API reads
itself (it checks the role before the body, so Powertools does not validate them).

    python tools/openapi.py          # rewrite layers/shared/desk/api/openapi.json
    python tools/openapi.py --check  # fail if the committed document is stale

The document is part of the shared layer and served as ``/openapi.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "layers/shared/desk/api/openapi.json"
FUNCTIONS = ("public_api", "staff_api", "admin_api", "approvals")
TITLE = "e-Purchasing service desk API"
VERSION = "1.0.0"
REF = "#/components/schemas/"
ERROR = {"$ref": f"{REF}Error"}
HTML = "text/html"

# What Powertools adds that this API never sends: validation errors are 400 in the contract's shape.
POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "a stable machine code"},
                "message": {"type": "string", "description": "a sentence a person understands"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "what is wrong, per field",
                },
            },
        }
    },
}

SECURITY_SCHEME = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "description": "A Cognito ID token of a staff member (the user pool authorizer); roles come from groups.",
    "x-amazon-apigateway-authtype": "cognito_user_pools",
}

ERROR_MEANING = {
    400: "bad input: malformed JSON, or a field refused (named in `fields`)",
    401: "not signed in",
    403: "signed in, but the role or unit may not do this; or a bad link signature",
    404: "nothing by that name (for a requester: a wrong number or code, the same answer)",
    405: "a method the path does not take",
    409: "a conflict: already done, taken or changed meanwhile",
    410: "expired, or the task is over",
    413: "the body is too large",
    415: "the body is not of a type this operation takes",
    422: "well-formed but refused by a rule",
    429: "too many requests; try again later",
    503: "an AWS service is busy; nothing was done, try again after Retry-After seconds",
}


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"openapi_{name}", ROOT / "functions" / name / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _described(module: ModuleType) -> dict[str, Any]:
    from desk.api.http import build_resolver

    app = build_resolver()
    for area in module.AREAS:
        app.include_router(area.router)
    return dict(json.loads(app.get_openapi_json_schema(title=TITLE, version=VERSION)))


def _documented(module: ModuleType) -> dict[str, Any]:
    """What each route of the function reads itself (``desk.api.routes.Documented``), by route."""
    return {key: documented for area in module.AREAS for key, documented in area.documented.items()}


def _model_schema(model: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """A pydantic model as a component (with the models it uses), answered as a reference."""
    schema = model.model_json_schema(ref_template=REF + "{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas.setdefault(model.__name__, schema)
    return {"$ref": REF + model.__name__}


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _errors(statuses: list[int], media: str = "application/json") -> dict[str, Any]:
    schema = ERROR if media == "application/json" else {"type": "string"}
    return {
        str(s): {"description": ERROR_MEANING[s], "content": {media: {"schema": schema}}} for s in statuses
    }


def _error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    statuses = {400, 429, 503}
    if path.startswith("/staff/"):
        statuses |= {401, 403}
    if "{" in path or path.startswith("/staff/"):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {413, 415}
    if method != "get":
        statuses |= {409, 422}
    if path.startswith("/staff/calendar/deadline"):
        statuses.add(422)  # a start outside the calendar's years
    return sorted(statuses)


def _read_itself(documented: Any, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The body, CSV, query and path parameters a route reads itself once its gate let the caller in."""
    if documented.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": _json_content(_model_schema(documented.body, schemas)),
        }
    if documented.csv_columns:
        header = ",".join(column.name for column in documented.csv_columns)
        csv = {
            "type": "string",
            "pattern": f"^{header}(\\r?\\n|$)",
            "description": "a header line, then rows",
        }
        operation["requestBody"] = {
            "required": True,
            "content": {
                "text/csv": {"schema": csv},
                **_json_content({"type": "object", "required": ["csv"], "properties": {"csv": csv}}),
            },
        }
    for name, schema in documented.query.items():
        operation.setdefault("parameters", []).append(
            {"name": name, "in": "query", "required": False, "schema": schema}
        )
    for parameter in operation.get("parameters", []):
        shown = documented.path.get(parameter["name"])
        if parameter["in"] == "path" and shown is not None:
            parameter["schema"] = shown


def _successes(operation: dict[str, Any]) -> dict[str, Any]:
    """The route's own success answers (its status, description and model); a redirect has no body."""
    return {
        status: answer if int(status) < 300 else {"description": answer["description"]}
        for status, answer in operation["responses"].items()
        if int(status) < 400
    }


def _approval_page(method: str, operation: dict[str, Any]) -> None:
    """The signed-link pages: the signature in the query, HTML answers, a plain form posted back."""
    operation["parameters"] = [
        *[p for p in operation.get("parameters", []) if p["in"] == "path"],
        *(
            {"name": n, "in": "query", "required": True, "schema": {"type": "string"}}
            for n in ("exp", "kid", "sig")
        ),
    ]
    if method == "post":
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["decision"],
                        "properties": {"decision": {"type": "string"}},
                        "additionalProperties": {"type": "string"},
                    }
                }
            },
        }
    page = {"description": "the page", "content": {HTML: {"schema": {"type": "string"}}}}
    # The page's own refusals are pages; a body refused before the page runs, a throttle, are JSON.
    operation["responses"] = {
        "200": page,
        **_errors([400, 403, 409, 410], HTML),
        **_errors([413, 415, 429, 503]),
    }
    if method == "head":
        operation["responses"] = {
            code: {"description": r["description"]} for code, r in operation["responses"].items()
        }


def build() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}
    for name in FUNCTIONS:
        module = _load(name)
        described, documented = _described(module), _documented(module)
        for definition_name, definition in described.get("components", {}).get("schemas", {}).items():
            if definition_name in POWERTOOLS_SCHEMAS:
                continue
            known = schemas.setdefault(definition_name, definition)
            if known != definition:
                raise SystemExit(f"two different schemas are called {definition_name}")
        for path, item in described["paths"].items():
            for method, operation in item.items():
                key = f"{method.upper()} {path}"
                if key in paths.get(path, {}):
                    raise SystemExit(f"{key} is routed by two functions")
                operation["operationId"] = f"{name}.{operation['operationId']}"
                operation["tags"] = [name]
                if key in documented:
                    _read_itself(documented[key], operation, schemas)
                if name == "approvals":
                    _approval_page(method, operation)
                else:
                    operation["responses"] = _successes(operation) | _errors(
                        _error_statuses(method, path, operation)
                    )
                if path.startswith("/staff/"):
                    # Who may call it (x-roles, from the route; any staff member when absent), refused
                    # before the body is read.
                    operation["security"] = [{"cognito": []}]
                paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Every operation of the desk's four HTTP functions; errors in one shape.",
        },
        "paths": {path: paths[path] for path in sorted(paths)},
        "components": {
            "schemas": {name: schemas[name] for name in sorted(schemas)},
            "securitySchemes": {"cognito": SECURITY_SCHEME},
        },
    }


def rendered() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed document is stale")
    arguments = parser.parse_args(argv)
    text = rendered()
    if arguments.check:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run python tools/openapi.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {sum(len(i) for i in build()['paths'].values())} operations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
