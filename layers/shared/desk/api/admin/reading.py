"""What the administration routes read themselves once their gate has let an administrator through: a
JSON body, a CSV body, a page of a list, a path segment."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from desk.admin.csvimport import decode
from desk.api.http import MAX_BODY_BYTES, json_body_of
from desk.errors import InvalidInput, TooLarge

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

DEFAULT_PAGE = 100
MAX_PAGE = 500
# A CSV import may be larger than the JSON limit: Lambda takes 6 MB synchronously, and 10,000 rows of a
# wide export stay well below 5 MB.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
PAGE_QUERY: dict[str, dict[str, Any]] = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "cursor": {"type": "string", "description": "a next_cursor answered by the previous page"},
}


def body(event: APIGatewayProxyEvent) -> Any:
    return json_body_of(event)


def query(event: APIGatewayProxyEvent, name: str) -> str | None:
    return (event.query_string_parameters or {}).get(name) or None


def page(event: APIGatewayProxyEvent) -> tuple[int, str | None]:
    raw = query(event, "limit") or str(DEFAULT_PAGE)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidInput("Batas halaman tidak sah.", fields={"limit": f"angka 1 sampai {MAX_PAGE}"})
    return int(raw), query(event, "cursor")


def csv_text(event: APIGatewayProxyEvent) -> str:
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    raw = event.body or ""
    if kind in ("text/csv", "application/csv", "text/plain"):
        return decode(base64.b64decode(raw) if event.is_base64_encoded else raw.encode())
    if len(raw) > MAX_BODY_BYTES:
        raise TooLarge(f"Isi JSON melebihi {MAX_BODY_BYTES // 1024} KB; kirim CSV sebagai text/csv.")
    value = body(event)
    text = value.get("csv") if isinstance(value, dict) else None
    if not isinstance(text, str):
        raise InvalidInput(
            'Kirim CSV sebagai text/csv atau JSON {"csv": "..."}.', fields={"csv": "wajib diisi"}
        )
    return text


def segment(value: str) -> str:
    """A path parameter as it was meant (an email's ``@`` arrives encoded)."""
    return unquote(value)
