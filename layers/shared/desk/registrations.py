"""User-ID requests through an LPSE: a buyer official with an SK / assignment / cover letter, or a
provider under contract with LKPP; verified by a verifier of that LPSE within its service standard, in
its time zone and with its regional days; on approval the account provisioning port creates the
account and the applicant gets the user ID and a one-time activation link (never a password)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from desk import aws
from desk.admin.contracts import Npwp
from desk.calendar_store import current_calendar
from desk.documents import uploads
from desk.errors import Conflict, InvalidInput
from desk.requests import acknowledge, intake, lifecycle, work
from desk.requests.forms import Email, Line, OptionalLine, Phone
from desk.requests.model import Channel, RequestType
from desk.requests.store import RequestStore
from desk.settings import get_settings


class RegistrationForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    applicant_type: Literal["buyer", "provider"]
    name: Line
    email: Email
    phone: Phone
    position: Line
    institution: OptionalLine | None = None
    company: OptionalLine | None = None
    npwp: Npwp | None = None
    contract_number: Annotated[str, Field(max_length=120)] | None = None
    lpse_id: Annotated[str, Field(min_length=1, max_length=80)]
    letter_upload_id: Annotated[str, Field(min_length=8, max_length=64)] | None = None

    @model_validator(mode="after")
    def _by_type(self) -> RegistrationForm:
        missing = []
        if not self.letter_upload_id:
            missing.append("letter_upload_id")
        if self.applicant_type == "buyer" and not self.institution:
            missing.append("institution")
        if self.applicant_type == "provider":
            missing += [name for name in ("company", "npwp", "contract_number") if not getattr(self, name)]
        if missing:
            raise ValueError(f"{missing[0]}: wajib diisi")
        return self


LETTER_PURPOSES = {"buyer": {"sk_letter"}, "provider": {"company_letter"}}


def _open_key(lpse_id: str, email: str) -> dict[str, str]:
    return {"pk": f"REGOPEN#{lpse_id}#{email.lower()}", "sk": "REGOPEN"}


def submit(
    form: RegistrationForm, *, now: datetime, idempotency_key: str | None, client: str = ""
) -> dict[str, Any]:
    from desk.admin.contracts import check_contract
    from desk.admin.lpse import public_list
    from desk.admin.policies import policy_for

    lpse = next((item for item in public_list() if item["id"] == form.lpse_id), None)
    if lpse is None:
        raise InvalidInput("LPSE tidak dikenal.", fields={"lpse_id": "pilih LPSE dari daftar GET /lpse"})
    if form.applicant_type == "provider" and form.contract_number:
        check_contract(form.contract_number, now.astimezone(current_zone(lpse)).date())
    store = RequestStore()
    keys = (f"reg:{idempotency_key}",) if idempotency_key else ()
    replay_of = intake.keyed_number(keys, store=store, now=now)
    attached = uploads.usable_uploads(
        [str(form.letter_upload_id)],
        purposes=LETTER_PURPOSES[form.applicant_type],
        now=now,
        field="letter_upload_id",
        replay_of=replay_of,
    )
    existing = store.table.get_item(Key=_open_key(form.lpse_id, form.email)).get("Item")
    if existing and existing["number"] != replay_of():
        raise Conflict(
            f"Permohonan Anda di LPSE ini masih diproses: {existing['number']}.",
            code="registration_open",
            fields={"number": str(existing["number"])},
        )
    requester = {
        k: v for k, v in form.model_dump().items() if v is not None and k not in ("letter_upload_id",)
    }
    new = intake.NewRequest(
        type=RequestType.REGISTRATION,
        channel=Channel.WEB,
        subject=f"Permohonan user ID {form.applicant_type} di {lpse['name']}",
        body=f"{form.name} ({form.position}), {form.institution or form.company}",
        requester=requester,
        unit=form.lpse_id,
        working_days=policy_for("registration", lpse_id=form.lpse_id).working_days,
        tz=lpse["time_zone"],
        scopes=(lpse["province"], form.lpse_id),
        details={"applicant_type": form.applicant_type, "lpse_id": form.lpse_id},
        documents=tuple(attached),
    )

    def claims(number: str) -> list[dict[str, Any]]:
        guard = {
            "Put": {
                "TableName": store.table.name,
                "Item": {**_open_key(form.lpse_id, form.email), "number": number},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        return [*uploads.claim_operations(attached, number=number, now=now), guard]

    receipt = intake.submit(
        new,
        now=now,
        store=store,
        calendar=current_calendar(),
        claims=claims,
        idempotency_keys=keys,
    )
    if not receipt.repeated:
        # The acknowledgement is the request's second event: written before the workflow writes its own.
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now, client=client)
        intake.start_workflow(get_settings().registration_workflow_arn, receipt.number, new, now=now)
    return receipt.public()


def current_zone(lpse: dict[str, Any]) -> Any:
    from desk.calendar import zone

    return zone(lpse["time_zone"])


# --- the workflow's own steps ---------------------------------------------------------------------------


def _close_guard(stored: Any) -> None:
    details = stored.item.get("details") or {}
    email = (stored.identity or {}).get("email", "")
    aws.table().delete_item(Key=_open_key(details.get("lpse_id", ""), email))


def step(action: str, payload: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    from desk.provisioning import create_account

    store = RequestStore()
    stored = work.load(payload["number"], store)
    decision = payload.get("verification") or {}
    if action == "provision":
        registration = {
            **(stored.identity or {}),
            "number": stored.item["number"],
            "lpse_id": (stored.item.get("details") or {}).get("lpse_id", ""),
        }
        account = create_account(registration, now=now)
        return {"user_id": account.user_id, "activation_url": account.activation_url}
    if action == "approved":
        account = payload["account"]
        text = (
            f"Permohonan user ID Anda disetujui. User ID: {account['user_id']}.\n\n"
            "Aktifkan akun dan buat kata sandi Anda lewat tautan sekali pakai ini:\n"
            f"{account['activation_url']}"
        )
        change = lifecycle.Change(
            "closed",
            [
                {"kind": "verified", "public": True, "data": {"by": decision.get("decided_by")}},
                {"kind": "answered", "public": True, "text": "Disetujui; user ID dikirim lewat surel."},
                {"kind": "closed", "public": True},
            ],
            {"step": "done"},
            notify_requester=text,
        )
        work.commit(
            stored,
            change,
            actor=str(decision.get("decided_by") or "system"),
            now=now,
            store=store,
            mail_kind="answered",
        )
        _close_guard(stored)
        return {"status": "closed"}
    if action == "rejected":
        reason = (decision.get("fields") or {}).get("reason") or "-"
        text = (
            f"Permohonan user ID Anda belum dapat disetujui. Alasan: {reason}\n\n"
            "Anda dapat mengajukan permohonan baru setelah melengkapi kekurangannya."
        )
        change = lifecycle.apply_action(
            stored.item, "reject", actor=str(decision.get("decided_by")), reason=text
        )
        work.commit(
            stored,
            change,
            actor=str(decision.get("decided_by") or "system"),
            now=now,
            store=store,
            mail_kind="rejected",
        )
        _close_guard(stored)
        return {"status": "rejected"}
    if action == "set_step":
        change = lifecycle.Change(
            stored.item["status"] if stored.item["status"] != "submitted" else "in_progress",
            [{"kind": "step", "public": True, "data": {"step": payload["step"]}}],
            {"step": payload["step"]},
        )
        work.commit(stored, change, actor="system", now=now, store=store)
        return {"step": payload["step"]}
    raise ValueError(f"unknown action {action!r}")
