"""The administration API (/staff/admin/...): the reference data the desk runs on. Role admin only.

The role is checked before the body is read, so a non-admin gets 403 whatever they send. CSV imports
take the CSV as the body (``Content-Type: text/csv``) or JSON ``{"csv": "..."}``.
"""

import base64
import json
from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types

from desk import clock, staff
from desk.admin import attachments, audit, contracts, lpse, policies, transactions, units, users
from desk.admin.csvimport import decode
from desk.api.http import MAX_BODY_BYTES, json_body, serve
from desk.errors import DeskError, InvalidInput, TooLarge
from desk.observability import instrumented

# A CSV import may be larger than the JSON limit: Lambda takes 6 MB synchronously, and 10,000 rows of a
# wide export stay well below 5 MB.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_PATHS = (
    "/staff/admin/contracts/import",
    "/staff/admin/transactions",
    "/staff/admin/transactions/import",
)
DEFAULT_PAGE = 100
MAX_PAGE = 500

# What the routes below read themselves (the role is checked first), for the API's OpenAPI document.
BODY_MODELS = {
    "PUT /staff/admin/attachment-types": attachments.AttachmentTypesForm,
    "POST /staff/admin/units": units.UnitForm,
    "PATCH /staff/admin/units/{unit_id}": units.UnitChange,
    "POST /staff/admin/lpse": lpse.LpseForm,
    "PATCH /staff/admin/lpse/{lpse_id}": lpse.LpseChange,
    "POST /staff/admin/contracts": contracts.ContractForm,
    "PATCH /staff/admin/contracts/{number}": contracts.ContractChange,
    "POST /staff/admin/sla-policies": policies.PolicyForm,
    "PATCH /staff/admin/sla-policies/{request_type}": policies.PolicyChange,
    "POST /staff/admin/users": users.InviteForm,
    "PATCH /staff/admin/users/{email}": users.UserChange,
    "PATCH /staff/admin/transactions/{transaction_id}": transactions.TransactionChange,
}
# The columns each import reads (the schema shows a header line of them, in this order).
CSV_BODIES = {
    "POST /staff/admin/contracts/import": contracts.COLUMNS,
    "POST /staff/admin/transactions": transactions.COLUMNS,
    "POST /staff/admin/transactions/import": transactions.COLUMNS,
}
_PAGE_QUERY = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "cursor": {"type": "string", "description": "a next_cursor answered by the previous page"},
}
QUERIES: dict[str, dict[str, Any]] = {
    "GET /staff/admin/contracts": _PAGE_QUERY,
    "GET /staff/admin/transactions": _PAGE_QUERY,
    "GET /staff/admin/audit/{entity}": {**_PAGE_QUERY, "id": {"type": "string"}},
    "PATCH /staff/admin/sla-policies/{request_type}": {"lpse_id": {"type": "string"}},
}
PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "GET /staff/admin/audit/{entity}": {"entity": {"type": "string", "enum": list(audit.ENTITIES)}},
    "PATCH /staff/admin/sla-policies/{request_type}": {
        "request_type": {"type": "string", "enum": sorted(policies.DEFAULTS)}
    },
}


def _json(status: int, body: Any) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body, ensure_ascii=False),
    )


def register(app: APIGatewayRestResolver) -> None:
    def admin() -> staff.StaffUser:
        user = staff.from_event(app.current_event.raw_event)
        user.require("admin")
        return user

    def body() -> Any:
        return json_body(app)

    def page() -> tuple[int, str | None]:
        query = app.current_event.query_string_parameters or {}
        raw = query.get("limit") or str(DEFAULT_PAGE)
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise InvalidInput("Batas halaman tidak sah.", fields={"limit": f"angka 1 sampai {MAX_PAGE}"})
        return int(raw), query.get("cursor") or None

    def csv_text() -> str:
        event = app.current_event
        headers = {k.lower(): v for k, v in (event.headers or {}).items()}
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        raw = event.body or ""
        if kind in ("text/csv", "application/csv", "text/plain"):
            data = base64.b64decode(raw) if event.is_base64_encoded else raw.encode()
            return decode(data)
        if len(raw) > MAX_BODY_BYTES:
            raise TooLarge(f"Isi JSON melebihi {MAX_BODY_BYTES // 1024} KB; kirim CSV sebagai text/csv.")
        value = body()
        text = value.get("csv") if isinstance(value, dict) else None
        if not isinstance(text, str):
            raise InvalidInput(
                'Kirim CSV sebagai text/csv atau JSON {"csv": "..."}.', fields={"csv": "wajib diisi"}
            )
        return text

    def path(value: str) -> str:
        return unquote(value)

    @app.get("/staff/admin/whoami")
    def whoami() -> dict[str, Any]:
        user = admin()
        return {"username": user.username, "roles": sorted(user.roles)}

    # -- email attachment types that may be served ---------------------------------------------------
    @app.get("/staff/admin/attachment-types")
    def attachment_types() -> dict[str, Any]:
        admin()
        return attachments.view()

    @app.put("/staff/admin/attachment-types")
    def replace_attachment_types() -> dict[str, Any]:
        user = admin()  # the role before the body: a non-admin is refused whatever they send
        return attachments.replace(json_body(app), user=user, now=clock.now())

    # -- units ---------------------------------------------------------------------------------------
    @app.get("/staff/admin/units")
    def list_units() -> dict[str, Any]:
        admin()
        return units.list_units()

    @app.post("/staff/admin/units")
    def create_unit() -> Response[Any]:
        user = admin()
        return _json(201, units.create_unit(body(), user=user, now=clock.now()))

    @app.patch("/staff/admin/units/<unit_id>")
    def update_unit(unit_id: str) -> dict[str, Any]:
        user = admin()
        return units.update_unit(path(unit_id), body(), user=user, now=clock.now())

    # -- LPSEs ---------------------------------------------------------------------------------------
    @app.get("/staff/admin/lpse")
    def list_lpse() -> dict[str, Any]:
        admin()
        return lpse.list_lpse()

    @app.post("/staff/admin/lpse")
    def create_lpse() -> Response[Any]:
        user = admin()
        return _json(201, lpse.create_lpse(body(), user=user, now=clock.now()))

    @app.patch("/staff/admin/lpse/<lpse_id>")
    def update_lpse(lpse_id: str) -> dict[str, Any]:
        user = admin()
        return lpse.update_lpse(path(lpse_id), body(), user=user, now=clock.now())

    # -- contracts -----------------------------------------------------------------------------------
    @app.get("/staff/admin/contracts")
    def list_contracts() -> dict[str, Any]:
        admin()
        limit, cursor = page()
        return contracts.list_contracts(limit=limit, cursor=cursor)

    @app.post("/staff/admin/contracts")
    def create_contract() -> Response[Any]:
        user = admin()
        return _json(201, contracts.create_contract(body(), user=user, now=clock.now()))

    @app.post("/staff/admin/contracts/import")
    def import_contracts() -> dict[str, Any]:
        user = admin()
        return contracts.import_contracts(csv_text(), user=user, now=clock.now())

    @app.patch("/staff/admin/contracts/<number>")
    def update_contract(number: str) -> dict[str, Any]:
        user = admin()
        return contracts.update_contract(path(number), body(), user=user, now=clock.now())

    # -- SLA policies --------------------------------------------------------------------------------
    @app.get("/staff/admin/sla-policies")
    def list_policies() -> dict[str, Any]:
        admin()
        return policies.list_policies()

    @app.post("/staff/admin/sla-policies")
    def create_policy() -> Response[Any]:
        user = admin()
        return _json(201, policies.create_policy(body(), user=user, now=clock.now()))

    @app.patch("/staff/admin/sla-policies/<request_type>")
    def update_policy(request_type: str) -> dict[str, Any]:
        user = admin()
        lpse_id = (app.current_event.query_string_parameters or {}).get("lpse_id") or None
        return policies.update_policy(path(request_type), lpse_id, body(), user=user, now=clock.now())

    # -- staff users ---------------------------------------------------------------------------------
    @app.get("/staff/admin/users")
    def list_users() -> dict[str, Any]:
        admin()
        return users.list_users()

    @app.post("/staff/admin/users")
    def invite_user() -> Response[Any]:
        user = admin()
        return _json(201, users.invite_user(body(), user=user, now=clock.now()))

    @app.patch("/staff/admin/users/<email>")
    def update_user(email: str) -> dict[str, Any]:
        user = admin()
        return users.update_user(path(email), body(), user=user, now=clock.now())

    # -- transactions --------------------------------------------------------------------------------
    @app.get("/staff/admin/transactions")
    def list_transactions() -> dict[str, Any]:
        admin()
        limit, cursor = page()
        return transactions.list_transactions(limit=limit, cursor=cursor)

    @app.post("/staff/admin/transactions")
    @app.post("/staff/admin/transactions/import")
    def import_transactions() -> dict[str, Any]:
        user = admin()
        return transactions.import_transactions(csv_text(), user=user, now=clock.now())

    @app.get("/staff/admin/transactions/<transaction_id>")
    def read_transaction(transaction_id: str) -> dict[str, Any]:
        admin()
        return transactions.read_transaction(path(transaction_id))

    @app.patch("/staff/admin/transactions/<transaction_id>")
    def update_transaction(transaction_id: str) -> dict[str, Any]:
        user = admin()
        return transactions.update_transaction(path(transaction_id), body(), user=user, now=clock.now())

    # -- audit trail ---------------------------------------------------------------------------------
    @app.get("/staff/admin/audit/<entity>")
    def audit_trail(entity: str) -> dict[str, Any]:
        admin()
        limit, cursor = page()
        entity_id = (app.current_event.query_string_parameters or {}).get("id") or None
        return audit.history(entity, entity_id, limit=limit, cursor=cursor)


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # A CSV import has its own, larger limit (Lambda takes 6 MB synchronously; 10,000 rows are ~1.3 MB).
    limit = IMPORT_MAX_BYTES if event.get("path") in IMPORT_PATHS else MAX_BODY_BYTES
    # Imports take CSV as the body; everything else is JSON. A caller who is not an admin is refused by
    # the route before anything reads the body, whatever it holds.
    media = ("application/json", "text/csv", "application/csv", "text/plain") if _admin_asks(event) else None
    return serve(register, event, context, max_body_bytes=limit, media_types=media)


def _admin_asks(event: dict[str, Any]) -> bool:
    try:
        return staff.from_event(event).has_any({"admin"})
    except DeskError:
        return False
