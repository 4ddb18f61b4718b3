"""The OpenAPI document served as /openapi.json is the one the routes describe today: rebuilt from the
four HTTP functions and compared with the copy the layer ships."""

from __future__ import annotations

import openapi


def test_the_shipped_document_is_rebuilt_from_the_routes_unchanged() -> None:
    assert openapi.OUTPUT.read_text() == openapi.rendered(), "stale: run python tools/openapi.py"


def test_every_route_of_every_http_function_is_described() -> None:
    """Every route decorator in the areas' source is an operation of the document, and nothing else is."""
    import re

    document = openapi.build()
    described = {(m.upper(), p) for p, item in document["paths"].items() for m in item}
    routed = set()
    for source in (openapi.ROOT / "layers/shared/desk/api").rglob("*.py"):
        text = source.read_text()
        for method, path in re.findall(r'@AREA\.(get|post|put|patch|delete)\(\s*"([^"]+)"', text):
            routed.add((method.upper(), re.sub(r"<(\w+)>", r"{\1}", path)))
        for methods, path in re.findall(r'@AREA\.route\(\s*\[([^\]]+)\],\s*"([^"]+)"', text):
            for method in re.findall(r'"(\w+)"', methods):
                routed.add((method, re.sub(r"<(\w+)>", r"{\1}", path)))
    assert len(routed) > 50
    assert routed == described


def test_no_error_answer_is_left_in_a_shape_the_api_never_sends() -> None:
    document = openapi.build()
    text = str(document)
    assert "HTTPValidationError" not in text and "Validation Error" not in text
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400 and "application/json" in response.get("content", {}):
                    assert response["content"]["application/json"]["schema"] == openapi.ERROR
