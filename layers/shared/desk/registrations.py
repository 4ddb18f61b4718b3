"""User-ID requests through an LPSE: a buyer official with an SK / assignment / cover letter, or a
provider under contract with LKPP; verified by a verifier of that LPSE within its service standard, in
its time zone and with its regional days; on approval the account provisioning port creates the
account and the applicant gets the user ID and a one-time activation link (never a password)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from desk import clock
from desk.admin.contracts import CONTRACT_NUMBER_PATTERN, Npwp
from desk.calendar_store import current_calendar
from desk.data import schema
from desk.data.requests import repository as requests_repository
from desk.documents import uploads
from desk.errors import Conflict, RuleViolation
from desk.fields import Email, Line, OptionalLine, Phone, visible_pattern
from desk.requests import acknowledge, intake, lifecycle, work
from desk.requests.model import FINAL_STATUSES, Channel, RequestType
from desk.requests.store import Claim, ClaimClash, Hold, Release, RequestRepository, attach_uploads
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

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """What each applicant type must send besides the common fields (the rule below)."""
        schema: dict[str, Any] = handler(core_schema)
        shown = handler.resolve_ref_schema(schema)
        text = {"type": "string", "maxLength": 200, "pattern": visible_pattern()}
        upload = {"type": "string", "minLength": 8, "maxLength": 64}
        shown["oneOf"] = [
            {
                "properties": {
                    "applicant_type": {"const": "buyer"},
                    "institution": text,
                    "letter_upload_id": upload,
                },
                "required": ["applicant_type", "institution", "letter_upload_id"],
            },
            {
                "properties": {
                    "applicant_type": {"const": "provider"},
                    "company": text,
                    "npwp": {"type": "string", "pattern": r"^[0-9]{15,16}$"},
                    "contract_number": {
                        "type": "string",
                        "maxLength": 80,
                        "pattern": CONTRACT_NUMBER_PATTERN,
                    },
                    "letter_upload_id": upload,
                },
                "required": ["applicant_type", "company", "npwp", "contract_number", "letter_upload_id"],
            },
        ]
        return schema

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


def _open_number(store: RequestRepository, lpse_id: str, email: str) -> str | None:
    """The applicant's user-ID request open at this LPSE, if any."""
    found = store.held(schema.open_registration(lpse_id, email))
    return str(found["number"]) if found else None


def _open_guard(lpse_id: str, email: str) -> Claim:
    """What makes the request the applicant's one open request at this LPSE."""
    return Hold(schema.open_registration(lpse_id, email))


def submit(
    form: RegistrationForm, *, now: datetime, idempotency_key: str | None, client: str = ""
) -> dict[str, Any]:
    from desk.admin.contracts import check_contract
    from desk.admin.lpse import public_list
    from desk.admin.policies import policy_for

    lpse = next((item for item in public_list() if item["id"] == form.lpse_id), None)
    if lpse is None:
        raise RuleViolation("LPSE tidak dikenal.", fields={"lpse_id": "pilih LPSE dari daftar GET /lpse"})
    if form.applicant_type == "provider" and form.contract_number:
        check_contract(form.contract_number, now.astimezone(current_zone(lpse)).date())
    store = requests_repository()
    keys = (f"reg:{idempotency_key}",) if idempotency_key else ()
    replay_of = intake.keyed_number(keys, store=store, now=now)
    attached = uploads.usable_uploads(
        [str(form.letter_upload_id)],
        purposes=LETTER_PURPOSES[form.applicant_type],
        now=now,
        field="letter_upload_id",
        replay_of=replay_of,
    )
    existing = _open_number(store, form.lpse_id, form.email)
    if existing and existing != replay_of():
        raise Conflict(
            f"Permohonan Anda di LPSE ini masih diproses: {existing}.",
            code="registration_open",
            fields={"number": existing},
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

    claims = [*attach_uploads(attached, at=clock.iso(now)), _open_guard(form.lpse_id, form.email)]

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
    intake.ensure_workflow(get_settings().registration_workflow_arn, receipt, new, store=store, now=now)
    return receipt.public()


CONFIRMATION_TEXT = (
    "Permohonan ini melanjutkan permohonan yang ditolak, dengan data yang sama dan surat yang Anda kirim "
    "lewat surel. Periksa suratnya, lalu konfirmasi di halaman ini untuk memulai verifikasi."
)


def live_follower(ended: Any, store: RequestRepository) -> Any:
    """Where a further mail about an ended user-ID request goes: the request that already follows it, or
    the applicant's request open at that LPSE, while either is open."""
    details = ended.item.get("details") or {}
    email = str((ended.identity or {}).get("email", ""))
    open_there = _open_number(store, str(details.get("lpse_id", "")), email)
    for number in (ended.item.get("followed_by"), open_there):
        found = store.load(str(number)) if number else None
        if found is not None and found.item["status"] not in FINAL_STATUSES:
            return found
    return None


def _clock_of(item: dict[str, Any]) -> dict[str, Any]:
    """The unit, zone, regional days and answer time of a user-ID request, for the one continuing it."""
    sla = item.get("sla") or {}
    lpse_id = str((item.get("details") or {}).get("lpse_id", ""))
    return {
        "unit": str(item.get("unit") or lpse_id),
        "working_days": work.working_days(item),
        "tz": str(sla.get("tz") or "Asia/Jakarta"),
        "scopes": tuple(sla.get("scopes") or ()),
    }


def follow_rejected(
    ended: Any, *, mail_documents: Callable[[str], list[str]], now: datetime, store: RequestRepository
) -> tuple[intake.Receipt, bool]:
    """A corrected letter mailed in reply to an ended user-ID request: a new request with the old one's
    applicant and LPSE, the mailed files attached, waiting (clock paused) until the applicant confirms it
    on the status page; only then is it the applicant's open request at that LPSE. Answers the receipt
    and whether the acknowledgement went out."""
    details = ended.item.get("details") or {}
    requester = {k: v for k, v in (ended.identity or {}).items() if k not in ("pk", "sk")}
    new = intake.NewRequest(
        type=RequestType.REGISTRATION,
        channel=Channel.EMAIL,
        subject=str(ended.item["subject"]),
        body=str(ended.item.get("body", "")),
        requester=requester,
        **_clock_of(ended.item),
        details={
            **{k: v for k, v in details.items() if k in ("applicant_type", "lpse_id")},
            "follows": ended.item["number"],
            "awaiting_confirmation": True,
        },
    )
    receipt = intake.submit(new, now=now, store=store, calendar=current_calendar())
    acknowledged = acknowledge.acknowledge(
        new, receipt, settings=get_settings(), store=store, now=now, client=""
    )
    stored = work.load(receipt.number, store)
    documents = mail_documents(receipt.number)
    held = {"kind": "held", "public": True, "text": CONFIRMATION_TEXT, "data": {"by": "system"}}
    work.commit(
        stored,
        lifecycle.Change("waiting_requester", [held], {"documents": documents} if documents else {}),
        actor="system",
        now=now,
        store=store,
    )
    return receipt, acknowledged


def confirm(number: str, code: str, *, client: str, now: datetime) -> dict[str, Any]:
    """The applicant confirms a prepared user-ID request: once a mailed letter passed the checks, the
    clock resumes and the LPSE's verifier is asked."""
    from desk.requests.intake import authorised

    store = requests_repository()
    stored = authorised(number, code, store, client=client, now=now)
    details = stored.item.get("details") or {}
    if stored.item["type"] != RequestType.REGISTRATION or not details.get("awaiting_confirmation"):
        raise Conflict("Permohonan ini tidak menunggu konfirmasi.", code="nothing_to_confirm")
    if stored.item["status"] != "waiting_requester":
        raise Conflict("Permohonan ini sudah ditutup.", code="request_closed")
    email = str((stored.identity or {}).get("email", ""))
    records = [uploads.load(upload_id) for upload_id in stored.item.get("documents", [])]
    letters = [
        r for r in records if r and r["status"] == "accepted" and r["content_type"] == "application/pdf"
    ]
    if not letters:
        if any(r and r["status"] == "pending" for r in records):
            raise Conflict(
                "Berkas yang Anda kirim belum selesai diperiksa; coba lagi sebentar.",
                code="documents_pending",
            )
        raise RuleViolation(
            "Belum ada surat yang dapat dipakai.",
            code="letter_missing",
            fields={"documents": "balas surel kami dengan surat (PDF) yang sudah diperbaiki"},
        )
    change = lifecycle.Change(
        "in_progress",
        [
            {"kind": "resumed", "public": True, "data": {"by": "requester"}},
            {"kind": "confirmed", "public": True, "data": {"documents": [r["upload_id"] for r in letters]}},
        ],
        {"details": {k: v for k, v in details.items() if k != "awaiting_confirmation"}},
    )
    guard = _open_guard(str(details.get("lpse_id", "")), email)
    try:
        updated = work.commit(stored, change, actor="requester", now=now, store=store, claims=[guard])
    except ClaimClash:
        raise Conflict(
            "Anda sudah memiliki permohonan user ID yang sedang diproses di LPSE ini.",
            code="registration_open",
        ) from None
    started = intake.NewRequest(
        type=RequestType.REGISTRATION,
        channel=Channel(stored.item["channel"]),
        subject=str(stored.item["subject"]),
        body="",
        requester={},
        **_clock_of(stored.item),
    )
    intake.start_workflow(
        get_settings().registration_workflow_arn, number, started, received_at=clock.iso(now)
    )
    return {"number": number, "status": updated["status"]}


def current_zone(lpse: dict[str, Any]) -> Any:
    from desk.calendar import zone

    return zone(lpse["time_zone"])


# --- the workflow's own steps ---------------------------------------------------------------------------


def _close_guard(stored: Any) -> list[Claim]:
    """The write that ends the applicant's one open request at this LPSE, made with the closing change:
    the moment the requester is told, they may apply again."""
    details = stored.item.get("details") or {}
    email = (stored.identity or {}).get("email", "")
    key = schema.open_registration(details.get("lpse_id", ""), email)
    return [Release(key)]


def step(action: str, payload: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    from desk.provisioning import create_account

    store = requests_repository()
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
            claims=_close_guard(stored),
        )
        return {"status": "closed"}
    if action == "rejected":
        reason = (decision.get("fields") or {}).get("reason") or "-"
        text = (
            f"Permohonan user ID Anda belum dapat disetujui. Alasan: {reason}\n\n"
            "Balas surel ini dengan surat yang sudah diperbaiki: kami siapkan permohonan baru dengan data "
            "yang sama untuk Anda konfirmasi. Anda juga dapat mengajukan permohonan baru lewat formulir."
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
            claims=_close_guard(stored),
        )
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
