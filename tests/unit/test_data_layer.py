"""The data layer stays one place: key prefixes are spelled only in ``desk/data/schema.py``; boto3,
botocore and the desk's own clients (``desk.aws``) are imported only by the data layer; and the README's
table of item kinds and access patterns is the schema's own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from desk.data import schema

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "shared" / "desk"
DATA_LAYER = {PACKAGE / "data", PACKAGE / "aws.py"}
KEY_PREFIX = re.compile(r"^[A-Z][A-Z_]{2,}#")


def _code_modules() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "functions").glob("*/app.py"))
    return [p for p in found if not any(p == d or d in p.parents for d in DATA_LAYER)]


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant, and the leading text of every f-string, with its line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            found.append((node.lineno, str(node.values[0].value)))
    return found


def _is_docstring_line(tree: ast.Module, line: int) -> bool:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                if value.lineno <= line <= (value.end_lineno or value.lineno):
                    return True
    return False


def test_no_module_outside_the_data_layer_spells_a_key() -> None:
    spelled = []
    for path in _code_modules():
        tree = ast.parse(path.read_text(), str(path))
        for line, text in _strings(tree):
            if KEY_PREFIX.match(text) and not _is_docstring_line(tree, line):
                spelled.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert not spelled, "key prefixes belong in desk/data/schema.py:\n" + "\n".join(spelled)


def _imports_aws_sdk(path: Path) -> bool:
    """boto3 or botocore, or the desk's client factories (``desk.aws``), imported anywhere in the module."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        if any(name.split(".")[0] in ("boto3", "botocore") or name == "desk.aws" for name in names):
            return True
    return False


def test_only_the_data_layer_imports_boto3_or_botocore() -> None:
    importing = {
        str(path.relative_to(PACKAGE)) if PACKAGE in path.parents else str(path.relative_to(ROOT))
        for path in _code_modules()
        if _imports_aws_sdk(path)
    }
    # The mail forwarder runs alone in the receiving region, without the layer's data package.
    importing.discard("functions/mail_forwarder/app.py")
    assert importing == set(), "boto3, botocore and desk.aws belong in the data layer"


def test_the_check_sees_a_key_spelled_outside_and_an_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text('import botocore.exceptions\nKEY = {"pk": f"WIDGET#{1}", "sk": "WIDGET"}\n')
    tree = ast.parse(planted.read_text())
    assert {text for _, text in _strings(tree) if KEY_PREFIX.match(text)} == {"WIDGET#"}
    assert _imports_aws_sdk(planted)
    for line in ("from desk import aws, clock\n", "import desk.aws\n", "from desk.aws import table\n"):
        planted.write_text(line)
        assert _imports_aws_sdk(planted), line
    planted.write_text("from desk import clock\nfrom desk.data import schema\n")
    assert not _imports_aws_sdk(planted)


def test_the_readme_shows_the_schemas_own_tables() -> None:
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- schema:start -->\n", 1)[1].split("<!-- schema:end -->", 1)[0]
    assert shown == schema.markdown(), "regenerate the README's tables from desk.data.schema.markdown()"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (schema.request("EP-2026-000001"), {"pk": "REQ#EP-2026-000001", "sk": "REQ"}),
        (schema.event("EP-2026-000001", 7), {"pk": "REQ#EP-2026-000001", "sk": "EVT#000007"}),
        (
            schema.open_registration("lpse-bali", "A@B.go.id"),
            {"pk": "REGOPEN#lpse-bali#a@b.go.id", "sk": "REGOPEN"},
        ),
        (schema.payment_proof("trx-1", "buyer"), {"pk": "PROOF#TRX-1#buyer", "sk": "PROOF"}),
    ],
)
def test_keys_keep_the_shapes_stored_items_already_have(
    key: dict[str, str], expected: dict[str, str]
) -> None:
    assert key == expected


def test_every_prefix_a_builder_writes_is_in_the_catalogue() -> None:
    catalogue = " ".join(f"{k.pk} {k.sk} {k.indexes}" for k in schema.KINDS)
    built = [
        schema.queue_pk("u"),
        schema.assignee_pk("a"),
        schema.tasks_of_role_pk("r", "u"),
        schema.tasks_of_person_pk("p"),
        schema.counter("c")["pk"],
        schema.mail_seen("m")["pk"],
        schema.proof_file("s")["pk"],
        schema.session("s")["sk"],
        schema.booking("s", "n")["sk"],
        schema.meetings_pk("o"),
        *schema.wrong_codes_pks("n", "c"),
        schema.acknowledgements_pk(address="a"),
        schema.calendar_change(1)["sk"],
        schema.letter_trouble("n", "s", "u")["sk"],
        schema.reference_item_audit_pk("e", "i"),
    ]
    for key in built:
        prefix = key.split("#", 1)[0] + "#"
        assert prefix in catalogue, key
